# One fitter per method. Each returns list(coefficients = c(intercept,
# terms), intercept_link (the intercept used for predictions), vcov, path,
# lambda, info, options).

check_not_wide <- function(design, method, suggestion) {
  if (ncol(design) + 1L > nrow(design)) {
    ev_abort(sprintf("method \"%s\" needs fewer terms than samples (%d terms + intercept, %d samples); use %s.",
                     method, ncol(design), nrow(design), suggestion),
             "evmirna_error_shape", "x")
  }
}

# Returns the column SDs (the model keeps them as term_sd).
check_not_constant <- function(design, method) {
  sds <- column_sd(design)
  const <- colnames(design)[!(sds > 0)]
  if (length(const)) {
    ev_abort(sprintf("constant feature(s) cannot enter a %s model: %s; drop them.",
                     method, format_offenders(const)), "evmirna_error_value", "x")
  }
  invisible(sds)
}

check_options_numbers <- function(o, names, lower = 0) {
  for (nm in names) check_number(o[[nm]], nm, lower = lower)
}

warn_separation <- function(method_msg) {
  ev_warn(paste0(method_msg, " This indicates complete or quasi-complete separation: ",
                 "the maximum-likelihood estimates do not exist. ",
                 "Use method = \"firth\" (or \"elastic_net\")."),
          "evmirna_warning_separation", "x")
}

separates <- function(link, y) {
  min(link[y == 1]) > max(link[y == 0]) || max(link[y == 1]) < min(link[y == 0])
}

with_intercept <- function(design) {
  cbind(`(Intercept)` = 1, design)
}

fit_logistic <- function(design, y, opts) {
  o <- method_options(opts, list(maxit = 25, epsilon = 1e-8, conf_level = 0.95),
                      "logistic")
  check_number(o$maxit, "maxit", lower = 1, integer = TRUE)
  check_number(o$epsilon, "epsilon", lower = 0)
  check_conf_level(o$conf_level)
  check_not_wide(design, "logistic", "method = \"elastic_net\" (or \"dlda\")")
  term_sd <- check_not_constant(design, "logistic")
  X <- with_intercept(design)
  res <- .Call(C_logistic_fit, X, y, rep(0, nrow(X)), as.integer(o$maxit), o$epsilon)
  if (res$singular) {
    ev_abort("the terms are collinear (X'WX is singular); drop redundant features or use method = \"elastic_net\".",
             "evmirna_error_value", "x")
  }
  if (res$boundary || separates(res$linear, y)) {
    warn_separation("Fitted probabilities numerically 0 or 1 occurred, or the linear predictor splits the classes perfectly.")
  } else if (!res$converged) {
    ev_warn(sprintf("IRLS did not converge in %d iterations (raise `maxit`); the estimates are unreliable.",
                    o$maxit), "evmirna_warning_convergence", "maxit")
  }
  beta <- stats::setNames(res$coefficients, colnames(X))
  vc <- res$cov
  dimnames(vc) <- list(colnames(X), colnames(X))
  list(coefficients = beta, intercept_link = beta[[1L]], vcov = vc,
       info = list(converged = res$converged, iter = res$iter,
                   deviance = res$deviance, separation = res$boundary),
       options = o, term_sd = term_sd)
}

fit_firth <- function(design, y, opts) {
  o <- method_options(opts, list(maxit = 25, maxhs = 0, maxstep = 5, lconv = 1e-5,
                                 gconv = 1e-5, xconv = 1e-5, flic = TRUE,
                                 conf_level = 0.95), "firth")
  check_number(o$maxit, "maxit", lower = 0, integer = TRUE)
  check_number(o$maxhs, "maxhs", lower = 0, integer = TRUE)
  check_options_numbers(o, c("maxstep", "lconv", "gconv", "xconv"))
  check_flag(o$flic, "flic")
  check_conf_level(o$conf_level)
  check_not_wide(design, "firth", "method = \"elastic_net\" (or \"dlda\")")
  term_sd <- check_not_constant(design, "firth")
  X <- with_intercept(design)
  n <- nrow(X)
  ctl <- c(o$maxit, o$maxhs, o$maxstep, o$lconv, o$gconv, o$xconv)
  res <- .Call(C_firth_fit, X, y, rep(0, n), as.double(ctl))
  if (res$singular) {
    ev_abort("the terms are collinear (the Fisher information is singular); drop redundant features.",
             "evmirna_error_value", "x")
  }
  if (res$boundary) {
    ev_abort("Firth fit reached fitted probabilities of 0 or 1; the terms may be collinear or badly scaled.",
             "evmirna_error_value", "x")
  }
  if (!res$converged) {
    ev_warn(sprintf("Firth fit did not converge in %d iterations (raise `maxit`); the estimates are unreliable.",
                    o$maxit), "evmirna_warning_convergence", "maxit")
  }
  beta <- stats::setNames(res$coefficients, colnames(X))
  vc <- res$cov
  dimnames(vc) <- list(colnames(X), colnames(X))
  intercept <- beta[[1L]]
  flic <- NA_real_
  if (o$flic) {
    # FLIC: keep the penalized slopes, re-estimate the intercept by ML with
    # the slopes' linear predictor as offset.
    offset <- drop(design %*% beta[-1L])
    ml <- .Call(C_logistic_fit, matrix(1, n, 1L), y, offset, 25L, 1e-8)
    flic <- ml$coefficients[1L]
    intercept <- flic
  }
  list(coefficients = beta, intercept_link = intercept, vcov = vc,
       info = list(converged = res$converged, iter = res$iter, loglik = res$loglik,
                   flic_intercept = flic),
       options = o, term_sd = term_sd)
}

fit_lda <- function(design, y, opts, diagonal) {
  method <- if (diagonal) "dlda" else "lda"
  o <- method_options(opts, list(prior = mean(y)), method)
  check_number(o$prior, "prior", lower = 0, upper = 1)
  if (o$prior <= 0 || o$prior >= 1) {
    ev_abort("`prior` must lie strictly between 0 and 1.", "evmirna_error_value", "prior")
  }
  if (min(sum(y), sum(1 - y)) < 2) {
    ev_abort("each class needs at least two samples for a pooled covariance.",
             "evmirna_error_one_class", "group")
  }
  if (!diagonal) check_not_wide(design, "lda", "method = \"dlda\" or \"elastic_net\"")
  term_sd <- check_not_constant(design, method)
  res <- .Call(C_lda_fit, design, y, diagonal, o$prior)
  if (res$singular) {
    ev_abort(sprintf("the pooled within-class covariance is singular; %s.",
                     if (diagonal) "a feature is constant within both classes"
                     else "drop collinear features or use method = \"dlda\""),
             "evmirna_error_value", "x")
  }
  beta <- stats::setNames(c(res$intercept, res$coefficients),
                          c("(Intercept)", colnames(design)))
  list(coefficients = beta, intercept_link = res$intercept, vcov = NULL,
       info = list(covariance = res$covariance), options = o, term_sd = term_sd)
}
