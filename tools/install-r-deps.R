# Installs, idempotently, the CRAN packages evmirna's checks, demo and
# benchmarks need, then verifies that every one of them loads.
# Usage: Rscript tools/install-r-deps.R [test|demo|bench]

purpose <- commandArgs(trailingOnly = TRUE)
if (!length(purpose)) purpose <- "test"

needs <- list(
  demo = c("generics", "jsonlite", "openssl", "knitr", "rmarkdown"),
  test = c("generics", "pROC", "glmnet", "logistf", "MASS", "jsonlite", "openssl", "knitr",
           "rmarkdown", "future", "future.apply", "progressr", "testthat", "broom"),
  bench = c("pROC", "glmnet", "logistf", "MASS")
)
wanted <- unique(unlist(needs[purpose], use.names = FALSE))

installed <- function(pkg) {
  suppressWarnings(requireNamespace(pkg, quietly = TRUE))
}

missing <- wanted[!vapply(wanted, installed, logical(1))]
if (length(missing)) {
  message("installing from CRAN: ", paste(missing, collapse = ", "))
  utils::install.packages(missing, repos = "https://cloud.r-project.org",
                          Ncpus = max(1L, parallel::detectCores()))
}

bioc <- c("edgeR", "limma", "preprocessCore", "DESeq2", "SummarizedExperiment")
if ("test" %in% purpose) wanted <- c(wanted, bioc)
still_missing <- wanted[!vapply(wanted, installed, logical(1))]
if (length(still_missing)) {
  stop("could not install: ", paste(still_missing, collapse = ", "),
       call. = FALSE)
}
message("R packages present: ", paste(wanted, collapse = ", "))
