# Detection-based filtering of miRNAs and samples, recorded as a step.

#' Drop miRNAs and samples by detection rules
#'
#' Keeps the miRNAs detected in at least `min_feature_rate` of the samples
#' and the samples in which at least `min_sample_rate` of the miRNAs are
#' detected. With `group`, the miRNA rule is applied within each group: a
#' miRNA is kept when it is detected in at least `min_feature_rate` of the
#' samples of some group, so a miRNA expressed only in cases survives (the
#' group logic of edgeR's `filterByExpr()` and RQdeltaCT's `filter_Ct()`).
#' References, spike-ins and hemolysis markers are kept whatever
#' their detection (their own checks live in [ev_qc()] and [ev_normalize()]).
#' The kept miRNAs are recorded in `steps`, so [ev_apply_steps()] keeps the
#' same miRNAs in new data; new samples are never dropped by the replay, but a
#' warning names those below the sample rule.
#'
#' @param x An [evset] ("cq" or "counts").
#' @param min_feature_rate Minimum fraction of samples in which a miRNA is
#'   detected.
#' @param min_sample_rate Minimum fraction of miRNAs detected in a sample.
#' @param detection_cq A Cq at most this value counts as detected (counts:
#'   a positive count).
#' @param keep_roles Feature roles never dropped.
#' @param group Optional grouping for the miRNA rule: the name of a `samples`
#'   column or a vector with one value per sample (no `NA`).
#' @return The filtered [evset] with a "filter" step appended.
#' @export
#' @examples
#' cq <- matrix(c(25, 38, NA, 26, 37, 30, 24, NA, 31), 3,
#'              dimnames = list(c("hsa-miR-21-5p", "hsa-miR-1-3p",
#'                                "hsa-miR-214-3p"), c("A", "B", "C")))
#' ev_filter(evset(cq), min_feature_rate = 0.5)$values
#' # miR-214-3p is detected (Cq <= 35) in 2 of 3 samples: both cases
#' x <- evset(cq, samples = data.frame(id = c("A", "B", "C"),
#'                                     group = c("control", "case", "case")))
#' rownames(ev_filter(x, min_feature_rate = 0.9)$values)
#' rownames(ev_filter(x, min_feature_rate = 0.9, group = "group")$values)
ev_filter <- function(x, min_feature_rate = 0.5, min_sample_rate = 0,
                      detection_cq = 35,
                      keep_roles = c("reference", "spike_in", "hemolysis"),
                      group = NULL) {
  check_evset(x, "x")
  check_number(min_feature_rate, "min_feature_rate", lower = 0, upper = 1)
  check_number(min_sample_rate, "min_sample_rate", lower = 0, upper = 1)
  check_number(detection_cq, "detection_cq", lower = 0)
  if (x$scale == "log2") {
    ev_abort("`x` must hold Cq values or counts; filter before normalizing.",
             "evmirna_error_value", "x")
  }
  if (!is.character(keep_roles) || !all(keep_roles %in% feature_roles)) {
    ev_abort(sprintf("`keep_roles` must be among %s.", format_offenders(feature_roles)),
             "evmirna_error_value", "keep_roles")
  }
  det <- detected_matrix(x, detection_cq)
  groups <- filter_groups(group, x)
  rate <- if (is.null(groups)) rowMeans(det) else group_detection_rate(det, groups)
  keep_f <- rate >= min_feature_rate | x$features$role %in% keep_roles
  keep_s <- colMeans(det[keep_f, , drop = FALSE]) >= min_sample_rate
  if (!any(keep_f)) {
    ev_abort("`min_feature_rate` drops every miRNA.", "evmirna_error_empty",
             "min_feature_rate")
  }
  if (!any(keep_s)) {
    ev_abort("`min_sample_rate` drops every sample.", "evmirna_error_empty",
             "min_sample_rate")
  }
  step <- list(name = "filter", scale = x$scale,
               features = rownames(x$values)[keep_f],
               min_feature_rate = min_feature_rate,
               min_sample_rate = min_sample_rate, detection_cq = detection_cq,
               dropped_features = rownames(x$values)[!keep_f],
               dropped_samples = colnames(x$values)[!keep_s])
  if (!is.null(groups)) step$group_levels <- levels(groups)
  out <- x[which(keep_f), which(keep_s)]
  out$steps <- c(x$steps, list(step))
  out
}

apply_filter_step <- function(x, step) {
  check_step_scale(x, step)
  x <- align_to_features(x, step$features)
  det <- detected_matrix(x, step$detection_cq)
  low <- colMeans(det) < step$min_sample_rate
  if (any(low)) {
    ev_warn(sprintf("Samples %s detect fewer than %s of the miRNAs (kept; check them).",
                    format_offenders(colnames(x$values)[low]),
                    format(step$min_sample_rate)),
            "evmirna_warning_low_detection", "x")
  }
  x$steps <- c(x$steps, list(step))
  x
}

# The grouping of ev_filter(): NULL, or a factor with one value per sample.
filter_groups <- function(group, x) {
  if (is.null(group)) return(NULL)
  n <- ncol(x$values)
  if (is.character(group) && length(group) == 1L && n != 1L) {
    if (!group %in% names(x$samples)) {
      ev_abort(sprintf("`group` names a column (\"%s\") that `x$samples` lacks; columns: %s.",
                       group, format_offenders(names(x$samples), 20L)),
               "evmirna_error_unknown", "group")
    }
    group <- x$samples[[group]]
  }
  if (is.list(group) || !is.atomic(group) || length(group) != n) {
    ev_abort(sprintf("`group` must be a samples column name or a vector of length %d (one value per sample).", n),
             "evmirna_error_shape", "group")
  }
  if (anyNA(group)) {
    ev_abort("`group` has missing values.", "evmirna_error_value", "group")
  }
  factor(group)
}

# For each miRNA, its highest detection rate over the groups.
group_detection_rate <- function(det, groups) {
  per_group <- vapply(split(seq_along(groups), groups), function(j) {
    rowMeans(det[, j, drop = FALSE])
  }, numeric(nrow(det)))
  if (!is.matrix(per_group)) per_group <- matrix(per_group, nrow = nrow(det))
  apply(per_group, 1L, max)
}
