# The README's "A first session" is inst/examples/first-session.R and
# first-report.R verbatim, and they run end to end as written.

example_file <- function(name) {
  path <- system.file("examples", name, package = "evmirna")
  if (!nzchar(path)) path <- test_path("..", "..", "inst", "examples", name)
  path
}

# README.md is not an installed file: `make build` copies it into inst/; in a
# source tree it is two levels up.
readme_file <- function() {
  path <- system.file("README.md", package = "evmirna")
  if (nzchar(path)) return(path)
  path <- test_path("..", "..", "README.md")
  if (file.exists(path)) path else ""
}

r_blocks <- function(lines) {
  open <- which(lines == "```r")
  close <- which(lines == "```")
  lapply(open, function(o) {
    end <- close[close > o][1L]
    lines[seq.int(o + 1L, end - 1L)]
  })
}

test_that("the README's R blocks are the example files, in order", {
  readme <- readme_file()
  skip_if(!nzchar(readme), "README.md is not in this build")
  blocks <- r_blocks(readLines(readme, encoding = "UTF-8"))
  expect_length(blocks, 2L)
  expect_identical(blocks[[1L]], readLines(example_file("first-session.R")))
  expect_identical(blocks[[2L]], readLines(example_file("first-report.R")))
})

test_that("the first session runs as written and defines what it uses", {
  env <- new.env(parent = globalenv())
  files <- example_file(c("first-session.R"))
  output <- utils::capture.output(suppressMessages(
    sys.source(files, envir = env, keep.source = FALSE)))
  # what it promises: a frozen model scored on 40 SIMULATED new patients,
  # cut-points from the out-of-fold predictions of the recipe it validated
  expect_s3_class(env$cv, "ev_cv")
  expect_identical(env$frozen$recipe$training$cutpoint_source,
                   "10-fold out-of-fold predictions")
  expect_identical(ev_load_model(env$model_file)$coefficients, env$frozen$coefficients)
  expect_identical(nrow(as.data.frame(env$scores)), 40L)
  expect_identical(env$references, head(env$stability$table[[1L]], 2))
  expect_false(any(env$references %in% env$cohort$features$id[env$cohort$features$role != "target"]))
  # the permutation null's resolution the comment states: 1 / (19 + 1)
  expect_gte(min(as.data.frame(env$panels)$p_perm), 1 / 20)
  if (requireNamespace("rmarkdown", quietly = TRUE) && rmarkdown::pandoc_available("2.0")) {
    utils::capture.output(sys.source(example_file("first-report.R"), envir = env,
                                     keep.source = FALSE))
    expect_true(file.exists(env$report))
    expect_match(paste(readLines(env$report), collapse = "\n"), "SIMULATED", fixed = TRUE)
  }
})
