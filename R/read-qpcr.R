# RT-qPCR Cq exports: wide (samples x miRNAs or miRNAs x samples) or long
# (one row per sample and target) tables, with instrument non-detect codes.

nondetect_codes <- c(
  "undetermined" = "undetermined",
  "no ct" = "no_ct", "noct" = "no_ct", "no cq" = "no_ct", "nocq" = "no_ct",
  "n/a" = "not_available", "na" = "not_available",
  "nan" = "not_available", "-" = "not_available"
)

#' Read an RT-qPCR Cq export
#'
#' Reads instrument exports of Cq (Ct) values from CSV or TSV files in either
#' layout:
#' * **wide**: one row per sample and one column per miRNA, or one row per
#'   miRNA and one column per sample (detected from which side carries miRNA
#'   names, or set by `orientation`);
#' * **long**: one row per sample and target, with sample, target and Cq
#'   columns (recognised by their usual instrument headers such as
#'   "Sample Name", "Target Name", "Cq" or "CT", or named explicitly).
#'
#' Lines starting with `#` or `*` (instrument preambles) are skipped; the
#' `#` lines above the header become the evset's `provenance` (the bundled
#' simulated exports say there that they are simulated). When
#' a `[Results]` section is present only it is read.
#'
#' Non-detects become `NA`, and the reason is kept in the evset's
#' `missing_reason` matrix: "undetermined", "no_ct" ("No Ct", "No Cq"),
#' "not_available" ("N/A", "NA"), "empty" (blank cell), "above_max_cq" (a Cq
#' at or above `max_cq`). Numbers outside (0, 50] and other text are errors.
#' Technical replicates in a long table are averaged over the replicates that
#' were detected (`replicates = "mean"`), or refused (`"error"`).
#'
#' @param file Path to the export.
#' @param layout "auto", "wide" or "long".
#' @param orientation For wide tables: "auto", "samples_in_rows" or
#'   "features_in_rows".
#' @param max_cq Cq values at or above this are non-detects (default 40).
#' @param samples Optional sample metadata: a data.frame or a CSV/TSV path with
#'   an `id` column (group, age, plate, ...).
#' @param roles Optional feature roles, a named character vector (see
#'   [as_evset()]); by default roles are recognised from the names.
#' @param sep Field separator; guessed from the header line when `NULL`.
#' @param dec Decimal mark of the Cq values.
#' @param sample_col,target_col,cq_col Column names for a long table; guessed
#'   from common instrument headers when `NULL`.
#' @param replicates How to combine technical replicates of a long table:
#'   "mean" or "error".
#' @return An [evset] on the "cq" scale.
#' @seealso [ev_read_counts()], [evset()]
#' @export
#' @examples
#' path <- tempfile(fileext = ".csv")
#' writeLines(c("Sample,hsa-miR-21-5p,hsa-miR-451a,cel-miR-39-3p",
#'              "P1,27.3,Undetermined,22.0",
#'              "P2,26.1,21.4,41.2"), path)
#' x <- ev_read_qpcr(path)
#' x
#' x$missing_reason
ev_read_qpcr <- function(file, layout = c("auto", "wide", "long"),
                         orientation = c("auto", "samples_in_rows",
                                         "features_in_rows"),
                         max_cq = 40, samples = NULL, roles = NULL,
                         sep = NULL, dec = ".", sample_col = NULL,
                         target_col = NULL, cq_col = NULL,
                         replicates = c("mean", "error")) {
  layout <- check_choice(layout, c("auto", "wide", "long"), "layout")
  orientation <- check_choice(orientation, c("auto", "samples_in_rows",
                                             "features_in_rows"),
                              "orientation")
  replicates <- check_choice(replicates, c("mean", "error"), "replicates")
  check_number(max_cq, "max_cq", lower = 1, upper = 50)
  check_string(dec, "dec")
  tab <- read_export_table(file, sep)
  long_cols <- find_long_columns(names(tab), sample_col, target_col, cq_col)
  if (layout == "auto") {
    layout <- if (is.null(long_cols)) "wide" else "long"
  }
  parsed <- if (layout == "long") {
    if (is.null(long_cols)) {
      ev_abort(sprintf("`file` (%s): cannot find sample, target and Cq columns of a long table; name them with `sample_col`, `target_col` and `cq_col`.",
                       basename(file)),
               "evmirna_error_file", "file")
    }
    parse_long_cq(tab, long_cols, max_cq, dec, replicates, file)
  } else {
    parse_wide_cq(tab, orientation, max_cq, dec, file)
  }
  samples <- join_sample_metadata(colnames(parsed$values), samples)
  out <- evset(parsed$values, samples = samples, scale = "cq",
               missing_reason = parsed$reason,
               provenance = file_provenance(tab))
  out$features <- apply_roles(out$features, roles)
  out$steps <- list(list(name = "read_qpcr", file = basename(file),
                         layout = layout, max_cq = max_cq,
                         replicates = parsed$replicates))
  out
}

find_long_columns <- function(header, sample_col, target_col, cq_col) {
  pick <- function(given, patterns) {
    if (!is.null(given)) {
      if (!given %in% header) {
        return(NA_character_)
      }
      return(given)
    }
    low <- tolower(trimws(header))
    hit <- which(low %in% patterns)
    if (length(hit)) header[hit[1L]] else NA_character_
  }
  cols <- c(
    sample = pick(sample_col, c("sample", "sample name", "sample_name",
                                "sample id", "sample_id", "samplename")),
    target = pick(target_col, c("target", "target name", "target_name",
                                "detector", "detector name", "assay",
                                "mirna", "feature", "gene")),
    cq = pick(cq_col, c("cq", "ct", "crt", "cq value", "ct value", "c\u0442"))
  )
  given <- c(sample = !is.null(sample_col), target = !is.null(target_col),
             cq = !is.null(cq_col))
  missing_given <- names(cols)[is.na(cols) & given]
  if (length(missing_given)) {
    arg <- paste0(missing_given[1L], "_col")
    ev_abort(sprintf("`%s`: no such column in the file.", arg),
             "evmirna_error_unknown", arg)
  }
  if (anyNA(cols)) NULL else cols
}

# Converts text cells to Cq numbers and non-detect reasons.
parse_cq_cells <- function(cells, max_cq, dec, file) {
  text <- trimws(cells)
  code <- nondetect_codes[tolower(text)]
  reason <- unname(ifelse(nzchar(text), code, "empty"))
  to_number <- is.na(reason)
  numbers <- rep(NA_real_, length(text))
  if (dec != ".") text[to_number] <- gsub(dec, ".", text[to_number], fixed = TRUE)
  numbers[to_number] <- suppressWarnings(as.numeric(text[to_number]))
  unreadable <- to_number & is.na(numbers)
  if (any(unreadable)) {
    ev_abort(sprintf("`file` (%s) has Cq cells that are neither numbers nor non-detect codes: %s.",
                     basename(file), format_offenders(unique(text[unreadable]))),
             "evmirna_error_type", "file")
  }
  impossible <- to_number & (numbers <= 0 | numbers > 50 | !is.finite(numbers))
  if (any(impossible)) {
    ev_abort(sprintf("`file` (%s) has Cq values outside (0, 50]: %s.",
                     basename(file), format_offenders(unique(text[impossible]))),
             "evmirna_error_value", "file")
  }
  late <- to_number & numbers >= max_cq
  reason[late] <- "above_max_cq"
  numbers[late] <- NA_real_
  list(values = numbers, reason = reason)
}

looks_like_mirna <- function(x) {
  grepl("(mir|let)-?[0-9]|^UniSp[0-9]|snord|rnu[0-9]|^U6", x,
        ignore.case = TRUE)
}

parse_wide_cq <- function(tab, orientation, max_cq, dec, file) {
  first <- tab[[1L]]
  header <- names(tab)[-1L]
  if (orientation == "auto") {
    rows_mirna <- mean(looks_like_mirna(first))
    cols_mirna <- mean(looks_like_mirna(header))
    if (max(rows_mirna, cols_mirna) < 0.5) {
      ev_abort(sprintf("`file` (%s): cannot tell whether miRNAs are in rows or columns; set `orientation`.",
                       basename(file)),
               "evmirna_error_file", "orientation")
    }
    orientation <- if (rows_mirna > cols_mirna) "features_in_rows" else
      "samples_in_rows"
  }
  cells <- as.matrix(tab[-1L])
  parsed <- parse_cq_cells(cells, max_cq, dec, file)
  values <- matrix(parsed$values, nrow(cells), ncol(cells),
                   dimnames = list(first, header))
  reason <- matrix(parsed$reason, nrow(cells), ncol(cells),
                   dimnames = list(first, header))
  if (orientation == "samples_in_rows") {
    values <- t(values)
    reason <- t(reason)
  }
  check_ids(rownames(values), "file", "miRNA IDs")
  check_ids(colnames(values), "file", "sample IDs")
  list(values = values, reason = reason, replicates = NULL)
}

parse_long_cq <- function(tab, cols, max_cq, dec, replicates, file) {
  sample <- tab[[cols[["sample"]]]]
  target <- tab[[cols[["target"]]]]
  if (any(!nzchar(sample)) || any(!nzchar(target))) {
    ev_abort(sprintf("`file` (%s) has rows without a sample or target name.",
                     basename(file)),
             "evmirna_error_file", "file")
  }
  parsed <- parse_cq_cells(tab[[cols[["cq"]]]], max_cq, dec, file)
  samples <- unique(sample)
  targets <- unique(target)
  key <- paste(match(target, targets), match(sample, samples))
  n_rep <- tabulate(match(key, unique(key)))
  if (replicates == "error" && any(n_rep > 1L)) {
    dup <- unique(paste(sample, target, sep = "/")[duplicated(key)])
    ev_abort(sprintf("`file` (%s) has replicate rows for %s; use replicates = \"mean\".",
                     basename(file), format_offenders(dup)),
             "evmirna_error_duplicate", "replicates")
  }
  values <- matrix(NA_real_, length(targets), length(samples),
                   dimnames = list(targets, samples))
  reason <- matrix("not_measured", length(targets), length(samples),
                   dimnames = list(targets, samples))
  cell <- cbind(match(target, targets), match(sample, samples))
  flat <- (cell[, 2L] - 1L) * length(targets) + cell[, 1L]
  detected <- !is.na(parsed$values)
  sums <- counts <- numeric(length(values))
  sums[unique(flat[detected])] <- rowsum(parsed$values[detected],
                                         flat[detected], reorder = FALSE)[, 1L]
  counts[unique(flat[detected])] <- rowsum(rep(1, sum(detected)),
                                           flat[detected], reorder = FALSE)[, 1L]
  # A cell is a non-detect only if no replicate was detected; its reason is
  # that of the first replicate row.
  first_row <- !duplicated(key)
  reason[cell[first_row, , drop = FALSE]] <- parsed$reason[first_row]
  seen <- counts > 0
  values[seen] <- sums[seen] / counts[seen]
  reason[seen] <- NA_character_
  list(values = values, reason = reason,
       replicates = if (any(n_rep > 1L)) "mean of detected replicates" else NULL)
}
