# Converters into and out of evset.

#' Convert to an evset
#'
#' * From a numeric matrix (features in rows, samples in columns).
#' * From a wide data.frame with one row per patient: the `id` column names
#'   the samples, `feature_cols` hold the miRNA values and `sample_cols`
#'   (default: every other column) become sample metadata. Without
#'   `feature_cols`, features are never guessed from types alone: only
#'   numeric columns whose names harmonize as miRNAs ([ev_mirna_name()]),
#'   spike-ins or small-RNA controls, or that `roles` names, are features. An
#'   ID-like column (unique whole numbers), text and factor columns, and any
#'   binary column stay sample data; so do numeric columns with other names
#'   (novel "Candidate-*" miRNAs: name them in `feature_cols`). A message of
#'   class `evmirna_message_features` lists which columns went where.
#' * From a `SummarizedExperiment` (when that package is installed): the
#'   first assay (or `assay`), `colData` as samples and `rowData` as features.
#' * From an edgeR `DGEList`: `counts` (scale "counts"), `samples` (group,
#'   lib.size, norm.factors and any other column) as sample data and `genes`
#'   (when present) as feature data.
#'
#' @param x The object to convert.
#' @param ... Passed on to [evset()] (`scale`, `features`, `roles`, ...).
#' @return An [evset].
#' @export
#' @examples
#' df <- data.frame(id = c("P1", "P2", "P3"),
#'                  group = c("control", "case", "case"), age = c(61, 70, 66),
#'                  `hsa-miR-21-5p` = c(27.1, 25.3, 25.9),
#'                  `Candidate-7` = c(30.2, 31.0, 29.4), check.names = FALSE)
#' # age and the novel Candidate-7 become sample data, with a message
#' as_evset(df, scale = "cq")
#' # named explicitly, Candidate-7 is a feature
#' as_evset(df, feature_cols = c("hsa-miR-21-5p", "Candidate-7"), scale = "cq")
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
    split <- frame_columns(x[setdiff(names(x), sample_cols)], id = id,
                           roles = roles, features_arg = "feature_cols")
    frame_inform(split)
    feature_cols <- split$features
    if (!length(feature_cols)) {
      ev_abort(sprintf("%s No column qualifies as a feature; name them in `feature_cols`.",
                       split$message),
               "evmirna_error_empty", "feature_cols")
    }
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

#' @rdname as_evset
#' @export
as_evset.DGEList <- function(x, ..., roles = NULL) {
  counts <- x$counts
  if (!is.matrix(counts) || !is.numeric(counts)) {
    ev_abort("`x$counts` must be a numeric matrix (a DGEList from edgeR).",
             "evmirna_error_type", "x")
  }
  if (is.null(rownames(counts))) rownames(counts) <- sprintf("feature_%d", seq_len(nrow(counts)))
  if (is.null(colnames(counts))) colnames(counts) <- sprintf("sample_%d", seq_len(ncol(counts)))
  samples <- as.data.frame(x$samples %||% data.frame(row.names = colnames(counts)))
  if (is.null(samples$id)) samples <- cbind(id = colnames(counts), samples)
  if (is.factor(samples$group)) samples$group <- as.character(samples$group)
  rownames(samples) <- NULL
  features <- NULL
  if (!is.null(x$genes)) {
    features <- as.data.frame(x$genes)
    if (is.null(features$id)) features <- cbind(id = rownames(counts), features)
    rownames(features) <- NULL
  }
  out <- evset(counts, features = features, samples = samples, scale = "counts", ...)
  out$features <- apply_roles(out$features, roles)
  out
}

#' Convert an evset to a SummarizedExperiment
#'
#' @param x An [evset].
#' @return A `SummarizedExperiment` with one assay named after the scale,
#'   `rowData` from the features and `colData` from the samples; the steps,
#'   missing reasons, provenance and replicate record (when there is one)
#'   go to its metadata.
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
    metadata = c(list(steps = x$steps, missing_reason = x$missing_reason,
                      provenance = x$provenance),
                 if (!is.null(x$replicates)) list(replicates = x$replicates))
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
