test_that("the headline numbers come from the out-of-fold and held-out predictions", {
  f <- report_fixture()
  d <- ev_report_data(f$cohort, f$qc, f$screen, f$panels, f$frozen, f$cv, f$scores,
                      "held-out" = f$held_out, seed = 5)
  expect_true(d$simulated)
  h <- stats::setNames(d$headline$value, d$headline$quantity)
  ci <- ev_ci_auc(f$cv$roc)
  expect_identical(h[["cross-validated AUC"]],
                   sprintf("%.3f (95%% CI %.3f-%.3f)", ci[["auc"]], ci[["lower"]], ci[["upper"]]))
  # the pooled out-of-fold ROC is the one of the pooled predictions
  expect_equal(ev_auc(ev_roc(f$cv$pooled$group, f$cv$pooled$prob, direction = "<")),
               ci[["auc"]], tolerance = 1e-12)
  expect_match(d$headline$source[d$headline$quantity == "cross-validated AUC"], "out-of-fold")
  expect_identical(h[["Brier score"]], sprintf("%.3f", mean((as.integer(f$cv$pooled$group) - 1 -
                                                              f$cv$pooled$prob)^2)))
  ho <- ev_ci_auc(f$held_out)
  expect_match(h[["held-out AUC"]], sprintf("%.3f", ho[["auc"]]), fixed = TRUE)
  expect_identical(h[["QC pass rate"]], sprintf("%d of %d (%.1f%%)", sum(f$qc$pass),
                                                nrow(f$qc), 100 * mean(f$qc$pass)))
  expect_match(d$headline$source[grepl("cut-point", d$headline$quantity)], "out-of-fold")
})

test_that("screening is sorted by FDR, then by the AUC's distance from 0.5", {
  f <- report_fixture()
  s <- ev_report_data(f$screen)$screening
  tab <- as.data.frame(f$screen)
  o <- order(tab$p_wilcoxon_bh, -abs(tab$auc - 0.5), tab$feature)
  expect_identical(s$miRNA, tab$feature[o])
  # every column describes the miRNA of its row
  expect_identical(s$FDR, evmirna:::format_p(tab$p_wilcoxon_bh[o]))
  expect_identical(s$p, evmirna:::format_p(tab$p_wilcoxon[o]))
  expect_identical(s$AUC, sprintf("%.3f", tab$auc[o]))
  expect_false(is.unsorted(tab$p_wilcoxon_bh[o]))
  expect_identical(s$miRNA[1L], "hsa-miR-214-3p")
  expect_identical(nrow(s), nrow(tab))
  expect_lte(ncol(s), 8L)
  # the order does not depend on the order of the features
  s_rev <- ev_report_data(ev_screen(f$normalized, "group", features = rev(f$targets)))$screening
  expect_identical(s_rev, s)
})

test_that("excluded samples are listed with every failing check", {
  f <- report_fixture()
  d <- ev_report_data(f$qc)
  ex <- d$qc_excluded
  expect_identical(ex$sample, f$qc$sample[!f$qc$pass])
  hemo <- f$qc$hemolysis[match(ex$sample, f$qc$sample)]
  expect_true(all(grepl("hemoly", ex$reason[hemo != "ok"])))
  expect_true(all(nzchar(ex$reason)))
  expect_false(any(ex$status == "pass"))
  expect_identical(d$qc_counts$n[d$qc_counts$check == "hemolysis risk"],
                   sum(f$qc$hemolysis == "hemolysis_risk", na.rm = TRUE))
  expect_identical(d$qc_counts$n[d$qc_counts$check == "pass all checks"], sum(f$qc$pass))
})

test_that("the panel null reports its resolution, 1 / (n_perm + 1)", {
  f <- report_fixture()
  nul <- ev_report_data(f$panels)$panel_null
  expect_identical(nul$n_perm, c(3L, 3L))
  expect_identical(nul$smallest_p, c(0.25, 0.25))
  # no permutation p-value can fall below it
  expect_true(all(as.data.frame(f$panels)$p_perm >= nul$smallest_p[1L]))
})

test_that("the TRIPOD checklist is filled in from the objects", {
  f <- report_fixture()
  t <- ev_report_data(f$cohort, f$qc, f$screen, f$frozen, f$cv)$tripod
  a <- stats::setNames(t$answer, t$topic)
  n_min <- min(f$cv$n)
  expect_match(a[["sample size and events per predictor"]],
               sprintf("per candidate predictor %.1f", n_min / nrow(f$screen)), fixed = TRUE)
  expect_match(a[["missing data and non-detects"]], "imputed by \"limit\" at Cq 40")
  expect_match(a[["full model specification"]],
               sprintf("%.4g", f$frozen$coefficients[[2L]]), fixed = TRUE)
  expect_match(a[["data source"]], "SIMULATED", fixed = TRUE)
  # an object not given leaves its item to be filled in by hand
  t2 <- ev_report_data(f$screen)$tripod
  expect_match(t2$answer[t2$topic == "full model specification"], "by hand")
})

test_that("the rendered report is one self-contained file with every section", {
  need_reference("rmarkdown")
  skip_if_not(rmarkdown::pandoc_available("2.0"), "pandoc not available")
  file <- report_demo_file()
  # pandoc wraps lines: compare with runs of white space made one space
  html <- gsub("\\s+", " ", paste(readLines(file, warn = FALSE), collapse = "\n"))
  has <- function(text) grepl(text, html, fixed = TRUE)
  for (h in c("Headline", "Quality control", "Screening", "Panel search", "Model",
              "Cross-validation", "Scored patients", "Curated bone-remodeling annotation",
              "Reporting checklist (TRIPOD)")) {
    expect_true(has(h), label = h)
  }
  expect_true(has("SIMULATED DATA"))
  # no external resource: every image and script is inline
  expect_false(grepl("<img[^>]+src=\"(?!data:)", html, perl = TRUE))
  expect_false(grepl("<script[^>]+src=\"(?!data:)", html, perl = TRUE))
  f <- report_fixture()
  for (id in f$scores$id[!f$scores$scored]) expect_true(has(id), label = id)
  expect_true(has("smallest reachable p is 1/(3 + 1) = 0.250"))
  figs <- list.files(file.path(dirname(file), "report-figures"))
  expect_true(all(c("qc.png", "cv-roc.png", "screen.png") %in% figs))
  # figures at 150 dpi: an 8-inch-wide figure is 1200 px wide
  png <- file.path(dirname(file), "report-figures", "screen.png")
  con <- file(png, "rb")
  bytes <- readBin(con, "raw", 24L)
  close(con)
  expect_identical(sum(as.integer(bytes[17:20]) * 256^(3:0)), 1200)
})

test_that("ev_report() refuses what it cannot report or write", {
  f <- report_fixture()
  expect_error(ev_report(1, file = tempfile()), class = "evmirna_error_type")
  expect_error(ev_report(file = tempfile()), class = "evmirna_error_empty")
  expect_error(ev_report(f$qc, file = file.path(tempfile(), "no-dir", "r.html")),
               class = "evmirna_error_file")
  expect_error(ev_report(f$qc, file = tempfile(), figure_format = "gif"),
               class = "evmirna_error_value")
  expect_error(ev_report(f$qc, file = tempfile(), dpi = 10), class = "evmirna_error_value")
})

test_that("figures can also be written as PDF and SVG files", {
  need_reference("rmarkdown")
  skip_if_not(rmarkdown::pandoc_available("2.0"), "pandoc not available")
  f <- report_fixture()
  dir <- tempfile("figs")
  out <- ev_report(f$qc, file = tempfile(fileext = ".html"), png_dir = dir,
                   figure_format = c("pdf", "svg"))
  expect_setequal(basename(attr(out, "figures")), c("qc.pdf", "qc.svg"))
  expect_identical(readChar(file.path(dir, "qc.pdf"), 5L, useBytes = TRUE), "%PDF-")
  expect_match(paste(readLines(file.path(dir, "qc.svg"), 3L), collapse = ""), "<svg")
  # the report itself still embeds a PNG
  html <- paste(readLines(out, warn = FALSE), collapse = "")
  expect_match(html, "data:image/png;base64,", fixed = TRUE)
})
