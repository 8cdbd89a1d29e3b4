# plot() for ev_roc and lists of them: the curve, an optional bootstrap band,
# the cut-point, and a legend with the AUC and its DeLong CI.

#' Plot ROC curves
#'
#' Draws sensitivity against specificity (specificity axis running from 1 to
#' 0, as pROC), optionally with a bootstrap confidence band of the
#' sensitivity over a grid of specificities ([ev_ci_coords()]) and the best
#' cut-point ([ev_coords()]). The legend gives the AUC with its DeLong CI
#' ([ev_ci_auc()]). A list of `ev_roc` objects (a plain named list or an
#' `ev_roc_list`) is drawn as overlaid curves, one colour each, with their
#' AUCs in the legend.
#'
#' @param x An `ev_roc` object; for `plot.ev_roc_list()` and `plot.list()`,
#'   a list of them (names label the curves).
#' @param ci Draw the bootstrap band.
#' @param best Mark the best cut-point (Youden).
#' @param grid Specificities at which the band is computed.
#' @param n_boot,conf_level Bootstrap settings of the band; `conf_level` is
#'   also the level of the AUC CI in the legend.
#' @param add Add to an existing plot.
#' @param col,lwd Curve colour(s) and width.
#' @param main,xlab,ylab Title and axis labels, as in [graphics::plot()].
#' @param legend Where to put the legend (a keyword of
#'   [graphics::legend()]), or `FALSE` for none.
#' @param label Name of the curve in the legend.
#' @param ... Passed to [graphics::plot()].
#' @return `x`, invisibly.
#' @references
#' DeLong ER, DeLong DM, Clarke-Pearson DL (1988). Comparing the areas under
#' two or more correlated receiver operating characteristic curves: a
#' nonparametric approach. *Biometrics* 44(3), 837-845.
#' \doi{10.2307/2531595}
#'
#' Youden WJ (1950). Index for rating diagnostic tests. *Cancer* 3(1),
#' 32-35.
#' @examples
#' set.seed(7)
#' y <- rep(0:1, each = 40)
#' r <- ev_roc(y, rnorm(80, mean = y))
#' plot(r, ci = TRUE, n_boot = 200, best = TRUE)
#' plot(list(strong = r, weak = ev_roc(y, rnorm(80, mean = y / 3))))
#' @export
plot.ev_roc <- function(x, ci = FALSE, best = FALSE,
                        grid = seq(0, 1, by = 0.02), n_boot = 500,
                        conf_level = 0.95, add = FALSE, col = "black", lwd = 2,
                        main = NULL, xlab = "Specificity", ylab = "Sensitivity",
                        legend = "bottomright", label = NULL, ...) {
  validate_ev_roc(x, "x")
  check_flag(ci, "ci")
  check_flag(best, "best")
  check_flag(add, "add")
  if (!add) roc_axes(main, xlab, ylab, ...)
  if (ci) {
    band <- ev_ci_coords(x, grid, input = "specificity", n_boot = n_boot,
                         conf_level = conf_level)
    graphics::polygon(c(band$x, rev(band$x)), c(band$lower, rev(band$upper)),
                      col = grDevices::adjustcolor(col, alpha.f = 0.2), border = NA)
  }
  graphics::lines(x$specificities, x$sensitivities, type = "s", col = col, lwd = lwd)
  b <- NULL
  if (best) {
    b <- ev_coords(x, "best")[1L, ]
    graphics::points(b$specificity, b$sensitivity, pch = 19, col = col)
    graphics::text(b$specificity, b$sensitivity,
                   sprintf("%s (%.2f, %.2f)", format(signif(b$threshold, 3)),
                           b$specificity, b$sensitivity), pos = 4, cex = 0.8, xpd = NA)
  }
  if (!isFALSE(legend)) {
    items <- c(roc_auc_label(x, conf_level, label), "chance (AUC 0.5)",
               if (ci) sprintf("%g%% bootstrap band of sensitivity", 100 * conf_level),
               if (best) "Youden cut-point: threshold (spec., sens.)")
    graphics::legend(legend, legend = items, bty = "n", cex = 0.85, inset = 0.02,
                     col = c(col, "grey60", if (ci) grDevices::adjustcolor(col, alpha.f = 0.3),
                             if (best) col),
                     lty = c(1, 2, if (ci) NA, if (best) NA),
                     lwd = c(lwd, 1, if (ci) NA, if (best) NA),
                     pch = c(NA, NA, if (ci) 15, if (best) 19),
                     pt.cex = c(NA, NA, if (ci) 2, if (best) 1))
  }
  invisible(x)
}

#' @rdname plot.ev_roc
#' @export
plot.ev_roc_list <- function(x, col = NULL, lwd = 2, main = NULL, xlab = "Specificity",
                             ylab = "Sensitivity", legend = "bottomright",
                             conf_level = 0.95, ...) {
  if (!length(x) || !all(vapply(x, inherits, logical(1), "ev_roc"))) {
    ev_abort("`x` must be a non-empty list of ev_roc objects.", "evmirna_error_type", "x")
  }
  for (i in seq_along(x)) validate_ev_roc(x[[i]], sprintf("x[[%d]]", i))
  k <- length(x)
  labels <- names(x)
  if (is.null(labels)) labels <- sprintf("curve %d", seq_len(k))
  labels[!nzchar(labels)] <- sprintf("curve %d", which(!nzchar(labels)))
  col <- col %||% roc_palette(k)
  col <- rep_len(col, k)
  roc_axes(main, xlab, ylab, ...)
  for (i in seq_len(k)) {
    graphics::lines(x[[i]]$specificities, x[[i]]$sensitivities, type = "s",
                    col = col[i], lwd = lwd)
  }
  if (!isFALSE(legend)) {
    items <- vapply(seq_len(k), function(i) roc_auc_label(x[[i]], conf_level, labels[i]), "")
    graphics::legend(legend, legend = c(items, "chance (AUC 0.5)"), bty = "n", cex = 0.85,
                     inset = 0.02, col = c(col, "grey60"), lty = c(rep(1, k), 2),
                     lwd = c(rep(lwd, k), 1))
  }
  invisible(x)
}

#' @rdname plot.ev_roc
#' @export
plot.list <- function(x, ...) {
  if (length(x) && all(vapply(x, inherits, logical(1), "ev_roc"))) {
    return(plot.ev_roc_list(x, ...))
  }
  graphics::plot.default(x, ...)
}

roc_axes <- function(main, xlab, ylab, ...) {
  graphics::plot(NA, xlim = c(1, 0), ylim = c(0, 1), xlab = xlab, ylab = ylab,
                 main = main, asp = 1, ...)
  graphics::abline(a = 1, b = -1, col = "grey60", lty = 2)
}

# "label: AUC 0.842 (95% CI 0.785-0.900)"
roc_auc_label <- function(x, conf_level, label = NULL) {
  ci <- ev_ci_auc(x, conf_level = conf_level)
  txt <- sprintf("AUC %s", format_ci(ci[["auc"]], ci[["lower"]], ci[["upper"]], conf_level))
  if (is.null(label)) txt else paste0(label, ": ", txt)
}

# Colour-blind-safe (Okabe-Ito) colours, recycled.
roc_palette <- function(k) {
  rep_len(c("#000000", "#E69F00", "#0072B2", "#009E73", "#D55E00", "#CC79A7",
            "#56B4E9", "#F0E442"), k)
}
