# plot() for ev_model: standardized coefficients with Wald intervals (axis
# wide enough for the whiskers), or the elastic-net path with a legend.

#' @rdname predict.ev_model
#' @param what For `plot()`: "coefficients" (standardized coefficients, with
#'   Wald intervals where available) or, for elastic net, "path".
#' @param main,xlab,ylab For `plot()`: title and axis labels, as in
#'   [graphics::plot()] (`NULL`: the defaults).
#' @export
plot.ev_model <- function(x, what = NULL, main = NULL, xlab = NULL, ylab = NULL, ...) {
  validate_ev_model(x, "x")
  what <- what %||% if (x$method == "elastic_net") "path" else "coefficients"
  what <- check_choice(what, c("coefficients", "path"), "what")
  if (what == "path") {
    if (x$method != "elastic_net") {
      ev_abort("a path plot needs an elastic-net model.", "evmirna_error_value", "what")
    }
    beta <- x$path$beta
    k <- nrow(beta)
    col <- roc_palette(k)
    graphics::matplot(log(x$path$lambda), t(beta), type = "l", lty = 1, col = col,
                      xlab = xlab %||% "log(lambda)", ylab = ylab %||% "coefficient",
                      main = main %||% "Elastic-net path", ...)
    graphics::abline(h = 0, col = "grey")
    if (!is.null(x$lambda)) graphics::abline(v = log(x$lambda), lty = 2)
    show <- seq_len(min(k, 8L))
    graphics::legend("topright", bty = "n", cex = 0.7, lty = c(rep(1, length(show)),
                                                               if (!is.null(x$lambda)) 2),
                     col = c(col[show], if (!is.null(x$lambda)) "black"),
                     legend = c(rownames(beta)[show],
                                if (!is.null(x$lambda)) "chosen lambda"))
    return(invisible(x))
  }
  if (is.null(x$standardized)) {
    ev_abort("no coefficients to plot: choose a `lambda` when fitting.",
             "evmirna_error_value", "x")
  }
  std <- x$standardized
  ord <- order(std)
  conf_level <- x$options$conf_level %||% 0.95
  lo <- hi <- NULL
  if (!is.null(x$table$std_error)) {
    se <- x$table$std_error[-1L] * x$term_sd
    q <- stats::qnorm(1 - (1 - conf_level) / 2)
    lo <- std - q * se
    hi <- std + q * se
  }
  xlim <- range(c(std, lo, hi, 0), finite = TRUE)
  xlim <- xlim + c(-0.04, 0.04) * diff(xlim)
  graphics::dotchart(std[ord], labels = names(std)[ord], xlim = xlim, pch = 19,
                     xlab = xlab %||% "standardized coefficient (log-odds per SD)",
                     ylab = ylab %||% "", main = main %||% method_label(x$method), ...)
  graphics::abline(v = 0, col = "grey60", lty = 2)
  if (!is.null(lo)) {
    graphics::segments(lo[ord], seq_along(ord), hi[ord], seq_along(ord), lwd = 1.5)
  }
  graphics::legend("bottomright", bty = "n", cex = 0.8, inset = 0.01,
                   pch = c(19, if (!is.null(lo)) NA, NA), lty = c(NA, if (!is.null(lo)) 1, 2),
                   col = c("black", if (!is.null(lo)) "black", "grey60"),
                   legend = c("estimate", if (!is.null(lo)) sprintf("%g%% Wald interval", 100 * conf_level),
                              "no effect"))
  invisible(x)
}
