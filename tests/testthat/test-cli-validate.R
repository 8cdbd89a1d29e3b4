# `evmirna validate` and `evmirna recalibrate`, in process through
# cli_main(), on the bundled SIMULATED new patients (labelled), against the
# same verbs called from R.

# cli_main() with its messages captured; the fixture's frozen model on disk.
cli_site_run <- function(...) {
  out <- textConnection("out_lines", "w", local = TRUE)
  err <- textConnection("err_lines", "w", local = TRUE)
  status <- evmirna:::cli_main(c(...), out = out, err = err)
  close(out)
  close(err)
  list(status = status, out = out_lines, err = err_lines)
}

site_model_file <- function() {
  if (is.null(external_env$model_file)) {
    external_env$model_file <- tempfile(fileext = ".json")
    ev_save_model(score_fixture()$frozen, external_env$model_file)
  }
  external_env$model_file
}

test_that("evmirna validate writes the statistics ev_validate() computes", {
  f <- score_fixture()
  samples <- system.file("extdata", "serum_ev_qpcr_new_patients_samples.csv",
                         package = "evmirna")
  out <- tempfile(fileext = ".csv")
  excl <- tempfile(fileext = ".csv")
  on.exit(unlink(c(out, excl)))
  res <- cli_site_run("validate", "--model", site_model_file(), "--input", f$cq_file,
                 "--samples", samples, "--output", out, "--excluded", excl)
  expect_identical(res$status, 0L)
  expect_match(res$out, "validated on 35 of 40 patient\\(s\\) \\(5 excluded")
  x <- ev_read_qpcr(f$cq_file, layout = "wide", samples = samples)
  v <- ev_validate(ev_load_model(site_model_file()), x, "group")
  tab <- utils::read.csv(out)
  expect_identical(tab$statistic, as.data.frame(v)$statistic)
  expect_equal(tab$estimate, as.data.frame(v)$estimate, tolerance = 1e-12)
  expect_identical(utils::read.csv(excl)$id, v$excluded$id)
})

test_that("evmirna recalibrate writes a model whose CITL is 0 on its cohort", {
  f <- score_fixture()
  samples <- system.file("extdata", "serum_ev_qpcr_new_patients_samples.csv",
                         package = "evmirna")
  out <- tempfile(fileext = ".json")
  on.exit(unlink(out))
  res <- cli_site_run("recalibrate", "--model", site_model_file(), "--input", f$cq_file,
                 "--samples", samples, "--output", out, "--method", "logistic",
                 "--n-boot", "100")
  expect_identical(res$status, 0L)
  model <- ev_load_model(out)
  parent_text <- paste(readLines(site_model_file()), collapse = "\n")
  expect_true(grepl(model$recipe$recalibration$parent_sha256, parent_text, fixed = TRUE))
  x <- ev_read_qpcr(f$cq_file, layout = "wide", samples = samples)
  v <- ev_validate(model, x, "group")
  expect_equal(v$calibration$citl, 0, tolerance = 1e-8)
  expect_equal(v$calibration$slope, 1, tolerance = 1e-8)
  bad <- cli_site_run("recalibrate", "--model", site_model_file(), "--input", f$cq_file,
                 "--samples", samples, "--output", out, "--group", "nope")
  expect_identical(bad$status, 1L)
  expect_match(bad$err, "evmirna: error: --group")
  expect_match(cli_site_run("validate", "--help")$out[1L], "Usage: evmirna validate")
})
