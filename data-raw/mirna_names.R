# Builds data/mirna_names.rda from inst/extdata/mirna_names.csv, the lookup
# table that ev_mirna_name() reads at run time.
#
# Provenance of the table (see also its `source` column):
# * names, accessions and precursors of every human entry were checked line
#   by line against a public copy of miRBase v22 hsa.gff3 (GitHub repository
#   BELEN-M/TFM, file hsa.gff3, commit 5dd9ae7d9cd038445a7a063d319ba2bf1f62ef3c);
# * cel-miR-39-3p and cel-miR-39-5p against two public copies of miRBase
#   mature.fa (hoangtien07/DHGCMDA-fork, riverlee/miRNA-SNP);
# * previous miRBase IDs are only those stated in the project brief
#   (hsa-miR-155, hsa-miR-214, hsa-miR-23a*, hsa-miR-151-5p, hsa-miR-451);
#   no other former ID could be verified from a public source, so none is
#   listed. An entry whose accession cannot be verified would carry an empty
#   accession and the source "name only; accession not verified".
# Run from the package root:  Rscript data-raw/mirna_names.R

source(file.path("data-raw", "curated-helpers.R"))
chr <- "character"
mirna_names <- utils::read.csv(file.path("inst", "extdata", "mirna_names.csv"),
                               colClasses = c(name = chr, accession = chr,
                                              precursor = chr, arm = chr,
                                              previous_names = chr,
                                              source = chr),
                               na.strings = "", stringsAsFactors = FALSE)

stopifnot(
  !anyDuplicated(mirna_names$name),
  !anyDuplicated(stats::na.omit(mirna_names$accession)),
  all(is.na(mirna_names$accession) |
        grepl("^MIMAT[0-9]{7}$", mirna_names$accession)),
  all(mirna_names$arm %in% c("5p", "3p", NA)),
  all(is.na(mirna_names$accession) ==
        (mirna_names$source == "name only; accession not verified"))
)

save(mirna_names, file = file.path("data", "mirna_names.rda"),
     compress = "xz", version = 2)
