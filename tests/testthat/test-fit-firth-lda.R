test_that("Firth coefficients and SEs match logistf to 1e-6", {
  need_reference("logistf")
  for (cfg in list(c(30, 2, 31), c(80, 5, 32), c(200, 8, 33))) {
    d <- sim_panel(cfg[1], cfg[2], cfg[3], signal = c(1.2, -0.8))
    fit <- ev_fit(d$x, d$group, method = "firth")
    df <- data.frame(y = d$y, d$x, check.names = TRUE)
    form <- stats::reformulate(names(df)[-1], response = "y")
    ref <- logistf::logistf(form, data = df, pl = FALSE)
    expect_equal(unname(coef(fit)), unname(stats::coef(ref)), tolerance = 1e-6)
    expect_equal(fit$table$std_error, unname(sqrt(diag(stats::vcov(ref)))), tolerance = 1e-6)
    expect_equal(fit$table$or_lower[-1], unname(exp(ref$ci.lower[-1])), tolerance = 1e-6)
    expect_equal(fit$fit$loglik, unname(ref$loglik[1]), tolerance = 1e-6)
    fl <- logistf::flic(ref)
    expect_equal(fit$fit$flic_intercept, unname(stats::coef(fl)[1]), tolerance = 1e-6)
    expect_equal(unname(fit$train$prob), unname(fl$predict), tolerance = 1e-6)
  }
})

test_that("Firth gives finite estimates under separation", {
  need_reference("logistf")
  x <- matrix(c(1:12, rnorm(12)), 12, dimnames = list(NULL, c("a", "b")))
  g <- rep(c(0, 1), each = 6)
  fit <- ev_fit(x, g, method = "firth", flic = FALSE)
  ref <- logistf::logistf(y ~ a + b, data = data.frame(y = g, x), pl = FALSE)
  expect_true(all(is.finite(coef(fit))))
  expect_equal(unname(coef(fit)), unname(stats::coef(ref)), tolerance = 1e-6)
  # without FLIC, probabilities come from the Firth intercept
  expect_equal(unname(fit$train$prob), unname(ref$predict), tolerance = 1e-6)
})

test_that("LDA posteriors match MASS::lda to 1e-8", {
  need_reference("MASS")
  for (cfg in list(c(40, 2, 41), c(150, 8, 42), c(60, 25, 43))) {
    d <- sim_panel(cfg[1], cfg[2], cfg[3])
    fit <- ev_fit(d$x, d$group, method = "lda")
    ref <- MASS::lda(d$x, d$group)
    expect_equal(unname(fit$train$prob), unname(stats::predict(ref)$posterior[, "case"]),
                 tolerance = 1e-8)
    new <- sim_panel(20, cfg[2], cfg[3] + 100)$x
    expect_equal(unname(predict(fit, new)),
                 unname(stats::predict(ref, new)$posterior[, "case"]), tolerance = 1e-8)
    ref2 <- MASS::lda(d$x, d$group, prior = c(0.7, 0.3))
    fit2 <- ev_fit(d$x, d$group, method = "lda", prior = 0.3)
    expect_equal(unname(fit2$train$prob),
                 unname(stats::predict(ref2)$posterior[, "case"]), tolerance = 1e-8)
  }
})

test_that("diagonal LDA equals LDA on a diagonal covariance and works for p > n", {
  d <- sim_panel(30, 80, 44)
  fit <- ev_fit(d$x, d$group, method = "dlda")
  y <- d$y
  m1 <- colMeans(d$x[y == 1, ]); m0 <- colMeans(d$x[y == 0, ])
  s2 <- (colSums(sweep(d$x[y == 1, ], 2, m1)^2) + colSums(sweep(d$x[y == 0, ], 2, m0)^2)) / (30 - 2)
  b <- (m1 - m0) / s2
  a <- log(mean(y) / (1 - mean(y))) - sum((m1 + m0) / 2 * b)
  expect_equal(unname(coef(fit)), unname(c(a, b)), tolerance = 1e-10)
  expect_error(ev_fit(d$x, d$group, method = "lda"), class = "evmirna_error_shape")
})

test_that("FLIC makes the mean predicted probability equal the event rate", {
  d <- sim_panel(70, 4, 45)
  fit <- ev_fit(d$x, d$group, method = "firth")
  expect_equal(mean(fit$train$prob), mean(d$y), tolerance = 1e-8)
  expect_equal(unname(predict(fit, d$x)), fit$train$prob, tolerance = 1e-12)
  plain <- ev_fit(d$x, d$group, method = "firth", flic = FALSE)
  expect_equal(coef(plain), coef(fit))
})
