# plot() for ev_qc: hemolysis dCq per sample with its thresholds, and the
# detection rate against the global-mean Cq, each with a legend.

#' Plot a QC result
#'
#' Two panels: the hemolysis \eqn{\Delta Cq} (miR-23a-3p - miR-451a) per
#' sample with the risk and hemolysed thresholds, and the detection rate
#' against the global-mean Cq. Samples passing every check are grey, the
#' excluded ones red; the legends say so.
#'
#' @param x An `ev_qc` result.
#' @param main Overall title (`NULL`: none).
#' @param xlab,ylab Axis labels of the two panels (recycled to length 2).
#' @param ... Passed to [graphics::plot()].
#' @return `x`, invisibly.
#' @references
#' Blondal T, Jensby Nielsen S, Baker A, Andreasen D, Mouritzen P, Wrang
#' Teilum M, Dahlsveen IK (2013). Assessing sample and miRNA profile quality
#' in serum and plasma or other biofluids. *Methods* 59(1), S1-S6.
#' \doi{10.1016/j.ymeth.2012.09.015}
#' @export
#' @examples
#' cq <- matrix(c(22, 29, 25, 20, 29.5, 25.5, 21, 27, 24), 3,
#'              dimnames = list(c("hsa-miR-451a", "hsa-miR-23a-3p",
#'                                "hsa-miR-21-5p"), c("S1", "S2", "S3")))
#' plot(ev_qc(evset(cq)))
plot.ev_qc <- function(x, main = NULL,
                       xlab = c("sample (in input order)", "global-mean Cq"),
                       ylab = c("dCq (miR-23a-3p - miR-451a)", "detection rate"), ...) {
  th <- attr(x, "thresholds")
  xlab <- rep_len(xlab, 2L)
  ylab <- rep_len(ylab, 2L)
  old <- graphics::par(mfrow = c(1L, 2L), oma = c(0, 0, if (is.null(main)) 0 else 2, 0))
  on.exit(graphics::par(old))
  col <- ifelse(x$pass, "grey40", "red")
  status <- c("passed QC", "excluded")
  if (any(!is.na(x$hemolysis_dcq))) {
    dcq <- x$hemolysis_dcq
    ylim <- range(c(dcq, th$hemolysis_risk, th$hemolysis_cutoff), finite = TRUE)
    ylim[2L] <- ylim[2L] + 0.25 * diff(ylim)   # room for the legend
    graphics::plot(seq_len(nrow(x)), dcq, pch = 19, cex = 0.7, col = col, ylim = ylim,
                   xlab = xlab[1L], ylab = ylab[1L], main = "Hemolysis", ...)
    graphics::abline(h = c(th$hemolysis_risk, th$hemolysis_cutoff),
                     lty = c(2L, 1L), col = c("darkorange", "red"))
    graphics::legend("topleft", bty = "n", cex = 0.7, ncol = 2L,
                     pch = c(19, 19, NA, NA), lty = c(NA, NA, 2, 1),
                     col = c("grey40", "red", "darkorange", "red"),
                     legend = c(status, sprintf("risk > %s", format(th$hemolysis_risk)),
                                sprintf("hemolysed > %s", format(th$hemolysis_cutoff))))
  } else {
    graphics::plot.new()
    graphics::title(main = "Hemolysis: miR-23a-3p / miR-451a not measured")
  }
  rate <- x$detection_rate
  ylim <- range(rate, finite = TRUE)
  ylim[2L] <- ylim[2L] + 0.2 * max(diff(ylim), 0.05)
  graphics::plot(x$global_mean_cq, rate, pch = 19, cex = 0.7, col = col, ylim = ylim,
                 xlab = xlab[2L], ylab = ylab[2L],
                 main = sprintf("Detection (Cq <= %s)", format(th$detection_cq)), ...)
  graphics::legend("topleft", bty = "n", cex = 0.75, pch = 19, col = c("grey40", "red"),
                   legend = status)
  if (!is.null(main)) graphics::mtext(main, outer = TRUE, font = 2, cex = 1.2)
  invisible(x)
}
