#' miRBase name history, releases 6 to 22
#'
#' Every name that a miRBase release from 6 to 22 gave a precursor (hairpin,
#' `MI` accession) or mature miRNA (`MIMAT` accession) of human, mouse, rat,
#' *C. elegans* or *A. thaliana*, one row per name and accession, with the
#' releases that used it and the accession's name in release 22. This is the
#' table [ev_mirna_name()] harmonizes names with: an accession keeps its
#' identity across releases while its name may change (hsa-miR-451, in
#' releases 7.1 to 17, is MIMAT0001631, named hsa-miR-451a from release 18).
#'
#' @format A data.frame with 13,620 rows and 7 columns:
#' \describe{
#'   \item{name}{The name a release gave the accession.}
#'   \item{accession}{The stable miRBase accession (`MIMAT` + 7 digits for a
#'     mature miRNA, `MI` + 7 digits for a precursor).}
#'   \item{type}{"mature" or "precursor".}
#'   \item{species}{miRBase species prefix: "hsa", "mmu", "rno", "cel" or
#'     "ath".}
#'   \item{releases}{The releases that used the name for the accession, as
#'     runs of consecutive releases ("v6-v17"; "v6-v9_2, v18-v22" for a
#'     name dropped and restored). Releases are v6, v7_1, v8, v8_1, v8_2,
#'     v9, v9_1, v9_2, v10, v10_1 and v11 to v22.}
#'   \item{current}{The accession's name in release 22; `NA` when the entry
#'     is not in release 22 (removed).}
#'   \item{precursor}{For a mature miRNA's release-22 name, its release-22
#'     precursor(s), semicolon-separated; `NA` on other rows.}
#' }
#' @source The miRBase release tables (Griffiths-Jones et al. 2006; Kozomara,
#'   Birgaoanu and Griffiths-Jones 2019) as distributed with the Bioconductor
#'   package miRBaseConverter 1.11.1 (Xu et al. 2018), restricted to the five
#'   species and otherwise unchanged (112,494 rows: release, species, type,
#'   accession, name, precursor accession). `data-raw/mirna_names.R` collapses
#'   them to one row per name and accession and checks, among others, that
#'   release 22 has 2,656 human mature accessions.
#' @references Griffiths-Jones S, Grocock RJ, van Dongen S, Bateman A,
#'   Enright AJ (2006). miRBase: microRNA sequences, targets and gene
#'   nomenclature. Nucleic Acids Research 34:D140-D144.
#'
#'   Kozomara A, Birgaoanu M, Griffiths-Jones S (2019). miRBase: from microRNA
#'   sequences to function. Nucleic Acids Research 47:D155-D162.
#'
#'   Xu T, Su N, Liu L, Zhang J, Wang H, Zhang W, Gui J, Yu K, Li J, Le TD
#'   (2018). miRBaseConverter: an R/Bioconductor package for converting and
#'   retrieving miRNA name, accession, sequence and family information in
#'   different versions of miRBase. BMC Bioinformatics 19(Suppl 19):514.
#' @seealso [ev_mirna_name()]
#' @examples
#' # The names of the accession now called hsa-miR-21-5p
#' mirna_names[mirna_names$accession == "MIMAT0000076", ]
#' # Human mature miRNAs in release 22
#' sum(mirna_names$species == "hsa" & mirna_names$type == "mature" &
#'       mirna_names$name %in% mirna_names$current &
#'       grepl("v22$", mirna_names$releases))
"mirna_names"
