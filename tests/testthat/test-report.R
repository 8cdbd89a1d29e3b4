test_that("base64 encoding matches jsonlite's", {
  need_reference("jsonlite")
  set.seed(2)
  for (n in c(0, 1, 2, 3, 4, 5, 100, 1001)) {
    bytes <- as.raw(sample(0:255, n, replace = TRUE))
    expect_identical(evmirna:::base64_encode(bytes),
                     if (n) gsub("\n", "", jsonlite::base64_enc(bytes)) else "")
  }
})

test_that("the report holds the ROC figure, the QC summary, the model and the scored table", {
  f <- score_fixture()
  s <- ev_score(f$frozen, f$new)
  roc <- ev_roc(f$model$train$group, f$model$train$prob, direction = "<")
  file <- tempfile(fileext = ".html")
  pngs <- file.path(tempdir(), "report-pngs")
  set.seed(1)
  out <- ev_report(f$qc, f$frozen, roc, s, file = file, png_dir = pngs, n_boot = 100)
  html <- paste(readLines(file), collapse = "\n")
  expect_match(html, "<figure id=\"fig-roc\"><img alt=\"roc\" src=\"data:image/png;base64,", fixed = TRUE)
  expect_match(html, "SIMULATED DATA", fixed = TRUE)
  expect_match(html, "<h2>Scored patients</h2>", fixed = TRUE)
  for (id in s$id) expect_match(html, paste0("<td>", id, "</td>"), fixed = TRUE)
  expect_match(html, "<td>hemolysed</td>", fixed = TRUE)
  expect_match(html, "<h2>Cohort quality control</h2>", fixed = TRUE)
  expect_match(html, "<h2>Panel miRNAs in the curated bone-remodeling EV table</h2>", fixed = TRUE)
  expect_false(grepl("src=\"[^d]", html))
  # embedded figure decodes to the PNG written on request
  b64 <- sub(".*fig-roc\"><img alt=\"roc\" src=\"data:image/png;base64,([^\"]+)\".*", "\\1", html)
  png <- file.path(pngs, "roc.png")
  expect_true(png %in% attr(out, "figures"))
  expect_identical(b64, evmirna:::base64_encode(readBin(png, "raw", file.size(png))))
  expect_error(ev_report(1, file = file), class = "evmirna_error_type")
  expect_error(ev_report(file = file), class = "evmirna_error_empty")
})
