# Cross-validation of the elastic-net penalty path itself, as
# glmnet::cv.glmnet does it: the path on all samples sets the lambda
# sequence, every fold's path is fitted (one C call, the folds in parallel)
# and read off at those lambdas, and the held-out deviance picks lambda.

#' Cross-validate the elastic-net penalty
#'
#' Fits the binomial elastic-net path on all samples (as
#' `ev_fit(method = "elastic_net")`), fits it again on every training part of
#' a K-fold split (on the fold's own default lambda sequence, or on
#' `lambda` when given), predicts the held-out samples at the
#' whole-data lambdas (linear interpolation along the fold's path, as
#' glmnet's `predict(s = )`), and scores each lambda by the held-out binomial
#' deviance, with the conventions of
#' `glmnet::cv.glmnet(type.measure = "deviance")`: probabilities clipped to
#' \[1e-5, 1 - 1e-5\], `cvm` the fold-size weighted mean of the per-fold mean
#' deviances, `cvsd` their weighted standard deviation over sqrt(K - 1),
#' `lambda_min` the largest lambda with the smallest `cvm` and `lambda_1se`
#' the largest lambda with `cvm` within one `cvsd` of it. The fold paths run
#' in C, `getOption("evmirna.threads", 2)` at a time; the numbers do not
#' depend on the thread count.
#'
#' **Tuning alpha.** With several `alpha` values (e.g. `alpha = c(0, 0.5,
#' 1)`), every alpha is cross-validated on the same folds (glmnet leaves
#' this to the user) and the one whose `lambda_min` has the smallest `cvm`
#' is kept (the first on ties); `alphas` then summarises the grid and `fits`
#' holds each alpha's result.
#'
#' @inheritParams ev_fit
#' @param n_folds Number of folds (ignored when `foldid` is given).
#' @param foldid Optional fold number (1, ..., K) of every sample.
#' @param stratified Whether generated folds keep the class proportions
#'   (see [ev_folds()]).
#' @param ... Elastic-net options of [ev_fit()] (`alpha`, one value or a
#'   grid, `n_lambda`, `lambda_min_ratio`, `lambda` (the sequence, glmnet's
#'   spelling; `lambda_path` is deprecated), `standardize`, `thresh`,
#'   `maxit`, `penalty_factor`, `dfmax`, `pmax`).
#' @param s Refused: the chosen penalty is what this function finds (use
#'   `coef(cv, s = "lambda.min")` on the result).
#' @param folds Deprecated spelling of `n_folds`.
#' @return An object of class `ev_cv_lambda`: a list with `lambda`, `cvm`,
#'   `cvsd`, `cvup`, `cvlo`, `nzero` (terms with a non-zero coefficient),
#'   `lambda_min`, `lambda_1se`, `index` (positions of both in `lambda`),
#'   `foldid`, `link` (samples x lambdas held-out log-odds) and `model` (the
#'   whole-path [ev_fit()] model on all samples: `predict(cv$model, newdata,
#'   s = cv$lambda_min)`, or `coef(cv, s = "lambda.min")`), and `alpha`.
#'   With an alpha grid also `alphas` (data.frame `alpha`, `lambda_min`,
#'   `lambda_1se`, `cvm_min`) and `fits` (one `ev_cv_lambda` per alpha).
#' @seealso [ev_cv()] for the cross-validation of a whole modelling recipe.
#' @references
#' Friedman J, Hastie T, Tibshirani R (2010). Regularization paths for
#' generalized linear models via coordinate descent. *Journal of Statistical
#' Software* 33(1), 1-22. \doi{10.18637/jss.v033.i01}
#' @export
#' @examples
#' set.seed(1)
#' x <- matrix(rnorm(100 * 20), 100, 20,
#'             dimnames = list(NULL, sprintf("miR-%d", 1:20)))
#' group <- factor(rbinom(100, 1, plogis(x[, 1] - x[, 2])))
#' cv <- ev_cv_lambda(x, group, alpha = 0.5, n_folds = 5)
#' cv
#' head(predict(cv$model, x, s = cv$lambda_min))
#' coef(cv, s = "lambda.1se")
#' tuned <- ev_cv_lambda(x, group, alpha = c(0.2, 0.6, 1), n_folds = 5)
#' tuned$alphas
ev_cv_lambda <- function(x, group, features = NULL, covariates = NULL, positive = NULL,
                         n_folds = 10, foldid = NULL, stratified = TRUE, ...,
                         s = NULL, folds = NULL) {
  if (!is.null(s)) {
    ev_abort("`s` is what ev_cv_lambda() chooses; give a penalty sequence as `lambda`.",
             "evmirna_error_value", "s")
  }
  folds <- deprecated_arg(folds, n_folds, "folds", "n_folds", !missing(n_folds))
  prep <- fit_prepare(x, group, features, covariates, positive)
  opts <- cv_lambda_options(fit_dots(list(...)))
  n <- length(prep$y)
  if (is.null(foldid)) {
    check_number(folds, "n_folds", lower = 2, integer = TRUE)
    check_flag(stratified, "stratified")
    foldid <- ev_folds(prep$group, folds, 1L, stratified)[, 1L]
  } else {
    foldid <- check_foldid(foldid, n)
    if (ncol(foldid) != 1L) {
      ev_abort("`foldid` must be one fold number per sample (one repeat).",
               "evmirna_error_shape", "foldid")
    }
    foldid <- foldid[, 1L]
  }
  n_folds <- max(foldid)
  if (!all(seq_len(n_folds) %in% foldid)) {
    ev_abort(sprintf("`foldid` must number the folds 1 to %d without gaps.", n_folds),
             "evmirna_error_value", "foldid")
  }
  check_training_classes(matrix(foldid), prep$y)
  alphas <- opts$alpha %||% 1
  if (!is.numeric(alphas) || !length(alphas) || anyNA(alphas) || any(alphas < 0 | alphas > 1)) {
    ev_abort("`alpha` must be numbers in [0, 1].", "evmirna_error_value", "alpha")
  }
  call <- match.call()
  fits <- lapply(alphas, function(a) {
    cv_lambda_one(prep, utils::modifyList(opts, list(alpha = a)), foldid, call)
  })
  if (length(fits) == 1L) return(fits[[1L]])
  grid <- data.frame(alpha = alphas,
                     lambda_min = vapply(fits, function(f) f$lambda_min, numeric(1)),
                     lambda_1se = vapply(fits, function(f) f$lambda_1se, numeric(1)),
                     cvm_min = vapply(fits, function(f) f$cvm[f$index[[1L]]], numeric(1)))
  best <- fits[[which.min(grid$cvm_min)]]
  best$alphas <- grid
  best$fits <- fits
  best
}

# glmnet's names: `lambda` is the sequence (was `lambda_path`).
cv_lambda_options <- function(opts) {
  seq <- opts[["lambda"]]
  opts[["lambda"]] <- NULL
  if (!is.null(opts$lambda_path)) {
    opts$lambda_path <- deprecated_arg(opts$lambda_path, seq, "lambda_path", "lambda",
                                       !is.null(seq), sys.call(-2L))
  } else {
    opts$lambda_path <- seq
  }
  if (!is.null(opts$lambda_path) && length(opts$lambda_path) < 2L) {
    ev_abort("cross-validating the penalty needs a `lambda` sequence of at least two values.",
             "evmirna_error_value", "lambda")
  }
  opts
}

cv_lambda_one <- function(prep, opts, foldid, call) {
  n <- length(prep$y)
  n_folds <- max(foldid)
  model <- fit_model(prep, "elastic_net", NULL, opts, call)
  o <- model$options
  n_train <- n - tabulate(foldid, n_folds)
  flmin <- o$lambda_min_ratio
  if (is.null(opts[["lambda_min_ratio"]])) {   # glmnet's default for each fold's size
    flmin <- ifelse(n_train < ncol(prep$design), 1e-2, 1e-4)
  }
  # Without a user sequence each fold runs its own default path (as
  # cv.glmnet), read off at the whole-data lambdas.
  user_path <- if (is.null(o$lambda_path)) NULL else sort(o$lambda_path, decreasing = TRUE)
  link <- elnet_cv_link(prep$design, prep$y, foldid, o, model$path$lambda,
                        user_path, rep_len(flmin, n_folds))
  stats <- cv_deviance(link, prep$y, foldid)
  lam <- model$path$lambda
  best <- cv_lambda_choice(lam, stats$cvm, stats$cvsd)
  structure(list(lambda = lam, cvm = stats$cvm, cvsd = stats$cvsd,
                 cvup = stats$cvm + stats$cvsd, cvlo = stats$cvm - stats$cvsd,
                 nzero = model$path$df, lambda_min = lam[best[[1L]]],
                 lambda_1se = lam[best[[2L]]], index = best, foldid = foldid,
                 link = link, model = model, alpha = o$alpha),
            class = "ev_cv_lambda")
}

# Held-out log-odds (samples x lambdas) of every fold's path, from C.
# `s`: the penalties to predict at; `path`: NULL (each fold's default
# sequence, with lambda.min.ratio `flmin[k]`) or the sequence every fold uses.
elnet_cv_link <- function(design, y, foldid, o, s, path, flmin) {
  res <- .Call(C_elnet_cv, design, y, as.integer(foldid), as.double(o$penalty_factor),
               as.double(o$alpha), o$standardize, as.integer(o$n_lambda),
               as.double(flmin), if (is.null(path)) NULL else as.double(path),
               as.double(s), as.double(o$thresh), as.integer(o$maxit),
               as.integer(o$dfmax), as.integer(o$pmax), evmirna_threads())
  one_class <- which(is.na(res$status))
  if (length(one_class)) {
    ev_abort(sprintf("the training part of fold(s) %s has one class only; use fewer folds or stratified folds.",
                     format_offenders(one_class)), "evmirna_error_one_class", "folds")
  }
  short <- which(res$status != 0L)
  if (any(res$nfit < 1L)) {
    ev_abort(sprintf("the elastic-net path of fold(s) %s could not be fitted at its first lambda.",
                     format_offenders(which(res$nfit < 1L))), "evmirna_error_value", "x")
  }
  if (length(short)) {
    ev_warn(sprintf("the path of fold(s) %s stopped early (raise `maxit` or `pmax`); its last fit stands for the smaller lambdas.",
                    format_offenders(short)), "evmirna_warning_convergence", "maxit")
  }
  dimnames(res$link) <- list(rownames(design), sprintf("s%d", seq_along(s) - 1L))
  res$link
}

# cv.glmnet's deviance summary (type.measure = "deviance", grouped).
cv_deviance <- function(link, y, foldid) {
  p <- pmin(pmax(stats::plogis(link), 1e-5), 1 - 1e-5)
  dev <- -2 * (y * log(p) + (1 - y) * log(1 - p))
  n_folds <- max(foldid)
  w <- tabulate(foldid, n_folds)
  fold_mean <- rowsum(dev, foldid, reorder = TRUE) / w
  cvm <- drop(crossprod(w, fold_mean)) / sum(w)
  centred <- sweep(fold_mean, 2L, cvm)
  cvsd <- sqrt(drop(crossprod(w, centred^2)) / sum(w) / (n_folds - 1L))
  list(cvm = unname(cvm), cvsd = unname(cvsd))
}

# Positions of lambda.min and lambda.1se (the largest lambda among ties).
cv_lambda_choice <- function(lambda, cvm, cvsd) {
  i_min <- match(max(lambda[cvm <= min(cvm)]), lambda)
  i_1se <- match(max(lambda[cvm <= cvm[i_min] + cvsd[i_min]]), lambda)
  c(min = i_min, `1se` = i_1se)
}

#' Print a cross-validated penalty path
#'
#' @param x An `ev_cv_lambda` from [ev_cv_lambda()].
#' @param ... Unused.
#' @return `x`, invisibly.
#' @export
#' @examples
#' set.seed(2)
#' x <- matrix(rnorm(60 * 8), 60, 8, dimnames = list(NULL, sprintf("miR-%d", 1:8)))
#' print(ev_cv_lambda(x, rbinom(60, 1, plogis(x[, 1])), n_folds = 3))
print.ev_cv_lambda <- function(x, ...) {
  cat(sprintf("<ev_cv_lambda> %d-fold CV of the elastic-net path (alpha = %g), %d lambdas\n",
              max(x$foldid), x$model$path$alpha, length(x$lambda)))
  cat(sprintf("  lambda_min = %.4g (deviance %.4f +/- %.4f, %d terms)\n", x$lambda_min,
              x$cvm[x$index[[1L]]], x$cvsd[x$index[[1L]]], x$nzero[[x$index[[1L]]]]))
  cat(sprintf("  lambda_1se = %.4g (deviance %.4f, %d terms)\n", x$lambda_1se,
              x$cvm[x$index[[2L]]], x$nzero[[x$index[[2L]]]]))
  if (!is.null(x$alphas)) {
    cat(sprintf("  alpha chosen from %s on the same folds\n",
                paste(format(x$alphas$alpha), collapse = ", ")))
  }
  invisible(x)
}
