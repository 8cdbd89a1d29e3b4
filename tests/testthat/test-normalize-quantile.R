test_that("quantile kernel matches preprocessCore and limma with ties and NAs", {
  need_reference("preprocessCore")
  need_reference("limma")
  for (seed in 1:4) {
    set.seed(seed)
    x <- matrix(round(rnorm(80 * 7, 30, 3), 1), 80, 7)   # many ties
    x[sample(length(x), 60)] <- NA
    x[, 2] <- rep(c(20, 25), 40)                         # long tie runs
    ours <- .Call(evmirna:::C_quantile_normalize, x, 1)[[1]]
    expect_equal(is.na(ours), is.na(x))
    expect_lte(max(abs(ours - preprocessCore::normalize.quantiles(x)), na.rm = TRUE), 1e-12)
    expect_lte(max(abs(ours - limma::normalizeQuantiles(x)), na.rm = TRUE), 1e-12)
  }
  y <- matrix(as.double(rpois(500 * 5, 2)), 500, 5)      # integer ties, no NA
  ours <- .Call(evmirna:::C_quantile_normalize, y, 1)[[1]]
  expect_lte(max(abs(ours - preprocessCore::normalize.quantiles(y))), 1e-12)
  expect_lte(max(abs(ours - limma::normalizeQuantiles(y))), 1e-12)
})

test_that("ev_normalize quantile on Cq gives -Cq_qn and never modifies its input", {
  need_reference("preprocessCore")
  cq <- sim_cq(na = 25)
  x <- evset(cq)
  copy <- x$values + 0
  n <- ev_normalize(x, "quantile", efficiency = 1.9)
  expect_identical(x$values, copy)
  expect_equal(n$scale, "log2")
  ref <- -preprocessCore::normalize.quantiles(cq) * log2(1.9)
  expect_lte(max(abs(n$values - ref), na.rm = TRUE), 1e-12)
  expect_identical(is.na(n$values), is.na(cq))
  expect_equal(n$steps[[1]]$name, "normalize")
  expect_length(n$steps[[1]]$target, nrow(cq))
})

test_that("frozen quantile target: a sample alone equals the sample in a batch", {
  train <- ev_normalize(evset(sim_cq(na = 20)), "quantile")
  new <- sim_cq(seed = 9, na = 15)
  batch <- ev_normalize(evset(new), steps = train$steps)
  for (j in seq_len(ncol(new))) {
    alone <- ev_normalize(evset(new[, j, drop = FALSE]), steps = train$steps)
    expect_identical(alone$values[, 1], batch$values[, j])
  }
  # the training samples replayed reproduce the training values exactly
  again <- ev_apply_steps(evset(sim_cq(na = 20)), train$steps)
  expect_identical(again$values, train$values)
  # a complete new sample without ties takes exactly the frozen target
  fresh <- sim_cq(seed = 11)[, 1, drop = FALSE]
  expect_false(anyDuplicated(fresh[, 1]) > 0)
  out <- ev_normalize(evset(fresh), steps = train$steps)$values
  expect_identical(unname(sort(-out[, 1])), train$steps[[1]]$target)
})

test_that("quantile normalization refuses samples with fewer than two values", {
  cq <- sim_cq(n_features = 5, n_samples = 3)
  cq[-1, 2] <- NA
  expect_error(ev_normalize(evset(cq), "quantile"), class = "evmirna_error_value")
})
