# Shared plumbing of the readers: read an export as text whatever its line
# endings, byte-order mark or encoding; locate the table below an instrument
# header block; refuse ragged or header-less tables.

# Reads `file` as a delimited table of character columns. `locate`, when
# given, is function(lines, sep) returning NULL or list(at = index of the
# header line, names = optional column names replacing that line's).
read_export_table <- function(file, sep = NULL, arg = "file",
                              encoding = "UTF-8", locate = NULL) {
  check_separator(sep, "sep")
  lines <- read_export_lines(file, arg, encoding)
  # Excel writes "sep=;" as the first line of some CSV exports.
  excel_sep <- regmatches(lines[1L], regexec("^\"?sep=(.)\"?\\s*$", lines[1L]))[[1L]]
  if (length(excel_sep)) {
    sep <- sep %||% excel_sep[2L]
    lines <- lines[-1L]
  }
  results_at <- grep("^\\s*\\[Results\\]\\s*$", lines)
  block <- character(0)
  if (length(results_at)) {
    block <- lines[seq_len(results_at[1L])]
    lines <- lines[-seq_len(results_at[1L])]
    lines <- lines[seq_len(first_section_end(lines))]
  }
  content <- nzchar(trimws(lines))
  comment <- grepl("^\\s*[#*]", lines)
  if (!any(content & !comment)) {
    what <- if (any(content)) "holds only comment lines, no table" else "is empty"
    ev_abort(sprintf("`%s` (%s) %s.", arg, basename(file), what),
             "evmirna_error_file", arg)
  }
  found <- if (is.null(locate)) NULL else locate(lines, sep)
  at <- found$at %||% which(content & !comment)[1L]
  # "#" comment lines before the header describe the file (e.g. that it
  # holds simulated data); they become the evset's provenance.
  preamble <- lines[seq_len(at - 1L)]
  comments <- trimws(sub("^\\s*#+", "", grep("^\\s*#", c(block, preamble), value = TRUE)))
  body <- lines[-seq_len(at)]
  body <- body[seq_len(first_section_end(body))]
  body <- body[nzchar(trimws(body)) & !grepl("^\\s*[#*]", body)]
  if (length(body) < 1L) {
    ev_abort(sprintf("`%s` (%s) has no data rows below a header.", arg,
                     basename(file)),
             "evmirna_error_file", arg)
  }
  lines <- c(lines[at], body)
  sep <- sep %||% guess_separator(lines[1L])
  n_fields <- utils::count.fields(textConnection(lines), sep = sep,
                                  quote = "\"", comment.char = "",
                                  blank.lines.skip = FALSE)
  if (anyNA(n_fields) || any(n_fields != n_fields[1L])) {
    bad <- which(is.na(n_fields) | n_fields != n_fields[1L])[1L]
    ev_abort(sprintf("`%s` (%s) is ragged: data line %d has %s fields but the header has %d.",
                     arg, basename(file), bad - 1L, format(n_fields[bad]),
                     n_fields[1L]),
             "evmirna_error_file", arg)
  }
  tab <- utils::read.table(text = lines, sep = sep, header = TRUE,
                           colClasses = "character", na.strings = character(0),
                           quote = "\"", comment.char = "", check.names = FALSE,
                           strip.white = TRUE, stringsAsFactors = FALSE,
                           encoding = "UTF-8")
  if (!is.null(found$names)) names(tab) <- found$names
  names(tab) <- trimws(names(tab))
  # Spreadsheets leave unnamed empty columns at the end of each row.
  blank <- !nzchar(names(tab)) &
    vapply(tab, function(v) all(!nzchar(v)), logical(1))
  if (any(blank) && !all(blank)) tab <- tab[!blank]
  attr(tab, "comments") <- comments[nzchar(comments)]
  attr(tab, "preamble") <- c(block, preamble)
  attr(tab, "sep") <- sep
  header <- names(tab)
  if (length(header) > 1L &&
      all(!is.na(suppressWarnings(as.numeric(header[-1L]))))) {
    ev_abort(sprintf("`%s` (%s) seems to have no header row: the first line holds numbers.",
                     arg, basename(file)),
             "evmirna_error_file", arg)
  }
  tab
}

# A wide table needs a name for every column after the first.
check_header_names <- function(tab, file, arg = "file") {
  if (any(!nzchar(names(tab)[-1L]))) {
    ev_abort(sprintf("`%s` (%s) has empty column names in its header (columns found: %s).",
                     arg, basename(file), format_offenders(names(tab), 12L)),
             "evmirna_error_file", arg)
  }
  invisible(tab)
}

# The lines of a text export: CR, LF or CRLF line endings, an optional UTF-8
# or UTF-16 byte-order mark, any encoding iconv() knows (re-encoded to UTF-8).
read_export_lines <- function(file, arg = "file", encoding = "UTF-8") {
  check_string(file, arg)
  check_string(encoding, "encoding")
  if (dir.exists(file)) {
    ev_abort(sprintf("`%s` (\"%s\") is a directory, not an export file.", arg, file),
             "evmirna_error_file", arg)
  }
  if (!file.exists(file)) {
    ev_abort(sprintf("`%s`: no file at \"%s\".", arg, file),
             "evmirna_error_file", arg)
  }
  size <- file.info(file)$size
  bytes <- if (isTRUE(size > 0)) readBin(file, "raw", n = size) else raw(0)
  if (!length(bytes)) {
    ev_abort(sprintf("`%s` (%s) is empty.", arg, basename(file)),
             "evmirna_error_file", arg)
  }
  bom <- function(...) {
    b <- as.raw(c(...))
    length(bytes) >= length(b) && identical(bytes[seq_along(b)], b)
  }
  utf8 <- toupper(gsub("[-_]", "", encoding)) == "UTF8"
  if (bom(0xFF, 0xFE) || bom(0xFE, 0xFF)) {
    encoding <- if (bom(0xFF, 0xFE)) "UTF-16LE" else "UTF-16BE"
    bytes <- bytes[-(1:2)]
    utf8 <- FALSE
  } else if (bom(0xEF, 0xBB, 0xBF)) {
    bytes <- bytes[-(1:3)]
  }
  if (utf8) {
    if (any(bytes == as.raw(0L))) {
      ev_abort(sprintf("`%s` (%s) holds NUL bytes: it is not a UTF-8 text export (a UTF-16 file without byte-order mark? pass encoding = \"UTF-16LE\").",
                       arg, basename(file)),
               "evmirna_error_file", "encoding")
    }
    text <- rawToChar(bytes)
    if (!validUTF8(text)) {
      ev_abort(sprintf("`%s` (%s) is not valid UTF-8; if it was saved as Latin-1 or Windows-1252 (Excel on Windows often does), pass encoding = \"latin1\" (or \"windows-1252\").",
                       arg, basename(file)),
               "evmirna_error_file", "encoding")
    }
    Encoding(text) <- "UTF-8"
  } else {
    text <- tryCatch(iconv(list(bytes), encoding, "UTF-8"),
                     error = function(e) NA_character_,
                     warning = function(w) NA_character_)
    if (is.na(text)) {
      ev_abort(sprintf("`%s` (%s) cannot be read as `encoding` \"%s\" (unknown encoding name or bytes that are invalid in it).",
                       arg, basename(file), encoding),
               "evmirna_error_file", "encoding")
    }
    text <- sub("^\ufeff", "", text)
  }
  strsplit(text, "\r\n|\r|\n")[[1L]]
}

# `sep` and `dec` are single characters (or NULL: guessed).
check_separator <- function(x, arg) {
  if (is.null(x)) return(invisible(x))
  if (!is.character(x) || length(x) != 1L || is.na(x) || nchar(x) != 1L) {
    shown <- if (is.character(x) && length(x) == 1L && !is.na(x)) sprintf("\"%s\"", x) else
      paste0("a ", class(x)[1L], " of length ", length(x))
    ev_abort(sprintf("`%s` must be a single character such as \",\", \";\" or \"\\t\" (or NULL to guess), not %s.",
                     arg, shown),
             "evmirna_error_value", arg)
  }
  invisible(x)
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
  # The rename below would replace whatever `path` names: as root, even a
  # device such as /dev/zero. Only a regular file (or nothing) is replaced.
  if (file.exists(path) && !is_regular_file(path)) {
    ev_abort(sprintf("`%s`: \"%s\" exists and is not a regular file (a directory, device or FIFO); choose a file path.",
                     arg, path), "evmirna_error_file", arg)
  }
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

# TRUE for an existing regular file (file.info() cannot tell a device or
# FIFO from a file, so ask test(1) where there is one).
is_regular_file <- function(path) {
  info <- file.info(path, extra_cols = FALSE)
  if (is.na(info$isdir) || info$isdir) return(FALSE)
  if (.Platform$OS.type != "unix") return(TRUE)
  identical(system2("test", c("-f", shQuote(path))), 0L)
}
