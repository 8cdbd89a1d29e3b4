# RT-qPCR Cq exports: wide (samples x miRNAs or miRNAs x samples) or long
# (one row per well) tables, plain or as written by the instruments, with
# their non-detect codes, well flags and technical replicates.

nondetect_codes <- c(
  "undetermined" = "undetermined",
  "no ct" = "no_ct", "noct" = "no_ct", "no cq" = "no_ct", "nocq" = "no_ct",
  "n/a" = "not_available", "na" = "not_available",
  "nan" = "not_available", "-" = "not_available",
  # Excel error cells in a spreadsheet export
  "#value!" = "spreadsheet_error", "#n/a" = "spreadsheet_error",
  "#div/0!" = "spreadsheet_error", "#num!" = "spreadsheet_error",
  "#ref!" = "spreadsheet_error", "#name?" = "spreadsheet_error",
  "#null!" = "spreadsheet_error"
)

#' Read an RT-qPCR Cq export
#'
#' Reads Cq (Ct, Cp) values from plain tables and from the results exports of
#' the common instruments.
#'
#' Layouts (`format`, detected from the file when "auto"):
#' * "wide": one row per sample and one column per miRNA, or one row per
#'   miRNA and one column per sample (detected from which side carries miRNA
#'   names, or set by `orientation`);
#' * "long": one row per well with sample, target and Cq columns (usual
#'   headers such as "Sample Name", "Target Name", "Detector", "Cq", "CT" or
#'   StepOne's "Ct" spelt with a Cyrillic t are recognised, or name them with
#'   `sample_col`, `target_col`, `cq_col`);
#' * "quantstudio": QuantStudio, ViiA 7 and StepOne results exports ("* key =
#'   value" header block, `[Results]` section, CT, Omit, Amp Status, Cq Conf
#'   and the Y/N flag columns NOAMP, EXPFAIL, CQCONF, OUTLIERRG);
#' * "sds": Applied Biosystems SDS 2.x RQ results (header block; table header
#'   line starting with "#"; Detector, Ct, Omit);
#' * "cfx": Bio-Rad CFX "Quantification Cq Results" (Target, Sample, Cq;
#'   "NaN" or blank Cq = not amplified);
#' * "lightcycler": Roche LightCycler 480 Abs Quant / 2nd-derivative-max text
#'   export (Include, Pos, Name, Cp; blank Cp = not amplified; Include FALSE =
#'   excluded). The export has no target column, so each Name must read
#'   "<sample> <miRNA>" (or give `target_col`);
#' * "openarray": TaqMan OpenArray (Sample ID, Assay ID/Name, ThroughHole Ct,
#'   ThroughHole Outlier, Cq Conf);
#' * "biomark": Fluidigm BioMark results CSV (header block, two header rows;
#'   Ct 999 = not amplified; Call "Fail" = failed reaction).
#'
#' Files are read as real machines write them: UTF-8 with or without
#' byte-order mark (UTF-16 with a mark too), LF, CRLF or CR-only line ends,
#' comma, tab or semicolon separators (guessed from the header; Excel's
#' "sep=;" first line is understood), decimal commas (guessed when `dec` is
#' `NULL`), quoted fields, trailing empty columns. Files in another encoding
#' need `encoding` (e.g. "latin1"). Lines starting with `#` or `*` above the
#' table are the header block; its `#` lines become the evset's `provenance`
#' (the bundled simulated exports say there that they are simulated).
#'
#' Missing values become `NA`, and the reason is kept in the evset's
#' `missing_reason` matrix: "undetermined", "no_ct" ("No Ct", "No Cq", and
#' the instrument's own codes for no amplification), "not_available" ("N/A",
#' "NA"), "spreadsheet_error" (Excel cells such as "#VALUE!"), "empty" (blank
#' cell), "above_max_cq" (a Cq at or above `max_cq`), "not_measured" (no well
#' of that miRNA in that sample), and the well flags below. Numbers outside
#' (0, 50] and other text are errors.
#'
#' **Well flags.** Instrument flags make a well missing with the reason
#' recorded, never a detected value: Omit = TRUE ("omitted"), Amp Status "No
#' Amp" ("no_amplification") or "Inconclusive" ("amp_inconclusive"), NOAMP,
#' EXPFAIL ("exponential_failure"), CQCONF Y or a Cq Conf below `min_cq_conf`
#' ("low_cq_confidence"), OUTLIERRG / ThroughHole Outlier ("outlier"),
#' LightCycler Include FALSE ("excluded"), BioMark Call "Fail"
#' ("call_failed"), and a generic Flag column (anything but OK/Pass/blank is
#' "flagged"; "Undetermined" is "undetermined"). A message names the columns
#' read as flags and how many wells each removed; the step record keeps them.
#' The replicate-group flag HIGHSD is not read: the replicate rule of
#' [ev_qc()] judges the spread itself. "no_amplification" counts as a
#' non-detect (as "undetermined" does, for [ev_qc()] and
#' [ev_impute_nondetects()]); the other flags mark failed measurements, which
#' are left missing rather than imputed as low expression.
#'
#' **Technical replicates** (several wells of one miRNA in one sample) are
#' averaged over the wells that were detected and not flagged
#' (`replicates = "mean"`) or refused (`"error"`). The evset keeps, per miRNA
#' and sample, the number of wells (`replicates$wells`), the number averaged
#' (`replicates$used`) and their standard deviation (`replicates$sd`);
#' [ev_qc()] flags cells whose SD is too large or that rest on too few wells.
#'
#' @param file Path to the export.
#' @param format "auto" or one of the layouts above.
#' @param layout Deprecated spelling of `format` for the plain layouts:
#'   "auto", "wide" or "long".
#' @param orientation For wide tables: "auto", "samples_in_rows" or
#'   "features_in_rows".
#' @param max_cq Cq values at or above this are non-detects (default 40).
#' @param samples Optional sample metadata: a data.frame or a CSV/TSV path with
#'   an `id` column (group, age, plate, ...).
#' @param roles Optional feature roles, a named character vector (see
#'   [as_evset()]); by default roles are recognised from the names.
#' @param sep Field separator, one character; guessed from the header line
#'   when `NULL`.
#' @param dec Decimal mark of the Cq values, "." or ","; guessed from the
#'   cells when `NULL`.
#' @param encoding Text encoding of the file ("UTF-8"; e.g. "latin1" or
#'   "windows-1252" for older Windows exports).
#' @param sample_col,target_col,cq_col Column names for a long table; guessed
#'   from common instrument headers when `NULL`.
#' @param flag_cols Columns read as well flags: `NULL` recognises them by
#'   name (see Details), `character(0)` reads none.
#' @param min_cq_conf Optional threshold for a numeric Cq Conf column; wells
#'   below it are flagged "low_cq_confidence". By default only the
#'   instrument's own CQCONF flag is used.
#' @param replicates How to combine technical replicates of a long table:
#'   "mean" or "error".
#' @return An [evset] on the "cq" scale.
#' @seealso [ev_read_counts()], [evset()], [ev_qc()]
#' @export
#' @examples
#' path <- tempfile(fileext = ".csv")
#' writeLines(c("Sample,hsa-miR-21-5p,hsa-miR-451a,cel-miR-39-3p",
#'              "P1,27.3,Undetermined,22.0",
#'              "P2,26.1,21.4,41.2"), path)
#' x <- ev_read_qpcr(path)
#' x
#' x$missing_reason
#'
#' # A QuantStudio results export (SIMULATED values) with an omitted well and
#' # a triplicate
#' qs <- system.file("extdata", "quantstudio_results_example.txt",
#'                   package = "evmirna")
#' y <- ev_read_qpcr(qs)
#' y$missing_reason
#' y$replicates$sd
ev_read_qpcr <- function(file, format = c("auto", "wide", "long", "quantstudio",
                                          "sds", "cfx", "lightcycler",
                                          "openarray", "biomark"),
                         layout = NULL,
                         orientation = c("auto", "samples_in_rows",
                                         "features_in_rows"),
                         max_cq = 40, samples = NULL, roles = NULL,
                         sep = NULL, dec = NULL, encoding = "UTF-8",
                         sample_col = NULL, target_col = NULL, cq_col = NULL,
                         flag_cols = NULL, min_cq_conf = NULL,
                         replicates = c("mean", "error")) {
  format <- check_choice(format, qpcr_formats, "format")
  if (!is.null(layout)) {
    layout <- check_choice(layout, c("auto", "wide", "long"), "layout")
    if (format == "auto") format <- layout
  }
  orientation <- check_choice(orientation, c("auto", "samples_in_rows",
                                             "features_in_rows"),
                              "orientation")
  replicates <- check_choice(replicates, c("mean", "error"), "replicates")
  check_number(max_cq, "max_cq", lower = 1, upper = 50)
  check_separator(sep, "sep")
  check_separator(dec, "dec")
  if (!is.null(dec) && !dec %in% c(".", ",")) {
    ev_abort(sprintf("`dec` must be \".\" or \",\", not \"%s\".", dec),
             "evmirna_error_value", "dec")
  }
  if (!is.null(dec) && !is.null(sep) && identical(dec, sep)) {
    ev_abort("`dec` and `sep` must differ.", "evmirna_error_value", "dec")
  }
  for (arg in c("sample_col", "target_col", "cq_col")) {
    value <- get(arg)
    if (!is.null(value)) check_string(value, arg)
  }
  if (!is.null(min_cq_conf)) check_number(min_cq_conf, "min_cq_conf", lower = 0, upper = 1)
  user_cols <- list(sample = sample_col, target = target_col, cq = cq_col)
  located <- NULL
  locate <- if (format == "wide") NULL else function(lines, sep) {
    located <<- locate_long_header(lines, sep, user_cols)
    located
  }
  tab <- read_export_table(file, sep, encoding = encoding, locate = locate)
  if (format == "auto") {
    # Naming a long table's columns says the table is long.
    format <- if (!is.null(located)) {
      detect_qpcr_format(names(tab), attr(tab, "preamble"), located)
    } else if (length(unlist(user_cols))) "long" else "wide"
  }
  if (format == "wide") {
    check_header_names(tab, file)
    parsed <- parse_wide_cq(tab, orientation, max_cq, dec, file)
  } else {
    cols <- find_long_columns(names(tab), sample_col, target_col, cq_col,
                              format, file)
    parsed <- parse_long_cq(tab, cols, format, max_cq, dec, flag_cols,
                            min_cq_conf, replicates, file)
  }
  samples <- join_sample_metadata(colnames(parsed$values), samples)
  out <- evset(parsed$values, samples = samples, scale = "cq",
               missing_reason = parsed$reason,
               provenance = file_provenance(tab),
               replicates = parsed$replicate_info)
  out$features <- apply_roles(out$features, roles)
  out$steps <- list(list(name = "read_qpcr", file = basename(file),
                         format = format,
                         layout = if (format == "wide") "wide" else "long",
                         max_cq = max_cq, replicates = parsed$replicates,
                         flag_columns = parsed$flags))
  out
}

# Sample, target and Cq columns of a long table: the user's, or the usual
# instrument headers. A missing one is an error listing what the file has.
find_long_columns <- function(header, sample_col, target_col, cq_col, format,
                              file) {
  keys <- header_key(header)
  pick <- function(given, set) {
    if (!is.null(given)) return(if (given %in% header) given else NA_character_)
    hit <- match(set, keys)
    hit <- hit[!is.na(hit)]
    if (length(hit)) header[hit[1L]] else NA_character_
  }
  sample_keys <- long_column_keys$sample
  if (format == "lightcycler") sample_keys <- c(sample_keys, "name")
  cols <- c(sample = pick(sample_col, sample_keys),
            target = pick(target_col, long_column_keys$target),
            cq = pick(cq_col, long_column_keys$cq))
  given <- c(sample = !is.null(sample_col), target = !is.null(target_col),
             cq = !is.null(cq_col))
  if (format == "lightcycler" && is.na(cols[["target"]]) && !given[["target"]]) {
    cols[["target"]] <- ""
  }
  absent <- names(cols)[is.na(cols)]
  if (length(absent)) {
    arg <- if (any(given[absent])) paste0(absent[given[absent]][1L], "_col") else "file"
    needed <- vapply(absent, function(a) {
      if (given[[a]]) sprintf("%s (`%s_col` = \"%s\")", a, a,
                              list(sample = sample_col, target = target_col, cq = cq_col)[[a]])
      else sprintf("%s (e.g. %s)", a, paste0("\"", c(sample = "Sample Name", target = "Target Name", cq = "Cq")[[a]], "\""))
    }, character(1))
    ev_abort(sprintf("`file` (%s, read as %s): cannot find the %s column%s of a long table. Columns found: %s. Needed: %s; name them with `sample_col`, `target_col` and `cq_col`.",
                     basename(file), qpcr_format_labels[[format]] %||% format,
                     paste(absent, collapse = ", "), if (length(absent) > 1L) "s" else "",
                     format_offenders(header, 40L), paste(needed, collapse = "; ")),
             if (arg == "file") "evmirna_error_file" else "evmirna_error_unknown", arg)
  }
  cols
}

# Converts text cells to Cq numbers and missing-value reasons. `codes` adds
# instrument-specific non-detect codes; `blank` is the reason of a blank cell.
parse_cq_cells <- function(cells, max_cq, dec, file, codes = NULL,
                           blank = "empty") {
  text <- trimws(cells)
  low <- tolower(text)
  code <- unname(c(codes, nondetect_codes)[low])
  reason <- ifelse(nzchar(text), code, blank)
  to_number <- is.na(reason)
  dec <- dec %||% guess_decimal(text[to_number], file)
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
  list(values = numbers, reason = reason, dec = dec)
}

# "," when the numbers are written with decimal commas (European exports),
# "." otherwise; a mixture is an error.
guess_decimal <- function(text, file) {
  comma <- any(grepl("^-?[0-9]*,[0-9]+$", text))
  point <- any(grepl("^-?[0-9]*\\.[0-9]+$", text))
  if (comma && point) {
    ev_abort(sprintf("`file` (%s) mixes decimal commas and points in its Cq cells; set `dec`.",
                     basename(file)),
             "evmirna_error_file", "dec")
  }
  if (comma) "," else "."
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
      ev_abort(sprintf("`file` (%s): cannot tell whether miRNAs are in rows or columns; set `orientation`. For a long table (one row per well) it needs sample, target and Cq columns; columns found: %s.",
                       basename(file), format_offenders(names(tab), 40L)),
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

# Wells whose task says they are controls of the run, not patient samples.
control_well_codes <- c("ntc", "standard", "std", "neg ctrl", "negative control",
                        "pos ctrl", "nac", "nrt")

parse_long_cq <- function(tab, cols, format, max_cq, dec, flag_cols,
                          min_cq_conf, replicates, file) {
  sample <- tab[[cols[["sample"]]]]
  if (nzchar(cols[["target"]])) {
    target <- tab[[cols[["target"]]]]
  } else {
    split <- split_lightcycler_names(sample, file)
    sample <- split$sample
    target <- split$target
  }
  cq <- tab[[cols[["cq"]]]]
  keys <- header_key(names(tab))
  task_col <- names(tab)[match(c("task", "content"), keys)]
  task_col <- task_col[!is.na(task_col)][1L]
  control <- if (is.na(task_col)) logical(length(sample)) else
    tolower(trimws(tab[[task_col]])) %in% control_well_codes
  unused <- !nzchar(sample) & !nzchar(target)
  keep <- !control & !unused
  if (!any(keep)) {
    ev_abort(sprintf("`file` (%s) has no sample wells (only empty or control wells).",
                     basename(file)), "evmirna_error_empty", "file")
  }
  if (any(!nzchar(sample[keep])) || any(!nzchar(target[keep]))) {
    ev_abort(sprintf("`file` (%s) has rows without a sample or target name.",
                     basename(file)),
             "evmirna_error_file", "file")
  }
  sample <- sample[keep]
  target <- target[keep]
  parsed <- parse_cq_cells(cq[keep], max_cq, dec, file,
                           codes = format_cq_codes(format),
                           blank = format_blank_reason(format))
  flags <- flag_columns(names(tab), flag_cols, file)
  flag_counts <- integer(0)
  if (length(flags)) {
    per_col <- lapply(flags, function(f) flag_reasons(tab[[f]][keep], f, min_cq_conf, file))
    flags <- flags[!vapply(per_col, is.null, logical(1))]
    per_col <- per_col[!vapply(per_col, is.null, logical(1))]
  }
  if (length(flags)) {
    flag_counts <- stats::setNames(vapply(per_col, function(r) sum(!is.na(r)), integer(1)), flags)
    flag <- Reduce(function(a, b) ifelse(is.na(a), b, a), per_col)
    hit <- !is.na(flag) & !is.na(parsed$values)
    parsed$values[hit] <- NA_real_
    parsed$reason[hit] <- flag[hit]
  }
  cells <- combine_replicates(sample, target, parsed, replicates, file)
  read_message(file, format, length(sample), cells, flag_counts,
               sum(control), task_col)
  cells$flags <- if (length(flag_counts)) as.list(flag_counts) else NULL
  cells
}

# One value per target x sample: the mean of the wells detected and not
# flagged; the number of wells, the number averaged and their SD are kept.
combine_replicates <- function(sample, target, parsed, replicates, file) {
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
  dims <- list(targets, samples)
  n_cells <- length(targets) * length(samples)
  values <- matrix(NA_real_, length(targets), length(samples), dimnames = dims)
  reason <- matrix("not_measured", length(targets), length(samples), dimnames = dims)
  flat <- (match(sample, samples) - 1L) * length(targets) + match(target, targets)
  used <- !is.na(parsed$values)
  wells <- tabulate(flat, n_cells)
  n_used <- tabulate(flat[used], n_cells)
  sums <- numeric(n_cells)
  sums[n_used > 0] <- vapply(split(parsed$values[used], factor(flat[used], which(n_used > 0))),
                             sum, numeric(1))
  means <- sums / n_used
  dev2 <- (parsed$values[used] - means[flat[used]])^2
  ss <- numeric(n_cells)
  ss[n_used > 0] <- vapply(split(dev2, factor(flat[used], which(n_used > 0))), sum, numeric(1))
  sd <- ifelse(n_used > 1L, sqrt(ss / pmax(n_used - 1L, 1L)), NA_real_)
  # A cell is missing only if no well was used; its reason is that of its
  # first well.
  first <- !duplicated(flat)
  reason[flat[first]] <- parsed$reason[first]
  seen <- n_used > 0
  values[seen] <- means[seen]
  reason[seen] <- NA_character_
  info <- NULL
  if (any(wells > 1L)) {
    info <- list(wells = matrix(as.integer(wells), length(targets), dimnames = dims),
                 used = matrix(as.integer(n_used), length(targets), dimnames = dims),
                 sd = matrix(sd, length(targets), dimnames = dims))
  }
  list(values = values, reason = reason, replicate_info = info,
       replicates = if (any(n_rep > 1L)) "mean of detected replicates" else NULL)
}

# Says what was read: the layout, the wells, the flag columns and what they
# removed, and any control wells set aside.
read_message <- function(file, format, n_wells, cells, flag_counts, n_control,
                         task_col) {
  parts <- sprintf("Read \"%s\" as a %s: %d wells, %d targets x %d samples",
                   basename(file), qpcr_format_labels[[format]] %||% format,
                   n_wells, nrow(cells$values), ncol(cells$values))
  if (length(flag_counts)) {
    parts <- paste0(parts, sprintf("; flags read from %s",
                                   paste(sprintf("\"%s\" (%d %s)", names(flag_counts), flag_counts,
                                                 ifelse(flag_counts == 1L, "well", "wells")),
                                         collapse = ", ")))
  } else {
    parts <- paste0(parts, "; no flag column")
  }
  if (n_control) {
    parts <- paste0(parts, sprintf("; %d control wells (\"%s\" NTC/standard) set aside",
                                   n_control, task_col))
  }
  cnd <- structure(class = c("evmirna_message_read", "message", "condition"),
                   list(message = paste0(parts, ".\n"), call = NULL))
  message(cnd)
}
