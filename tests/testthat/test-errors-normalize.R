# Issue 13: classed errors (and DESeq2's numbers) in ev_normalize and
# ev_norm_factors. SIMULATED counts and Cq values.

test_that("a method that is not one string is refused, naming `method`", {
  xc <- evset(sim_counts(40, 4, seed = 2), scale = "counts")
  xq <- evset(sim_cq(10, 4))
  expect_ev_error(ev_normalize(xc, c("tmm", "cpm")), "evmirna_error_type", "method")
  expect_ev_error(ev_normalize(xc, mean), "evmirna_error_type", "method")
  expect_ev_error(ev_normalize(xc, NA_character_), "evmirna_error_type", "method")
  expect_ev_error(ev_normalize(xq, character(0)), "evmirna_error_type", "method")
  expect_ev_error(ev_normalize(xq, c("reference", "quantile")), "evmirna_error_type",
                  "method")
})

test_that("reference_sample must be a position in 1..ncol or a sample ID", {
  need_reference("edgeR")
  y <- sim_counts(60, 5, seed = 4)
  x <- evset(y, scale = "counts")
  for (bad in list(0, -1, 6, 2.5, matrix(2))) {
    expect_ev_error(ev_normalize(x, "tmm", reference_sample = bad),
                    c("evmirna_error_value", "evmirna_error_type")[1L + is.matrix(bad)],
                    "reference_sample")
  }
  expect_ev_error(ev_norm_factors(x, "tmm", reference_sample = 0), "evmirna_error_value",
                  "reference_sample")
  # a valid position is edgeR's refColumn
  f <- ev_norm_factors(x, "tmm", reference_sample = 2)
  expect_lte(max(abs(f - edgeR::calcNormFactors(y, refColumn = 2))), 1e-12)
  expect_identical(ev_normalize(x, "tmm", reference_sample = 2)$steps[[1]]$reference_sample,
                   colnames(y)[2])
})

test_that("prior_count = 0 and upper-quartile p = 0 are refused instead of -Inf / NaN", {
  x <- evset(sim_counts(40, 4, seed = 5), scale = "counts")
  for (m in c("cpm", "tmm", "median_ratio", "poscounts", "quantile")) {
    expect_ev_error(ev_normalize(x, m, prior_count = 0), "evmirna_error_value", "prior_count")
  }
  expect_ev_error(ev_normalize(x, "upper_quartile", p = 0), "evmirna_error_value", "p")
  expect_ev_error(ev_norm_factors(x, "upper_quartile", p = 0), "evmirna_error_value", "p")
  # the smallest positive prior keeps every value finite (the counts have zeros)
  expect_true(any(x$values == 0))
  expect_true(all(is.finite(ev_normalize(x, "cpm", prior_count = 1e-3)$values)))
})

test_that("poscounts size factors equal DESeq2's estimateSizeFactors(type = 'poscounts')", {
  need_reference("DESeq2")
  y <- sim_counts(200, 6, seed = 9)
  y[10, 2] <- 0L
  dds <- suppressMessages(DESeq2::DESeqDataSetFromMatrix(
    y, data.frame(row.names = colnames(y), g = rep(1, ncol(y))), ~1))
  ref <- DESeq2::sizeFactors(DESeq2::estimateSizeFactors(dds, type = "poscounts"))
  x <- evset(y, scale = "counts")
  n <- ev_normalize(x, "poscounts")
  expect_lte(max(abs(n$samples$size_factor - ref)), 1e-12)
  expect_lte(max(abs(ev_norm_factors(x, "poscounts") - ref)), 1e-12)
  # DESeq2's rescaling: training factors have geometric mean one
  expect_equal(exp(mean(log(n$samples$size_factor))), 1, tolerance = 1e-14)
  # and the frozen constant is reused for a new patient processed alone
  alone <- ev_normalize(x[, 3], steps = n$steps)
  expect_identical(alone$samples$size_factor, n$samples$size_factor[3])
  expect_identical(unname(alone$values[, 1]), unname(n$values[, 3]))
})
