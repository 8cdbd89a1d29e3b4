# Shared plumbing of the readers: read a delimited export as text, drop
# instrument preamble lines, refuse ragged or header-less tables.

read_export_table <- function(file, sep = NULL, arg = "file") {
  lines <- read_export_lines(file, arg)
  # Excel's "sep=;" first line names the separator.
  if (length(lines) && grepl("^sep=.\\s*$", lines[1L])) {
    sep <- sep %||% substr(lines[1L], 5L, 5L)
    lines <- lines[-1L]
  }
  results_at <- grep("^\\s*\\[Results\\]\\s*$", lines)
  if (length(results_at)) {
    lines <- lines[-seq_len(results_at[1L])]
    lines <- lines[seq_len(first_section_end(lines))]
  }
  # "#" comment lines before the header describe the file (e.g. that it
  # holds simulated data); they become the evset's provenance.
  first_data <- which(!grepl("^\\s*[#*]", lines) & nzchar(trimws(lines)))[1L]
  head_lines <- lines[seq_len(max(0L, first_data - 1L))]
  comments <- trimws(sub("^\\s*#+", "", grep("^\\s*#", head_lines, value = TRUE)))
  lines <- lines[!grepl("^\\s*[#*]", lines) & nzchar(trimws(lines))]
  if (length(lines) < 2L) {
    ev_abort(sprintf("`%s` (%s) has no data rows below a header.", arg,
                     basename(file)),
             "evmirna_error_file", arg)
  }
  sep <- sep %||% guess_separator(lines[1L])
  n_fields <- utils::count.fields(textConnection(lines), sep = sep,
                                  quote = "\"", comment.char = "",
                                  blank.lines.skip = FALSE)
  if (anyNA(n_fields) || any(n_fields != n_fields[1L])) {
    bad <- which(is.na(n_fields) | n_fields != n_fields[1L])[1L]
    ev_abort(sprintf("`%s` (%s) is ragged: data line %d has %s fields but the header has %d.",
                     arg, basename(file), bad, format(n_fields[bad]),
                     n_fields[1L]),
             "evmirna_error_file", arg)
  }
  tab <- utils::read.table(text = lines, sep = sep, header = TRUE,
                           colClasses = "character", na.strings = character(0),
                           quote = "\"", comment.char = "", check.names = FALSE,
                           strip.white = TRUE, stringsAsFactors = FALSE)
  attr(tab, "comments") <- comments[nzchar(comments)]
  header <- names(tab)
  if (all(!is.na(suppressWarnings(as.numeric(header[-1L]))))) {
    ev_abort(sprintf("`%s` (%s) seems to have no header row: the first line holds numbers.",
                     arg, basename(file)),
             "evmirna_error_file", arg)
  }
  if (any(!nzchar(header[-1L]))) {
    ev_abort(sprintf("`%s` (%s) has empty column names in its header.", arg,
                     basename(file)),
             "evmirna_error_file", arg)
  }
  tab
}

read_export_lines <- function(file, arg) {
  check_string(file, arg)
  if (!file.exists(file)) {
    ev_abort(sprintf("`%s`: no file at \"%s\".", arg, file),
             "evmirna_error_file", arg)
  }
  lines <- readLines(file, warn = FALSE, encoding = "UTF-8")
  # Byte-order marks from spreadsheet exports would end up in the first name.
  if (length(lines)) lines[1L] <- sub("^\ufeff", "", lines[1L])
  lines
}

# A results section ends at the next "[Section]" line.
first_section_end <- function(lines) {
  nxt <- grep("^\\s*\\[[^]]+\\]\\s*$", lines)
  if (length(nxt)) nxt[1L] - 1L else length(lines)
}

guess_separator <- function(header_line) {
  counts <- vapply(c("\t", ",", ";"), function(s) {
    lengths(regmatches(header_line, gregexpr(s, header_line, fixed = TRUE)))
  }, integer(1))
  if (all(counts == 0L)) {
    return("")
  }
  names(counts)[which.max(counts)]
}

# Joins optional sample metadata (data.frame or file) to the sample IDs read.
join_sample_metadata <- function(ids, samples, arg = "samples") {
  if (is.null(samples)) {
    return(data.frame(id = ids, stringsAsFactors = FALSE))
  }
  if (is.character(samples) && length(samples) == 1L) {
    tab <- read_export_table(samples, arg = arg)
    samples <- utils::type.convert(tab, as.is = TRUE)
  }
  if (!is.data.frame(samples)) {
    ev_abort(sprintf("`%s` must be a data.frame or the path of a CSV/TSV file.",
                     arg),
             "evmirna_error_type", arg)
  }
  if (is.null(samples$id)) {
    ev_abort(sprintf("`%s` needs an `id` column matching the sample IDs.", arg),
             "evmirna_error_shape", arg)
  }
  meta_ids <- as.character(samples$id)
  check_ids(meta_ids, arg, "sample IDs")
  absent <- setdiff(ids, meta_ids)
  if (length(absent)) {
    ev_abort(sprintf("`%s` has no row for samples %s.", arg,
                     format_offenders(absent)),
             "evmirna_error_unknown", arg)
  }
  extra <- setdiff(meta_ids, ids)
  if (length(extra)) {
    ev_warn(sprintf("`%s` describes %d samples absent from the data (%s); they are dropped.",
                    arg, length(extra), format_offenders(extra)),
            "evmirna_warning_extra_samples", arg)
  }
  out <- samples[match(ids, meta_ids), , drop = FALSE]
  out$id <- ids
  rownames(out) <- NULL
  out[c("id", setdiff(names(out), "id"))]
}

# The provenance string of a file: its leading "#" comment lines, if any.
file_provenance <- function(tab) {
  comments <- attr(tab, "comments")
  if (length(comments)) paste(comments, collapse = " ") else NULL
}

# Writes text lines to `path` atomically: a temporary file in the same
# folder, renamed over `path` once complete, so a failed or interrupted
# write never leaves a half-written file there. A classed error names `arg`.
write_text_file <- function(lines, path, arg) {
  tmp <- tempfile(paste0(".", basename(path), "-"), tmpdir = dirname(path))
  on.exit(unlink(tmp))
  ok <- tryCatch({
    writeLines(lines, tmp, useBytes = TRUE)
    file.rename(tmp, path)
  }, error = function(e) FALSE, warning = function(w) FALSE)
  if (!ok) {
    ev_abort(sprintf("`%s`: cannot write \"%s\".", arg, path), "evmirna_error_file", arg)
  }
  invisible(path)
}
