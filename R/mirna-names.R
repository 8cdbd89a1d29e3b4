# miRNA name harmonization to miRBase v22 names, vectorized: inputs are
# cleaned and normalized once, then resolved with match() against the index
# built from `mirna_names` (R/mirna-index.R).

mirna_species <- c("hsa", "mmu", "rno", "cel", "ath")

#' Harmonize miRNA names to miRBase v22
#'
#' Maps the names papers, assay vendors and instrument exports use to current
#' miRBase v22 mature names, using every name miRBase releases 6 to 22 gave
#' each accession ([mirna_names]), where that can be done without guessing.
#'
#' Each name is first cleaned of what labs add: surrounding space, vendor
#' assay IDs before or after the name (`000397_hsa-miR-21`,
#' `hsa-miR-21-5p_000397`, `hsa-miR-21-5p (YP00204230)`), Affymetrix `_st`
#' suffixes; `#` is read as `*` and underscores as hyphens. Case is then
#' ignored (`HSA-MIR-338-5P`), except that miRBase spells hairpins `mir` and
#' matures `miR`: an armless `hsa-mir-21`, `MIR-21` or the gene symbol `MIR21`
#' names the precursor, whose matures are the candidates.
#'
#' Resolution:
#' * a mature name of any release resolves to its accession's v22 name:
#'   "current" (the input is the v22 name), "harmonized" (a spelling of it)
#'   or "renamed" (a former name: hsa-miR-451 -> hsa-miR-451a, "renamed in
#'   v18"; hsa-miR-23a* -> hsa-miR-23a-5p; hsa-miR-21 -> hsa-miR-21-5p, which
#'   is what that name denoted in the releases that used it);
#' * a name that denoted different accessions in different releases
#'   (hsa-miR-378 was today's hsa-miR-378a-5p until v9.2 and hsa-miR-378a-3p
#'   from v10) is "ambiguous", with the v22 names as `candidates`. A current
#'   v22 name is read as current; its older meanings are given in `note`;
#' * a precursor name, or an armless name miRBase never used for a mature
#'   ("miR-6859"), gives the one mature that fits it ("harmonized") or, with
#'   two or more, "ambiguous";
#' * an accession (`MIMAT0000076`, or a precursor's `MI0000077`) resolves
#'   like the name it stands for;
#' * a combined assay ("miR-17/20a", "miR-106a/b") is "ambiguous", with the
#'   miRNAs of every part as candidates;
#' * an accession no longer in release 22 is "removed";
#' * non-miRNA small-RNA controls (U6, RNU6B, RNU44, RNU48, snoRNAs, U87, Y1,
#'   5S rRNA) and synthetic spike-ins (UniSp2, UniSp4, UniSp6, ...) are
#'   "control", with no miRBase name;
#' * anything else is "unknown"; `NA` or empty input is "missing".
#'
#' A name without a species prefix is read as `species` (human, "hsa", by
#' default). Vendor combined assays, precursors and armless names are never
#' resolved to one arm unless miRBase itself used that name for it.
#'
#' @param x Character vector of miRNA names or accessions (a factor is
#'   accepted).
#' @param details If `TRUE`, return a data.frame with one row per input.
#' @param armless Names without an arm (hsa-miR-21, hsa-miR-214):
#'   "history" (the default) resolves them to the mature miRBase gave that
#'   name; "flag" reports them "ambiguous" whenever the precursor has two or
#'   more matures, with those as candidates.
#' @param species Species prefix assumed for names without one: "hsa"
#'   (default), "mmu", "rno", "cel" or "ath".
#' @return If `details = FALSE`, a character vector of v22 names (`NA` where
#'   ambiguous, unknown, removed or a control), with a warning of class
#'   `evmirna_warning_mirna_name` listing the ambiguous, unknown and removed
#'   ones. If `details = TRUE`, a data.frame with columns `input`, `name`,
#'   `accession`, `status` ("current", "renamed", "harmonized", "ambiguous",
#'   "removed", "control", "unknown", "missing"), `candidates`
#'   (semicolon-separated v22 names), `note`, and `role`, the feature role
#'   [evset()] gives it by default ("spike_in" for C. elegans and A. thaliana
#'   miRNAs and synthetic spike-ins, "reference" for small-RNA controls,
#'   "hemolysis" for hsa-miR-451a and hsa-miR-23a-3p, "target" for other
#'   miRNAs, `NA` when unknown or missing).
#' @seealso [mirna_names] for the table and its provenance.
#' @references Griffiths-Jones S, Grocock RJ, van Dongen S, Bateman A,
#'   Enright AJ (2006). miRBase: microRNA sequences, targets and gene
#'   nomenclature. Nucleic Acids Research 34:D140-D144.
#'
#'   Kozomara A, Birgaoanu M, Griffiths-Jones S (2019). miRBase: from microRNA
#'   sequences to function. Nucleic Acids Research 47:D155-D162.
#' @export
#' @examples
#' ev_mirna_name(c("hsa-miR-21-5p", "miR-214-3p", "miR-23a*",
#'                 "hsa-miR-151-5p", "hsa-miR-451", "HSA-MIR-338-5P"))
#' ev_mirna_name(c("hsa-miR-21", "MIR21", "miR-378", "miR-17/20a", "U6",
#'                 "000397_hsa-miR-21", "MIMAT0000076"), details = TRUE)
#' ev_mirna_name("miR-214", armless = "flag", details = TRUE)
#' ev_mirna_name("miR-21a-5p", species = "mmu")
ev_mirna_name <- function(x, details = FALSE, armless = c("history", "flag"),
                          species = "hsa") {
  if (is.factor(x)) x <- as.character(x)
  if (!is.character(x) && !(is.atomic(x) && all(is.na(x)))) {
    ev_abort("`x` must be a character vector of miRNA names.",
             "evmirna_error_type", "x")
  }
  check_flag(details, "details")
  armless <- check_choice(armless, c("history", "flag"), "armless")
  species <- check_choice(species, mirna_species, "species")
  res <- mirna_lookup(as.character(x), armless, species)
  if (details) {
    return(res)
  }
  unresolved <- res$status %in% c("ambiguous", "unknown", "removed")
  if (any(unresolved)) {
    ev_warn(sprintf("`x`: %d names could not be harmonized (ambiguous, unknown or removed): %s; see ev_mirna_name(x, details = TRUE).",
                    sum(unresolved), format_offenders(unique(x[unresolved]))),
            "evmirna_warning_mirna_name", "x")
  }
  res$name
}

# The v22 precursor names of v22 mature names (a list; empty where unknown).
mirna_precursors <- function(names) {
  idx <- mirna_index()
  idx$precursors[match(names, idx$cur$name)]
}

# One row per input; the result of the last call is kept, since evset()
# asks for names and roles of the same IDs in turn.
mirna_lookup <- function(x, armless = "history", species = "hsa") {
  args <- list(x, armless, species)
  memo <- evmirna_env$last_lookup
  if (!is.null(memo) && identical(memo$args, args)) {
    return(memo$res)
  }
  u <- unique(x)
  bad <- !is.na(u) & !validUTF8(u)
  if (any(bad)) {
    ev_abort(sprintf("`x` has names that are not valid UTF-8 (%d); re-read the file with its `encoding` (for example \"latin1\") or convert with iconv().",
                     sum(bad)), "evmirna_error_value", "x")
  }
  at <- match(x, u)
  res <- lapply(resolve_names(u, armless, species), `[`, at)
  res$input <- x
  res <- new_frame(res)
  evmirna_env$last_lookup <- list(args = args, res = res)
  res
}

# A data.frame from a list of equal-length columns, without the checks and
# row-name work of data.frame() (which dominate a lookup's time).
new_frame <- function(cols) {
  n <- if (length(cols)) length(cols[[1L]]) else 0L
  structure(cols, class = "data.frame", row.names = .set_row_names(n))
}

name_columns <- c("name", "accession", "status", "candidates", "note")

# A list of the name columns, n rows: unknown, everything else NA.
blank_result <- function(n) {
  na <- rep(NA_character_, n)
  list(name = na, accession = na, status = rep("unknown", n), candidates = na,
       note = na)
}

set_rows <- function(out, i, value) {
  for (col in name_columns) out[[col]][i] <- value[[col]]
  out
}

resolve_names <- function(u, armless, species) {
  idx <- mirna_index()
  out <- blank_result(length(u))
  # Names spelled as in miRBase skip the cleaning (most inputs, and the
  # slowest part of a lookup).
  s <- u
  raw <- is.na(match(u, idx$exact$name))
  s[raw] <- clean_mirna_name(ifelse(is.na(u[raw]), "", u[raw]))
  blank <- is.na(u) | !nzchar(s)
  out$status[blank] <- "missing"
  is_acc <- !blank & grepl("^MI(MAT)?[0-9]{7}$", s)
  combo <- !blank & !is_acc & grepl("/", s, fixed = TRUE)
  plain <- !blank & !is_acc & !combo
  if (any(plain)) {
    out <- set_rows(out, plain, resolve_keys(s[plain], u[plain], armless,
                                             species, idx))
  }
  if (any(is_acc)) {
    out <- set_rows(out, is_acc, resolve_accessions(s[is_acc], armless,
                                                    species, idx))
  }
  if (any(combo)) {
    out <- set_rows(out, combo, resolve_combined(s[combo], armless, species,
                                                 idx))
  }
  ctrl <- out$status == "unknown" & is.na(out$candidates)
  if (any(ctrl)) {
    label <- small_rna_control(s[ctrl])
    hit <- which(ctrl)[!is.na(label)]
    out$status[hit] <- "control"
    out$note[hit] <- label[!is.na(label)]
  }
  out$role <- mirna_default_role(out$name, out$status, out$note,
                                 out$candidates)
  c(list(input = u), out)
}

# Cleaned, case-kept names -> name, accession, status, candidates, note;
# "current" only where the input itself is the v22 name.
resolve_keys <- function(s, input, armless, species, idx) {
  f <- name_features(s, species, idx)
  armed <- f$armed
  key <- f$key
  res <- idx$keys
  m <- key_row(idx, "M", key)
  p <- key_row(idx, "P", key)
  st <- key_row(idx, "S", key)
  # Arms are matures; "mir" spellings are hairpins first; else matures first.
  r <- m
  hp <- !armed & f$hairpin
  r[hp] <- pick_first(p[hp], st[hp], m[hp])
  other <- !armed & !hp
  r[other] <- pick_first(m[other], p[other], st[other])
  state <- res$state[r]
  ci <- res$cur[r]
  cur <- idx$cur
  name <- cur$name[ci]
  status <- rep("unknown", length(s))
  status[state %in% "one"] <- "harmonized"
  status[state %in% "many"] <- "ambiguous"
  status[state %in% "removed"] <- "removed"
  by_name <- !is.na(ci) & res$kind[r] %in% "M"
  status[by_name & res$former[r]] <- "renamed"
  status[by_name & !res$former[r] & input == name] <- "current"
  out <- list(name = name, accession = cur$accession[ci], status = status,
              candidates = candidate_string(idx$members, r, cur$name),
              note = res$note[r])
  if (armless == "flag") {
    flag <- which(by_name & !armed & cur$armed[ci] & cur$n_siblings[ci] >= 2L)
    out$note[flag] <- sprintf("no arm given; armless = \"history\" reads it as %s (%s)",
                              name[flag], out$note[flag])
    out$candidates[flag] <- candidate_string(idx$siblings, ci[flag], cur$name)
    out$status[flag] <- "ambiguous"
    out$name[flag] <- out$accession[flag] <- NA_character_
  }
  # An arm miRBase never had: the matures of the stem are the candidates.
  lost <- armed & is.na(r)
  if (any(lost)) {
    stem <- sub("(-[35]p|\\*)$", "", key[lost])
    rs <- pick_first(key_row(idx, "P", stem), key_row(idx, "S", stem),
                     key_row(idx, "M", stem))
    cand <- ifelse(res$state[rs] %in% "one", cur$name[res$cur[rs]],
                   candidate_string(idx$members, rs, cur$name))
    out$candidates[lost] <- cand
    out$note[lost] <- ifelse(is.na(cand), NA_character_,
                             "arm not in miRBase releases 6-22")
  }
  out
}

# Row of idx$keys for keys of one kind ("M", "P", "S"), NA when absent.
key_row <- function(idx, kind, key) {
  match(key, idx$kind_keys[[kind]]) + idx$kind_offset[[kind]]
}

# Key, arm and hairpin spelling ("mir", "MIR" or a gene symbol without an
# arm) of cleaned names; taken from the index for names spelled as in
# miRBase.
name_features <- function(s, species, idx) {
  e <- match(s, idx$exact$name)
  f <- list(key = idx$exact$key[e], armed = idx$exact$armed[e],
            hairpin = idx$exact$hairpin[e])
  todo <- which(is.na(e))
  if (length(todo)) {
    t <- s[todo]
    gene <- gene_symbol_name(t, species)
    t[!is.na(gene)] <- gene[!is.na(gene)]
    f$armed[todo] <- grepl("(-[35][pP]|\\*)$", t)
    f$hairpin[todo] <- !f$armed[todo] & grepl("(^|-)(mir|MIR|Mir)-?[0-9]", t)
    f$key[todo] <- mirna_key(t, species)
  }
  f
}

pick_first <- function(...) {
  picks <- list(...)
  out <- picks[[1L]]
  for (p in picks[-1L]) out[is.na(out)] <- p[is.na(out)]
  out
}

resolve_accessions <- function(s, armless, species, idx) {
  acc <- idx$accession
  a <- match(s, acc$accession)
  known <- !is.na(a) & !is.na(acc$current[a])
  out <- blank_result(length(s))
  # Resolved through the accession's v22 name, and the note says so.
  if (any(known)) {
    nm <- acc$current[a[known]]
    out <- set_rows(out, known, resolve_keys(nm, nm, armless, species, idx))
    out$status[known & startsWith(s, "MIMAT")] <- "harmonized"
    out$note[known] <- ifelse(is.na(out$note[known]), "miRBase accession",
                              paste0("miRBase accession; ", out$note[known]))
  }
  gone <- !is.na(a) & is.na(acc$current[a])
  out$status[gone] <- "removed"
  out$note[gone] <- sprintf("accession not in miRBase 22 (last named %s)",
                            acc$name[a[gone]])
  out
}

# "miR-17/20a", "miR-106a/b": every part is resolved; the assay measures
# them together, so the result is ambiguous unless all parts are one miRNA.
resolve_combined <- function(s, armless, species, idx) {
  parts <- strsplit(s, "/", fixed = TRUE)
  owner <- rep.int(seq_along(s), lengths(parts))
  head <- rep.int(vapply(parts, `[`, "", 1L), lengths(parts))
  flat <- trimws(unlist(parts, use.names = FALSE))
  prefix <- ifelse(grepl("(mi[rR]|MIR|let)-?[0-9]", head),
                   sub("^(.*?(mi[rR]|MIR|let)-?)[0-9].*$", "\\1", head), "")
  digit <- grepl("^[0-9]", flat)
  flat[digit] <- paste0(prefix[digit], flat[digit])
  letter <- grepl("^[a-z]$", flat)
  flat[letter] <- mapply(function(h, l) {
    sub("^(.*?(mi[rR]|MIR|let)-?[0-9]+)[a-z]?", paste0("\\1", l), h)
  }, head[letter], flat[letter], USE.NAMES = FALSE)
  res <- resolve_keys(flat, flat, armless, species, idx)
  member <- ifelse(is.na(res$name), res$candidates, res$name)
  split_m <- strsplit(ifelse(is.na(member), "", member), ";", fixed = TRUE)
  long_o <- rep.int(owner, lengths(split_m))
  long_m <- unlist(split_m, use.names = FALSE)
  cand <- vapply(split(long_m, factor(long_o, levels = seq_along(s))),
                 function(v) paste(sort(unique(v)), collapse = ";"), "")
  unresolved <- tapply(is.na(res$name), factor(owner, levels = seq_along(s)), any)
  single <- !unresolved & !grepl(";", cand, fixed = TRUE) & nzchar(cand)
  out <- list(name = ifelse(single, cand, NA_character_),
              accession = rep(NA_character_, length(s)),
              status = ifelse(single, "harmonized", "ambiguous"),
              candidates = ifelse(single | !nzchar(cand), NA_character_, cand),
              note = sprintf("combined assay of %d names", lengths(parts)))
  out$accession[single] <- idx$cur$accession[match(cand[single], idx$cur$name)]
  out$status[!single & !nzchar(cand)] <- "unknown"
  out
}

# What labs add around a name: vendor assay IDs (TaqMan 000397, QIAGEN
# YP00204230 / MS00009079, in front, behind or in brackets), Affymetrix
# "_st"/"hp_", NanoString "|0", "#" for star, underscores and odd dashes.
clean_mirna_name <- function(x) {
  s <- gsub("\u00a0", " ", x, fixed = TRUE)
  s <- gsub("[\u2010-\u2015\u2212]", "-", s, perl = TRUE)
  s <- gsub("\\s*[([][^])]*[])]", "", s, perl = TRUE)
  s <- gsub("#", "*", s, fixed = TRUE)
  assay <- "([0-9]{6,}|0[0-9]{3,}|[A-Z]{1,4}[0-9]{5,})"
  s <- sub(paste0("^\\s*", assay, "[_ ]+(?=[A-Za-z])"), "", s, perl = TRUE)
  s <- sub(paste0("[_ ]+", assay, "(_(mir|mat))?\\s*$"), "", s, perl = TRUE)
  s <- gsub("^\\s*hp_|_(x_|s_)?st\\s*$|\\|[0-9]+\\s*$", "", s, perl = TRUE)
  s <- gsub("^[_\\s]+|[_\\s]+$", "", s, perl = TRUE)
  gsub("[_ ]+", "-", s, perl = TRUE)
}

# HGNC gene symbols: MIR21 -> hsa-mir-21, MIR196A1 -> hsa-mir-196a-1,
# MIRLET7A1 -> hsa-let-7a-1, MIR1-1 -> hsa-mir-1-1; NA otherwise.
gene_symbol_name <- function(s, species) {
  out <- rep(NA_character_, length(s))
  g <- grepl("^MIR(LET)?[0-9]+[A-Z]?[0-9]*$", s)
  if (any(g)) {
    v <- sub("^MIRLET([0-9]+)([A-Z]?)([0-9]*)$", "let-\\1\\L\\2\\E-\\3", s[g],
             perl = TRUE)
    v <- sub("^MIR([0-9]+)([A-Z]?)([0-9]*)$", "mir-\\1\\L\\2\\E-\\3", v,
             perl = TRUE)
    out[g] <- paste0(species, "-", sub("-$", "", v))
  }
  h <- grepl("^MIR[0-9]+-[0-9]+$", s)
  out[h] <- paste0(species, "-mir-", substring(s[h], 4L))
  out
}
