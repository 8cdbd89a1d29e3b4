edger_method <- c(tmm = "TMM", upper_quartile = "upperquartile", rle = "RLE")

test_that("TMM, upper quartile and RLE factors and logCPM match edgeR", {
  need_reference("edgeR")
  for (seed in 1:3) {
    y <- sim_counts(seed = seed)
    x <- evset(y, scale = "counts")
    for (m in names(edger_method)) {
      n <- ev_normalize(x, m)
      nf <- edgeR::calcNormFactors(y, method = edger_method[[m]])
      expect_lte(max(abs(n$samples$norm_factor - nf)), 1e-12)
      ref <- edgeR::cpm(y, lib.size = colSums(y) * nf, log = TRUE, prior.count = 2)
      expect_lte(max(abs(n$values - ref)), 1e-12)
    }
  }
})

test_that("TMM options match edgeR: trims, no weighting, A cutoff, reference", {
  need_reference("edgeR")
  y <- sim_counts(seed = 5, n_samples = 6)
  x <- evset(y, scale = "counts")
  cases <- list(
    list(args = list(ratio_trim = 0.2, sum_trim = 0.1),
         ref = list(logratioTrim = 0.2, sumTrim = 0.1)),
    list(args = list(weighting = FALSE), ref = list(doWeighting = FALSE)),
    list(args = list(a_cutoff = -18), ref = list(Acutoff = -18)),
    list(args = list(reference_sample = 4), ref = list(refColumn = 4)),
    list(args = list(p = 0.9), ref = list(p = 0.9), method = "upper_quartile")
  )
  for (cs in cases) {
    m <- if (is.null(cs$method)) "tmm" else cs$method
    n <- do.call(ev_normalize, c(list(x, m), cs$args))
    nf <- do.call(edgeR::calcNormFactors,
                  c(list(y, method = edger_method[[m]]), cs$ref))
    expect_lte(max(abs(n$samples$norm_factor - nf)), 1e-12)
  }
  # TMM with integer ties and tiny libraries
  small <- matrix(rpois(60 * 5, 1.5), 60, 5,
                  dimnames = list(paste0("hsa-miR-", 1:60), paste0("s", 1:5)))
  n <- ev_normalize(evset(small, scale = "counts"), "tmm")
  expect_lte(max(abs(n$samples$norm_factor - edgeR::calcNormFactors(small))), 1e-12)
})

test_that("log-CPM follows edgeR's prior-count rule", {
  need_reference("edgeR")
  y <- sim_counts(seed = 7)
  x <- evset(y, scale = "counts")
  for (pc in c(0.25, 2, 5)) {
    n <- ev_normalize(x, "cpm", prior_count = pc)
    expect_lte(max(abs(n$values - edgeR::cpm(y, log = TRUE, prior.count = pc))), 1e-12)
  }
})

test_that("median-of-ratios and poscounts size factors match DESeq2", {
  need_reference("DESeq2")
  y <- sim_counts(seed = 3)
  pos <- y[rowSums(y == 0) == 0, ]
  n <- ev_normalize(evset(pos, scale = "counts"), "median_ratio")
  sf <- DESeq2::estimateSizeFactorsForMatrix(pos)
  expect_lte(max(abs(n$samples$size_factor - sf)), 1e-12)
  expect_lte(max(abs(n$values - log2(t(t(pos) / sf) + 1))), 1e-12)
  n <- ev_normalize(evset(y, scale = "counts"), "poscounts")
  # estimateSizeFactors(dds, type = "poscounts") = the matrix factors
  # rescaled to a geometric mean of one (test-errors-normalize.R checks dds)
  sf <- DESeq2::estimateSizeFactorsForMatrix(y, type = "poscounts")
  sf <- sf / exp(mean(log(sf)))
  expect_lte(max(abs(n$samples$size_factor - sf)), 1e-12)
  # ratio on data where some features have zeros (excluded from the median)
  z <- y[4:100, ]
  z[5, 2] <- 0L
  n <- ev_normalize(evset(z, scale = "counts"), "median_ratio")
  expect_lte(max(abs(n$samples$size_factor -
                       DESeq2::estimateSizeFactorsForMatrix(z))), 1e-12)
})

test_that("quantile normalization of log-CPM matches preprocessCore", {
  need_reference("edgeR")
  need_reference("preprocessCore")
  y <- sim_counts(seed = 4)
  n <- ev_normalize(evset(y, scale = "counts"), "quantile")
  ref <- preprocessCore::normalize.quantiles(edgeR::cpm(y, log = TRUE))
  expect_lte(max(abs(n$values - ref)), 1e-12)
})

test_that("every count method: a new sample alone equals it in a batch", {
  train <- evset(sim_counts(seed = 1), scale = "counts")
  new <- sim_counts(seed = 21, n_samples = 5)
  for (m in c("cpm", "tmm", "upper_quartile", "rle", "median_ratio",
              "poscounts", "quantile")) {
    tr <- ev_normalize(train, m)
    batch <- ev_normalize(evset(new, scale = "counts"), steps = tr$steps)
    for (j in seq_len(ncol(new))) {
      alone <- ev_apply_steps(evset(new[, j, drop = FALSE], scale = "counts"),
                              tr$steps)
      expect_identical(alone$values[, 1], batch$values[, j], label = m)
    }
    replay <- ev_normalize(train, steps = tr$steps)
    expect_identical(replay$values, tr$values, label = m)
  }
})

test_that("frozen TMM uses the training reference, not the new batch", {
  need_reference("edgeR")
  y <- sim_counts(seed = 2)
  tr <- ev_normalize(evset(y, scale = "counts"), "tmm")
  st <- tr$steps[[1]]
  new <- sim_counts(seed = 30, n_samples = 3)
  out <- ev_normalize(evset(new, scale = "counts"), steps = tr$steps)
  lib <- colSums(new)
  raw <- vapply(1:3, function(j) edgeR:::.calcFactorTMM(
    new[, j], st$reference_profile, lib[j], st$reference_lib_size), 1)
  expect_lte(max(abs(out$samples$norm_factor - raw / st$factor_scale)), 1e-12)
})

test_that("bad count input gives classed errors naming the argument", {
  y <- sim_counts(n_samples = 4)
  y[, 2] <- 0L
  e <- expect_error(ev_normalize(evset(y, scale = "counts"), "tmm"),
                    class = "evmirna_error_value")
  expect_match(conditionMessage(e), "S02")
  y <- sim_counts(n_samples = 4) * 1.0
  y[2, 3] <- NA
  expect_error(ev_normalize(evset(y, scale = "counts"), "cpm"),
               class = "evmirna_error_value")
  expect_error(evset(-sim_counts(), scale = "counts"), class = "evmirna_error_value")
  one <- evset(sim_counts(n_samples = 1), scale = "counts")
  expect_error(ev_normalize(one, "tmm"), class = "evmirna_error_shape")
  x <- evset(sim_counts(), scale = "counts")
  e <- expect_error(ev_normalize(x, "reference"), class = "evmirna_error_value")
  expect_equal(e$arg, "method")
  expect_error(ev_normalize(x, "nonsense"), class = "evmirna_error_value")
  expect_error(ev_normalize(x), class = "evmirna_error_value")
  expect_error(ev_normalize(x, "tmm", bogus = 1), class = "evmirna_error_value")
  expect_error(ev_normalize(x, "tmm", prior_count = -1), class = "evmirna_error_value")
  # applying a count recipe to Cq data
  tr <- ev_normalize(x, "tmm")
  expect_error(ev_normalize(evset(sim_cq()), steps = tr$steps),
               class = "evmirna_error_value")
  # new data lacking features of the recipe
  expect_error(ev_apply_steps(x[1:50, ], tr$steps), class = "evmirna_error_unknown")
  expect_error(ev_apply_steps(x, list(1)), class = "evmirna_error_type")
})

test_that("ev_norm_factors equals ev_normalize's factors and edgeR/DESeq2", {
  need_reference("edgeR")
  need_reference("DESeq2")
  y <- sim_counts(seed = 8)
  x <- evset(y, scale = "counts")
  for (m in names(edger_method)) {
    f <- ev_norm_factors(x, m)
    expect_identical(unname(f), ev_normalize(x, m)$samples$norm_factor)
    expect_lte(max(abs(f - edgeR::calcNormFactors(y, method = edger_method[[m]]))), 1e-12)
  }
  f <- ev_norm_factors(x, "poscounts")
  sf <- DESeq2::estimateSizeFactorsForMatrix(y, type = "poscounts")
  expect_lte(max(abs(f - sf / exp(mean(log(sf))))), 1e-12)
  expect_error(ev_norm_factors(evset(sim_cq()), "tmm"), class = "evmirna_error_value")
})

test_that("TMM factors do not depend on the number of threads", {
  y <- sim_counts(seed = 9, n_features = 500, n_samples = 300)
  x <- evset(y, scale = "counts")
  old <- options(evmirna.threads = 1L)
  one <- ev_norm_factors(x, "tmm")
  options(evmirna.threads = 2L)
  two <- ev_norm_factors(x, "tmm")
  options(old)
  expect_identical(one, two)
})
