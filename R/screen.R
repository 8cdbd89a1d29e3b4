# ev_screen(): single-marker screening in one C pass over the matrix.

#' Screen single miRNAs for group separation
#'
#' For every feature, in one pass of compiled code: the number of samples
#' with a value (detected) per group, the mean and median log2 expression per
#' group, the log2 fold change (case mean minus control mean), the AUC at a
#' fixed direction with its DeLong confidence interval (as
#' `pROC::ci.auc(pROC::roc(..., direction = direction), method = "delong")`),
#' the two-sided Wilcoxon rank-sum p-value exactly as [stats::wilcox.test()]
#' gives it (exact below 50 values per group without ties, normal
#' approximation with tie and continuity correction otherwise), Welch's
#' t-test p-value as [stats::t.test()], and the Benjamini-Hochberg and
#' Bonferroni adjustments of both over the screened features. Missing values
#' are left out feature by feature.
#'
#' Values are taken as log2 expression. For an evset on the Cq scale the
#' expression is `-Cq` (a lower Cq means more template), so fold changes and
#' AUCs point the same way as on the other scales; raw counts must be
#' normalized and log-transformed first ([ev_normalize()]).
#'
#' @param x An [evset] (log2 or Cq scale) or a numeric matrix with samples in
#'   rows and features in columns.
#' @param group The two groups: a vector with one entry per sample, or the
#'   name of a column of the evset's samples. An ordered factor with more
#'   than two classes (e.g. from [ev_cut_tscore()]) gives the ordered
#'   screen described below.
#' @param features Feature IDs to screen; by default the evset's target
#'   features, or all columns of a matrix.
#' @param positive The level of `group` that is the case (larger AUC when
#'   expression is higher in it); by default the second level.
#' @param direction `"<"` (the default: the AUC is the chance that a case has
#'   the higher expression) or `">"`; the same for every feature, so an AUC
#'   below 0.5 means lower expression in cases.
#' @param conf_level Confidence level of the DeLong interval.
#' @param annotate If `TRUE`, add the curated bone-remodeling EV findings
#'   ([ev_annotate()]) as a column `curated`.
#' @return An `ev_screen` data.frame with one row per feature: `feature`,
#'   `n_control`, `n_case`, `mean_control`, `mean_case`, `median_control`,
#'   `median_case`, `log2_fc`, `auc`, `auc_lower`, `auc_upper`, `w`
#'   (wilcox.test's statistic), `p_wilcoxon`, `t`, `df`, `p_t`,
#'   `p_wilcoxon_bh`, `p_wilcoxon_bonferroni`, `p_t_bh`, `p_t_bonferroni`,
#'   and `curated` (when annotated). Attributes record the levels, direction
#'   and confidence level. Methods: `print()`, `plot()` (volcano plot),
#'   `as.data.frame()`.
#'
#' **Ordered classes.** For an ordered `group` with k > 2 classes the result
#' is an `ev_screen_ordered` data.frame with, per feature: `n` and `n_<class>`;
#' the ordinal `concordance` (the probability that a sample of a higher
#' class has the higher expression, ties one half; see
#' [ev_roc_multiclass()]) with a `conf_level` interval from its DeLong-type
#' variance (each sample's share of the concordant pairs, per class); the
#' Jonckheere-Terpstra statistic `jt` and two-sided `p_jt` (exact, as
#' `clinfun::jonckheere.test()`, below 101 values without ties; otherwise
#' the normal approximation with the tie-corrected variance); the
#' Kruskal-Wallis statistic `kw` and `p_kw` (as [stats::kruskal.test()]);
#' every pairwise AUC `auc_<lower>_vs_<higher>`; and Benjamini-Hochberg and
#' Bonferroni adjustments of both p-values. `positive` and `direction` are
#' not used: the order of the classes sets the direction.
#' @seealso [ev_panel_search()] for combinations, [ev_roc()] for one
#'   marker's curve.
#' @references
#' Mann HB, Whitney DR (1947). On a test of whether one of two random
#' variables is stochastically larger than the other. *Annals of
#' Mathematical Statistics* 18(1), 50-60. \doi{10.1214/aoms/1177730491}
#'
#' Welch BL (1947). The generalization of 'Student's' problem when several
#' different population variances are involved. *Biometrika* 34(1-2), 28-35.
#' \doi{10.1093/biomet/34.1-2.28}
#'
#' Benjamini Y, Hochberg Y (1995). Controlling the false discovery rate: a
#' practical and powerful approach to multiple testing. *Journal of the Royal
#' Statistical Society B* 57(1), 289-300.
#' \doi{10.1111/j.2517-6161.1995.tb02031.x}
#'
#' DeLong ER, DeLong DM, Clarke-Pearson DL (1988). Comparing the areas under
#' two or more correlated receiver operating characteristic curves: a
#' nonparametric approach. *Biometrics* 44(3), 837-845. \doi{10.2307/2531595}
#' @export
#' @examples
#' set.seed(1)
#' x <- matrix(rnorm(60 * 5), 60, 5,
#'             dimnames = list(NULL, c("hsa-miR-214-3p", "hsa-miR-21-5p",
#'                                     "hsa-miR-16-5p", "hsa-miR-155-5p",
#'                                     "hsa-miR-503-3p")))
#' group <- rep(c("control", "osteoporosis"), each = 30)
#' x[group == "osteoporosis", 1] <- x[group == "osteoporosis", 1] + 1
#' s <- ev_screen(x, group)
#' s
#' plot(s)
ev_screen <- function(x, group, features = NULL, positive = NULL,
                      direction = c("<", ">"), conf_level = 0.95,
                      annotate = TRUE) {
  direction <- check_choice(direction, c("<", ">"), "direction")
  check_conf_level(conf_level)
  check_flag(annotate, "annotate")
  input <- fit_input(x)
  if (screen_group_multiclass(group, input)) {
    return(screen_ordered(x, input, group, features, conf_level, annotate))
  }
  group <- fit_group(group, input, positive)
  check_group_sizes(group)
  features <- fit_features(features, input)
  vals <- screen_values(x, input, features)
  y <- as.integer(group == levels(group)[2L])
  res <- .Call(C_screen, vals$values, y, if (direction == "<") 1L else 2L,
               vals$in_rows, as.integer(evmirna_threads()))
  if (any(res[, "n_infinite"] > 0)) {
    ev_abort(sprintf("`x` has infinite values (features %s); screening needs finite values or NA.",
                     format_offenders(features[res[, "n_infinite"] > 0])), "evmirna_error_value", "x")
  }
  z <- stats::qnorm(1 - (1 - conf_level) / 2)
  se <- sqrt(res[, "auc_var"])
  auc <- res[, "auc"]
  out <- data.frame(
    feature = features,
    n_control = as.integer(res[, "n_control"]), n_case = as.integer(res[, "n_case"]),
    mean_control = res[, "mean_control"], mean_case = res[, "mean_case"],
    median_control = res[, "median_control"], median_case = res[, "median_case"],
    log2_fc = res[, "mean_case"] - res[, "mean_control"],
    auc = auc,
    auc_lower = pmax(auc - z * se, 0), auc_upper = pmin(auc + z * se, 1),
    w = res[, "w"], p_wilcoxon = res[, "p_wilcoxon"],
    t = res[, "t"], df = res[, "df"], p_t = res[, "p_t"],
    stringsAsFactors = FALSE
  )
  out$p_wilcoxon_bh <- stats::p.adjust(out$p_wilcoxon, "BH")
  out$p_wilcoxon_bonferroni <- stats::p.adjust(out$p_wilcoxon, "bonferroni")
  out$p_t_bh <- stats::p.adjust(out$p_t, "BH")
  out$p_t_bonferroni <- stats::p.adjust(out$p_t, "bonferroni")
  if (annotate) out$curated <- curated_summary(features)
  structure(out, class = c("ev_screen", "data.frame"),
            levels = levels(group), direction = direction,
            conf_level = conf_level,
            expression = if (identical(input$scale, "cq")) "-Cq" else "values")
}

# The matrix for the C pass and its orientation: an evset's values stay
# features x samples, a matrix stays samples x features (no transposed
# copy); Cq becomes -Cq.
screen_values <- function(x, input, features) {
  if (is_evset(x)) {
    v <- x$values
    if (!identical(rownames(v), features)) v <- v[features, , drop = FALSE]
    if (identical(x$scale, "cq")) v <- -v
    in_rows <- TRUE
  } else {
    v <- input$x
    if (!identical(colnames(v), features)) v <- v[, features, drop = FALSE]
    in_rows <- FALSE
  }
  if (!is.double(v)) storage.mode(v) <- "double"
  list(values = v, in_rows = in_rows)
}

check_group_sizes <- function(group) {
  counts <- table(group)
  small <- counts < 2L
  if (any(small)) {
    ev_abort(sprintf("`group` needs at least two samples per group; %s.",
                     paste(sprintf("\"%s\" has %d", names(counts)[small], counts[small]),
                           collapse = ", ")),
             "evmirna_error_value", "group")
  }
}

# One line of curated findings per feature (NA when none). Only names that
# could match the curated table are harmonized: its miRNA numbers are few.
curated_summary <- function(features) {
  out <- rep(NA_character_, length(features))
  curated <- curated_evs()
  numbers <- unique(mirna_number(c(curated$mirna, unlist(curated$precursor_list))))
  numbers <- numbers[!is.na(numbers)]
  mine <- mirna_number(features)
  look <- which(is.na(mine) | mine %in% numbers)
  if (!length(look)) return(out)
  ann <- withCallingHandlers(
    ev_annotate(features[look], keep_unmatched = FALSE),
    evmirna_warning_mirna_name = function(w) invokeRestart("muffleWarning")
  )
  if (!nrow(ann)) return(out)
  text <- paste0(ann$source_cell, ": ", ifelse(is.na(ann$effect), "", paste0(ann$effect, " ")),
                 ifelse(is.na(ann$target_molecule), "", ann$target_molecule))
  text <- trimws(text)
  by_input <- tapply(text, ann$input, function(t) paste(unique(t), collapse = "; "))
  out[look] <- unname(by_input[features[look]])
  out
}

mirna_number <- function(x) {
  lx <- tolower(x)
  out <- rep(NA_character_, length(x))
  has <- grepl("(mir|let)-?[0-9]", lx)
  out[has] <- sub("^.*?(?:mir|let)-?([0-9]+).*$", "\\1", lx[has], perl = TRUE)
  out
}

#' @export
print.ev_screen <- function(x, n = 10, ...) {
  lv <- attr(x, "levels")
  cat(sprintf("<ev_screen> %d features; %s (case) vs %s (control), AUC direction \"%s\", %g%% DeLong CI\n",
              nrow(x), lv[2L], lv[1L], attr(x, "direction"), 100 * attr(x, "conf_level")))
  screen_print_top(x, "p_wilcoxon", c("feature", "n_control", "n_case", "log2_fc", "auc",
                                       "auc_lower", "auc_upper", "p_wilcoxon", "p_wilcoxon_bh",
                                       "p_t"), n, "Wilcoxon")
}

#' @export
as.data.frame.ev_screen <- function(x, ...) {
  attributes(x)[c("levels", "direction", "conf_level", "expression")] <- NULL
  class(x) <- "data.frame"
  x
}

#' Volcano plot of a screen
#'
#' Log2 fold change against -log10 p-value, features passing the adjusted
#' p-value cut highlighted and labelled.
#'
#' @param x An `ev_screen` result.
#' @param p Which p-value: `"wilcoxon"` or `"t"`.
#' @param alpha Cut on the Benjamini-Hochberg adjusted p-value.
#' @param labels Number of most significant passing features to label.
#' @param ... Passed to [graphics::plot()].
#' @return `x`, invisibly.
#' @export
#' @examples
#' set.seed(3)
#' x <- matrix(rnorm(40 * 30), 40, 30,
#'             dimnames = list(NULL, paste0("hsa-miR-", 1:30, "-5p")))
#' g <- rep(0:1, each = 20)
#' x[g == 1, 1:3] <- x[g == 1, 1:3] + 1.5
#' plot(ev_screen(x, g, annotate = FALSE))
plot.ev_screen <- function(x, p = c("wilcoxon", "t"), alpha = 0.05, labels = 5, ...) {
  p <- check_choice(p, c("wilcoxon", "t"), "p")
  check_number(alpha, "alpha", lower = 0, upper = 1)
  check_number(labels, "labels", lower = 0, integer = TRUE)
  pv <- if (p == "wilcoxon") x$p_wilcoxon else x$p_t
  adj <- if (p == "wilcoxon") x$p_wilcoxon_bh else x$p_t_bh
  hit <- !is.na(adj) & adj < alpha
  yv <- -log10(pv)
  # Room for the labels above the top point and beside the widest ones.
  xr <- range(x$log2_fc, finite = TRUE)
  xlim <- xr + c(-0.15, 0.15) * max(diff(xr), 1e-8)
  ylim <- c(0, max(yv[is.finite(yv)], 1) * 1.1)
  args <- utils::modifyList(
    list(x = x$log2_fc, y = yv, pch = 19, cex = 0.7, xlim = xlim, ylim = ylim,
         col = ifelse(hit, "firebrick", "grey50"),
         xlab = "log2 fold change (case - control)",
         ylab = sprintf("-log10 p (%s)", if (p == "t") "Welch t" else "Wilcoxon")),
    list(...))
  do.call(graphics::plot, args)
  graphics::abline(v = 0, lty = 3, col = "grey70")
  graphics::legend("topleft", bty = "n", cex = 0.8, pch = c(19, 19, NA), lty = c(NA, NA, 3),
                   col = c("firebrick", "grey50", "grey70"),
                   legend = c(sprintf("BH-adjusted p < %g", alpha), "not significant",
                              "no change"))
  if (labels > 0 && any(hit)) {
    idx <- which(hit)[order(pv[hit])][seq_len(min(labels, sum(hit)))]
    graphics::text(x$log2_fc[idx], yv[idx], x$feature[idx], pos = 3, cex = 0.7,
                   xpd = NA)
  }
  invisible(x)
}
