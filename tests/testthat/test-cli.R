# The command line runs in-process through cli_main() (its exit status and
# one-line messages), and once through Rscript on the installed script.
run_cli <- function(...) {
  out <- textConnection("out_lines", "w", local = TRUE)
  err <- textConnection("err_lines", "w", local = TRUE)
  status <- suppressMessages(evmirna:::cli_main(c(...), out = out, err = err))
  close(out)
  close(err)
  list(status = status, out = out_lines, err = err_lines)
}

cli_model <- function() {
  if (is.null(score_env$cli_model)) {
    f <- score_fixture()
    path <- tempfile(fileext = ".json")
    res <- run_cli("train", "--input", f$train_file, "--samples", f$train_samples,
                   "--output", path, "--features", paste(f$panel, collapse = ","),
                   "--cutpoints", "youden,0.8", "--n-boot", "200", "--seed", "11")
    stopifnot(res$status == 0L)
    score_env$cli_model <- path
  }
  score_env$cli_model
}

edit_csv <- function(file, fun) {
  lines <- readLines(file)
  body <- lines[!startsWith(lines, "#")]
  tab <- utils::read.csv(text = body, check.names = FALSE, colClasses = "character")
  tab <- fun(tab)
  path <- tempfile(fileext = ".csv")
  utils::write.csv(tab, path, row.names = FALSE, quote = FALSE)
  path
}

test_that("train and score through the command line reproduce the R session", {
  need_reference("jsonlite")
  f <- score_fixture()
  model <- ev_load_model(cli_model())
  expect_identical(model$coefficients, f$frozen$coefficients)
  expect_identical(model$recipe$cutpoints$threshold, f$frozen$recipe$cutpoints$threshold)
  out <- tempfile(fileext = ".csv")
  res <- run_cli("score", "--model", cli_model(), "--input", f$cq_file, "--output", out)
  expect_identical(res$status, 0L)
  expect_match(res$out, "scored 35 of 40")
  scores <- utils::read.csv(out, comment.char = "#", check.names = FALSE)
  expect_match(readLines(out, 1), "^# SIMULATED")
  s <- ev_score(f$frozen, f$new)
  expect_identical(scores$id, s$id)
  expect_identical(scores$status, s$status)
  expect_equal(scores$prob, s$prob, tolerance = 1e-14)
  expect_true(all(c(paste0("value_", f$panel), paste0("contribution_", f$panel)) %in% names(scores)))
})

test_that("every command has --help and bad commands or options exit non-zero", {
  for (cmd in c("train", "score", "report")) {
    res <- run_cli(cmd, "--help")
    expect_identical(res$status, 0L)
    expect_match(res$out[1], paste0("Usage: evmirna ", cmd))
  }
  expect_identical(run_cli()$status, 1L)
  res <- run_cli("fly")
  expect_identical(res$status, 1L)
  expect_match(res$err, "^evmirna: error: unknown command 'fly'")
  res <- run_cli("score", "--model")
  expect_identical(res$status, 1L)
  expect_match(res$err, "needs a value")
  res <- run_cli("score", "--colour", "red")
  expect_match(res$err, "unknown option '--colour'")
  res <- run_cli("score", "--input", "x.csv")
  expect_match(res$err, "missing required option\\(s\\): --model, --output")
})

test_that("bad input exits non-zero with a one-line reason", {
  need_reference("jsonlite")
  f <- score_fixture()
  model <- cli_model()
  expect_fails <- function(input, pattern, model_file = model) {
    res <- run_cli("score", "--model", model_file, "--input", input,
                   "--output", tempfile(fileext = ".csv"))
    expect_identical(res$status, 1L)
    expect_length(res$err, 1L)
    expect_match(res$err, "^evmirna: error: ")
    expect_match(res$err, pattern)
  }
  # a missing column (a miRNA of the recipe)
  expect_fails(edit_csv(f$cq_file, function(t) t[setdiff(names(t), "hsa-miR-21-5p")]),
               "lacks miRNAs the frozen recipe needs: \"hsa-miR-21-5p\"")
  # an unknown miRNA
  expect_fails(edit_csv(f$cq_file, function(t) {
    names(t)[names(t) == "hsa-miR-21-5p"] <- "hsa-miR-21x-5p"
    t
  }), "hsa-miR-21x-5p")
  # a non-numeric Cq
  expect_fails(edit_csv(f$cq_file, function(t) {
    t[3, "hsa-miR-214-3p"] <- "abc"
    t
  }), "\"abc\"")
  # a corrupt and an altered model file
  corrupt <- tempfile(fileext = ".json")
  writeLines(readLines(model)[1:20], corrupt)
  expect_fails(f$cq_file, "not an evmirna model file", corrupt)
  altered <- tempfile(fileext = ".json")
  txt <- paste(readLines(model), collapse = "\n")
  coef <- ev_load_model(model)$coefficients[["hsa-miR-214-3p"]]
  expect_true(grepl(format(coef, digits = 17), txt, fixed = TRUE))
  writeLines(sub(format(coef, digits = 17), format(coef * 1.01, digits = 17), txt,
                 fixed = TRUE), altered)
  expect_false(identical(readLines(altered), readLines(model)))
  expect_fails(f$cq_file, "checksum", altered)
  expect_fails(file.path(tempdir(), "no-such.csv"), "does not exist")
  res <- run_cli("train", "--input", f$train_file, "--samples", f$train_samples,
                 "--output", tempfile(), "--group", "diagnosis")
  expect_identical(res$status, 1L)
  expect_match(res$err, "no class column 'diagnosis'")
})

test_that("the installed script runs through Rscript", {
  need_reference("jsonlite")
  script <- system.file("scripts", "evmirna", package = "evmirna")
  skip_if(!nzchar(script), "script not installed")
  f <- score_fixture()
  rscript <- file.path(R.home("bin"), "Rscript")
  lib <- paste(.libPaths(), collapse = .Platform$path.sep)
  out <- tempfile(fileext = ".csv")
  res <- suppressWarnings(system2(rscript, c(shQuote(script), "score", "--model", shQuote(cli_model()),
                                             "--input", shQuote(f$cq_file), "--output", shQuote(out)),
                                  stdout = TRUE, stderr = TRUE, env = paste0("R_LIBS=", lib)))
  expect_null(attr(res, "status"))
  expect_true(file.exists(out))
  bad <- suppressWarnings(system2(rscript, c(shQuote(script), "score", "--model", shQuote(tempfile()),
                                             "--input", shQuote(f$cq_file), "--output", shQuote(out)),
                                  stdout = TRUE, stderr = TRUE, env = paste0("R_LIBS=", lib)))
  expect_identical(attr(bad, "status"), 1L)
  expect_match(bad, "^evmirna: error: .*does not exist")
})

test_that("the report command writes a self-contained report with the scored patients", {
  need_reference("jsonlite")
  need_reference("rmarkdown")
  f <- score_fixture()
  html <- tempfile(fileext = ".html")
  res <- run_cli("report", "--model", cli_model(), "--input", f$cq_file, "--output", html)
  expect_identical(res$status, 0L)
  text <- paste(readLines(html), collapse = "\n")
  expect_match(text, "<h2>Scored patients", fixed = TRUE)
  expect_match(text, "<td>N040</td>", fixed = TRUE)
  expect_match(text, "SIMULATED DATA", fixed = TRUE)
  expect_match(text, "data:image/png;base64,", fixed = TRUE)
})
