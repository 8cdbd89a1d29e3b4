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
                   "--cutpoints", "youden,0.8", "--n-boot", "200", "--seed", "11", "--no-cv")
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

# What the model file writes for a double (the token to edit).
double_token <- function(x) evmirna:::json_doubles(x)

test_that("train and score through the command line reproduce the R session", {
  need_model_file()
  f <- score_fixture()
  model <- ev_load_model(cli_model())
  expect_identical(model$coefficients, f$frozen$coefficients)
  expect_identical(model$recipe$cutpoints$threshold, f$frozen$recipe$cutpoints$threshold)
  out <- tempfile(fileext = ".csv")
  res <- run_cli("score", "--model", cli_model(), "--input", f$cq_file, "--output", out)
  expect_identical(res$status, 0L)
  expect_match(res$out, "scored 35 of 40")
  # a plain CSV: the header first, the provenance in a column
  expect_match(readLines(out, 1), "^\"id\",\"status\"")
  scores <- utils::read.csv(out, check.names = FALSE)
  expect_match(scores$provenance, "^SIMULATED data")
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
  need_model_file()
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
  # a missing column (a miRNA of the recipe), worded in command-line terms
  expect_fails(edit_csv(f$cq_file, function(t) t[setdiff(names(t), "hsa-miR-21-5p")]),
               "^evmirna: error: --input lacks miRNAs the frozen recipe needs: \"hsa-miR-21-5p\" \\(use --missing not_scored")
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
  expect_true(grepl(double_token(coef), txt, fixed = TRUE))
  writeLines(sub(double_token(coef), double_token(coef * 1.01), txt, fixed = TRUE), altered)
  expect_false(identical(readLines(altered), readLines(model)))
  expect_fails(f$cq_file, "checksum", altered)
  expect_fails(file.path(tempdir(), "no-such.csv"), "does not exist")
  res <- run_cli("train", "--input", f$train_file, "--samples", f$train_samples,
                 "--output", tempfile(), "--group", "diagnosis")
  expect_identical(res$status, 1L)
  expect_match(res$err, "no class column 'diagnosis'")
})

test_that("the installed script runs through Rscript", {
  need_model_file()
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
  need_model_file()
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

test_that("--version, empty and repeated options", {
  res <- run_cli("--version")
  expect_identical(res$status, 0L)
  expect_identical(res$out, paste("evmirna", as.character(utils::packageVersion("evmirna"))))
  expect_identical(run_cli("score", "--version")$out, res$out)
  res <- run_cli("score", "--model", "m.json", "--input", "x.csv", "--output=")
  expect_identical(res$status, 1L)
  expect_match(res$err, "option '--output' needs a value \\(it is empty\\)")
  res <- run_cli("score", "--model", "m.json", "--input", "x.csv", "--output", "")
  expect_match(res$err, "'--output' needs a value")
  res <- run_cli("score", "--model", "a", "--model", "b")
  expect_match(res$err, "'--model' is given twice")
})

test_that("an --output that is an input is refused and the input survives", {
  need_model_file()
  f <- score_fixture()
  dir <- tempfile("cli")
  dir.create(dir)
  model <- file.path(dir, "model.json")
  file.copy(cli_model(), model)
  cq <- file.path(dir, "cq.csv")
  file.copy(f$cq_file, cq)
  before <- list(readBin(model, "raw", file.size(model)), readBin(cq, "raw", file.size(cq)))
  unchanged <- function() {
    expect_identical(list(readBin(model, "raw", file.size(model)),
                          readBin(cq, "raw", file.size(cq))), before)
  }
  refused <- function(res, what) {
    expect_identical(res$status, 1L)
    expect_length(res$err, 1L)
    expect_match(res$err, paste0("is the --", what, " file; refusing to overwrite an input"))
    unchanged()
  }
  refused(run_cli("score", "--model", model, "--input", cq, "--output", model), "model")
  refused(run_cli("score", "--model", model, "--input", cq, "--output", cq), "input")
  # the same file under another spelling, or through a symbolic link
  refused(run_cli("score", "--model", model, "--input", cq,
                  "--output", file.path(dir, ".", "..", basename(dir), "cq.csv")), "input")
  link <- file.path(dir, "link.csv")
  skip_if_not(file.symlink(cq, link), "no symbolic links")
  refused(run_cli("score", "--model", model, "--input", cq, "--output", link), "input")
  refused(run_cli("report", "--model", model, "--output", model), "model")
  refused(run_cli("train", "--input", f$train_file, "--samples", f$train_samples,
                  "--output", f$train_samples), "samples")
  expect_identical(run_cli("score", "--model", model, "--input", cq,
                           "--output", file.path(dir, "scores.csv"))$status, 0L)
})

test_that("an unwritable --output gives one line, exit 1 and no file", {
  need_model_file()
  f <- score_fixture()
  out <- file.path(tempfile("no-such-dir"), "scores.csv")
  res <- run_cli("score", "--model", cli_model(), "--input", f$cq_file, "--output", out)
  expect_identical(res$status, 1L)
  expect_length(res$err, 1L)
  expect_match(res$err, "^evmirna: error: --output: cannot write")
  expect_false(file.exists(out))
  res <- run_cli("score", "--model", cli_model(), "--input", f$cq_file, "--output", tempdir())
  expect_match(res$err, "--output .* is a directory")
})

test_that("European exports: --sep ';' --dec ',' and Excel's sep= line", {
  need_model_file()
  f <- score_fixture()
  lines <- readLines(f$cq_file)
  body <- lines[!startsWith(lines, "#")]
  european <- gsub(",", ";", body, fixed = TRUE)
  european <- gsub("([0-9])\\.([0-9])", "\\1,\\2", european)
  expect_true(any(grepl("[0-9],[0-9]", european)))
  semi <- tempfile(fileext = ".csv")
  writeLines(c(lines[startsWith(lines, "#")], european), semi)
  excel <- tempfile(fileext = ".csv")
  writeLines(c("sep=;", european), excel)
  scores_of <- function(...) {
    out <- tempfile(fileext = ".csv")
    res <- run_cli("score", "--model", cli_model(), "--output", out, ...)
    expect_identical(res$status, 0L)
    utils::read.csv(out, check.names = FALSE)
  }
  plain <- scores_of("--input", f$cq_file)
  expect_identical(scores_of("--input", semi, "--sep", ";", "--dec", ",")$prob, plain$prob)
  expect_identical(scores_of("--input", excel, "--dec", ",")$prob, plain$prob)
  res <- run_cli("score", "--model", cli_model(), "--input", semi, "--output", tempfile())
  expect_identical(res$status, 1L)
})

test_that("--key-file signs at training and is required to match at scoring", {
  need_model_file()
  f <- score_fixture()
  secret <- tempfile()
  writeLines("a secret of more than sixteen bytes", secret)
  other <- tempfile()
  writeLines("another secret, also long enough", other)
  model <- tempfile(fileext = ".json")
  res <- run_cli("train", "--input", f$train_file, "--samples", f$train_samples,
                 "--output", model, "--features", paste(f$panel, collapse = ","),
                 "--n-boot", "50", "--key-file", secret)
  expect_identical(res$status, 0L)
  score <- function(model_file, ...) {
    run_cli("score", "--model", model_file, "--input", f$cq_file,
            "--output", tempfile(fileext = ".csv"), ...)
  }
  expect_identical(score(model, "--key-file", secret)$status, 0L)
  res <- score(model, "--key-file", other)
  expect_identical(res$status, 1L)
  expect_match(res$err, "^evmirna: error: --key-file: the model file's signature does not match")
  # an edit with a recomputed checksum passes without the key, never with it
  txt <- rawToChar(readBin(model, "raw", file.size(model)))
  coef <- ev_load_model(model, key = ev_read_key(secret))$coefficients[["hsa-miR-214-3p"]]
  payload_at <- regexpr("\n  \"payload\": ", txt, fixed = TRUE)
  payload <- substr(txt, payload_at + attr(payload_at, "match.length"), nchar(txt) - 3L)
  edited <- sub(double_token(coef), double_token(coef + 2), payload, fixed = TRUE)
  txt <- sub(payload, edited, txt, fixed = TRUE)
  txt <- sub("sha256:[0-9a-f]{64}",
             paste0("sha256:", as.character(openssl::sha256(charToRaw(edited)))), txt)
  forged <- tempfile(fileext = ".json")
  writeBin(charToRaw(txt), forged)
  res <- score(forged)
  expect_identical(res$status, 0L)
  expect_match(res$err, "evmirna: warning: --key-file: .* is signed but no key was given")
  expect_identical(score(forged, "--key-file", secret)$status, 1L)
  unsigned <- score(cli_model(), "--key-file", secret)
  expect_match(unsigned$err, "not signed")
})

test_that("--features takes any miRBase spelling of the cohort's miRNAs", {
  need_model_file()
  f <- score_fixture()
  model <- tempfile(fileext = ".json")
  spelled <- sub("^hsa-", "", f$panel)
  res <- run_cli("train", "--input", f$train_file, "--samples", f$train_samples,
                 "--output", model, "--features", paste(spelled, collapse = ","),
                 "--n-boot", "50")
  expect_identical(res$status, 0L)
  expect_identical(ev_load_model(model)$coefficients, ev_load_model(cli_model())$coefficients)
  res <- run_cli("train", "--input", f$train_file, "--samples", f$train_samples,
                 "--output", model, "--features", "miR-99999-5p", "--n-boot", "50")
  expect_identical(res$status, 1L)
  expect_match(res$err, "^evmirna: error: --features names miRNAs not in the cohort: \"miR-99999-5p\"")
})

test_that("train cross-validates the same recipe and sets the cut-points out of fold", {
  need_model_file()
  f <- score_fixture()
  path <- tempfile(fileext = ".json")
  res <- run_cli("train", "--input", f$train_file, "--samples", f$train_samples,
                 "--output", path, "--top", "3", "--n-folds", "5", "--n-boot", "100",
                 "--seed", "7")
  expect_identical(res$status, 0L)
  # the same recipe, cross-validated from R with the same seed
  set.seed(7)
  qc <- ev_qc(f$x)
  imputed <- ev_impute_nondetects(f$x[, qc$pass], "limit", limit = 40)
  normalized <- ev_normalize(imputed, "global_mean")
  keep <- normalized$features$role == "target" & rowSums(is.na(normalized$values)) == 0
  cv <- ev_cv(imputed, "group", n_folds = 5, screen = list(top = 3),
              features = normalized$features$id[keep],
              preprocess = function(s) ev_normalize(s, "global_mean"))
  line <- grep("^cross-validated AUC", res$out, value = TRUE)
  expect_length(line, 1L)
  expect_match(line, sprintf("AUC %.3f (95%% CI %.3f-%.3f) from out-of-fold", cv$ci[["auc"]],
                             cv$ci[["lower"]], cv$ci[["upper"]]), fixed = TRUE)
  expect_match(line, "the --top choice of miRNAs and the fit re-learned in each training fold")
  expect_match(res$out, "^apparent \\(training\\) AUC .*optimistic", all = FALSE)
  # the final panel is the recipe's choice on all samples: ev_cv's own final fit
  model <- ev_load_model(path)
  expect_equal(model$coefficients, cv$model$coefficients, tolerance = 1e-12)
  # the cut-point comes from the out-of-fold predictions, not the training ones
  expect_identical(model$recipe$training$cutpoint_source, "5-fold out-of-fold predictions")
  oof <- ev_coords(ev_roc(cv$pooled$group, cv$pooled$prob, direction = "<"), "best")
  expect_equal(model$recipe$cutpoints$threshold, oof$threshold[1L], tolerance = 1e-12)
  expect_match(res$out, "cut-points chosen on the out-of-fold predictions", all = FALSE)
})

test_that("--no-cv is explicit and labels the apparent AUC", {
  need_model_file()
  f <- score_fixture()
  path <- tempfile(fileext = ".json")
  res <- run_cli("train", "--input", f$train_file, "--samples", f$train_samples,
                 "--output", path, "--features", paste(f$panel, collapse = ","),
                 "--n-boot", "100", "--no-cv")
  expect_identical(res$status, 0L)
  expect_false(any(grepl("cross-validated", res$out)))
  expect_match(res$out, "^apparent \\(training\\) AUC .*NOT validated \\(--no-cv\\)", all = FALSE)
  expect_match(res$out, "cut-points chosen on the training \\(apparent\\) predictions", all = FALSE)
  expect_identical(ev_load_model(path)$recipe$training$cutpoint_source, "training predictions")
  res <- run_cli("train", "--input", f$train_file, "--samples", f$train_samples,
                 "--output", path, "--no-cv=yes")
  expect_identical(res$status, 1L)
  expect_match(res$err, "option '--no-cv' takes no value")
  # a fixed --features panel: the CV says it cannot judge how it was chosen
  res <- run_cli("train", "--input", f$train_file, "--samples", f$train_samples,
                 "--output", path, "--features", paste(f$panel, collapse = ","),
                 "--n-boot", "100", "--n-folds", "5")
  expect_match(res$out, "the --features panel is fixed", all = FALSE)
  res <- run_cli("train", "--input", f$train_file, "--samples", f$train_samples,
                 "--output", path, "--n-folds", "1")
  expect_identical(res$status, 1L)
  expect_match(res$err, "--n-folds")
})

test_that("train --report writes the QC and cross-validation of the training cohort", {
  need_model_file()
  need_reference("rmarkdown")
  f <- score_fixture()
  html <- tempfile(fileext = ".html")
  res <- run_cli("train", "--input", f$train_file, "--samples", f$train_samples,
                 "--output", tempfile(fileext = ".json"), "--n-folds", "5", "--n-boot", "100",
                 "--report", html)
  expect_identical(res$status, 0L)
  text <- paste(readLines(html), collapse = "\n")
  expect_match(text, "<h2>Quality control", fixed = TRUE)
  expect_match(text, "<h2>Cross-validation", fixed = TRUE)
  expect_match(text, "<h2>Model", fixed = TRUE)
})

test_that("train --report refuses to overwrite an input or the model", {
  f <- score_fixture()
  model <- tempfile(fileext = ".json")
  res <- run_cli("train", "--input", f$train_file, "--samples", f$train_samples,
                 "--output", model, "--report", model)
  expect_identical(res$status, 1L)
  expect_match(res$err, "--report '.*' is the --output file \\(the model\\)")
  res <- run_cli("train", "--input", f$train_file, "--samples", f$train_samples,
                 "--output", model, "--report", f$train_samples)
  expect_match(res$err, "is the --samples file; refusing to overwrite")
  expect_false(file.exists(model))
})
