# print / summary / plot / as.data.frame for ev_cv.

#' Methods for cross-validation results
#'
#' @param x,object An `ev_cv` from [ev_cv()].
#' @param n_boot,conf_level For `what = "roc"`: bootstrap replicates and
#'   level of the band.
#' @param bins For `what = "calibration"`: number of groups of equal size.
#' @param prevalence For `what = "decision"`: population prevalence (see
#'   [ev_cv()]); defaults to the one given to `ev_cv()`.
#' @param what For `plot()`: "roc" (pooled out-of-fold ROC with a bootstrap
#'   confidence band of the sensitivity), "calibration" (observed event rate
#'   in groups of predicted risk, with the logistic recalibration curve) or
#'   "decision" (net benefit with the treat-all and treat-none references).
#'   For `as.data.frame()`: "predictions" (one row per sample and repeat),
#'   "pooled", "folds" (per-fold AUC and tuning), "stability" or "decision".
#' @param row.names,optional Unused (for the generic).
#' @param ... Passed to the plotting functions.
#' @return `print`/`plot`: `x`, invisibly. `summary`: a `summary_ev_cv` list
#'   (`auc` with CI, `auc_repeats`, `fold_auc` spread, `calibration`,
#'   `lambda` spread, `stability`). `as.data.frame`: a data.frame.
#' @name ev_cv-methods
#' @examples
#' set.seed(4)
#' x <- matrix(rnorm(80 * 3), 80, 3, dimnames = list(NULL, c("a", "b", "c")))
#' y <- rbinom(80, 1, plogis(x[, 1]))
#' cv <- ev_cv(x, y, n_folds = 4, n_repeats = 2)
#' summary(cv)
#' head(as.data.frame(cv, what = "folds"))
#' plot(cv, what = "roc", n_boot = 100)
#' plot(cv, what = "decision")
NULL

#' @rdname ev_cv-methods
#' @export
print.ev_cv <- function(x, ...) {
  cat(sprintf("<ev_cv> %s, %d-fold%s CV%s\n", method_label(x$method), x$folds,
              if (x$repeats > 1L) sprintf(" x %d repeats", x$repeats) else "",
              if (x$stratified) " (stratified)" else ""))
  cat(sprintf("  classes: %s (n = %d) vs %s (n = %d, modelled event)\n",
              x$levels[1L], x$n[[1L]], x$levels[2L], x$n[[2L]]))
  inside <- c(if (x$preprocessed) "preprocessing",
              if (!is.null(x$screen)) sprintf("screening (top %d)", x$screen$top),
              if (x$nested) sprintf("lambda tuning (inner CV, %s)", x$tune))
  if (length(inside)) cat(sprintf("  re-learned in each training fold: %s\n",
                                  paste(inside, collapse = ", ")))
  cat(sprintf("  out-of-fold AUC %.3f (%g%% DeLong CI %.3f-%.3f); apparent AUC %.3f\n",
              x$ci[["auc"]], 100 * attr(x$ci, "conf_level"), x$ci[["lower"]],
              x$ci[["upper"]], x$apparent_auc))
  fa <- x$fold_auc$auc[!is.na(x$fold_auc$auc)]
  if (length(fa)) {
    cat(sprintf("  per-fold AUC: median %.3f, range %.3f-%.3f\n",
                stats::median(fa), min(fa), max(fa)))
  } else {
    cat("  per-fold AUC: none (every test fold holds one class)\n")
  }
  cal <- x$calibration
  cat(sprintf("  calibration intercept %.3f, slope %.3f; Brier score %.4f\n",
              cal$intercept, cal$slope, cal$brier))
  print_caveats(x$caveats)
  invisible(x)
}

#' @rdname ev_cv-methods
#' @export
summary.ev_cv <- function(object, ...) {
  fa <- object$fold_auc$auc[!is.na(object$fold_auc$auc)]
  fa_spread <- if (length(fa)) c(mean = mean(fa), sd = stats::sd(fa), min = min(fa),
                                 max = max(fa)) else
    c(mean = NA_real_, sd = NA_real_, min = NA_real_, max = NA_real_)
  lam <- object$tuning$lambda
  structure(list(
    method = object$method, folds = object$folds, repeats = object$repeats,
    auc = object$ci, auc_repeats = object$auc_repeats,
    fold_auc = c(fa_spread, n_na = sum(is.na(object$fold_auc$auc))),
    calibration = unlist(object$calibration[c("intercept", "slope", "brier")]),
    apparent_auc = object$apparent_auc,
    lambda = if (all(is.na(lam))) NULL else stats::quantile(lam, c(0, 0.5, 1)),
    stability = object$stability
  ), class = "summary_ev_cv")
}

#' @export
print.summary_ev_cv <- function(x, ...) {
  cat(sprintf("Cross-validation of %s: %d folds x %d repeat(s)\n",
              method_label(x$method), x$folds, x$repeats))
  cat(sprintf("Pooled out-of-fold AUC: %.4f (%g%% CI %.4f-%.4f, DeLong)\n",
              x$auc[["auc"]], 100 * attr(x$auc, "conf_level"), x$auc[["lower"]],
              x$auc[["upper"]]))
  if (length(x$auc_repeats) > 1L) {
    cat(sprintf("AUC per repeat: mean %.4f, range %.4f-%.4f\n", mean(x$auc_repeats),
                min(x$auc_repeats), max(x$auc_repeats)))
  }
  cat(sprintf("Per-fold AUC: mean %.4f, SD %.4f, range %.4f-%.4f%s\n",
              x$fold_auc[["mean"]], x$fold_auc[["sd"]], x$fold_auc[["min"]],
              x$fold_auc[["max"]],
              if (x$fold_auc[["n_na"]] > 0) sprintf(" (%d one-class folds)", x$fold_auc[["n_na"]]) else ""))
  cat(sprintf("Apparent AUC (fit on all samples): %.4f\n", x$apparent_auc))
  cat(sprintf("Calibration intercept %.4f, slope %.4f; Brier score %.4f\n",
              x$calibration[["intercept"]], x$calibration[["slope"]],
              x$calibration[["brier"]]))
  if (!is.null(x$lambda)) {
    cat(sprintf("Chosen lambda: min %.4g, median %.4g, max %.4g\n", x$lambda[[1L]],
                x$lambda[[2L]], x$lambda[[3L]]))
  }
  if (nrow(x$stability)) {
    cat("Selection stability (share of fitted folds):\n")
    st <- utils::head(x$stability, 15L)
    st$proportion <- round(st$proportion, 3)
    st$mean_coef <- signif(st$mean_coef, 4)
    print(st, row.names = FALSE)
  }
  invisible(x)
}

#' @rdname ev_cv-methods
#' @export
as.data.frame.ev_cv <- function(x, row.names = NULL, optional = FALSE,
                                what = c("predictions", "pooled", "folds", "stability", "decision"),
                                ...) {
  what <- check_choice(what, c("predictions", "pooled", "folds", "stability", "decision"), "what")
  switch(what,
    predictions = x$predictions,
    pooled = x$pooled,
    folds = merge(x$fold_auc, x$tuning, by = c("rep_id", "fold"), sort = TRUE),
    stability = x$stability,
    decision = x$decision)
}
