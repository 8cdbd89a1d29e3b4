#' Read a small-RNA-seq count table
#'
#' Reads a miRNA x sample count table (CSV or TSV; first column the miRNA IDs,
#' one column per sample), as written by miRNA quantifiers.
#'
#' Counts must be non-negative numbers without missing cells; a table of
#' non-integer values is accepted with a warning (it may hold normalized
#' values rather than counts). Duplicated miRNA IDs are refused: aggregate them
#' first.
#'
#' @inheritParams ev_read_qpcr
#' @return An [evset] on the "counts" scale.
#' @export
#' @examples
#' path <- tempfile(fileext = ".tsv")
#' writeLines(c("mirna\tS1\tS2", "hsa-miR-21-5p\t1520\t988",
#'              "hsa-miR-16-5p\t20311\t15007"), path)
#' ev_read_counts(path)
ev_read_counts <- function(file, samples = NULL, roles = NULL, sep = NULL,
                           encoding = "UTF-8") {
  tab <- read_export_table(file, sep, encoding = encoding)
  check_header_names(tab, file)
  ids <- tab[[1L]]
  check_ids(ids, "file", "miRNA IDs")
  cells <- as.matrix(tab[-1L])
  text <- trimws(cells)
  numbers <- suppressWarnings(as.numeric(text))
  bad <- is.na(numbers)
  if (any(bad)) {
    ev_abort(sprintf("`file` (%s) has count cells that are not numbers: %s.",
                     basename(file), format_offenders(unique(text[bad]))),
             "evmirna_error_type", "file")
  }
  if (any(numbers < 0 | !is.finite(numbers))) {
    ev_abort(sprintf("`file` (%s) has negative or infinite counts: %s.",
                     basename(file),
                     format_offenders(unique(text[numbers < 0 | !is.finite(numbers)]))),
             "evmirna_error_value", "file")
  }
  if (any(numbers != round(numbers))) {
    ev_warn(sprintf("`file` (%s) holds non-integer values; are these counts?",
                    basename(file)),
            "evmirna_warning_noninteger_counts", "file")
  }
  values <- matrix(numbers, nrow(cells), ncol(cells),
                   dimnames = list(ids, names(tab)[-1L]))
  check_ids(colnames(values), "file", "sample IDs")
  samples <- join_sample_metadata(colnames(values), samples)
  out <- evset(values, samples = samples, scale = "counts",
               provenance = file_provenance(tab))
  out$features <- apply_roles(out$features, roles)
  out$steps <- list(list(name = "read_counts", file = basename(file)))
  out
}
