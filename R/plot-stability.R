# plot() for ev_stability: geNorm M by exclusion step and pairwise
# variation, NormFinder stability or BestKeeper SD, with room under the
# bars for long miRNA names and a legend for the cutoff lines.

#' Plot reference stability
#'
#' geNorm: mean M at each exclusion step, and the pairwise variations
#' \eqn{V_{n/n+1}} as bars with the cutoff line. NormFinder: stability
#' values. BestKeeper: SD per candidate with the 1-cycle line. The most
#' stable candidates come first.
#'
#' @param x An `ev_stability` result.
#' @param main,xlab,ylab Title and axis labels (`NULL`: the defaults; for
#'   geNorm's two panels, recycled to length 2).
#' @param ... Passed to the plotting functions.
#' @return `x`, invisibly.
#' @export
#' @examples
#' set.seed(4)
#' cq <- matrix(rnorm(40, 25), 4,
#'              dimnames = list(paste0("hsa-miR-", 1:4), paste0("S", 1:10)))
#' plot(ev_reference_stability(evset(cq), rownames(cq), "normfinder"))
plot.ev_stability <- function(x, main = NULL, xlab = NULL, ylab = NULL, ...) {
  if (x$method == "genorm") {
    main <- rep_len(main %||% c("geNorm: M by exclusion step", "Pairwise variation"), 2L)
    xlab <- rep_len(xlab %||% c("candidates remaining", ""), 2L)
    ylab <- rep_len(ylab %||% c("mean M", "V (n / n+1)"), 2L)
    old <- graphics::par(mfrow = c(1L, 2L), mar = c(bar_label_margin(names(x$v)), 4, 3, 1))
    on.exit(graphics::par(old))
    k <- nrow(x$table)
    remaining <- rev(seq_along(x$mean_m) + 1L)
    graphics::plot(remaining, x$mean_m, type = "b", pch = 19, xlim = rev(range(remaining)),
                   xlab = xlab[1L], ylab = ylab[1L], main = main[1L], ...)
    graphics::legend("bottomleft", bty = "n", cex = 0.8, pch = 19, lty = 1,
                     legend = c("mean M of the remaining", "candidates (lower: more stable)"),
                     col = c("black", NA))
    if (length(x$v)) {
      graphics::barplot(x$v, names.arg = names(x$v), ylab = ylab[2L], xlab = xlab[2L],
                        main = main[2L], las = 2, col = "grey75",
                        ylim = c(0, max(x$v, x$v_cutoff, na.rm = TRUE) * 1.25), ...)
      graphics::abline(h = x$v_cutoff, lty = 2, col = "red")
      graphics::legend("topright", bty = "n", cex = 0.8, lty = 2, col = "red",
                       legend = sprintf("cutoff V = %g: enough references below it",
                                        x$v_cutoff))
    }
  } else {
    is_nf <- x$method == "normfinder"
    value <- if (is_nf) x$table$stability else x$table$sd
    old <- graphics::par(mar = c(bar_label_margin(x$table$candidate), 4, 3, 1))
    on.exit(graphics::par(old))
    graphics::barplot(value, names.arg = x$table$candidate, las = 2, col = "grey75",
                      ylab = ylab %||% if (is_nf) "stability value" else "SD (cycles)",
                      xlab = xlab %||% "", ylim = c(0, max(value, 1, na.rm = TRUE) * 1.15),
                      main = main %||% if (is_nf) "NormFinder (lower: more stable)" else
                        "BestKeeper (lower: more stable)", ...)
    if (!is_nf) {
      graphics::abline(h = 1, lty = 2, col = "red")
      graphics::legend("topleft", bty = "n", cex = 0.8, lty = 2, col = "red",
                       legend = "SD = 1 cycle: candidates above it are unstable")
    }
  }
  invisible(x)
}

# Bottom margin, in lines, that fits rotated bar labels (las = 2).
bar_label_margin <- function(labels) {
  if (!length(labels)) return(4)
  max(4, 1.5 + max(nchar(labels)) * 0.55)
}
