# ev_cut_tscore(): WHO classes, boundaries as the definitions read.

test_that("T-scores fall into the WHO classes, boundaries included as defined", {
  t <- c(1.2, 0, -1, -1.0001, -2, -2.4999, -2.5, -4, NA)
  got <- ev_cut_tscore(t)
  expect_true(is.ordered(got))
  expect_identical(levels(got), c("normal", "osteopenia", "osteoporosis"))
  expect_identical(as.character(got),
                   c("normal", "normal", "normal", "osteopenia", "osteopenia",
                     "osteopenia", "osteoporosis", "osteoporosis", NA))
  # the definitions, written out: normal T >= -1, osteoporosis T <= -2.5
  set.seed(1)
  r <- round(stats::rnorm(500, -1.5, 1.2), 1)
  cls <- ev_cut_tscore(r)
  expect_identical(cls == "normal", r >= -1)
  expect_identical(cls == "osteoporosis", r <= -2.5)
  expect_identical(cls == "osteopenia", r > -2.5 & r < -1)
  expect_true(all(cls[r < -1] > "normal"))
})

test_that("other cuts and labels move the boundaries with the same rule", {
  got <- ev_cut_tscore(c(-3, -2, -1.5, 0), cuts = c(-2, -1.5), labels = c("a", "b", "c"))
  expect_identical(as.character(got), c("c", "c", "a", "a"))
  expect_identical(levels(got), c("a", "b", "c"))
})

test_that("implausible T-scores warn, bad arguments get classed errors", {
  w <- tryCatch(ev_cut_tscore(c(-1, 12, -15)), evmirna_warning = function(w) w)
  expect_s3_class(w, "evmirna_warning_implausible")
  expect_identical(w$arg, "t")
  expect_match(conditionMessage(w), "2 value(s)", fixed = TRUE)
  expect_identical(as.character(suppressWarnings(ev_cut_tscore(c(12, -15)))),
                   c("normal", "osteoporosis"))
  expect_ev_error(ev_cut_tscore("a"), "evmirna_error_type", "t")
  expect_ev_error(ev_cut_tscore(factor(1)), "evmirna_error_type", "t")
  expect_ev_error(ev_cut_tscore(c(1, Inf)), "evmirna_error_value", "t")
  expect_ev_error(ev_cut_tscore(1, cuts = c(-1, -2.5)), "evmirna_error_value", "cuts")
  expect_ev_error(ev_cut_tscore(1, cuts = -1), "evmirna_error_value", "cuts")
  expect_ev_error(ev_cut_tscore(1, labels = c("a", "a", "b")), "evmirna_error_value", "labels")
})
