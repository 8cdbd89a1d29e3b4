test_that("reference, spike-in and global-mean normalizations are -dCq", {
  cq <- sim_cq(na = 10)
  refs <- c("hsa-miR-1-3p", "hsa-miR-2-3p")
  cq[refs, ] <- cq[refs, ] - 5            # references always detected
  cq[refs, ][is.na(cq[refs, ])] <- 25
  rownames(cq)[40] <- "cel-miR-39-3p"
  cq[40, ] <- 24 + seq(0, 0.9, length.out = ncol(cq))
  x <- evset(cq)
  n <- ev_normalize(x, "reference", references = refs)
  expect_equal(n$values, -(cq - rep(colMeans(cq[refs, ]), each = nrow(cq))),
               tolerance = 1e-14)
  n <- ev_normalize(x, "reference", references = refs, efficiency = 1.9)
  expect_equal(n$values, -(cq - rep(colMeans(cq[refs, ]), each = nrow(cq))) * log2(1.9),
               tolerance = 1e-14)
  n <- ev_normalize(x, "spike_in")
  expect_equal(n$steps[[1]]$spike_ins, "cel-miR-39-3p")
  expect_equal(n$values, -(cq - rep(cq[40, ], each = nrow(cq))), tolerance = 1e-14)
  # Mestdagh global mean: miRNAs expressed (Cq <= 30) in each sample, spike-in excluded
  n <- ev_normalize(x, "global_mean", detection_cq = 30)
  gm <- vapply(seq_len(ncol(cq)), function(j) {
    v <- cq[-40, j]
    mean(v[!is.na(v) & v <= 30])
  }, 1)
  expect_equal(n$samples$anchor_cq, gm, tolerance = 1e-14)
  expect_equal(n$values, -(cq - rep(gm, each = nrow(cq))), tolerance = 1e-14)
  # common variant: miRNAs detected in every training sample, set frozen
  n <- ev_normalize(x, "global_mean", global_set = "common", detection_cq = 30)
  common <- rownames(cq)[-40][rowSums(!is.na(cq[-40, ]) & cq[-40, ] <= 30) == ncol(cq)]
  expect_setequal(n$steps[[1]]$mean_features, common)
  expect_equal(n$samples$anchor_cq, unname(colMeans(cq[common, ])), tolerance = 1e-14)
})

test_that("Cq recipes replay per sample, bit for bit", {
  cq <- sim_cq(na = 0)
  rownames(cq)[40] <- "cel-miR-39-3p"
  x <- evset(cq)
  new <- sim_cq(seed = 5)[, 1:4]
  rownames(new)[40] <- "cel-miR-39-3p"
  fits <- list(ev_normalize(x, "reference", references = rownames(cq)[1:3]),
               ev_normalize(x, "spike_in"),
               ev_normalize(x, "global_mean"),
               ev_normalize(x, "global_mean", global_set = "common"),
               ev_normalize(x, "quantile"))
  for (f in fits) {
    batch <- ev_apply_steps(evset(new), f$steps)
    for (j in 1:4) {
      alone <- ev_apply_steps(evset(new[, j, drop = FALSE]), f$steps)
      expect_identical(alone$values[, 1], batch$values[, j])
    }
    expect_identical(batch$steps, f$steps)
  }
  # extra features in new data are dropped, order follows the recipe
  shuffled <- new[c(41 - 1:40), ]
  out <- ev_apply_steps(evset(shuffled), fits[[1]]$steps)
  expect_identical(rownames(out$values), rownames(cq))
})

test_that("undetected or absent references are named errors", {
  cq <- sim_cq()
  cq[1, c(2, 5)] <- NA
  x <- evset(cq)
  e <- expect_error(ev_normalize(x, "reference", references = rownames(cq)[1:2]),
                    class = "evmirna_error_value")
  expect_match(conditionMessage(e), "P02")
  expect_match(conditionMessage(e), "P05")
  e <- expect_error(ev_normalize(x, "reference", references = "hsa-miR-999"),
                    class = "evmirna_error_unknown")
  expect_equal(e$arg, "references")
  expect_error(ev_normalize(x, "reference"), class = "evmirna_error_empty")
  expect_error(ev_normalize(x, "tmm"), class = "evmirna_error_value")
  expect_error(ev_normalize(x, "spike_in"), class = "evmirna_error_empty")
  expect_error(ev_normalize(x, "reference", references = rownames(cq)[3],
                            efficiency = 3), class = "evmirna_error_value")
  lx <- ev_normalize(evset(sim_cq()), "quantile")
  expect_error(ev_normalize(lx, "quantile"), class = "evmirna_error_value")
  # a new patient missing a reference value is refused, not silently shifted
  tr <- ev_normalize(evset(sim_cq()), "reference", references = rownames(cq)[1:2])
  e <- expect_error(ev_apply_steps(evset(cq[, 2, drop = FALSE]), tr$steps),
                    class = "evmirna_error_value")
  expect_match(conditionMessage(e), "P02")
})

test_that("an all-NA sample is named by every Cq method", {
  cq <- sim_cq()
  cq[, "P04"] <- NA
  x <- evset(cq)
  for (args in list(list("reference", references = rownames(cq)[1:2]),
                    list("global_mean"), list("quantile"))) {
    e <- expect_error(do.call(ev_normalize, c(list(x), args)),
                      class = "evmirna_error_value")
    expect_match(conditionMessage(e), "P04")
  }
})

test_that("the delta-Cq kernel is bit-identical to the R expression", {
  set.seed(11)
  cq <- matrix(runif(300, 18, 36), 30, dimnames = list(NULL, paste0("s", 1:10)))
  cq[sample(300, 20)] <- NA
  anchor <- runif(10, 20, 25)
  for (slope in c(1, log2(1.93))) {
    expect_identical(.Call(evmirna:::C_delta_cq, cq, anchor, slope),
                     -(cq - rep(anchor, each = nrow(cq))) * slope)
  }
})
