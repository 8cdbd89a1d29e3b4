# plot() for ev_roc: the curve, an optional bootstrap band, the cut-point.

#' Plot a ROC curve
#'
#' Draws sensitivity against specificity (specificity axis running from 1 to
#' 0, as pROC), optionally with a bootstrap confidence band of the
#' sensitivity over a grid of specificities ([ev_ci_coords()]) and the best
#' cut-point ([ev_coords()]).
#'
#' @param x An `ev_roc` object.
#' @param ci Draw the bootstrap band.
#' @param best Mark the best cut-point (Youden).
#' @param grid Specificities at which the band is computed.
#' @param n_boot,conf_level Bootstrap settings of the band.
#' @param add Add to an existing plot.
#' @param col,lwd Curve colour and width.
#' @param ... Passed to [graphics::plot()].
#' @return `x`, invisibly.
#' @examples
#' set.seed(7)
#' y <- rep(0:1, each = 40)
#' r <- ev_roc(y, rnorm(80, mean = y))
#' plot(r, ci = TRUE, n_boot = 200, best = TRUE)
#' @export
plot.ev_roc <- function(x, ci = FALSE, best = FALSE,
                        grid = seq(0, 1, by = 0.02), n_boot = 500,
                        conf_level = 0.95, add = FALSE, col = "black", lwd = 2,
                        ...) {
  validate_ev_roc(x, "x")
  check_flag(ci, "ci")
  check_flag(best, "best")
  check_flag(add, "add")
  if (!add) {
    graphics::plot(NA, xlim = c(1, 0), ylim = c(0, 1), xlab = "Specificity",
                   ylab = "Sensitivity", asp = 1, ...)
    graphics::abline(a = 1, b = -1, col = "grey70", lty = 2)
  }
  if (ci) {
    band <- ev_ci_coords(x, grid, input = "specificity", n_boot = n_boot,
                         conf_level = conf_level)
    graphics::polygon(c(band$x, rev(band$x)), c(band$lower, rev(band$upper)),
                      col = grDevices::adjustcolor(col, alpha.f = 0.2), border = NA)
  }
  graphics::lines(x$specificities, x$sensitivities, type = "s", col = col, lwd = lwd)
  if (best) {
    b <- ev_coords(x, "best")[1L, ]
    graphics::points(b$specificity, b$sensitivity, pch = 19, col = col)
    graphics::text(b$specificity, b$sensitivity,
                   sprintf("%s (%.2f, %.2f)", format(signif(b$threshold, 3)),
                           b$specificity, b$sensitivity), pos = 4, cex = 0.8)
  }
  invisible(x)
}
