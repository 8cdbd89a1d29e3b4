# Annotation of measured miRNAs with the curated bone-remodeling EV table
# (bone_remodeling_evs, built from the review shipped in inst/extdata).

#' Annotate miRNAs with the curated bone-remodeling EV findings
#'
#' Joins miRNA names to the rows of [bone_remodeling_evs], the table of EV
#' cargo relations stated in the review of EVs in osteoporosis shipped with
#' the package. Names are first harmonized with [ev_mirna_name()], then
#' matched in two ways, reported in the `match` column:
#' * `"exact"`: the harmonized name equals the curated row's `mirna` (for
#'   example hsa-miR-214-3p and the review's "miR-214-3p");
#' * `"precursor"`: the review names the miRNA without an arm ("miR-214",
#'   "miR-155"), so its row has no harmonized name, and the input is either
#'   arm of the same precursor. A name given without an arm on input
#'   ("miR-214") matches such rows too, through its candidate arms. It never
#'   matches a row whose review name has an arm: that would guess one.
#'
#' Rows of the curated table whose cargo is a protein, a drug or unspecified
#' are never matched.
#'
#' @param x A character vector (or factor) of miRNA names, an [evset] (its
#'   feature IDs are used unless `column` says otherwise), or a data.frame
#'   with a column of miRNA names.
#' @param column For a data.frame or evset, the name of the column holding
#'   the miRNA names. By default the first of "mirna", "feature" and "id"
#'   present in a data.frame, and "id" for an evset's features.
#' @param keep_unmatched If `TRUE` (the default), inputs without any curated
#'   row are kept once, with `NA` in the curated columns and in `match`; if
#'   `FALSE` they are dropped.
#' @return A data.frame with one row per input and matching curated row, in
#'   input order: the input (column `input` for a vector; all columns of the
#'   data.frame or of the evset's features otherwise), `harmonized` (the
#'   miRBase v22 name, `NA` when ambiguous or unknown), `match` ("exact",
#'   "precursor" or `NA`), then the columns of [bone_remodeling_evs] with its
#'   `id` and `mirna` renamed `ev_id` and `ev_mirna` (any other column whose
#'   name the input already uses gets the prefix `ev_` too). Names that are
#'   not recognised miRNA names give a warning of class
#'   `evmirna_warning_mirna_name`; missing names are kept unmatched.
#' @seealso [bone_remodeling_evs] for the curated table and its provenance.
#' @references
#' He Y, Wuertz-Kozak K, Kuehl LK, Wippert PM (2021). Extracellular
#' vesicles: potential mediators of psychosocial stress contribution to
#' osteoporosis? *International Journal of Molecular Sciences* 22(11), 5846.
#' \doi{10.3390/ijms22115846}
#' @export
#' @examples
#' ev_annotate(c("hsa-miR-214-3p", "hsa-miR-155-5p", "hsa-miR-16-5p"))
#' ev_annotate(c("miR-21-5p", "hsa-miR-503-3p"), keep_unmatched = FALSE)[,
#'   c("input", "match", "source_cell", "effect", "target_molecule")]
ev_annotate <- function(x, column = NULL, keep_unmatched = TRUE) {
  check_flag(keep_unmatched, "keep_unmatched")
  input <- annotation_input(x, column)
  mirna <- input$names
  h <- mirna_lookup(mirna)
  unknown <- h$status == "unknown"
  if (any(unknown)) {
    ev_warn(sprintf("`x`: %d names are not recognised miRNA names and stay unmatched: %s.",
                    sum(unknown), format_offenders(unique(mirna[unknown]))),
            "evmirna_warning_mirna_name", "x")
  }
  curated <- curated_evs()
  hits <- curated_hits(h, curated)
  if (keep_unmatched) {
    none <- setdiff(seq_along(mirna), hits$input)
    hits <- rbind(hits, data.frame(input = none, row = rep(NA_integer_, length(none)),
                                   how = rep(NA_character_, length(none)),
                                   stringsAsFactors = FALSE))
    hits <- hits[order(hits$input, method = "radix"), , drop = FALSE]
  }
  annotation_frame(take_rows(input$frame, hits$input), h$name[hits$input],
                   hits$how, take_rows(curated, hits$row))
}

# Returns list(frame = input rows as a data.frame, names = character vector).
annotation_input <- function(x, column) {
  if (is_evset(x)) {
    if (is.null(column)) column <- "id"
    return(annotation_column(x$features, column, "x"))
  }
  if (is.data.frame(x)) {
    if (is.null(column)) {
      guess <- intersect(c("mirna", "feature", "id"), names(x))
      if (!length(guess)) {
        ev_abort("`x` has no column \"mirna\", \"feature\" or \"id\"; say which column holds the miRNA names with `column`.",
                 "evmirna_error_unknown", "column")
      }
      column <- guess[[1L]]
    }
    return(annotation_column(x, column, "x"))
  }
  if (!is.null(column)) {
    ev_abort("`column` applies to a data.frame or an evset, not to a vector of names.",
             "evmirna_error_value", "column")
  }
  if (is.factor(x)) x <- as.character(x)
  if (!is.character(x) || !is.null(dim(x))) {
    ev_abort(sprintf("`x` must be a character vector of miRNA names, a data.frame or an evset, not %s.",
                     class(x)[1L]),
             "evmirna_error_type", "x")
  }
  if (!length(x)) {
    ev_abort("`x` is empty: there are no miRNA names to annotate.",
             "evmirna_error_empty", "x")
  }
  list(frame = data.frame(input = x, stringsAsFactors = FALSE), names = x)
}

annotation_column <- function(frame, column, arg) {
  check_string(column, "column")
  if (!column %in% names(frame)) {
    ev_abort(sprintf("`column`: \"%s\" is not a column of `%s` (columns: %s).",
                     column, arg, format_offenders(names(frame))),
             "evmirna_error_unknown", "column")
  }
  values <- frame[[column]]
  if (is.factor(values)) values <- as.character(values)
  if (!is.character(values)) {
    ev_abort(sprintf("`%s`: column \"%s\" must hold miRNA names (character), not %s.",
                     arg, column, class(values)[1L]),
             "evmirna_error_type", arg)
  }
  if (!nrow(frame)) {
    ev_abort(sprintf("`%s` has no rows: there are no miRNA names to annotate.", arg),
             "evmirna_error_empty", arg)
  }
  rownames(frame) <- NULL
  list(frame = frame, names = values)
}

# Pairs (input, curated row) in input order, exact matches first: the
# harmonized name equals the row's miRNA, or (rows whose review name has no
# arm) a precursor of the input's name, or of its candidates when ambiguous,
# is the row's precursor. Vectorized over inputs; the loops are over the few
# curated rows.
curated_hits <- function(h, curated) {
  is_mir <- curated$cargo_type %in% "miRNA"
  exact <- which(is_mir & !is.na(curated$mirna))
  ex <- lapply(exact, function(r) which(h$name == curated$mirna[r]))
  armless <- which(is_mir & is.na(curated$mirna))
  prec <- input_precursors(h)
  pr <- lapply(armless, function(r) {
    unique(prec$input[prec$precursor %in% curated$precursor_list[[r]]])
  })
  input <- c(unlist(ex), unlist(pr))
  row <- c(rep.int(exact, lengths(ex)), rep.int(armless, lengths(pr)))
  how <- rep(c("exact", "precursor"), c(sum(lengths(ex)), sum(lengths(pr))))
  o <- order(input, how, row, method = "radix")
  data.frame(input = as.integer(input[o]), row = as.integer(row[o]),
             how = how[o], stringsAsFactors = FALSE)
}

# Long table (input, precursor) of the v22 precursors of each input's name,
# or of its candidates when the name is ambiguous.
input_precursors <- function(h) {
  member <- ifelse(!is.na(h$name), h$name,
                   ifelse(h$status == "ambiguous", h$candidates, NA_character_))
  has <- which(!is.na(member))
  members <- strsplit(member[has], ";", fixed = TRUE)
  owner <- rep.int(has, lengths(members))
  prec <- mirna_precursors(unlist(members, use.names = FALSE))
  data.frame(input = rep.int(owner, lengths(prec)),
             precursor = unlist(prec, use.names = FALSE),
             stringsAsFactors = FALSE)
}

annotation_frame <- function(input, harmonized, how, curated) {
  curated$precursor_list <- NULL
  names(curated)[names(curated) == "id"] <- "ev_id"
  names(curated)[names(curated) == "mirna"] <- "ev_mirna"
  clash <- names(curated) %in% c(names(input), "harmonized", "match")
  names(curated)[clash] <- paste0("ev_", names(curated)[clash])
  new_frame(c(unclass(input), list(harmonized = harmonized, match = how),
              unclass(curated)))
}

# Rows i of a data.frame (repeats allowed, NA gives a row of NA), without
# the row-name bookkeeping of `[.data.frame`.
take_rows <- function(frame, i) {
  new_frame(lapply(frame, `[`, i))
}

# The shipped dataset, with its precursors split once per session.
curated_evs <- function() {
  tab <- evmirna_env$bone_remodeling_evs
  if (is.null(tab)) {
    env <- new.env(parent = emptyenv())
    utils::data("bone_remodeling_evs", package = "evmirna", envir = env)
    tab <- env$bone_remodeling_evs
    tab$precursor_list <- strsplit(ifelse(is.na(tab$precursor), "",
                                          tab$precursor), ";", fixed = TRUE)
    evmirna_env$bone_remodeling_evs <- tab
  }
  tab
}
