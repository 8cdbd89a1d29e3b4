# The evset container: a numeric matrix (features in rows, samples in columns),
# aligned feature and sample metadata, the measurement scale, why each value
# is missing, and the record of processing steps.

evset_scales <- c("cq", "counts", "log2")
feature_roles <- c("target", "reference", "spike_in", "hemolysis")

#' Create an EV miRNA panel container
#'
#' `evset()` holds a measured panel in the Bioconductor orientation: miRNAs
#' (features) in rows, samples in columns. It validates the values against
#' their scale and keeps feature and sample metadata aligned with the matrix.
#'
#' @param values Numeric matrix, features in rows and samples in columns.
#'   Row names are feature IDs and column names sample IDs (taken from
#'   `features$id` / `samples$id` when the matrix has none). `NA` marks a
#'   missing value (for Cq data, a non-detect); `NaN` and infinite values are
#'   rejected.
#' @param features Optional data.frame with one row per feature. Column `id`
#'   must match the row names of `values`. Column `role` (one of "target",
#'   "reference", "spike_in", "hemolysis") is guessed from the IDs when absent
#'   (cel-miR-39-3p and other exogenous spike-ins, hsa-miR-451a and
#'   hsa-miR-23a-3p as the hemolysis pair). Column `mirna` (the harmonized
#'   miRBase v22 name, see [ev_mirna_name()]) is added when absent.
#' @param samples Optional data.frame with one row per sample; column `id`
#'   must match the column names of `values`. Other columns (group, age,
#'   plate, ...) are kept.
#' @param scale Measurement scale: "cq" (RT-qPCR quantification cycles, valid
#'   in (0, 50]), "counts" (non-negative sequencing counts) or "log2"
#'   (normalized log2 expression).
#' @param missing_reason Optional character matrix, same shape as `values`,
#'   saying why each missing value is missing (e.g. "undetermined",
#'   "above_max_cq"); `NA` where the value is present. Built by the readers.
#' @param steps List recording the processing applied so far (each element a
#'   list with the step name and its frozen parameters).
#' @param provenance Optional single string saying where the data come from
#'   (printed with the object; the bundled cohorts say they are simulated).
#' @param replicates Optional technical-replicate record, as built by
#'   [ev_read_qpcr()]: a list of three matrices shaped like `values`,
#'   `wells` (wells measured), `used` (wells averaged into the value) and
#'   `sd` (their standard deviation, `NA` below two wells). Subsetting keeps it
#'   aligned; [ev_qc()] flags cells by it.
#' @return An object of class `evset`.
#' @seealso [as_evset()], [ev_read_qpcr()], [ev_read_counts()]
#' @export
#' @examples
#' cq <- matrix(c(25.1, 30.2, NA, 24.8, 29.9, 33.0), nrow = 3,
#'              dimnames = list(c("hsa-miR-214-3p", "hsa-miR-451a",
#'                                "cel-miR-39-3p"), c("P1", "P2")))
#' x <- evset(cq, samples = data.frame(id = c("P1", "P2"),
#'                                     group = c("control", "osteoporosis")))
#' x
#' x$features
evset <- function(values, features = NULL, samples = NULL,
                  scale = c("cq", "counts", "log2"), missing_reason = NULL,
                  steps = list(), provenance = NULL, replicates = NULL) {
  scale <- check_choice(scale, evset_scales, "scale")
  values <- validate_values(values, scale)
  features <- align_metadata(features, rownames(values), nrow(values),
                             "features", "feature")
  samples <- align_metadata(samples, colnames(values), ncol(values),
                            "samples", "sample")
  dimnames(values) <- list(features$id, samples$id)
  features <- complete_features(features)
  missing_reason <- validate_missing_reason(missing_reason, values)
  if (!is.list(steps)) {
    ev_abort("`steps` must be a list.", "evmirna_error_type", "steps")
  }
  if (!is.null(provenance)) check_string(provenance, "provenance")
  replicates <- validate_replicates(replicates, values)
  new_evset(values, features, samples, scale, missing_reason, steps,
            provenance, replicates)
}

# Low-level constructor: no checks, for internal use on already valid parts.
new_evset <- function(values, features, samples, scale, missing_reason,
                      steps, provenance = NULL, replicates = NULL) {
  structure(
    list(values = values, features = features, samples = samples,
         scale = scale, missing_reason = missing_reason, steps = steps,
         provenance = provenance, replicates = replicates),
    class = "evset"
  )
}

replicate_parts <- c("wells", "used", "sd")

# TRUE when `replicates` is a list of wells/used/sd numeric matrices shaped
# like `values` (the validators of hand-edited objects use it too).
replicates_ok <- function(replicates, values) {
  is.list(replicates) && !is.object(replicates) &&
    all(replicate_parts %in% names(replicates)) &&
    all(vapply(replicates[replicate_parts], function(m) {
      is.matrix(m) && is.numeric(m) && identical(dim(m), dim(values))
    }, logical(1)))
}

# The replicate record: NULL, or wells/used/sd matrices shaped like `values`.
validate_replicates <- function(replicates, values) {
  if (is.null(replicates)) return(NULL)
  if (!replicates_ok(replicates, values)) {
    ev_abort("`replicates` must be a list of numeric matrices `wells`, `used` and `sd` shaped like `values`.",
             "evmirna_error_shape", "replicates")
  }
  w <- replicates$wells
  u <- replicates$used
  if (anyNA(w) || anyNA(u) || any(w < 0) || any(u < 0) || any(u > w) ||
      any(replicates$sd < 0, na.rm = TRUE)) {
    ev_abort("`replicates`: well counts must be non-negative with used <= wells, and SDs non-negative.",
             "evmirna_error_value", "replicates")
  }
  out <- lapply(replicates[replicate_parts], function(m) {
    dimnames(m) <- dimnames(values)
    m
  })
  out$wells[] <- as.integer(out$wells)
  out$used[] <- as.integer(out$used)
  out
}

# The replicate record restricted to rows `i` and columns `j`.
subset_replicates <- function(replicates, i, j) {
  if (is.null(replicates)) return(NULL)
  lapply(replicates, function(m) m[i, j, drop = FALSE])
}

validate_values <- function(values, scale) {
  if (is.data.frame(values)) {
    ev_abort("`values` must be a numeric matrix, not a data.frame; use as_evset() for data frames.",
             "evmirna_error_type", "values")
  }
  if (!is.matrix(values)) {
    ev_abort("`values` must be a numeric matrix with features in rows and samples in columns.",
             "evmirna_error_type", "values")
  }
  if (!is.numeric(values)) {
    if (is.logical(values) && all(is.na(values))) {
      storage.mode(values) <- "double"
    } else {
      ev_abort(sprintf("`values` must be numeric, not %s.", typeof(values)),
               "evmirna_error_type", "values")
    }
  }
  if (nrow(values) == 0L || ncol(values) == 0L) {
    ev_abort(sprintf("`values` is empty (%d features x %d samples).",
                     nrow(values), ncol(values)),
             "evmirna_error_empty", "values")
  }
  storage.mode(values) <- "double"
  bad <- is.nan(values) | is.infinite(values)
  if (any(bad)) {
    ev_abort(sprintf("`values` has NaN or infinite entries at %s; use NA for missing values.",
                     format_cells(values, bad)),
             "evmirna_error_value", "values")
  }
  bad <- switch(scale,
    cq = !is.na(values) & (values <= 0 | values > 50),
    counts = !is.na(values) & values < 0,
    log2 = matrix(FALSE, nrow(values), ncol(values))
  )
  if (any(bad)) {
    rule <- switch(scale, cq = "Cq values must lie in (0, 50]",
                   counts = "counts must not be negative")
    ev_abort(sprintf("`values`: %s; offending entries at %s.", rule,
                     format_cells(values, bad)),
             "evmirna_error_value", "values")
  }
  values
}

# Names the first offending cells as feature/sample pairs.
format_cells <- function(values, bad, max = 5L) {
  idx <- which(bad, arr.ind = TRUE)
  rn <- rownames(values) %||% as.character(seq_len(nrow(values)))
  cn <- colnames(values) %||% as.character(seq_len(ncol(values)))
  cells <- sprintf("%s/%s (%s)", rn[idx[, 1L]], cn[idx[, 2L]],
                   format(values[idx]))
  format_offenders(cells, max)
}

# Makes `meta` a data.frame whose `id` column matches `ids` (the matrix's
# dimnames), filling whichever side is missing.
align_metadata <- function(meta, ids, n, arg, what) {
  if (is.null(meta)) {
    ids <- ids %||% sprintf("%s_%d", what, seq_len(n))
    check_ids(ids, arg, paste0(what, " IDs"))
    return(data.frame(id = ids, stringsAsFactors = FALSE))
  }
  if (!is.data.frame(meta)) {
    ev_abort(sprintf("`%s` must be a data.frame with one row per %s.", arg, what),
             "evmirna_error_type", arg)
  }
  if (nrow(meta) != n) {
    ev_abort(sprintf("`%s` has %d rows but `values` has %d %ss.",
                     arg, nrow(meta), n, what),
             "evmirna_error_shape", arg)
  }
  meta <- as.data.frame(meta, stringsAsFactors = FALSE)
  rownames(meta) <- NULL
  if (is.null(meta$id)) {
    if (is.null(ids)) {
      ev_abort(sprintf("`%s` needs an `id` column when `values` has no %s names.",
                       arg, what),
               "evmirna_error_shape", arg)
    }
    meta <- cbind(data.frame(id = ids, stringsAsFactors = FALSE), meta)
  }
  meta$id <- as.character(meta$id)
  check_ids(meta$id, arg, paste0(what, " IDs"))
  if (!is.null(ids) && !identical(meta$id, as.character(ids))) {
    off <- which(meta$id != ids)
    ev_abort(sprintf("`%s$id` does not line up with the %s names of `values`: first mismatch at position %d (\"%s\" vs \"%s\").",
                     arg, what, off[1L], meta$id[off[1L]], ids[off[1L]]),
             "evmirna_error_shape", arg)
  }
  meta
}

complete_features <- function(features) {
  if (is.null(features$mirna)) {
    features$mirna <- ev_mirna_name(features$id, details = TRUE)$name
  }
  if (is.null(features$role)) {
    features$role <- guess_feature_roles(features$id, features$mirna)
  } else {
    features$role <- as.character(features$role)
    bad <- is.na(features$role) | !features$role %in% feature_roles
    if (any(bad)) {
      ev_abort(sprintf("`features$role` must be one of %s; found %s.",
                       format_offenders(feature_roles),
                       format_offenders(unique(features$role[bad]))),
               "evmirna_error_value", "features")
    }
  }
  features[c("id", "role", "mirna",
             setdiff(names(features), c("id", "role", "mirna")))]
}

validate_missing_reason <- function(missing_reason, values) {
  if (is.null(missing_reason)) {
    missing_reason <- matrix(NA_character_, nrow(values), ncol(values))
    missing_reason[is.na(values)] <- "missing"
  }
  if (!is.matrix(missing_reason) || !is.character(missing_reason) ||
      !identical(dim(missing_reason), dim(values))) {
    ev_abort("`missing_reason` must be a character matrix shaped like `values`.",
             "evmirna_error_shape", "missing_reason")
  }
  inconsistent <- is.na(missing_reason) & is.na(values)
  missing_reason[inconsistent] <- "missing"
  missing_reason[!is.na(values)] <- NA_character_
  dimnames(missing_reason) <- dimnames(values)
  missing_reason
}

#' Test whether an object is an evset
#' @param x Any object.
#' @return `TRUE` or `FALSE`.
#' @export
#' @examples
#' is_evset(1)
is_evset <- function(x) inherits(x, "evset")

check_evset <- function(x, arg = deparse(substitute(x))) {
  validate_evset(x, arg)
}
