# Shared by data-raw/curated.R and data-raw/mirna_names.R: read the curated
# CSVs in inst/extdata with fixed column types, so the .rda files are exact
# copies of the diffable CSVs (tests/testthat/test-curated.R checks this).

curated_csv <- function(file, col_classes) {
  path <- file.path("inst", "extdata", file)
  x <- utils::read.csv(path, colClasses = col_classes, na.strings = "NA",
                       encoding = "UTF-8", stringsAsFactors = FALSE, check.names = FALSE)
  stopifnot(identical(names(x), names(col_classes)))
  x
}
