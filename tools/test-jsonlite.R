# Runs the model-file and command-line tests under one given jsonlite build,
# so that make test covers Debian's jsonlite (1.8.4 on bookworm, which caps
# toJSON digits at 15) and CRAN's current one, whichever the site library
# happens to hold. Each build sits in a private library put first on the
# library path of a child R process:
#   debian  check/lib-jsonlite-debian, a link to the r-cran-jsonlite build
#           (tools/install-system-deps.sh installs it)
#   cran    check/lib-jsonlite-cran, installed from CRAN once
# Usage: Rscript tools/test-jsonlite.R <debian|cran> <library holding evmirna>

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2L || !args[1L] %in% c("debian", "cran")) {
  stop("usage: Rscript tools/test-jsonlite.R <debian|cran> <library holding evmirna>",
       call. = FALSE)
}
which_build <- args[1L]
evmirna_lib <- normalizePath(args[2L], mustWork = TRUE)
lib <- file.path(getwd(), "check", paste0("lib-jsonlite-", which_build))
dir.create(lib, recursive = TRUE, showWarnings = FALSE)
debian_lib <- "/usr/lib/R/site-library"

if (which_build == "debian") {
  src <- file.path(debian_lib, "jsonlite")
  if (!file.exists(file.path(src, "DESCRIPTION"))) {
    stop("Debian's jsonlite is not in ", debian_lib,
         ": run sh tools/install-system-deps.sh (it installs r-cran-jsonlite)", call. = FALSE)
  }
  link <- file.path(lib, "jsonlite")
  if (!file.exists(link)) invisible(file.symlink(src, link))
} else if (!file.exists(file.path(lib, "jsonlite", "DESCRIPTION"))) {
  utils::install.packages("jsonlite", lib = lib, repos = "https://cloud.r-project.org",
                          quiet = TRUE)
}
version <- as.character(utils::packageVersion("jsonlite", lib.loc = lib))
message(sprintf("== model-file and CLI tests under %s jsonlite %s (%s)", which_build, version,
                lib))

script <- tempfile(fileext = ".R")
writeLines(c(
  sprintf("stopifnot(identical(dirname(find.package('jsonlite')), %s))", deparse(lib)),
  sprintf("stopifnot(identical(as.character(packageVersion('jsonlite')), %s))", deparse(version)),
  "library(testthat)",
  "library(evmirna)",
  "failed <- 0L",
  "for (f in c('test-model-file.R', 'test-cli.R')) {",
  "  res <- as.data.frame(test_file(file.path('tests', 'testthat', f), package = 'evmirna',",
  "                                 load_package = 'installed', reporter = 'summary'))",
  "  failed <- failed + sum(res$failed) + sum(res$error)",
  "}",
  "if (failed) quit(status = 1L)"), script)
libs <- c(lib, evmirna_lib, strsplit(Sys.getenv("R_LIBS"), ":", fixed = TRUE)[[1L]])
env <- c(paste0("R_LIBS=", paste(libs[nzchar(libs)], collapse = ":")),
         "NOT_CRAN=true", "EVMIRNA_REQUIRE_REFERENCES=true")
status <- system2(file.path(R.home("bin"), "Rscript"), shQuote(script), env = env)
if (status != 0L) stop("model-file/CLI tests failed under ", which_build, " jsonlite ", version,
                       call. = FALSE)
