# Builds data/bone_remodeling_evs.rda, data/ev_tissue_roles.rda and
# data/ev_subtypes.rda from the curated CSVs in inst/extdata.
#
# Source of every row: the review text shipped as
# inst/extdata/ev-osteoporosis-review.txt (reference list stripped), Table 1,
# section 2, Table 2 and sections 3.2-3.3. Nothing is added that the review
# does not state. Run from the package root:
#   Rscript data-raw/curated.R
# It loads the package sources (pkgload) to check miRNA names with
# ev_mirna_name().

pkgload::load_all(".", export_all = TRUE, helpers = FALSE, quiet = TRUE)
source(file.path("data-raw", "curated-helpers.R"))

chr <- "character"

bone_remodeling_evs <- curated_csv("bone_remodeling_evs.csv", c(
  id = chr, source_cell = chr, cargo = chr, cargo_type = chr, mirna = chr,
  precursor = chr, target_cell = chr, target_molecule = chr, effect = chr,
  bone_process = chr, bone_effect = chr, context = chr, study = chr,
  where = chr, statement = chr))

ev_tissue_roles <- curated_csv("ev_tissue_roles.csv", c(
  tissue = chr, role = chr, biomarker = "logical", where = chr))

ev_subtypes <- curated_csv("ev_subtypes.csv", c(
  subtype = chr, also_known_as = chr, size_min_nm = "integer",
  size_max_nm = "integer", size_approximate = "logical",
  uniform_size = "logical", origin = chr, where = chr, statement = chr))

# Vocabulary and consistency checks: fail loudly rather than ship a typo.
b <- bone_remodeling_evs
stopifnot(
  !anyDuplicated(b$id),
  sum(b$where == "Table 2") == 12L,
  all(b$cargo_type %in% c("miRNA", "protein", "drug", NA)),
  all(b$effect %in% c("promotes", "inhibits", NA)),
  all(b$bone_effect %in% c("pro-resorptive", "anti-resorptive", "anabolic",
                           "anti-anabolic", NA)),
  all(b$context %in% c("remodeling", "tumour-bone", "biomarker", "therapy")),
  all(b$study %in% c("Song et al.", "Huynh et al.", "Sun et al.",
                     "Fang et al.", NA)),
  all(b$where %in% c("Table 2", "3.2", "3.3")),
  all(!is.na(b$statement) & nzchar(b$statement))
)
# The harmonized name is what ev_mirna_name() gives for the review's name;
# NA exactly where the review gives no arm for a two-armed precursor (the
# review is recent: its armless names are genes, not pre-v18 miRBase IDs).
is_mirna <- b$cargo_type %in% "miRNA"
h <- ev_mirna_name(b$cargo[is_mirna], details = TRUE, armless = "flag")
stopifnot(identical(h$name, b$mirna[is_mirna]),
          all(is.na(b$mirna[!is_mirna])),
          all(h$status[is.na(h$name)] == "ambiguous"))
# The precursor column lists the miRBase precursors of the named miRNA (or of
# every candidate arm when the name has none).
prec <- vapply(seq_len(nrow(h)), function(i) {
  members <- if (!is.na(h$name[i])) h$name[i] else
    strsplit(h$candidates[i], ";", fixed = TRUE)[[1L]]
  p <- unique(unlist(mirna_precursors(members)))
  paste(sort(p), collapse = ";")
}, character(1))
stopifnot(identical(prec, b$precursor[is_mirna]),
          all(is.na(b$precursor[!is_mirna])))

stopifnot(nrow(ev_tissue_roles) == 21L, nrow(ev_subtypes) == 3L,
          all(ev_subtypes$size_min_nm < ev_subtypes$size_max_nm))

save(bone_remodeling_evs, file = file.path("data", "bone_remodeling_evs.rda"),
     compress = "xz", version = 2)
save(ev_tissue_roles, file = file.path("data", "ev_tissue_roles.rda"),
     compress = "xz", version = 2)
save(ev_subtypes, file = file.path("data", "ev_subtypes.rda"),
     compress = "xz", version = 2)
