# The .Call interface refuses malformed arguments with an R error instead of
# reading out of bounds (reproducers from issue 12).

test_that("NA or out-of-range trims and quantiles are refused in C", {
  x <- matrix(c(5, 10, 0, 3, 8, 12, 1, 2, 6, 9, 2, 4), 4)
  ref <- x[, 1]
  lib <- colSums(x)
  tmm <- function(rt, st) .Call(C_tmm_factors, x, ref, lib, sum(ref), rt, st, TRUE, -1e10, 1L)
  expect_error(tmm(NA_real_, 0.05), "ratio_trim")
  expect_error(tmm(0.3, NA_real_), "sum_trim")
  expect_error(tmm(-0.1, 0.05), "ratio_trim")
  expect_equal(length(tmm(0.3, 0.05)), 3L)
  keep <- rep(TRUE, 4)
  expect_error(.Call(C_col_quantile, x, keep, NA_real_), "p")
  expect_error(.Call(C_col_quantile, x, keep, 1.5), "p")
  expect_equal(.Call(C_col_quantile, x, keep, 0.75),
               unname(apply(x, 2, stats::quantile, 0.75)))
})

test_that("frozen TMM steps with an NA trim give an error, not a crash", {
  set.seed(5)
  # SIMULATED counts
  counts <- matrix(stats::rpois(30 * 6, 50), 30, 6,
                   dimnames = list(sprintf("hsa-miR-%d", 1:30), sprintf("s%d", 1:6)))
  x <- as_evset(counts, scale = "counts")
  n <- ev_normalize(x, "tmm")
  steps <- n$steps
  k <- length(steps)
  steps[[k]]$ratio_trim <- NA
  expect_error(ev_apply_steps(x, steps))
})

test_that("bootstrap refuses cluster and group ids that do not fit the data", {
  set.seed(2)
  x <- stats::rnorm(40)  # SIMULATED
  y <- rep(0:1, 20)
  r <- ev_roc(y, x, direction = "<")
  fit <- roc_fit_with_groups(r)
  boot <- function(fit, cluster) .Call(C_roc_boot, list(fit), r$response, NULL, cluster,
                                       10L, TRUE, 0L, numeric(0), 0L)
  expect_error(boot(fit, 5L), "cluster")
  expect_error(boot(fit, c(rep(1L, 39), 41L)), "cluster")
  bad <- fit
  bad$group[1] <- length(bad$values) + 3L
  expect_error(boot(bad, NULL), "group")
  expect_equal(dim(boot(fit, NULL)), c(10L, 1L))
  r$cluster <- 5L
  expect_error(ev_ci_auc(r, "bootstrap", n_boot = 20))
})

test_that("the DeLong covariance in C matches the placement formula", {
  set.seed(9)
  x1 <- stats::rnorm(60)  # SIMULATED
  x2 <- x1 + stats::rnorm(60)
  y <- rep(0:1, 30)
  r1 <- ev_roc(y, x1, direction = "<")
  r2 <- ev_roc(y, x2, direction = "<")
  S <- delong_cov_matrix(list(r1, r2))
  naive <- function(a, b) {
    pa <- a$fit$placements_cases - a$auc
    pb <- b$fit$placements_cases - b$auc
    qa <- a$fit$placements_controls - a$auc
    qb <- b$fit$placements_controls - b$auc
    sum(pa * pb) / (length(pa) - 1) / length(pa) + sum(qa * qb) / (length(qa) - 1) / length(qa)
  }
  expect_equal(S[1, 2], naive(r1, r2), tolerance = 1e-14)
  expect_equal(S[1, 1], r1$fit$delong_var, tolerance = 1e-14)
  expect_equal(S[2, 2], naive(r2, r2), tolerance = 1e-14)
  expect_identical(S[1, 2], S[2, 1])
})
