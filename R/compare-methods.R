# print, summary, as.data.frame and plot methods for ev_compare.

compare_label <- c(
  nri_categorical = "NRI, categorical", nri_categorical_events = "  events",
  nri_categorical_nonevents = "  non-events", nri_continuous = "NRI, continuous",
  nri_continuous_events = "  events", nri_continuous_nonevents = "  non-events",
  idi = "IDI", brier_difference = "Brier score difference")

# One line naming the method and the terms of an ev_cv's final fit.
recipe_label <- function(cv) {
  terms <- cv$model$terms
  sprintf("%s, %d term%s in the fit on all samples (%s)", method_label(cv$method),
          length(terms), if (length(terms) == 1L) "" else "s", format_offenders(terms, 4L))
}

#' @export
print.ev_compare <- function(x, ...) {
  cat(sprintf("<ev_compare> full vs base model, %d-fold CV%s on the same folds\n",
              max(x$foldid), if (ncol(x$foldid) > 1L) sprintf(" x %d repeats", ncol(x$foldid)) else ""))
  for (m in c("base", "full")) cat(sprintf("  %s: %s\n", m, recipe_label(x[[m]])))
  cat(sprintf("  classes: %s (n = %d) vs %s (n = %d, modelled event)\n",
              x$levels[1L], x$n[[1L]], x$levels[2L], x$n[[2L]]))
  a <- x$auc
  pct <- 100 * x$conf_level
  cat(sprintf("  out-of-fold AUC: base %.3f, full %.3f; difference %+.3f (%g%% CI %+.3f to %+.3f, paired DeLong p = %.3g)\n",
              a$base, a$full, a$difference, pct, a$lower, a$upper, a$p_value))
  r <- x$reclassification
  for (m in c("nri_categorical", "nri_continuous", "idi")) {
    row <- r[r$measure == m, ]
    cat(sprintf("  %s %+.3f (%g%% bootstrap CI %+.3f to %+.3f)\n", compare_label[[m]],
                row$estimate, pct, row$lower, row$upper))
  }
  cat(sprintf("  Brier %.4f -> %.4f; calibration slope %.3f -> %.3f\n",
              x$calibration["base", "brier"], x$calibration["full", "brier"],
              x$calibration["base", "slope"], x$calibration["full", "slope"]))
  lr <- x$lr_test
  if (is.na(lr$statistic)) {
    cat(sprintf("  likelihood-ratio test: not computed (%s)\n", lr$note))
  } else {
    cat(sprintf("  likelihood-ratio test (apparent, in-sample): chi-square %.2f on %d df, p = %.3g\n",
                lr$statistic, lr$df, lr$p_value))
  }
  print_caveats(x$caveats)
  invisible(x)
}

#' @export
summary.ev_compare <- function(object, ...) {
  structure(list(auc = object$auc, reclassification = object$reclassification,
                 calibration = object$calibration, lr_test = object$lr_test,
                 cutoffs = object$cutoffs, n_boot = object$n_boot,
                 conf_level = object$conf_level,
                 decision = object$decision[order(-abs(object$decision$difference)), ][
                   seq_len(min(5L, nrow(object$decision))), ]),
            class = "summary_ev_compare")
}

#' @export
print.summary_ev_compare <- function(x, ...) {
  pct <- 100 * x$conf_level
  cat("Incremental value of the full model over the base model (out-of-fold predictions)\n\n")
  cat(sprintf("AUC: base %.4f, full %.4f, difference %+.4f (%g%% CI %+.4f to %+.4f), paired DeLong p = %.4g\n\n",
              x$auc$base, x$auc$full, x$auc$difference, pct, x$auc$lower, x$auc$upper,
              x$auc$p_value))
  cat(sprintf("Reclassification (categorical NRI at %s; %g%% percentile CIs from %d stratified bootstrap resamples of the predictions):\n",
              paste(format(x$cutoffs), collapse = ", "), pct, x$n_boot))
  r <- x$reclassification
  print(data.frame(measure = unname(compare_label[r$measure]), estimate = r$estimate,
                   lower = r$lower, upper = r$upper), row.names = FALSE, digits = 4)
  cat("\nCalibration (out-of-fold):\n")
  print(x$calibration, digits = 4)
  cat("\nLargest net-benefit differences (full - base):\n")
  print(x$decision, row.names = FALSE, digits = 4)
  lr <- x$lr_test
  cat("\nLikelihood-ratio test: ")
  if (is.na(lr$statistic)) cat(sprintf("not computed (%s)\n", lr$note)) else
    cat(sprintf("chi-square %.3f on %d df, p = %.4g\n  Note: %s\n", lr$statistic, lr$df,
                lr$p_value, lr$note))
  invisible(x)
}

#' As a data.frame: one row per measure
#'
#' @param x An `ev_compare`.
#' @param row.names,optional Ignored (for the generic).
#' @param what `"measures"` (one row per measure: `measure`, `base`, `full`,
#'   `difference`, `lower`, `upper`, `p_value`), `"predictions"` or
#'   `"decision"`.
#' @param ... Unused.
#' @return A data.frame.
#' @export
as.data.frame.ev_compare <- function(x, row.names = NULL, optional = FALSE,
                                     what = c("measures", "predictions", "decision"), ...) {
  what <- check_choice(what, c("measures", "predictions", "decision"), "what")
  if (what == "predictions") return(x$predictions)
  if (what == "decision") return(x$decision)
  r <- x$reclassification
  cal <- x$calibration
  lr <- x$lr_test
  na <- NA_real_
  data.frame(
    measure = c("auc", "brier", "calibration_slope", "calibration_intercept",
                r$measure[r$measure != "brier_difference"], "lr_test"),
    base = c(x$auc$base, cal["base", "brier"], cal["base", "slope"],
             cal["base", "intercept"], rep(na, nrow(r) - 1L), na),
    full = c(x$auc$full, cal["full", "brier"], cal["full", "slope"],
             cal["full", "intercept"], rep(na, nrow(r) - 1L), na),
    difference = c(x$auc$difference, r$estimate[r$measure == "brier_difference"],
                   cal["full", "slope"] - cal["base", "slope"],
                   cal["full", "intercept"] - cal["base", "intercept"],
                   r$estimate[r$measure != "brier_difference"], lr$statistic),
    lower = c(x$auc$lower, r$lower[r$measure == "brier_difference"], na, na,
              r$lower[r$measure != "brier_difference"], na),
    upper = c(x$auc$upper, r$upper[r$measure == "brier_difference"], na, na,
              r$upper[r$measure != "brier_difference"], na),
    p_value = c(x$auc$p_value, na, na, na, rep(na, nrow(r) - 1L), lr$p_value),
    stringsAsFactors = FALSE)
}

#' Plot an ev_compare
#'
#' @param x An `ev_compare`.
#' @param what `"decision"`: net benefit of both models, treat all and treat
#'   none; `"difference"`: net benefit of full minus base over the
#'   thresholds, with its bootstrap CI band; `"roc"`: both out-of-fold ROC curves.
#' @param main,xlab,ylab Titles.
#' @param ... Passed to [graphics::plot()].
#' @return `x`, invisibly.
#' @export
plot.ev_compare <- function(x, what = c("decision", "difference", "roc"), main = NULL,
                            xlab = NULL, ylab = NULL, ...) {
  what <- check_choice(what, c("decision", "difference", "roc"), "what")
  d <- x$decision
  if (what == "roc") {
    fpr <- function(r) 1 - r$specificities
    graphics::plot(fpr(x$base$roc), x$base$roc$sensitivities, type = "s", lty = 2,
                   xlim = c(0, 1), ylim = c(0, 1),
                   xlab = xlab %||% "1 - specificity", ylab = ylab %||% "Sensitivity",
                   main = main %||% "Out-of-fold ROC", ...)
    graphics::lines(fpr(x$full$roc), x$full$roc$sensitivities, type = "s", lwd = 2)
    graphics::abline(0, 1, col = "grey60", lty = 3)
    graphics::legend("bottomright", bty = "n", lty = c(2, 1), lwd = c(1, 2), cex = 0.85,
                     legend = sprintf(c("base (AUC %.3f)", "full (AUC %.3f)"),
                                      c(x$auc$base, x$auc$full)))
  } else if (what == "decision") {
    lim <- range(c(d$base, d$full, 0, max(d$treat_all)), finite = TRUE)
    graphics::plot(d$threshold, d$full, type = "l", lwd = 2, ylim = lim,
                   xlab = xlab %||% "Risk threshold", ylab = ylab %||% "Net benefit",
                   main = main %||% "Decision curves (out-of-fold)", ...)
    graphics::lines(d$threshold, d$base, lty = 2)
    graphics::lines(d$threshold, d$treat_all, lty = 3, col = "grey40")
    graphics::abline(h = 0, lty = 3)
    graphics::legend("topright", bty = "n", lty = c(1, 2, 3, 3), lwd = c(2, 1, 1, 1),
                     col = c("black", "black", "grey40", "black"), cex = 0.85,
                     legend = c("full", "base", "treat all", "treat none"))
  } else {
    ok <- is.finite(d$lower) & is.finite(d$upper)
    graphics::plot(d$threshold, d$difference, type = "n",
                   ylim = range(c(d$difference, d$lower[ok], d$upper[ok], 0), finite = TRUE),
                   xlab = xlab %||% "Risk threshold",
                   ylab = ylab %||% "Net benefit difference (full - base)",
                   main = main %||% "Added net benefit (out-of-fold)", ...)
    graphics::polygon(c(d$threshold[ok], rev(d$threshold[ok])), c(d$lower[ok], rev(d$upper[ok])),
                      col = "grey85", border = NA)
    graphics::lines(d$threshold, d$difference, lwd = 2)
    graphics::abline(h = 0, lty = 3)
    graphics::legend("bottomleft", bty = "n", cex = 0.85, lwd = c(2, 8),
                     col = c("black", "grey85"),
                     legend = c("full - base", sprintf("%g%% bootstrap CI", 100 * x$conf_level)))
  }
  invisible(x)
}

#' Tidy an ev_compare (broom conventions)
#'
#' One row per measure of the full model against the base model: `term`
#' (as `measure` of [as.data.frame.ev_compare()]), `estimate` (the
#' difference, full - base; the chi-square statistic for `"lr_test"`),
#' `conf.low`, `conf.high`, `p.value`.
#' @param x An `ev_compare`.
#' @param ... Unused.
#' @return A data.frame.
#' @method tidy ev_compare
#' @export
tidy.ev_compare <- function(x, ...) {
  m <- as.data.frame.ev_compare(x)
  data.frame(term = m$measure, estimate = m$difference, conf.low = m$lower,
             conf.high = m$upper, p.value = m$p_value, stringsAsFactors = FALSE)
}
