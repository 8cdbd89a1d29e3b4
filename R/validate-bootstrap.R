# ev_validate_bootstrap(): optimism-corrected bootstrap validation (Harrell)
# and the .632+ estimator (Efron & Tibshirani 1997), re-running the whole
# recipe (preprocess, screen, tuning, fit) on every bootstrap sample.

#' Bootstrap validation of a panel classifier (Harrell optimism and .632+)
#'
#' An alternative to [ev_cv()] that uses every sample for fitting. The
#' recipe (preprocessing, screening, elastic-net tuning by inner CV, fit; as
#' in [ev_cv()]) is fitted on all samples to get the **apparent**
#' performance, then re-run on `n_boot` bootstrap samples (`n` draws with
#' replacement, `sample.int(n, n, replace = TRUE)` for replicate 1, 2, ...
#' in turn, from R's RNG; their indices are returned).
#'
#' * **Harrell's optimism correction**: for each replicate, optimism =
#'   performance of the replicate's model on its bootstrap sample minus its
#'   performance on the original samples; the corrected estimate is the
#'   apparent performance minus the mean optimism. Given for the AUC, the
#'   Brier score and the calibration intercept and slope (apparent slope 1,
#'   intercept 0 for maximum-likelihood logistic regression; the corrected
#'   slope is the usual shrinkage factor).
#' * **.632+** (Efron & Tibshirani 1997), for the losses `1 - AUC` and the
#'   Brier score: with `err` the apparent loss, `Err1` the leave-one-out
#'   bootstrap loss and `gamma` the no-information loss,
#'   `R = (min(Err1, gamma) - err) / (gamma - err)` (0 unless `Err1 > err`
#'   and `gamma > err`), `w = 0.632 / (1 - 0.368 R)` and the estimate is
#'   `(1 - w) err + w min(Err1, gamma)`. For the Brier score, `Err1` averages
#'   each sample's squared error over the replicates that left it out, then
#'   over samples, and `gamma` is the mean of `(y_i - p_j)^2` over all pairs
#'   of apparent predictions; for the AUC, `Err1` is the mean over replicates
#'   of `1 - AUC` on the left-out samples (replicates whose left-out samples
#'   hold one class only are skipped) and `gamma = 0.5`. Reported as AUC
#'   (`1 -` loss) and Brier score.
#'
#' Bootstrap samples with fewer than two samples of a class are skipped (and
#' counted in `n_skipped`). Replicates run under per-replicate
#' L'Ecuyer-CMRG streams derived from R's RNG, through future.apply when a
#' plan is set (identical results to a serial run; see [ev_cv()]). With
#' `preprocess`, repeated samples of a bootstrap sample get suffixed IDs
#' ("S01", "S01#1").
#'
#' @inheritParams ev_cv
#' @param n_boot Number of bootstrap replicates.
#' @param stratified Stratify the inner folds used to tune the elastic-net
#'   penalty.
#' @return An object of class `ev_validation`: a list with `table` (one row
#'   per metric "auc", "brier", "intercept", "slope": `apparent`, `optimism`,
#'   `harrell` (apparent - optimism) and `p632plus` (`NA` for intercept and
#'   slope)), `replicates` (per replicate: the metrics on the bootstrap
#'   sample and on the original samples, and the out-of-bag AUC),
#'   `indices` (n x n_boot matrix of bootstrap sample positions), `n_boot`,
#'   `n_skipped`, `model` (the recipe fitted on all samples) and `method`.
#' @seealso [ev_cv()]
#' @references
#' Efron B, Tibshirani R (1997). Improvements on cross-validation: the .632+
#' bootstrap method. *Journal of the American Statistical Association*
#' 92(438), 548-560. \doi{10.1080/01621459.1997.10474007}
#'
#' Harrell FE, Lee KL, Mark DB (1996). Multivariable prognostic models:
#' issues in developing models, evaluating assumptions and adequacy, and
#' measuring and reducing errors. *Statistics in Medicine* 15(4), 361-387.
#' @export
#' @examples
#' set.seed(5)
#' x <- matrix(rnorm(60 * 3), 60, 3, dimnames = list(NULL, c("a", "b", "c")))
#' y <- rbinom(60, 1, plogis(x[, 1]))
#' v <- ev_validate_bootstrap(x, y, method = "logistic", n_boot = 50)
#' v
ev_validate_bootstrap <- function(x, group,
                                  method = c("logistic", "elastic_net", "firth", "lda", "dlda"),
                                  n_boot = 200, preprocess = NULL, screen = NULL,
                                  features = NULL, covariates = NULL, positive = NULL,
                                  lambda = NULL, inner_folds = 5,
                                  tune = c("deviance", "auc"), stratified = TRUE, ...,
                                  s = NULL) {
  method <- check_choice(method, fitter_names, "method")
  check_flag(stratified, "stratified")
  data <- cv_data(x, group, features, covariates, positive, preprocess)
  spec <- cv_spec(method, screen, lambda, inner_folds, tune, stratified, list(...), data, s)
  n <- length(data$y)
  # per replicate: its indices (integer), the out-of-bag squared errors and
  # two vectors of log-odds (double), a stream seed and list overhead
  check_resample_count(n_boot, "n_boot", n * (4 + 8 + 16) + 512)
  idx <- vapply(seq_len(n_boot), function(b) sample.int(n, n, replace = TRUE), integer(n))
  idx <- matrix(idx, nrow = n)
  seeds <- rng_streams(n_boot + 1L)
  tasks <- c(list(NULL), lapply(seq_len(n_boot), function(b) idx[, b]))
  out <- stream_lapply(tasks, function(boot) boot_task(boot, data, spec), seeds)
  new_ev_validation(out, idx, data, spec)
}

# One replicate: the recipe fitted on the bootstrap sample `boot` (NULL: on
# all samples), its log-odds on that sample and on the original samples.
boot_task <- function(boot, data, spec) {
  n <- length(data$y)
  all <- cv_take(data, seq_len(n))
  if (is.null(boot)) {
    trained <- cv_train(all, data, spec)
    return(list(model = trained$model, original = cv_predict(trained, all)))
  }
  yb <- data$y[boot]
  if (min(sum(yb), sum(1L - yb)) < 2L) return(NULL)
  sample_b <- cv_take(data, boot)
  trained <- cv_train(sample_b, data, spec)
  list(boot = cv_predict(trained, sample_b), original = cv_predict(trained, all))
}

# AUC, Brier score, calibration intercept and slope of log-odds `lp`.
performance <- function(y, lp) {
  cal <- calibration_stats(y, lp)
  c(auc = roc_auc_matrix(y, matrix(lp), "<")$auc, brier = cal$brier,
    intercept = cal$intercept, slope = cal$slope)
}

new_ev_validation <- function(out, idx, data, spec) {
  y <- data$y
  n <- length(y)
  apparent_fit <- out[[1L]]
  out <- out[-1L]
  ok <- !vapply(out, is.null, logical(1))
  apparent <- performance(y, apparent_fit$original)
  reps <- do.call(rbind, lapply(which(ok), function(b) {
    o <- out[[b]]
    oob <- setdiff(seq_len(n), idx[, b])
    yo <- y[oob]
    auc_oob <- if (length(oob) && min(sum(yo), sum(1L - yo)) >= 1L)
      roc_auc_matrix(yo, matrix(o$original[oob]), "<")$auc else NA_real_
    pb <- performance(y[idx[, b]], o$boot)
    po <- performance(y, o$original)
    c(replicate = b, stats::setNames(pb, paste0(names(pb), "_boot")),
      stats::setNames(po, paste0(names(po), "_orig")), auc_oob = auc_oob)
  }))
  metrics <- names(apparent)
  optimism <- vapply(metrics, function(m) {
    mean(reps[, paste0(m, "_boot")] - reps[, paste0(m, "_orig")])
  }, numeric(1))
  p632 <- c(auc = NA_real_, brier = NA_real_, intercept = NA_real_, slope = NA_real_)
  # .632+ on the losses 1 - AUC and the Brier score.
  auc_oob <- reps[, "auc_oob"]
  auc_oob <- auc_oob[!is.na(auc_oob)]
  if (length(auc_oob)) {
    p632[["auc"]] <- 1 - estimate_632plus(1 - apparent[["auc"]], mean(1 - auc_oob), 0.5)
  }
  sq <- matrix(NA_real_, n, length(out))
  for (b in which(ok)) {
    oob <- setdiff(seq_len(n), idx[, b])
    sq[oob, b] <- (stats::plogis(out[[b]]$original[oob]) - y[oob])^2
  }
  per_sample <- rowMeans(sq, na.rm = TRUE)
  per_sample <- per_sample[is.finite(per_sample)]
  if (length(per_sample)) {
    p_app <- stats::plogis(apparent_fit$original)
    gamma <- mean(y) * mean((1 - p_app)^2) + (1 - mean(y)) * mean(p_app^2)
    p632[["brier"]] <- estimate_632plus(apparent[["brier"]], mean(per_sample), gamma)
  }
  table <- data.frame(metric = metrics, apparent = unname(apparent),
                      optimism = unname(optimism),
                      harrell = unname(apparent - optimism),
                      p632plus = unname(p632), stringsAsFactors = FALSE)
  structure(list(table = table, replicates = as.data.frame(reps), indices = idx,
                 n_boot = ncol(idx), n_skipped = sum(!ok), model = apparent_fit$model,
                 method = spec$method, levels = levels(data$group)),
            class = c("ev_validate_bootstrap", "ev_validation"))
}

# Efron & Tibshirani's .632+ estimate of a loss.
estimate_632plus <- function(err, err1, gamma) {
  err1p <- min(err1, gamma)
  r <- if (err1 > err && gamma > err) (err1p - err) / (gamma - err) else 0
  w <- 0.632 / (1 - 0.368 * r)
  (1 - w) * err + w * err1p
}

#' @rdname ev_validate_bootstrap
#' @export
print.ev_validation <- function(x, ...) {
  cat(sprintf("<ev_validation> %s, %d bootstrap replicates%s\n", method_label(x$method),
              x$n_boot, if (x$n_skipped) sprintf(" (%d skipped: one class)", x$n_skipped) else ""))
  tab <- x$table
  tab[-1L] <- lapply(tab[-1L], round, digits = 4)
  print(tab, row.names = FALSE)
  invisible(x)
}

#' @rdname ev_validate_bootstrap
#' @param row.names,optional Unused (for the generic).
#' @export
as.data.frame.ev_validation <- function(x, row.names = NULL, optional = FALSE, ...) {
  x$table
}
