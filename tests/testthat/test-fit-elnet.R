elnet_vs_glmnet <- function(d, alpha, standardize, pf = NULL) {
  p <- ncol(d$x)
  if (is.null(pf)) pf <- rep(1, p)
  fit <- ev_fit(d$x, d$group, method = "elastic_net", alpha = alpha,
                standardize = standardize, penalty_factor = pf)
  ref <- glmnet::glmnet(d$x, d$y, family = "binomial", alpha = alpha,
                        standardize = standardize, penalty.factor = pf)
  k <- min(length(ref$lambda), length(fit$path$lambda))
  expect_gt(k, 10)
  expect_equal(length(fit$path$lambda), length(ref$lambda))
  expect_equal(fit$path$lambda[1:k], ref$lambda[1:k], tolerance = 1e-10)
  ours <- fit$path$beta[, 1:k]
  theirs <- as.matrix(ref$beta)[, 1:k]
  expect_identical(ours != 0, theirs != 0, ignore_attr = TRUE)
  nz <- theirs != 0
  expect_lt(max(abs(ours[nz] - theirs[nz]) / abs(theirs[nz])), 1e-5)
  expect_lt(max(abs(fit$path$a0[1:k] - ref$a0[1:k]) / pmax(1, abs(ref$a0[1:k]))), 1e-5)
  expect_equal(unname(fit$path$df), unname(ref$df))
  invisible(list(fit = fit, ref = ref))
}

test_that("elastic-net path matches glmnet, n > p", {
  need_reference("glmnet")
  d <- sim_panel(150, 20, 21, signal = c(1, -1, 0.5))
  for (alpha in c(1, 0.5, 0.1)) {
    for (standardize in c(TRUE, FALSE)) elnet_vs_glmnet(d, alpha, standardize)
  }
})

test_that("elastic-net path matches glmnet, n < p", {
  need_reference("glmnet")
  d <- sim_panel(50, 120, 22, signal = c(1.5, -1.5, 1))
  d$x[, 5] <- d$x[, 5] * 4 + 2   # unequal scales make standardize matter
  for (alpha in c(1, 0.5, 0.1)) {
    for (standardize in c(TRUE, FALSE)) elnet_vs_glmnet(d, alpha, standardize)
  }
})

test_that("penalty factors (unpenalized covariates) match glmnet", {
  need_reference("glmnet")
  d <- sim_panel(120, 10, 23)
  elnet_vs_glmnet(d, 1, TRUE, pf = c(0, rep(1, 9)))
  elnet_vs_glmnet(d, 0.5, TRUE, pf = c(rep(1, 8), 2, 0.5))
  # covariates default to penalty 0 (always in the model)
  age <- data.frame(age = rnorm(120, 60, 10))
  fit <- ev_fit(d$x, d$group, method = "elastic_net", covariates = age)
  ref <- glmnet::glmnet(cbind(d$x, age = age$age), d$y, family = "binomial",
                        penalty.factor = c(rep(1, 10), 0))
  k <- min(length(ref$lambda), length(fit$path$lambda))
  expect_equal(fit$path$beta[, 1:k], as.matrix(ref$beta)[, 1:k], tolerance = 1e-6,
               ignore_attr = TRUE)
  expect_true(all(fit$path$beta["age", ] != 0))
})

test_that("chosen lambda and predictions at s agree with glmnet", {
  need_reference("glmnet")
  d <- sim_panel(100, 15, 24)
  ref <- glmnet::glmnet(d$x, d$y, family = "binomial", alpha = 0.5)
  fit <- ev_fit(d$x, d$group, method = "elastic_net", alpha = 0.5)
  s <- c(ref$lambda[3], mean(ref$lambda[10:11]), 0.02)
  expect_equal(unname(coef(fit, s = s)), unname(as.matrix(stats::coef(ref, s = s))),
               tolerance = 1e-6)
  expect_equal(unname(predict(fit, d$x, s = s, type = "link")),
               unname(stats::predict(ref, d$x, s = s)), tolerance = 1e-6)
  expect_error(predict(fit, d$x), class = "evmirna_error_value")
  one <- ev_fit(d$x, d$group, method = "elastic_net", alpha = 0.5, s = 0.02)
  exact <- stats::coef(ref, s = 0.02, exact = TRUE, x = d$x, y = d$y)
  expect_equal(unname(coef(one)), unname(as.vector(exact)), tolerance = 1e-5)
  expect_equal(one$train$prob, unname(predict(one, d$x)), ignore_attr = TRUE)
})

test_that("a user lambda sequence is used as given", {
  need_reference("glmnet")
  d <- sim_panel(90, 12, 25)
  lam <- c(0.2, 0.1, 0.05, 0.02, 0.01)
  fit <- ev_fit(d$x, d$group, method = "elastic_net", lambda = lam)
  ref <- glmnet::glmnet(d$x, d$y, family = "binomial", lambda = lam)
  expect_equal(fit$path$lambda, lam)
  expect_equal(fit$path$beta, as.matrix(ref$beta), tolerance = 1e-6, ignore_attr = TRUE)
})
