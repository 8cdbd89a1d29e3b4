# miRNA name harmonization to miRBase v22 mature names. The lookup table is
# shipped in inst/extdata/mirna_names.csv (data-raw/mirna_names.R builds the
# `mirna_names` dataset from it).

#' Harmonize miRNA names to miRBase v22
#'
#' Maps the many spellings found in papers and instrument exports ("miR-214",
#' "hsa-mir-214", "miR-214-3p", "MIR214", "miR-23a*", renamed IDs such as
#' "hsa-miR-151-5p" or "hsa-miR-451") to current miRBase v22 human mature
#' names, where that can be done without guessing.
#'
#' Rules, in order:
#' 1. a current mature name is kept ("current");
#' 2. a former miRBase mature ID with an arm or a star ("hsa-miR-151-5p",
#'    "hsa-miR-23a*") or from a precursor with a single mature
#'    ("hsa-miR-451") becomes its current name ("renamed");
#' 3. a spelling variant with an arm ("miR-214-3p", "MIR-214-3P") gets the
#'    species prefix and canonical case ("harmonized");
#' 4. a name without an arm ("miR-214", "hsa-mir-214", "MIR214") from a
#'    precursor with two mature arms is "ambiguous": the name is `NA` and both
#'    arms are listed as candidates. With `armless = "history"`, a name that
#'    miRBase itself used as a former mature ID (hsa-miR-214 denoted today's
#'    hsa-miR-214-3p until v17) is mapped to that mature ("renamed");
#' 5. anything else is "unknown".
#'
#' The human prefix "hsa-" is assumed when a name has none.
#'
#' @param x Character vector of miRNA names (a factor is accepted).
#' @param details If `TRUE`, return a data.frame with one row per input.
#' @param armless How to treat names without an arm: "flag" (ambiguous, the
#'   default) or "history" (use miRBase's former ID when there is one).
#' @return If `details = FALSE`, a character vector of harmonized names (`NA`
#'   where ambiguous or unknown), with a warning of class
#'   `evmirna_warning_mirna_name` listing those. If `details = TRUE`, a
#'   data.frame with columns `input`, `name`, `accession`, `status` ("current",
#'   "renamed", "harmonized", "ambiguous", "unknown", "missing"),
#'   `candidates` (semicolon-separated) and `note`.
#' @seealso [mirna_names] for the lookup table and its provenance.
#' @export
#' @examples
#' ev_mirna_name(c("hsa-miR-21-5p", "miR-214-3p", "miR-23a*",
#'                 "hsa-miR-151-5p", "hsa-miR-451"))
#' ev_mirna_name(c("miR-214", "MIR214"), details = TRUE)
#' ev_mirna_name("miR-214", armless = "history")
ev_mirna_name <- function(x, details = FALSE, armless = c("flag", "history")) {
  if (is.factor(x)) x <- as.character(x)
  if (!is.character(x) && !all(is.na(x))) {
    ev_abort("`x` must be a character vector of miRNA names.",
             "evmirna_error_type", "x")
  }
  check_flag(details, "details")
  armless <- check_choice(armless, c("flag", "history"), "armless")
  x <- as.character(x)
  table <- mirna_lookup_table()
  keys <- unique(x)
  rows <- lapply(keys, harmonize_one, table = table, armless = armless)
  res <- do.call(rbind, rows)
  res <- res[match(x, keys), , drop = FALSE]
  res$input <- x
  rownames(res) <- NULL
  if (details) {
    return(res)
  }
  unresolved <- res$status %in% c("ambiguous", "unknown")
  if (any(unresolved)) {
    ev_warn(sprintf("`x`: %d names could not be harmonized (ambiguous or unknown): %s; see ev_mirna_name(x, details = TRUE).",
                    sum(unresolved), format_offenders(unique(x[unresolved]))),
            "evmirna_warning_mirna_name", "x")
  }
  res$name
}

mirna_lookup_table <- function() {
  tab <- evmirna_env$mirna_table
  if (is.null(tab)) {
    path <- system.file("extdata", "mirna_names.csv", package = "evmirna")
    tab <- utils::read.csv(path, stringsAsFactors = FALSE, na.strings = "")
    tab$precursor_list <- strsplit(tab$precursor, ";", fixed = TRUE)
    evmirna_env$mirna_table <- tab
  }
  tab
}

evmirna_env <- new.env(parent = emptyenv())

name_result <- function(input, name = NA_character_, accession = NA_character_,
                        status, candidates = NA_character_, note = NA_character_) {
  data.frame(input = input, name = name, accession = accession,
             status = status, candidates = candidates, note = note,
             stringsAsFactors = FALSE)
}

harmonize_one <- function(input, table, armless) {
  if (is.na(input) || !nzchar(trimws(input))) {
    return(name_result(input, status = "missing"))
  }
  s <- trimws(input)
  hit <- match(s, table$name)
  if (!is.na(hit)) {
    return(name_result(input, s, table$accession[hit], "current"))
  }
  parsed <- parse_mirna_name(s)
  if (is.null(parsed)) {
    return(name_result(input, status = "unknown",
                       note = "not a recognised miRNA name"))
  }
  family <- family_members(table, parsed$species, parsed$family)
  candidates <- if (length(family)) paste(table$name[family], collapse = ";") else
    NA_character_
  if (parsed$mature && (nzchar(parsed$arm) || parsed$star)) {
    canonical <- paste0(mature_stem(parsed$species, parsed$family),
                        if (nzchar(parsed$arm)) paste0("-", parsed$arm),
                        if (parsed$star) "*")
    hit <- match(canonical, table$name)
    if (!is.na(hit)) {
      return(name_result(input, canonical, table$accession[hit], "harmonized"))
    }
    hit <- match_previous(canonical, table)
    if (!is.na(hit)) {
      return(name_result(input, table$name[hit], table$accession[hit],
                         "renamed", note = paste("former miRBase ID", canonical)))
    }
    return(name_result(input, status = "unknown", candidates = candidates,
                       note = "arm not found in the lookup table"))
  }
  # No arm given: unambiguous only for a mature without arms (hsa-miR-451a,
  # formerly hsa-miR-451) or a precursor with a single mature.
  former <- mature_stem(parsed$species, parsed$family)
  hit <- if (parsed$mature) match_previous(former, table) else NA_integer_
  if (!is.na(hit) && is.na(table$arm[hit])) {
    return(name_result(input, table$name[hit], table$accession[hit], "renamed",
                       candidates = candidates,
                       note = paste("former miRBase ID", former)))
  }
  if (length(family) == 1L) {
    return(name_result(input, table$name[family], table$accession[family],
                       if (parsed$mature) "renamed" else "harmonized",
                       candidates = candidates,
                       note = "precursor has a single mature miRNA"))
  }
  if (length(family) == 0L) {
    return(name_result(input, status = "unknown",
                       note = "precursor not in the lookup table"))
  }
  if (!is.na(hit) && armless == "history") {
    return(name_result(input, table$name[hit], table$accession[hit], "renamed",
                       candidates = candidates,
                       note = paste("armless; miRBase's former ID", former)))
  }
  note <- "no arm given and the precursor has two mature arms"
  if (!is.na(hit)) {
    note <- sprintf("%s; miRBase used %s for %s until v17", note, former,
                    table$name[hit])
  }
  name_result(input, status = "ambiguous", candidates = candidates, note = note)
}

match_previous <- function(name, table) {
  prev <- strsplit(ifelse(is.na(table$previous_names), "",
                          table$previous_names), ";", fixed = TRUE)
  hit <- which(vapply(prev, function(p) name %in% p, logical(1)))
  if (length(hit) == 1L) hit else NA_integer_
}

# let-7 family members carry no "miR-" in their names.
mature_stem <- function(species, family) {
  if (startsWith(family, "let-")) paste0(species, "-", family) else
    paste0(species, "-miR-", family)
}

family_members <- function(table, species, family) {
  precursor <- if (startsWith(family, "let-")) paste0(species, "-", family) else
    paste0(species, "-mir-", family)
  which(vapply(table$precursor_list, function(p) {
    any(p == precursor | startsWith(p, paste0(precursor, "-")))
  }, logical(1)))
}

# Splits "hsa-miR-23a-5p", "miR-23a*", "hsa-mir-214", "MIR214", "let-7a-5p",
# "MIRLET7A1" into species, mature-or-precursor, family ("23a", "16-1"), arm.
parse_mirna_name <- function(s) {
  gene <- regmatches(s, regexec("^MIR(LET)?([0-9]+)([A-Z]?)([0-9]*)$", s))[[1L]]
  if (length(gene)) {
    prefix <- if (nzchar(gene[2L])) "let-" else ""
    family <- paste0(prefix, gene[3L], tolower(gene[4L]),
                     if (nzchar(gene[5L])) paste0("-", gene[5L]))
    return(list(species = "hsa", mature = FALSE, family = family, arm = "",
                star = FALSE))
  }
  re <- "^(([a-z]{3})-)?(miR|mir|MIR|Mir|let|Let|LET)-?((7[a-z]?|[0-9]+)([a-z]?)((-[0-9]+)?))(-([35][pP]))?(\\*)?$"
  m <- regmatches(s, regexec(re, s))[[1L]]
  if (!length(m)) {
    return(NULL)
  }
  kind <- m[4L]
  is_let <- tolower(kind) == "let"
  family <- paste0(if (is_let) "let-" else "", tolower(m[5L]))
  has_arm <- nzchar(m[11L]) || nzchar(m[12L])
  mature <- has_arm || kind %in% c("miR", "let", "Let", "LET")
  list(species = if (nzchar(m[3L])) m[3L] else "hsa", mature = mature,
       family = family, arm = tolower(m[11L]), star = nzchar(m[12L]))
}
