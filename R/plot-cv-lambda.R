# plot() for ev_cv_lambda, as glmnet's plot.cv.glmnet: held-out deviance
# against log(lambda) with one-SE bars, the two chosen lambdas, and the
# number of non-zero terms along the top.

#' Plot the cross-validated penalty path
#'
#' The cross-validated binomial deviance (`cvm`) against log(lambda), with
#' bars of one standard error (`cvlo` to `cvup`), dashed lines at
#' `lambda_min` and `lambda_1se` and, along the top axis, the number of
#' non-zero terms at each lambda (as `glmnet::plot.cv.glmnet`).
#'
#' @param x An `ev_cv_lambda` from [ev_cv_lambda()].
#' @param sign.lambda Plot against `log(lambda)` (1) or `-log(lambda)` (-1).
#' @param main,xlab,ylab Title and axis labels, as in [graphics::plot()].
#' @param ... Passed to [graphics::plot()].
#' @return `x`, invisibly.
#' @references
#' Friedman J, Hastie T, Tibshirani R (2010). Regularization paths for
#' generalized linear models via coordinate descent. *Journal of
#' Statistical Software* 33(1), 1-22. \doi{10.18637/jss.v033.i01}
#' @export
#' @examples
#' set.seed(1)
#' x <- matrix(rnorm(100 * 10), 100, 10,
#'             dimnames = list(NULL, sprintf("miR-%d", 1:10)))
#' group <- factor(rbinom(100, 1, plogis(x[, 1] - x[, 2])))
#' plot(ev_cv_lambda(x, group, alpha = 0.5, folds = 5))
plot.ev_cv_lambda <- function(x, sign.lambda = 1, main = NULL,
                              xlab = if (sign.lambda < 0) "-log(lambda)" else "log(lambda)",
                              ylab = "Binomial deviance (held-out)", ...) {
  if (!isTRUE(sign.lambda %in% c(-1, 1))) {
    ev_abort("`sign.lambda` must be 1 or -1.", "evmirna_error_value", "sign.lambda")
  }
  ll <- sign.lambda * log(x$lambda)
  ok <- is.finite(x$cvm)
  ylim <- range(c(x$cvlo[ok], x$cvup[ok]))
  ylim[2L] <- ylim[2L] + 0.05 * diff(ylim)
  old <- graphics::par(mar = c(4.5, 4.5, if (is.null(main)) 3 else 4.5, 1))
  on.exit(graphics::par(old))
  graphics::plot(ll[ok], x$cvm[ok], type = "n", ylim = ylim, xlab = xlab, ylab = ylab, ...)
  graphics::segments(ll[ok], x$cvlo[ok], ll[ok], x$cvup[ok], col = "grey60")
  graphics::points(ll[ok], x$cvm[ok], pch = 20, col = "red")
  chosen <- sign.lambda * log(c(x$lambda_min, x$lambda_1se))
  graphics::abline(v = chosen, lty = c(2, 3))
  at <- unique(round(seq(1, length(ll), length.out = min(12L, length(ll)))))
  graphics::axis(3, at = ll[at], labels = x$nzero[at], tick = FALSE, line = -0.5,
                 cex.axis = 0.8)
  graphics::mtext("non-zero terms", side = 3, line = 1.3, cex = 0.8)
  if (!is.null(main)) graphics::title(main = main, line = 3)
  graphics::legend("topright", cex = 0.8, bg = "white", box.col = "grey80", inset = 0.02,
                   pch = c(20, NA, NA, NA), lty = c(NA, 1, 2, 3),
                   col = c("red", "grey60", "black", "black"),
                   legend = c("mean held-out deviance", "+/- 1 SE",
                              sprintf("lambda_min %.3g", x$lambda_min),
                              sprintf("lambda_1se %.3g", x$lambda_1se)))
  invisible(x)
}
