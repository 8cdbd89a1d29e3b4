# plot() for ev_cv: the out-of-fold ROC (AUC with CI in the legend), the
# calibration plot and the decision curve, each with a legend.

#' @rdname ev_cv-methods
#' @param main,xlab,ylab Title and axis labels, as in [graphics::plot()]
#'   (`NULL`: the defaults of each `what`).
#' @references
#' Vickers AJ, Elkin EB (2006). Decision curve analysis: a novel method for
#' evaluating prediction models. *Medical Decision Making* 26(6), 565-574.
#' \doi{10.1177/0272989X06295361}
#'
#' Cox DR (1958). Two further applications of a model for binary regression.
#' *Biometrika* 45(3-4), 562-565. \doi{10.1093/biomet/45.3-4.562}
#' @export
plot.ev_cv <- function(x, what = c("roc", "calibration", "decision"), n_boot = 500,
                       conf_level = 0.95, bins = 10, prevalence = x$prevalence,
                       main = NULL, xlab = NULL, ylab = NULL, ...) {
  what <- check_choice(what, c("roc", "calibration", "decision"), "what")
  if (what == "roc") {
    plot.ev_roc(x$roc, ci = TRUE, n_boot = n_boot, conf_level = conf_level,
                main = main %||% "Out-of-fold ROC", xlab = xlab %||% "Specificity",
                ylab = ylab %||% "Sensitivity", label = "out-of-fold", ...)
    return(invisible(x))
  }
  y <- as.integer(x$group) - 1L
  lp <- x$pooled$link
  if (what == "calibration") {
    check_number(bins, "bins", lower = 2, integer = TRUE)
    p <- x$pooled$prob
    bin <- cut(rank(p, ties.method = "first"), min(bins, length(p)), labels = FALSE)
    graphics::plot(NA, xlim = c(0, 1), ylim = c(0, 1), xlab = xlab %||% "Predicted risk",
                   ylab = ylab %||% "Observed event rate",
                   main = main %||% "Out-of-fold calibration", asp = 1, ...)
    graphics::abline(0, 1, col = "grey60", lty = 2)
    graphics::points(tapply(p, bin, mean), tapply(y, bin, mean), pch = 19)
    grid <- seq(0.005, 0.995, length.out = 199)
    cal <- x$calibration
    graphics::lines(grid, stats::plogis(cal$slope_intercept + cal$slope * stats::qlogis(grid)),
                    lwd = 2)
    graphics::legend("topleft", bty = "n", cex = 0.85, inset = 0.02,
                     lty = c(NA, 1, 2), lwd = c(NA, 2, 1), pch = c(19, NA, NA),
                     col = c("black", "black", "grey60"),
                     legend = c(sprintf("observed rate in %d groups of predicted risk",
                                        min(bins, length(p))),
                                sprintf("logistic recalibration: slope %.2f, intercept %.2f",
                                        cal$slope, cal$intercept),
                                "perfect calibration"))
    graphics::legend("bottomright", bty = "n", cex = 0.85, inset = 0.02,
                     legend = sprintf("Brier score %.3f", cal$brier))
    return(invisible(x))
  }
  check_prevalence(prevalence)
  d <- decision_curve(y, lp, x$thresholds, prevalence)
  lim <- range(c(d$net_benefit, 0, max(d$treat_all)), finite = TRUE)
  graphics::plot(d$threshold, d$net_benefit, type = "l", lwd = 2, ylim = lim,
                 xlab = xlab %||% "Risk threshold", ylab = ylab %||% "Net benefit",
                 main = main %||% if (is.null(prevalence)) "Decision curve" else
                   sprintf("Decision curve (prevalence %g)", prevalence), ...)
  graphics::lines(d$threshold, d$treat_all, lty = 2, col = "grey30")
  graphics::abline(h = 0, lty = 3)
  graphics::legend("topright", bty = "n", lty = c(1, 2, 3), lwd = c(2, 1, 1),
                   col = c("black", "grey30", "black"), cex = 0.85, inset = 0.02,
                   legend = c("model (out-of-fold predictions)", "treat all", "treat none"))
  invisible(x)
}
