# Reference implementations (pROC, edgeR, glmnet, ...) are Suggests. Under
# `make test` EVMIRNA_REQUIRE_REFERENCES=true and a missing one is a failure,
# so the cross-checks cannot silently skip; elsewhere the test is skipped.
need_reference <- function(pkg) {
  if (requireNamespace(pkg, quietly = TRUE)) {
    return(invisible(TRUE))
  }
  if (identical(Sys.getenv("EVMIRNA_REQUIRE_REFERENCES"), "true")) {
    stop("reference package ", pkg, " is required for the cross-checks ",
         "but not installed (run `make deps-test`)", call. = FALSE)
  }
  skip(paste("reference package", pkg, "not installed"))
}
