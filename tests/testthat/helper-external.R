# A SIMULATED second site for the external-validation and recalibration
# tests, derived from the bundled SIMULATED training cohort: another
# extraction kit (every Cq 0.6 cycles later, and miR-214-3p recovered 0.8
# cycles better than the other miRNAs, which global-mean normalization does
# not remove), noisier panel measurements (SD 0.5 cycles) and another case
# mix (all 100 controls, 35 of the 100 osteoporosis cases). Not real
# patients.
external_env <- new.env()

site2_fixture <- function() {
  if (is.null(external_env$site2)) {
    f <- score_fixture()
    x <- f$x
    old <- .Random.seed_or_null()
    on.exit(restore_seed(old), add = TRUE)
    set.seed(2)
    g <- x$samples$group
    keep <- c(which(g == "control"), sample(which(g != "control"), 35))
    y <- x[, keep]
    v <- y$values + 0.6
    v["hsa-miR-214-3p", ] <- v["hsa-miR-214-3p", ] - 0.8
    v[f$panel, ] <- v[f$panel, ] + matrix(stats::rnorm(3 * ncol(v), 0, 0.5), 3)
    ids <- sprintf("SITE2_%03d", seq_along(keep))
    dimnames(v) <- list(rownames(v), ids)
    y$values <- v
    dimnames(y$missing_reason) <- dimnames(v)
    y$samples$id <- ids
    y$provenance <- "SIMULATED second site (tests/testthat/helper-external.R): bundled SIMULATED cohort with a kit shift and another case mix"
    external_env$site2 <- y
  }
  external_env$site2
}

.Random.seed_or_null <- function() {
  if (exists(".Random.seed", globalenv())) get(".Random.seed", globalenv()) else NULL
}
restore_seed <- function(old) {
  if (is.null(old)) rm(".Random.seed", envir = globalenv()) else assign(".Random.seed", old, globalenv())
}
