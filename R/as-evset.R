# Converters into and out of evset.

#' Convert to an evset
#'
#' * From a numeric matrix (features in rows, samples in columns).
#' * From a wide data.frame with one row per patient: the `id` column names
#'   the samples, `feature_cols` hold the miRNA values (default: the numeric
#'   columns not in `sample_cols` whose names look like miRNAs, spike-ins or
#'   small-RNA references; all numeric columns if none does), and
#'   `sample_cols` (default: every other column) become sample metadata.
#' * From a `SummarizedExperiment` (when that package is installed): the
#'   first assay (or `assay`), `colData` as samples and `rowData` as features.
#'
#' @param x The object to convert.
#' @param ... Passed on to [evset()] (`scale`, `features`, `roles`, ...).
#' @return An [evset].
#' @export
#' @examples
#' df <- data.frame(id = c("P1", "P2"), group = c("control", "case"),
#'                  `hsa-miR-21-5p` = c(27.1, 25.3), check.names = FALSE)
#' as_evset(df, scale = "cq")
as_evset <- function(x, ...) UseMethod("as_evset")

#' @export
as_evset.default <- function(x, ...) {
  ev_abort(sprintf("`x`: cannot convert an object of class %s to an evset.",
                   class(x)[1L]),
           "evmirna_error_type", "x")
}

#' @rdname as_evset
#' @export
as_evset.evset <- function(x, ...) x

#' @rdname as_evset
#' @param roles Optional feature roles: a named character vector (names are
#'   feature IDs or miRNA names, values one of "target", "reference",
#'   "spike_in", "hemolysis").
#' @export
as_evset.matrix <- function(x, ..., roles = NULL) {
  out <- evset(x, ...)
  out$features <- apply_roles(out$features, roles)
  out
}

#' @rdname as_evset
#' @param id Name of the sample ID column.
#' @param feature_cols Columns holding miRNA values.
#' @param sample_cols Columns holding sample metadata.
#' @export
as_evset.data.frame <- function(x, id = "id", feature_cols = NULL,
                                sample_cols = NULL, ..., roles = NULL) {
  check_string(id, "id")
  if (!id %in% names(x)) {
    ev_abort(sprintf("`x` has no sample ID column \"%s\" (set `id`).", id),
             "evmirna_error_shape", "id")
  }
  if (is.null(feature_cols)) {
    numeric_cols <- names(x)[vapply(x, is.numeric, logical(1))]
    feature_cols <- setdiff(numeric_cols, c(id, sample_cols))
    # Numeric covariates (age, T-score) are not miRNAs: when some columns
    # carry miRNA-like names, only those are features.
    mirna_like <- feature_cols[looks_like_mirna(feature_cols)]
    if (length(mirna_like)) feature_cols <- mirna_like
  }
  unknown <- setdiff(c(feature_cols, sample_cols), names(x))
  if (length(unknown)) {
    ev_abort(sprintf("columns not in `x`: %s.", format_offenders(unknown)),
             "evmirna_error_unknown", "feature_cols")
  }
  if (length(feature_cols) == 0L) {
    ev_abort("`x` has no numeric feature columns.", "evmirna_error_empty",
             "feature_cols")
  }
  not_numeric <- feature_cols[!vapply(x[feature_cols], is.numeric, logical(1))]
  if (length(not_numeric)) {
    ev_abort(sprintf("`feature_cols` must be numeric; not numeric: %s.",
                     format_offenders(not_numeric)),
             "evmirna_error_type", "feature_cols")
  }
  sample_cols <- sample_cols %||% setdiff(names(x), c(id, feature_cols))
  values <- t(as.matrix(x[feature_cols]))
  ids <- as.character(x[[id]])
  check_ids(ids, "x", "sample IDs")
  dimnames(values) <- list(feature_cols, ids)
  samples <- data.frame(id = ids, x[sample_cols], stringsAsFactors = FALSE,
                        check.names = FALSE)
  rownames(samples) <- NULL
  out <- evset(values, samples = samples, ...)
  out$features <- apply_roles(out$features, roles)
  out
}

#' @rdname as_evset
#' @param assay Which assay of a SummarizedExperiment to use (name or index).
#' @export
as_evset.SummarizedExperiment <- function(x, assay = 1L, ..., roles = NULL) {
  require_package("SummarizedExperiment", "convert a SummarizedExperiment")
  values <- as.matrix(SummarizedExperiment::assay(x, assay))
  samples <- as.data.frame(SummarizedExperiment::colData(x))
  features <- as.data.frame(SummarizedExperiment::rowData(x))
  if (is.null(samples$id)) samples <- cbind(id = colnames(values), samples)
  if (is.null(features$id)) features <- cbind(id = rownames(values), features)
  features <- if (ncol(features)) features else NULL
  out <- evset(values, features = features, samples = samples, ...)
  out$features <- apply_roles(out$features, roles)
  out
}

#' Convert an evset to a SummarizedExperiment
#'
#' @param x An [evset].
#' @return A `SummarizedExperiment` with one assay named after the scale,
#'   `rowData` from the features and `colData` from the samples; the steps,
#'   missing reasons and provenance go to its metadata.
#' @export
#' @examplesIf requireNamespace("SummarizedExperiment", quietly = TRUE)
#' x <- evset(matrix(c(25, 30, 28, 31), 2,
#'                   dimnames = list(c("hsa-miR-21-5p", "hsa-miR-16-5p"),
#'                                   c("P1", "P2"))))
#' as_summarized_experiment(x)
as_summarized_experiment <- function(x) {
  check_evset(x, "x")
  require_package("SummarizedExperiment", "build a SummarizedExperiment")
  assays <- stats::setNames(list(x$values), x$scale)
  SummarizedExperiment::SummarizedExperiment(
    assays = assays,
    rowData = x$features,
    colData = x$samples,
    metadata = list(steps = x$steps, missing_reason = x$missing_reason,
                    provenance = x$provenance)
  )
}

require_package <- function(pkg, to_do) {
  if (!requireNamespace(pkg, quietly = TRUE)) {
    ev_abort(sprintf("the %s package is needed to %s; install it first.",
                     pkg, to_do),
             "evmirna_error_missing_package", pkg)
  }
  invisible(TRUE)
}
