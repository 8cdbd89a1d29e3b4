# Instrument export layouts for ev_read_qpcr(): where the results table
# starts below the header block, which columns hold sample, target and Cq,
# which vendor wrote the file, and which columns are well flags.
#
# Layouts (from the vendors' manuals and public example exports):
# * QuantStudio / ViiA 7 / StepOne: "* key = value" header block, a
#   "[Results]" section; Well, Well Position, Omit, Sample Name, Target Name,
#   Task, CT (StepOne: Cyrillic "C\u0442"), Ct Mean, Ct SD, Amp Status,
#   Cq Conf, and Y/N flag columns (NOAMP, EXPFAIL, CQCONF, OUTLIERRG, ...).
# * SDS 2.x RQ results: a text header block, then a table whose header line
#   starts with "#": Well, Sample Name, Detector, Task, Ct, Omit, ...
# * Bio-Rad CFX "Quantification Cq Results": an unnamed first column, Well,
#   Fluor, Target, Content, Sample, Cq ("NaN" or blank when not amplified).
# * Roche LightCycler 480 Abs Quant / 2nd derivative max text export: an
#   "Experiment: ..." line, then Include, Color, Pos, Name, Cp,
#   Concentration, Standard, Status (Cp blank when not amplified).
# * TaqMan OpenArray: Sample ID, Assay ID / Assay Name, ThroughHole Ct (or
#   Ct), ThroughHole Outlier (True/False), Amp Score, Cq Conf.
# * Fluidigm BioMark "Table Results" CSV: a header block, then two header
#   rows ("Chamber,Sample,,,<dye>,,,Ct,..." over "ID,Name,Type,rConc,Name,
#   Type,Reference,Value,Quality,Call,..."); Ct 999 when not amplified,
#   Call "Fail" for a failed reaction.

qpcr_formats <- c("auto", "wide", "long", "quantstudio", "sds", "cfx",
                  "lightcycler", "openarray", "biomark")

qpcr_format_labels <- c(
  long = "long table", quantstudio = "QuantStudio/ViiA 7/StepOne results export",
  sds = "SDS 2.x RQ results export", cfx = "Bio-Rad CFX Quantification Cq Results export",
  lightcycler = "LightCycler 480 text export", openarray = "TaqMan OpenArray export",
  biomark = "Fluidigm BioMark results export"
)

# Header keys: lower case, letters and digits only (Cyrillic "t" as "t").
header_key <- function(x) gsub("[^a-z0-9]", "", gsub("\u0442", "t", tolower(x)))

long_column_keys <- list(
  sample = c("samplename", "sample", "sampleid", "samplesampleid", "samplesamplename"),
  target = c("targetname", "target", "detector", "detectorname", "assayname",
             "assay", "assayid", "assayassayid", "mirna", "feature", "gene",
             "genename"),
  cq = c("cq", "ct", "crt", "cp", "cqvalue", "ctvalue", "throughholect", "ctct")
)

# Finds the results header: the first line with sample, target and Cq
# columns (LightCycler: Name and Cp); BioMark's two header rows are merged.
locate_long_header <- function(lines, sep, user_cols = list()) {
  n <- min(length(lines), 500L)
  sets <- long_column_keys
  for (nm in names(user_cols)) {
    if (!is.null(user_cols[[nm]])) sets[[nm]] <- header_key(user_cols[[nm]])
  }
  prev_keys <- NULL
  for (i in seq_len(n)) {
    line <- lines[i]
    if (!nzchar(trimws(line))) {
      prev_keys <- NULL
      next
    }
    s <- sep %||% guess_separator(line)
    if (!nzchar(s)) next
    fields <- trimws(gsub("\"", "", strsplit(line, s, fixed = TRUE)[[1L]]))
    fields <- sub("^#\\s*", "", fields)
    keys <- header_key(fields)
    if (length(keys) && keys[1L] == "id" && identical(prev_keys$first, "chamber")) {
      names <- biomark_names(prev_keys$fields, fields)
      return(list(at = i, names = names, format = "biomark"))
    }
    prev_keys <- list(first = keys[1L], fields = fields)
    has <- function(set) any(keys %in% set)
    if (has(sets$sample) && has(sets$target) && has(sets$cq)) {
      return(list(at = i, names = if (startsWith(trimws(line), "#")) fields else NULL))
    }
    if (all(c("name", "cp") %in% keys) && "pos" %in% keys) {
      return(list(at = i, format = "lightcycler"))
    }
  }
  NULL
}

# "Chamber,Sample,,,FAM-MGB,,,Ct,..." over "ID,Name,Type,...": the group
# row is filled forward; the dye group's Name/Type become the assay's.
biomark_names <- function(group, sub) {
  length(group) <- length(sub)
  group[is.na(group)] <- ""
  for (k in seq_along(group)[-1L]) if (!nzchar(group[k])) group[k] <- group[k - 1L]
  g <- header_key(group)
  assay <- !g %in% c("chamber", "sample", "ct", "quality", "call", "comments", "")
  group[assay] <- "Assay"
  trimws(paste(group, sub))
}

detect_qpcr_format <- function(header, preamble, located) {
  if (!is.null(located$format)) return(located$format)
  keys <- header_key(header)
  if (any(startsWith(keys, "throughhole")) || any(c("chipid", "chipwell", "barcode") %in% keys)) {
    return("openarray")
  }
  if (all(c("fluor", "content") %in% keys)) return("cfx")
  if ("detector" %in% keys || any(grepl("\\bSDS\\b", preamble))) return("sds")
  if (any(c("wellposition", "ampstatus", "cqconf", "ctconf", "omit", "noamp",
            "expfail") %in% keys) || any(grepl("^\\s*\\*|^\\s*\\[Results\\]", preamble))) {
    return("quantstudio")
  }
  "long"
}

# Non-detect codes of the Cq cells that depend on the instrument.
format_cq_codes <- function(format) {
  switch(format,
         cfx = c("nan" = "no_ct", "n/a" = "no_ct"),
         lightcycler = c(),
         biomark = c("999" = "no_ct", "999.0" = "no_ct"),
         c())
}

# A blank Cq means "not amplified" in CFX and LightCycler exports.
format_blank_reason <- function(format) {
  if (format %in% c("cfx", "lightcycler")) "no_ct" else "empty"
}

truthy_codes <- c("true", "yes", "y", "1", "x")
falsy_codes <- c("false", "no", "n", "0", "", "-")

# Well flags, by header key: kind "yes" (a Y/TRUE cell flags the well),
# "no" (a FALSE cell flags it), "amp" (Amp Status), "call" (BioMark),
# "conf" (Cq Conf: a number, or Y/N for the instrument's own flag),
# "text" (generic Flag column: anything but an OK code flags).
flag_rules <- list(
  omit = list(kind = "yes", reason = "omitted"),
  omitted = list(kind = "yes", reason = "omitted"),
  noamp = list(kind = "yes", reason = "no_amplification"),
  expfail = list(kind = "yes", reason = "exponential_failure"),
  outlierrg = list(kind = "yes", reason = "outlier"),
  throughholeoutlier = list(kind = "yes", reason = "outlier"),
  outlier = list(kind = "yes", reason = "outlier"),
  include = list(kind = "no", reason = "excluded"),
  ampstatus = list(kind = "amp", reason = "no_amplification"),
  call = list(kind = "call", reason = "call_failed"),
  ctcall = list(kind = "call", reason = "call_failed"),
  cqconf = list(kind = "conf", reason = "low_cq_confidence"),
  ctconf = list(kind = "conf", reason = "low_cq_confidence"),
  cqconfidence = list(kind = "conf", reason = "low_cq_confidence"),
  flag = list(kind = "text", reason = "flagged"),
  flags = list(kind = "text", reason = "flagged")
)

ok_flag_codes <- c("", "ok", "pass", "passed", "false", "n", "no", "none", "-")

# Which columns of `header` are read as flags: the recognised ones, or
# those named in `flag_cols` (character(0) reads none).
flag_columns <- function(header, flag_cols, file) {
  keys <- header_key(header)
  if (is.null(flag_cols)) {
    return(header[keys %in% names(flag_rules)])
  }
  if (!is.character(flag_cols) || anyNA(flag_cols)) {
    ev_abort("`flag_cols` must be NULL (recognise flag columns), character(0) (read none) or column names.",
             "evmirna_error_type", "flag_cols")
  }
  unknown <- setdiff(flag_cols, header)
  if (length(unknown)) {
    ev_abort(sprintf("`flag_cols` names columns that `file` (%s) lacks: %s; columns found: %s.",
                     basename(file), format_offenders(unknown),
                     format_offenders(header, 40L)),
             "evmirna_error_unknown", "flag_cols")
  }
  flag_cols
}

# Per-row flag reason (NA where the well passes) from one flag column.
flag_reasons <- function(values, column, min_cq_conf, file) {
  rule <- flag_rules[[header_key(column)]] %||% flag_rules$flag
  v <- tolower(trimws(values))
  bad_codes <- function(ok) {
    odd <- unique(values[!v %in% ok])
    ev_abort(sprintf("`file` (%s): flag column \"%s\" holds %s, which are not its known codes; pass `flag_cols` without it to ignore it.",
                     basename(file), column, format_offenders(odd)),
             "evmirna_error_file", "flag_cols")
  }
  out <- rep(NA_character_, length(v))
  switch(rule$kind,
    yes = {
      if (!all(v %in% c(truthy_codes, falsy_codes))) bad_codes(c(truthy_codes, falsy_codes))
      out[v %in% truthy_codes] <- rule$reason
    },
    no = {
      if (!all(v %in% c(truthy_codes, falsy_codes))) bad_codes(c(truthy_codes, falsy_codes))
      out[v %in% setdiff(falsy_codes, c("", "-"))] <- rule$reason
    },
    amp = {
      out[v %in% c("no amp", "noamp", "no amplification")] <- "no_amplification"
      out[v %in% c("inconclusive", "amp inconclusive")] <- "amp_inconclusive"
      known <- c("amp", "no amp", "noamp", "no amplification", "inconclusive",
                 "amp inconclusive", "", "-")
      if (!all(v %in% known)) bad_codes(known)
    },
    call = {
      out[v %in% c("fail", "failed")] <- rule$reason
    },
    conf = {
      if (all(v %in% c(truthy_codes, falsy_codes))) {
        out[v %in% truthy_codes] <- rule$reason
      } else if (is.null(min_cq_conf)) {
        # A numeric confidence is read only against the user's threshold.
        return(NULL)
      } else {
        conf <- suppressWarnings(as.numeric(sub(",", ".", v, fixed = TRUE)))
        out[!is.na(conf) & conf < min_cq_conf] <- rule$reason
      }
    },
    text = {
      out[!v %in% ok_flag_codes] <- rule$reason
      out[v == "undetermined"] <- "undetermined"
    }
  )
  out
}

# LightCycler "Name" cells hold the sample and the miRNA ("P1 miR-21-5p" or
# "P1_hsa-miR-21-5p"): split at the last blank or underscore.
split_lightcycler_names <- function(name, file) {
  target <- sub("^.*[ _]", "", name)
  sample <- trimws(sub("[ _][^ _]*$", "", name))
  ok <- grepl("[ _]", name) & nzchar(sample) & looks_like_mirna(target)
  if (!all(ok)) {
    ev_abort(sprintf("`file` (%s): a LightCycler export has no target column, so each Name must read \"<sample> <miRNA>\"; these do not: %s. Or give `target_col`.",
                     basename(file), format_offenders(unique(name[!ok]))),
             "evmirna_error_file", "target_col")
  }
  list(sample = sample, target = target)
}
