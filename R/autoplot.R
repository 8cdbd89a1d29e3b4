# ggplot2 versions of the main plots. ggplot2 stays in Suggests: the methods
# are registered lazily (S3method(ggplot2::autoplot, ...) in NAMESPACE), so
# they exist once ggplot2 is loaded and cost nothing otherwise.

utils::globalVariables(".data")

#' ggplot2 plots of evmirna results
#'
#' `autoplot()` methods, available when ggplot2 is installed: a ROC curve
#' (or overlaid curves of a list) with the AUC and DeLong CI in the legend,
#' the out-of-fold ROC of an `ev_cv`, the screening volcano plot, the
#' standardized coefficients of a model with Wald intervals, and the
#' per-sample value distributions of an `evset`. Each returns a `ggplot`
#' object, so titles and labels change with `+ ggplot2::labs()`.
#'
#' @param object An `ev_roc`, `ev_roc_list`, `ev_cv`, `ev_screen`,
#'   `ev_model` or `evset`.
#' @param conf_level Level of the AUC CI in the legend.
#' @param alpha For `ev_screen`: cut on the Benjamini-Hochberg adjusted
#'   Wilcoxon p-value.
#' @param ... Unused.
#' @return A `ggplot` object.
#' @name autoplot-evmirna
#' @examplesIf requireNamespace("ggplot2", quietly = TRUE)
#' set.seed(7)
#' y <- rep(0:1, each = 40)
#' r <- ev_roc(y, rnorm(80, mean = y))
#' ggplot2::autoplot(r)
NULL

need_ggplot2 <- function() require_package("ggplot2", "draw autoplot() figures")

roc_frame <- function(rocs, conf_level) {
  labels <- vapply(seq_along(rocs), function(i)
    roc_auc_label(rocs[[i]], conf_level, names(rocs)[i]), "")
  do.call(rbind, lapply(seq_along(rocs), function(i) {
    data.frame(specificity = rocs[[i]]$specificities,
               sensitivity = rocs[[i]]$sensitivities,
               curve = factor(labels[i], levels = labels))
  }))
}

autoplot_rocs <- function(rocs, conf_level) {
  need_ggplot2()
  d <- roc_frame(rocs, conf_level)
  ggplot2::ggplot(d, ggplot2::aes(.data$specificity, .data$sensitivity, colour = .data$curve)) +
    ggplot2::annotate("segment", x = 1, xend = 0, y = 0, yend = 1, linetype = 2,
                      colour = "grey60") +
    ggplot2::geom_path(linewidth = 0.9) +
    ggplot2::scale_x_reverse(limits = c(1, 0)) +
    ggplot2::scale_colour_manual(values = roc_palette(length(rocs)), name = NULL) +
    ggplot2::coord_equal() +
    ggplot2::labs(x = "Specificity", y = "Sensitivity",
                  caption = "dashed: chance (AUC 0.5); AUC with DeLong CI") +
    ggplot2::theme_bw() +
    ggplot2::theme(legend.position = "bottom", legend.direction = "vertical")
}

#' @rdname autoplot-evmirna
#' @exportS3Method ggplot2::autoplot
autoplot.ev_roc <- function(object, conf_level = 0.95, ...) {
  autoplot_rocs(list(object), conf_level)
}

#' @rdname autoplot-evmirna
#' @exportS3Method ggplot2::autoplot
autoplot.ev_roc_list <- function(object, conf_level = 0.95, ...) {
  if (is.null(names(object))) names(object) <- sprintf("curve %d", seq_along(object))
  autoplot_rocs(unclass(object), conf_level)
}

#' @rdname autoplot-evmirna
#' @exportS3Method ggplot2::autoplot
autoplot.ev_cv <- function(object, conf_level = 0.95, ...) {
  autoplot_rocs(list("out-of-fold" = object$roc), conf_level) +
    ggplot2::labs(title = "Out-of-fold ROC")
}

#' @rdname autoplot-evmirna
#' @exportS3Method ggplot2::autoplot
autoplot.ev_screen <- function(object, alpha = 0.05, ...) {
  need_ggplot2()
  check_number(alpha, "alpha", lower = 0, upper = 1)
  d <- data.frame(log2_fc = object$log2_fc, p = -log10(object$p_wilcoxon),
                  hit = ifelse(!is.na(object$p_wilcoxon_bh) & object$p_wilcoxon_bh < alpha,
                               sprintf("BH-adjusted p < %g", alpha), "not significant"))
  ggplot2::ggplot(d, ggplot2::aes(.data$log2_fc, .data$p, colour = .data$hit)) +
    ggplot2::geom_vline(xintercept = 0, linetype = 3, colour = "grey60") +
    ggplot2::geom_point() +
    ggplot2::scale_colour_manual(values = c("firebrick", "grey50"),
                                 breaks = c(sprintf("BH-adjusted p < %g", alpha),
                                            "not significant"), name = NULL) +
    ggplot2::labs(x = "log2 fold change (case - control)", y = "-log10 p (Wilcoxon)") +
    ggplot2::theme_bw() + ggplot2::theme(legend.position = "bottom")
}

#' @rdname autoplot-evmirna
#' @exportS3Method ggplot2::autoplot
autoplot.ev_model <- function(object, ...) {
  need_ggplot2()
  if (is.null(object$standardized)) {
    ev_abort("no coefficients to plot: choose a `lambda` when fitting.",
             "evmirna_error_value", "object")
  }
  std <- object$standardized
  d <- data.frame(term = factor(names(std), levels = names(std)[order(std)]), estimate = std)
  p <- ggplot2::ggplot(d, ggplot2::aes(.data$estimate, .data$term)) +
    ggplot2::geom_vline(xintercept = 0, linetype = 2, colour = "grey60")
  if (!is.null(object$table$std_error)) {
    q <- stats::qnorm(1 - (1 - (object$options$conf_level %||% 0.95)) / 2)
    se <- object$table$std_error[-1L] * object$term_sd
    d$lower <- std - q * se
    d$upper <- std + q * se
    p <- p + ggplot2::geom_errorbarh(data = d, ggplot2::aes(xmin = .data$lower,
                                                           xmax = .data$upper), height = 0.2)
  }
  p + ggplot2::geom_point(size = 2) +
    ggplot2::labs(x = "standardized coefficient (log-odds per SD)", y = NULL,
                  title = method_label(object$method),
                  caption = "points: estimates; bars: Wald intervals; dashed: no effect") +
    ggplot2::theme_bw()
}

#' @rdname autoplot-evmirna
#' @exportS3Method ggplot2::autoplot
autoplot.evset <- function(object, ...) {
  need_ggplot2()
  v <- object$values[object$features$role != "spike_in", , drop = FALSE]
  if (object$scale == "counts") v <- log2(v + 1)
  g <- if ("group" %in% names(object$samples)) as.character(object$samples$group) else
    rep("all", ncol(v))
  d <- data.frame(sample = factor(rep(colnames(v), each = nrow(v)), levels = colnames(v)),
                  value = as.vector(v), group = rep(g, each = nrow(v)))
  d <- d[!is.na(d$value), , drop = FALSE]
  ggplot2::ggplot(d, ggplot2::aes(.data$sample, .data$value, fill = .data$group)) +
    ggplot2::geom_boxplot(outlier.shape = NA, linewidth = 0.2) +
    ggplot2::scale_fill_manual(values = roc_palette(length(unique(g)) + 1L)[-1L]) +
    ggplot2::labs(x = "sample", y = switch(object$scale, cq = "Cq", counts = "log2(count + 1)",
                                          "log2 expression"), fill = "group") +
    ggplot2::theme_bw() +
    ggplot2::theme(axis.text.x = ggplot2::element_blank(), legend.position = "bottom")
}
