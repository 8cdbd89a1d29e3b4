# Installs, idempotently, the CRAN packages evmirna's checks, demo and
# benchmarks need, then verifies that every one of them loads.
# Usage: Rscript tools/install-r-deps.R [test|demo|bench]

purpose <- commandArgs(trailingOnly = TRUE)
if (!length(purpose)) purpose <- "test"

needs <- list(
  demo = c("generics", "jsonlite", "openssl", "knitr", "rmarkdown"),
  test = c("generics", "pROC", "glmnet", "logistf", "MASS", "jsonlite", "openssl", "knitr",
           "rmarkdown", "future", "future.apply", "progressr", "testthat", "broom",
           "chromote", "ggplot2", "rms", "Hmisc", "nricens", "dcurves",
           "pmsampsize", "clinfun"),
  bench = c("pROC", "glmnet", "logistf", "MASS")
)
wanted <- unique(unlist(needs[purpose], use.names = FALSE))

# Which of `pkgs` do not load, judged in a fresh R process: this session
# may hold namespaces that install.packages() has since replaced, and a
# package that needs their newer versions would fail to load here only.
not_loading <- function(pkgs) {
  code <- sprintf("for (p in c(%s)) if (!suppressWarnings(requireNamespace(p, quietly = TRUE))) cat(p, '\\n')",
                  paste0('"', pkgs, '"', collapse = ", "))
  out <- system2(file.path(R.home("bin"), "Rscript"), c("--vanilla", "-e", shQuote(code)),
                 stdout = TRUE, stderr = FALSE)
  intersect(pkgs, trimws(out))
}

missing <- not_loading(wanted)
if (length(missing)) {
  message("installing from CRAN: ", paste(missing, collapse = ", "))
  utils::install.packages(missing, repos = "https://cloud.r-project.org",
                          Ncpus = max(1L, parallel::detectCores()))
}

bioc <- c("edgeR", "limma", "preprocessCore", "DESeq2", "SummarizedExperiment")
if ("test" %in% purpose) wanted <- c(wanted, bioc)
still_missing <- not_loading(wanted)
if (length(still_missing)) {
  stop("could not install: ", paste(still_missing, collapse = ", "),
       call. = FALSE)
}
message("R packages present: ", paste(wanted, collapse = ", "))
