# Base-R style methods for evset: shape, subsetting, printing, summaries.

#' Dimensions and subsetting of an evset
#'
#' `x[i, j]` selects features (rows) and samples (columns) by position, logical
#' vector or ID, keeping the feature and sample metadata, the missing-value
#' reasons and the processing record aligned.
#'
#' @param x An [evset].
#' @param i,j Features and samples to keep: positions, logicals or IDs.
#' @param ... Unused.
#' @param drop Ignored; an evset is never dropped to a vector.
#' @return `dim()` and `dimnames()` as for the value matrix; `[` an evset.
#' @name evset-subset
#' @examples
#' x <- evset(matrix(c(25, 30, 28, 31), 2,
#'                   dimnames = list(c("hsa-miR-21-5p", "hsa-miR-16-5p"),
#'                                   c("P1", "P2"))))
#' dim(x)
#' x["hsa-miR-16-5p", ]
NULL

#' @rdname evset-subset
#' @export
dim.evset <- function(x) dim(x$values)

#' @rdname evset-subset
#' @export
dimnames.evset <- function(x) dimnames(x$values)

#' @rdname evset-subset
#' @export
`[.evset` <- function(x, i, j, ..., drop = FALSE) {
  validate_evset(x, "x")
  rows <- if (missing(i)) seq_len(nrow(x$values)) else
    resolve_index(i, rownames(x$values), "i", "feature")
  cols <- if (missing(j)) seq_len(ncol(x$values)) else
    resolve_index(j, colnames(x$values), "j", "sample")
  features <- x$features[rows, , drop = FALSE]
  samples <- x$samples[cols, , drop = FALSE]
  rownames(features) <- NULL
  rownames(samples) <- NULL
  new_evset(x$values[rows, cols, drop = FALSE], features, samples, x$scale,
            x$missing_reason[rows, cols, drop = FALSE], x$steps,
            x$provenance, subset_replicates(x$replicates, rows, cols))
}

#' @export
print.evset <- function(x, ...) {
  validate_evset(x, "x")
  n_missing <- sum(is.na(x$values))
  cat(sprintf("<evset> %d features x %d samples, scale: %s\n",
              nrow(x$values), ncol(x$values), x$scale))
  if (!is.null(x$provenance)) {
    cat("  source:  ", x$provenance, "\n", sep = "")
  }
  roles <- table(factor(x$features$role, levels = feature_roles))
  roles <- roles[roles > 0]
  cat("  roles:   ", paste(roles, names(roles), collapse = ", "), "\n", sep = "")
  cat(sprintf("  missing: %d of %d values (%.1f%%)", n_missing,
              length(x$values), 100 * n_missing / length(x$values)))
  if (n_missing > 0) {
    why <- sort(table(x$missing_reason), decreasing = TRUE)
    cat(":", paste(why, names(why), collapse = ", "))
  }
  cat("\n")
  cat("  samples: ", paste(names(x$samples), collapse = ", "), "\n", sep = "")
  if ("group" %in% names(x$samples)) {
    groups <- table(x$samples$group, useNA = "ifany")
    cat("  groups:  ", paste(names(groups), groups, sep = " = ", collapse = ", "),
        "\n", sep = "")
  }
  steps <- vapply(x$steps, function(s) s$name %||% "step", character(1))
  cat("  steps:   ", if (length(steps)) paste(steps, collapse = " -> ") else "none",
      "\n", sep = "")
  invisible(x)
}

#' Summarize an evset
#'
#' Per-feature and per-sample statistics over the observed (non-missing)
#' values: count observed, detection rate, mean, SD, minimum and maximum.
#'
#' @param object An [evset].
#' @param ... Unused.
#' @return An object of class `summary_evset`: a list with data.frames
#'   `features` and `samples`, the scale and the counts of missing reasons.
#' @export
#' @examples
#' x <- evset(matrix(c(25, 30, NA, 31), 2,
#'                   dimnames = list(c("hsa-miR-21-5p", "hsa-miR-16-5p"),
#'                                   c("P1", "P2"))))
#' summary(x)
summary.evset <- function(object, ...) {
  validate_evset(object, "object")
  by_feature <- margin_stats(object$values, by_row = TRUE)
  by_sample <- margin_stats(object$values, by_row = FALSE)
  features <- data.frame(id = object$features$id, role = object$features$role,
                         by_feature, stringsAsFactors = FALSE)
  samples <- data.frame(id = object$samples$id, by_sample,
                        stringsAsFactors = FALSE)
  if ("group" %in% names(object$samples)) {
    samples$group <- object$samples$group
  }
  structure(
    list(features = features, samples = samples, scale = object$scale,
         dim = dim(object$values), provenance = object$provenance,
         missing = table(object$missing_reason)),
    class = "summary_evset"
  )
}

margin_stats <- function(values, by_row) {
  stats <- .Call(C_margin_stats, values, by_row)
  n_total <- if (by_row) ncol(values) else nrow(values)
  data.frame(n_observed = as.integer(stats[, "n"]),
             detection_rate = stats[, "n"] / n_total,
             mean = stats[, "mean"], sd = stats[, "sd"],
             min = stats[, "min"], max = stats[, "max"])
}

#' @export
print.summary_evset <- function(x, ...) {
  cat(sprintf("evset summary: %d features x %d samples, scale: %s\n",
              x$dim[1L], x$dim[2L], x$scale))
  if (!is.null(x$provenance)) cat("source:", x$provenance, "\n")
  if (length(x$missing)) {
    cat("missing values by reason:",
        paste(names(x$missing), x$missing, sep = " = ", collapse = ", "), "\n")
  }
  cat("\nDetection rate per feature:\n")
  print(stats::quantile(x$features$detection_rate, c(0, 0.25, 0.5, 0.75, 1)),
        digits = 3)
  cat("\nFeatures (first 10):\n")
  print(utils::head(x$features, 10L), digits = 3, row.names = FALSE)
  cat("\nSamples (first 10):\n")
  print(utils::head(x$samples, 10L), digits = 3, row.names = FALSE)
  invisible(x)
}

#' Convert an evset to a data.frame or matrix
#'
#' `as.data.frame()` gives one row per sample: the sample metadata columns,
#' then one column per feature named by feature ID. `as.matrix()` returns the
#' value matrix (features in rows).
#'
#' @param x An [evset].
#' @param row.names,optional Ignored (kept for the generic).
#' @param ... Unused.
#' @return A data.frame (one row per sample) or a numeric matrix.
#' @export
#' @examples
#' x <- evset(matrix(c(25, 30, 28, 31), 2,
#'                   dimnames = list(c("hsa-miR-21-5p", "hsa-miR-16-5p"),
#'                                   c("P1", "P2"))))
#' as.data.frame(x)
as.data.frame.evset <- function(x, row.names = NULL, optional = FALSE, ...) {
  validate_evset(x, "x")
  wide <- as.data.frame(t(x$values), stringsAsFactors = FALSE,
                        optional = TRUE)
  clash <- intersect(names(wide), names(x$samples))
  if (length(clash)) {
    ev_abort(sprintf("feature IDs %s clash with sample columns; rename them first.",
                     format_offenders(clash)),
             "evmirna_error_duplicate", "x")
  }
  out <- cbind(x$samples, wide)
  rownames(out) <- NULL
  out
}

#' @rdname as.data.frame.evset
#' @export
as.matrix.evset <- function(x, ...) x$values
