# The rendered demo-style report in a real browser (headless Chromium):
# nothing wider than a 1280 px window outside a scroll box, every image
# decoded, the headline AUC on the page.
test_that("the report fits a 1280 px window, its images decode and it shows the CV AUC", {
  skip_on_cran()
  need_reference("chromote")
  need_reference("rmarkdown")
  if (!nzchar(chromium_path())) stop("chromium is not installed (run `make deps-test`)")
  file <- report_demo_file()
  b <- open_in_chromium(file, width = 1280)
  on.exit(b$parent$close(), add = TRUE)
  s <- b$session
  over <- jsonlite::fromJSON(js_value(s, js_overflowing))
  expect_lte(over$vw, 1280L)   # the window less its scrollbar
  expect_gte(over$vw, 1200L)
  expect_identical(over$bad, list())
  expect_lte(over$page, 1280L)
  img <- jsonlite::fromJSON(js_value(s, js_images))
  expect_gte(nrow(img), 6L)
  expect_true(all(img$complete))
  expect_true(all(img$width > 0))
  ci <- ev_ci_auc(report_fixture()$cv$roc)
  headline <- js_value(s, "document.getElementById('headline').innerText")
  expect_match(headline, sprintf("cross-validated AUC\t%.3f (95%% CI %.3f-%.3f)", ci[["auc"]],
                                 ci[["lower"]], ci[["upper"]]), fixed = TRUE)
})
