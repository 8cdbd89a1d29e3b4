# Cross-checks against pROC on hundreds of random and edge-case data sets.

tol <- 1e-12

test_that("curve, AUC, DeLong CI and partial AUC match pROC", {
  need_reference("pROC")
  for (i in 1:320) {
    d <- roc_case(i)
    r <- ev_roc(d$resp, d$x, levels = d$labels, direction = d$direction)
    p <- proc_roc(d$resp, d$x, d$labels, d$direction)
    info <- paste("case", i, d$kind)
    expect_identical(r$direction, p$direction, info = info)
    expect_equal(r$thresholds, p$thresholds, tolerance = tol, info = info)
    expect_equal(r$sensitivities, p$sensitivities, tolerance = tol, info = info)
    expect_equal(r$specificities, p$specificities, tolerance = tol, info = info)
    expect_equal(r$auc, as.numeric(p$auc), tolerance = tol, info = info)
    ci_r <- suppressWarnings(ev_ci_auc(r))
    ci_p <- suppressWarnings(pROC::ci.auc(p))
    expect_equal(unname(ci_r[c(1, 3)]), as.numeric(ci_p)[c(1, 3)],
                 tolerance = tol, info = info)
    if (sum(d$y) > 1 && sum(1 - d$y) > 1) {
      expect_equal(attr(ci_r, "se")^2, suppressWarnings(pROC::var(p)), tolerance = tol, info = info)
    }
    lo <- runif(1, 0, 0.7)
    rng <- sort(c(lo, lo + runif(1, 0.05, 1 - lo)))
    focus <- sample(c("specificity", "sensitivity"), 1)
    correct <- sample(c(TRUE, FALSE), 1)
    pa_r <- suppressWarnings(ev_auc(r, rng, focus = focus, correct = correct))
    pa_p <- suppressWarnings(pROC::auc(p, partial.auc = rev(rng),
                                       partial.auc.focus = focus,
                                       partial.auc.correct = correct))
    expect_equal(pa_r, as.numeric(pa_p), tolerance = tol, info = info)
  }
})

test_that("coords best (both methods) and at thresholds/specificities match pROC", {
  need_reference("pROC")
  for (i in 1:240) {
    d <- roc_case(i)
    r <- ev_roc(d$resp, d$x, levels = d$labels, direction = d$direction)
    p <- proc_roc(d$resp, d$x, d$labels, d$direction)
    bw <- c(runif(1, 0.2, 3), runif(1, 0.1, 0.9))
    for (m in c("youden", "closest_topleft")) {
      a <- ev_coords(r, "best", best_method = m, best_weights = bw)
      b <- pROC::coords(p, "best", best.method = sub("_", ".", m),
                        best.weights = bw, transpose = FALSE)
      expect_equal(a$threshold, b$threshold, tolerance = tol, info = paste(i, m))
      expect_equal(a$sensitivity, b$sensitivity, tolerance = tol, info = paste(i, m))
      expect_equal(a$specificity, b$specificity, tolerance = tol, info = paste(i, m))
    }
    th <- c(sample(d$x, 3, replace = TRUE), stats::median(d$x) + 0.01)
    ret <- c("threshold", "specificity", "sensitivity", "accuracy", "npv", "ppv", "tp", "fn")
    a <- ev_coords(r, th, ret = ret)
    b <- pROC::coords(p, th, input = "threshold", ret = ret)
    expect_equal(as.matrix(a), as.matrix(b), tolerance = tol, ignore_attr = TRUE, info = i)
    sps <- c(0, runif(3), 1)
    a <- ev_coords(r, sps, input = "specificity", ret = c("threshold", "sensitivity"))
    b <- pROC::coords(p, sps, input = "specificity", ret = c("threshold", "sensitivity"))
    expect_equal(as.matrix(a), as.matrix(b), tolerance = tol, ignore_attr = TRUE, info = i)
    a <- ev_coords(r, sps, input = "sensitivity", ret = c("threshold", "specificity"))
    b <- pROC::coords(p, sps, input = "sensitivity", ret = c("threshold", "specificity"))
    expect_equal(as.matrix(a), as.matrix(b), tolerance = tol, ignore_attr = TRUE, info = i)
  }
})

test_that("paired and unpaired DeLong tests match pROC", {
  need_reference("pROC")
  for (i in 1:200) {
    d <- roc_case(i)
    if (sum(d$y) < 2 || sum(1 - d$y) < 2) next
    dir <- if (d$direction == "auto") "<" else d$direction
    r1 <- ev_roc(d$resp, d$x, levels = d$labels, direction = dir)
    r2 <- ev_roc(d$resp, d$x2, levels = d$labels, direction = dir)
    p1 <- proc_roc(d$resp, d$x, d$labels, dir)
    p2 <- proc_roc(d$resp, d$x2, d$labels, dir)
    alt <- sample(c("two.sided", "less", "greater"), 1)
    a <- ev_roc_test(r1, r2, alternative = alt)
    b <- suppressWarnings(pROC::roc.test(p1, p2, alternative = alt))
    if (is.finite(b$statistic)) {
      expect_equal(unname(a$statistic), unname(b$statistic), tolerance = tol, info = i)
      expect_equal(a$p.value, b$p.value, tolerance = tol, info = i)
      expect_equal(as.numeric(a$conf.int), as.numeric(b$conf.int), tolerance = tol, info = i)
    }
    # unpaired: the second curve on a subset of the patients
    keep <- seq_len(length(d$y)) %% 3 != 0
    if (sum(d$y[keep]) < 2 || sum(1 - d$y[keep]) < 2) next
    r3 <- ev_roc(d$resp[keep], d$x2[keep], levels = d$labels, direction = dir)
    p3 <- proc_roc(d$resp[keep], d$x2[keep], d$labels, dir)
    a <- ev_roc_test(r1, r3, alternative = alt)
    b <- suppressWarnings(pROC::roc.test(p1, p3, alternative = alt))
    expect_identical(a$method, b$method)
    if (is.finite(b$statistic)) {
      expect_equal(unname(a$statistic), unname(b$statistic), tolerance = tol, info = i)
      expect_equal(unname(a$parameter), unname(b$parameter), tolerance = tol, info = i)
      expect_equal(a$p.value, b$p.value, tolerance = tol, info = i)
    }
  }
})

test_that("bootstrap CIs reproduce pROC's replicates with the same seed", {
  need_reference("pROC")
  withr_opt <- options(evmirna.sample_draws = TRUE)
  on.exit(options(withr_opt), add = TRUE)
  set.seed(11)
  y <- rep(0:1, c(70, 50))
  x <- round(rnorm(120, y), 1)
  r <- ev_roc(y, x)
  p <- pROC::roc(y, x, quiet = TRUE)
  set.seed(5); a <- ev_ci_auc(r, "bootstrap", n_boot = 300)
  set.seed(5); b <- pROC::ci.auc(p, method = "bootstrap", boot.n = 300)
  expect_equal(unname(a[c(1, 3)]), as.numeric(b)[c(1, 3)], tolerance = tol)
  set.seed(5); a <- ev_ci_auc(r, "bootstrap", n_boot = 200, partial = c(0.8, 1),
                              correct = TRUE)
  set.seed(5); b <- pROC::ci.auc(pROC::auc(p, partial.auc = c(1, 0.8),
                                           partial.auc.correct = TRUE),
                                 method = "bootstrap", boot.n = 200)
  expect_equal(unname(a[c(1, 3)]), as.numeric(b)[c(1, 3)], tolerance = tol)
  set.seed(5); a <- ev_ci_auc(r, "bootstrap", n_boot = 200, stratified = FALSE)
  set.seed(5); b <- pROC::ci.auc(p, method = "bootstrap", boot.n = 200,
                                 boot.stratified = FALSE)
  expect_equal(unname(a[c(1, 3)]), as.numeric(b)[c(1, 3)], tolerance = tol)
  set.seed(8); a <- ev_ci_coords(r, c(0.7, 0.9), input = "specificity", n_boot = 200)
  set.seed(8); b <- pROC::ci.coords(p, c(0.7, 0.9), input = "specificity",
                                    ret = "sensitivity", boot.n = 200)
  expect_equal(a$lower, unname(b$sensitivity[, 1]), tolerance = tol)
  expect_equal(a$upper, unname(b$sensitivity[, 3]), tolerance = tol)
  # best point: pROC's ci.coords aborts on tied best points, so rebuild its
  # replicates (same draws) with pROC::roc + coords and take the first tie
  set.seed(8); a <- ev_ci_coords(r, "best", n_boot = 100)
  set.seed(8)
  reps <- t(replicate(100, {
    ctl <- sample(x[y == 0], replace = TRUE)
    cas <- sample(x[y == 1], replace = TRUE)
    pr <- pROC::roc(controls = ctl, cases = cas, direction = "<", quiet = TRUE)
    unlist(pROC::coords(pr, "best", ret = c("threshold", "specificity", "sensitivity"))[1, ])
  }))
  q <- apply(reps, 2, quantile, c(0.025, 0.975), names = FALSE)
  expect_equal(a$lower, q[1, ], tolerance = tol, ignore_attr = TRUE)
  expect_equal(a$upper, q[2, ], tolerance = tol, ignore_attr = TRUE)
  x2 <- x + rnorm(120)
  r2 <- ev_roc(y, x2)
  p2 <- pROC::roc(y, x2, quiet = TRUE)
  set.seed(3); a <- ev_roc_test(r, r2, method = "bootstrap", n_boot = 300)
  set.seed(3); b <- pROC::roc.test(p, p2, method = "bootstrap", boot.n = 300)
  expect_equal(unname(a$statistic), unname(b$statistic), tolerance = tol)
  expect_equal(a$p.value, b$p.value, tolerance = tol)
})

test_that("bootstrap CI agrees with pROC to Monte-Carlo error at large n_boot", {
  need_reference("pROC")
  set.seed(21)
  y <- rep(0:1, c(60, 40))
  x <- rnorm(100, 0.8 * y)
  r <- ev_roc(y, x)
  p <- pROC::roc(y, x, quiet = TRUE)
  set.seed(1); a <- ev_ci_auc(r, "bootstrap", n_boot = 4000)
  set.seed(2); b <- pROC::ci.auc(p, method = "bootstrap", boot.n = 4000)
  # percentile quantiles of 4000 replicates: MC sd about 0.004 here
  expect_equal(unname(a[c(1, 3)]), as.numeric(b)[c(1, 3)], tolerance = 0.02)
  # and the bootstrap SE is close to DeLong's
  expect_equal(sd(attr(a, "replicates")), attr(ev_ci_auc(r), "se"), tolerance = 0.1)
})

test_that("large inputs (radix sort path) match pROC, ties, zeros and negatives included", {
  need_reference("pROC")
  set.seed(31)
  n <- 30000
  y <- rbinom(n, 1, 0.35)
  xs <- list(
    continuous = rnorm(n, 0.4 * y),
    ties = round(rnorm(n, 0.4 * y), 1),
    integers = rpois(n, 3 + y),
    signed_zeros = sample(c(-0, 0, -1.5, 2.25, -1e-300, 1e300), n, replace = TRUE) +
      0 * y,
    wide = exp(rnorm(n, 0, 30)) * sample(c(-1, 1), n, replace = TRUE)
  )
  for (nm in names(xs)) {
    x <- xs[[nm]]
    for (dir in c("auto", ">")) {
      r <- ev_roc(y, x, direction = dir)
      p <- suppressWarnings(pROC::roc(y, x, direction = dir, quiet = TRUE))
      expect_identical(r$direction, p$direction, info = nm)
      expect_equal(r$thresholds, p$thresholds, tolerance = 1e-12, info = nm)
      expect_equal(r$sensitivities, p$sensitivities, tolerance = 1e-12, info = nm)
      expect_equal(r$specificities, p$specificities, tolerance = 1e-12, info = nm)
      expect_equal(r$auc, as.numeric(p$auc), tolerance = 1e-12, info = nm)
      expect_equal(attr(ev_ci_auc(r), "se")^2, pROC::var(p), tolerance = 1e-12, info = nm)
    }
  }
})
