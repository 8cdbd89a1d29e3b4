# Documentation of the curated datasets. Each is built by a script in
# data-raw/ from a CSV in inst/extdata/ (the CSV is the diffable source).

#' EV cargo relations in bone remodeling, curated from a review
#'
#' Every extracellular-vesicle (EV) cargo relation stated in a review of EVs
#' in osteoporosis: the 12 rows of its Table 2 ("A summary of EVs associated
#' with bone remodeling") and the relations its sections 3.2 and 3.3 state
#' that the table lacks (osteoblast-EV miR-503-3p, tumour-EV miR-21 and
#' miR-20a-5p, the osteoclast-precursor and mature-osteoclast EVs of Huynh et
#' al., osteoblast EVs loaded with zoledronate and dasatinib, the miR-214
#' serum-EV biomarker, the ephrinA2/EphA2 recognition of Sun et al., BMSC and
#' MSC EVs in osteogenesis and the femoral-head-necrosis study of Fang et
#' al.). Use [ev_annotate()] to join it to measured miRNAs.
#'
#' The table holds only what the review states. Its reference list was
#' stripped, so `study` names an author only where the review's text does;
#' no effect sizes, sample sizes or citations are added. Where the review
#' gives a miRNA without an arm ("miR-214", "miR-155"), `mirna` is `NA`
#' rather than a guessed arm, and `precursor` lists the precursors of both
#' arms.
#'
#' @references
#' He Y, Wuertz-Kozak K, Kuehl LK, Wippert PM (2021). Extracellular
#' vesicles: potential mediators of psychosocial stress contribution to
#' osteoporosis? *International Journal of Molecular Sciences* 22(11), 5846.
#' \doi{10.3390/ijms22115846}
#' @format A data.frame with 25 rows and 15 columns:
#' \describe{
#'   \item{id}{Row identifier: "T2-01" to "T2-12" for Table 2, "S32-..." and
#'     "S33-..." for sections 3.2 and 3.3.}
#'   \item{source_cell}{Cell releasing the EVs, as the review names it.}
#'   \item{cargo}{EV cargo as the review writes it ("miR-214", "RANKL",
#'     "zoledronate"); `NA` when the review names none.}
#'   \item{cargo_type}{"miRNA", "protein" or "drug"; `NA` when unspecified.}
#'   \item{mirna}{miRBase v22 name of a miRNA cargo, from [ev_mirna_name()]
#'     with `armless = "flag"` (e.g. "miR-151-5p" becomes "hsa-miR-151a-5p");
#'     `NA` for other cargo and when the review gives no arm for a two-armed
#'     precursor (the review is recent; its "miR-214" names the gene, not
#'     miRBase's pre-v18 name for one arm).}
#'   \item{precursor}{miRBase precursor(s) of a miRNA cargo,
#'     semicolon-separated; `NA` for other cargo.}
#'   \item{target_cell}{Cell (or, for TRIP-1, the bone extracellular matrix)
#'     acted on; `NA` when not stated.}
#'   \item{target_molecule}{Molecule targeted or bound, as stated (RUNX2,
#'     ATF4, FZD3, PDCD4, RANK, RANKL, EPHA2), semicolon-separated; `NA`
#'     when not stated.}
#'   \item{effect}{"promotes" or "inhibits" (the `bone_process`); `NA` for
#'     the biomarker row.}
#'   \item{bone_process}{Process affected, in the review's words
#'     (osteoclastogenesis, osteogenic differentiation, mineralization, ...).}
#'   \item{bone_effect}{Net direction for bone: "pro-resorptive",
#'     "anti-resorptive", "anabolic" or "anti-anabolic"; `NA` for the
#'     biomarker row.}
#'   \item{context}{"remodeling", "tumour-bone", "biomarker" or "therapy".}
#'   \item{study}{Author the review names for the finding ("Song et al.",
#'     "Huynh et al.", "Sun et al.", "Fang et al."); `NA` otherwise.}
#'   \item{where}{"Table 2", "3.2" or "3.3": where the review states it.}
#'   \item{statement}{The review's sentence, quoted or closely paraphrased
#'     (for Table 2 rows, the table row).}
#' }
#' @source The review text shipped with the package,
#'   `system.file("extdata", "ev-osteoporosis-review.txt", package =
#'   "evmirna")` (a review of extracellular vesicles in osteoporosis, its
#'   reference list stripped); curated by hand into
#'   `inst/extdata/bone_remodeling_evs.csv`, built by
#'   `data-raw/curated.R`, which checks the vocabulary and that `mirna` and
#'   `precursor` agree with [ev_mirna_name()] and [mirna_names].
#' @seealso [ev_annotate()], [ev_tissue_roles], [ev_subtypes]
#' @examples
#' bone_remodeling_evs[bone_remodeling_evs$where == "Table 2",
#'                     c("source_cell", "cargo", "target_cell", "effect")]
#' table(bone_remodeling_evs$bone_effect, useNA = "ifany")
"bone_remodeling_evs"

#' Roles of EVs in human tissues (review Table 1)
#'
#' The review's Table 1, one row per tissue and function.
#'
#' @references
#' He Y, Wuertz-Kozak K, Kuehl LK, Wippert PM (2021). Extracellular
#' vesicles: potential mediators of psychosocial stress contribution to
#' osteoporosis? *International Journal of Molecular Sciences* 22(11), 5846.
#' \doi{10.3390/ijms22115846}
#' @format A data.frame with 21 rows and 4 columns:
#' \describe{
#'   \item{tissue}{"Tumor", "Bone", "Heart", "Brain", "Kidney" or
#'     "Gastro-intestinal tract".}
#'   \item{role}{The function as the table words it.}
#'   \item{biomarker}{`TRUE` for the "Biomarker" entries.}
#'   \item{where}{"Table 1".}
#' }
#' @source Table 1 of the review text shipped with the package,
#'   `system.file("extdata", "ev-osteoporosis-review.txt", package =
#'   "evmirna")`; curated into `inst/extdata/ev_tissue_roles.csv`, built by
#'   `data-raw/curated.R`.
#' @seealso [bone_remodeling_evs], [ev_subtypes]
#' @examples
#' ev_tissue_roles[ev_tissue_roles$tissue == "Bone", ]
"ev_tissue_roles"

#' EV subtypes by size and origin (review section 2)
#'
#' The three main EV categories the review describes in section 2.
#'
#' @references
#' He Y, Wuertz-Kozak K, Kuehl LK, Wippert PM (2021). Extracellular
#' vesicles: potential mediators of psychosocial stress contribution to
#' osteoporosis? *International Journal of Molecular Sciences* 22(11), 5846.
#' \doi{10.3390/ijms22115846}
#' @format A data.frame with 3 rows and 9 columns:
#' \describe{
#'   \item{subtype}{"exosomes", "microvesicles" or "apoptotic bodies".}
#'   \item{also_known_as}{The alternative name the review gives ("small
#'     EVs", "medium/large EVs"); `NA` for apoptotic bodies.}
#'   \item{size_min_nm, size_max_nm}{Diameter range in nanometres.}
#'   \item{size_approximate}{`TRUE` where the review gives the range as
#'     approximate (exosomes, "~40-200 nm").}
#'   \item{uniform_size}{`TRUE` for exosomes ("uniform size"), `FALSE` for
#'     microvesicles ("non-uniform"), `NA` where not stated.}
#'   \item{origin}{How the vesicles form, in the review's words.}
#'   \item{where}{"2" (section 2).}
#'   \item{statement}{The review's sentence, closely paraphrased.}
#' }
#' @source Section 2 of the review text shipped with the package,
#'   `system.file("extdata", "ev-osteoporosis-review.txt", package =
#'   "evmirna")`; curated into `inst/extdata/ev_subtypes.csv`, built by
#'   `data-raw/curated.R`.
#' @seealso [bone_remodeling_evs], [ev_tissue_roles]
#' @examples
#' ev_subtypes[, c("subtype", "size_min_nm", "size_max_nm")]
"ev_subtypes"
