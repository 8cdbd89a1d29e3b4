# plot() for evset: the distribution of the values per sample (Cq, or
# log2(count + 1) for counts) coloured by group, and the missing cells per
# sample by reason, each with a legend.

#' Plot an evset
#'
#' Two panels: boxplots of each sample's values (Cq for qPCR, log2(count +
#' 1) for counts, the log2 values otherwise), coloured by group when the
#' samples have one, and a stacked bar per sample of its missing cells by
#' reason (non-detect, empty cell, ...). Spike-ins are left out of the
#' distributions.
#'
#' @param x An [evset].
#' @param group Sample column that colours the samples (`NULL`: "group" when
#'   present).
#' @param main Overall title.
#' @param xlab,ylab Axis labels of the two panels (recycled to length 2).
#' @param ... Passed to [graphics::boxplot()].
#' @return `x`, invisibly.
#' @export
#' @examples
#' set.seed(2)
#' cq <- matrix(rnorm(5 * 12, 28, 2), 5, 12,
#'              dimnames = list(paste0("hsa-miR-", 1:5), sprintf("S%02d", 1:12)))
#' cq[cq > 31] <- NA
#' plot(evset(cq, samples = data.frame(id = colnames(cq), group = rep(c("a", "b"), 6))))
plot.evset <- function(x, group = NULL, main = NULL, xlab = "sample", ylab = NULL, ...) {
  validate_evset(x, "x")
  if (!is.null(group)) check_string(group, "group")
  group <- group %||% if ("group" %in% names(x$samples)) "group"
  if (!is.null(group) && !group %in% names(x$samples)) {
    ev_abort(sprintf("`group`: no sample column \"%s\".", group), "evmirna_error_value", "group")
  }
  v <- x$values[x$features$role != "spike_in", , drop = FALSE]
  if (x$scale == "counts") v <- log2(v + 1)
  ylab <- rep_len(ylab %||% c(switch(x$scale, cq = "Cq (lower: more abundant)",
                                     counts = "log2(count + 1)", "log2 expression"),
                              "missing cells"), 2L)
  xlab <- rep_len(xlab, 2L)
  g <- if (is.null(group)) rep("all", ncol(v)) else as.character(x$samples[[group]])
  g[is.na(g)] <- "(none)"
  lev <- unique(g)
  col <- stats::setNames(roc_palette(length(lev) + 1L)[-1L], lev)
  old <- graphics::par(no.readonly = TRUE)
  on.exit(graphics::par(old))
  graphics::layout(matrix(1:2), heights = c(3, 2))
  graphics::par(mar = c(4, 4.5, 2.5, 1), oma = c(0, 0, if (is.null(main)) 0 else 2, 0))
  ok <- colSums(!is.na(v)) > 0
  vals <- lapply(seq_len(ncol(v)), function(j) if (ok[j]) v[, j] else NA_real_)
  yr <- range(v, finite = TRUE)
  if (!all(is.finite(yr))) yr <- c(0, 1)
  yr[2L] <- yr[2L] + 0.15 * diff(yr)
  graphics::boxplot(vals, col = col[g], border = "grey30", outline = FALSE, xaxt = "n",
                    ylim = yr, xlab = xlab[1L], ylab = ylab[1L], lty = 1,
                    main = "Values per sample", ...)
  axis_samples(colnames(v))
  if (!is.null(group)) {
    graphics::legend("topright", bty = "n", fill = col, legend = lev, cex = 0.8,
                     title = group, horiz = TRUE)
  }
  reason <- x$missing_reason
  reason[is.na(reason) & is.na(x$values)] <- "missing"
  reasons <- sort(unique(reason[!is.na(reason)]))
  if (length(reasons)) {
    counts <- vapply(reasons, function(r) colSums(reason == r, na.rm = TRUE),
                     numeric(ncol(reason)))
    counts <- matrix(counts, ncol = length(reasons))
    mcol <- c("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
    mcol <- rep_len(mcol, length(reasons))
    top <- max(rowSums(counts))
    graphics::barplot(t(counts), col = mcol, border = NA, space = 0, xlab = xlab[2L],
                      ylab = ylab[2L], ylim = c(0, top * 1.3 + 0.5), yaxt = "n",
                      main = sprintf("Missing cells (%d of %d)", sum(counts), length(reason)))
    at <- unique(round(pretty(c(0, top))))
    graphics::axis(2, at = at[at <= top], las = 1)
    graphics::legend("topright", bty = "n", fill = mcol, legend = reasons, cex = 0.8,
                     horiz = TRUE)
  } else {
    graphics::plot.new()
    graphics::title(main = "Missing cells: none")
  }
  if (!is.null(main)) graphics::mtext(main, outer = TRUE, font = 2, cex = 1.2)
  invisible(x)
}

# Sample names on the x axis when they fit, otherwise every n-th.
axis_samples <- function(ids) {
  n <- length(ids)
  at <- if (n <= 40L) seq_len(n) else unique(round(seq(1, n, length.out = 20)))
  graphics::axis(1, at = at, labels = ids[at], las = 2, cex.axis = 0.6)
}
