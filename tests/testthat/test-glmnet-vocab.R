# glmnet habits: `lambda` is the sequence, `s` the chosen penalty, and
# coef()/predict() of a cross-validated path take s = "lambda.1se" etc.

test_that("ev_fit(lambda = sequence, s = value) matches glmnet's coef(s = )", {
  need_reference("glmnet")
  d <- sim_panel(90, 8, seed = 41, signal = c(1, -1, 0.5))
  lam <- exp(seq(log(0.3), log(0.003), length.out = 40))
  ours <- ev_fit(d$x, d$group, method = "elastic_net", alpha = 0.7, lambda = lam)
  ref <- glmnet::glmnet(d$x, d$y, family = "binomial", alpha = 0.7, lambda = lam)
  expect_equal(ours$path$lambda, lam)
  for (s in c(0.05, 0.011)) {
    expect_equal(unname(coef(ours, s = s)), unname(as.matrix(coef(ref, s = s))[, 1]),
                 tolerance = 1e-5)
    expect_equal(unname(predict(ours, d$x, type = "link", s = s)),
                 unname(predict(ref, d$x, s = s)[, 1]), tolerance = 1e-5)
  }
  exact <- ev_fit(d$x, d$group, method = "elastic_net", alpha = 0.7, s = 0.05)
  ref_exact <- glmnet::glmnet(d$x, d$y, family = "binomial", alpha = 0.7)
  expect_equal(unname(coef(exact)),
               unname(as.matrix(coef(ref_exact, s = 0.05, exact = TRUE, x = d$x, y = d$y,
                                     alpha = 0.7, family = "binomial"))[, 1]),
               tolerance = 1e-4)
})

with_one_deprecation <- function(expr) {
  n <- 0L
  value <- withCallingHandlers(expr, evmirna_warning_deprecated = function(cnd) {
    n <<- n + 1L
    invokeRestart("muffleWarning")
  })
  expect_identical(n, 1L)
  value
}

test_that("the old spellings lambda_path and a single chosen lambda still work", {
  d <- sim_panel(60, 4, seed = 42)
  lam <- exp(seq(log(0.2), log(0.01), length.out = 15))
  new_path <- ev_fit(d$x, d$group, method = "elastic_net", lambda = lam)
  old_path <- with_one_deprecation(ev_fit(d$x, d$group, method = "elastic_net",
                                           lambda_path = lam))
  expect_identical(old_path$path, new_path$path)
  old_s <- with_one_deprecation(ev_fit(d$x, d$group, method = "elastic_net", lambda = 0.03))
  expect_identical(coef(old_s), coef(ev_fit(d$x, d$group, method = "elastic_net", s = 0.03)))
  set.seed(5)
  old_cv <- with_one_deprecation(ev_cv(d$x, d$group, method = "elastic_net", lambda = 0.03,
                                       n_folds = 3))
  set.seed(5)
  expect_identical(old_cv$auc_repeats,
                   ev_cv(d$x, d$group, method = "elastic_net", s = 0.03, n_folds = 3)$auc_repeats)
  fid <- rep_len(1:3, 60)
  expect_identical(
    with_one_deprecation(ev_cv_lambda(d$x, d$group, foldid = fid, lambda_path = lam))$cvm,
    ev_cv_lambda(d$x, d$group, foldid = fid, lambda = lam)$cvm)
  expect_ev_error(ev_fit(d$x, d$group, s = 0.1), "evmirna_error_value", "s")
  expect_ev_error(ev_cv_lambda(d$x, d$group, s = 0.1), "evmirna_error_value", "s")
})

test_that("coef() and predict() of ev_cv_lambda take s as cv.glmnet does", {
  need_reference("glmnet")
  d <- sim_panel(100, 12, seed = 43, signal = c(1.2, -1, 0.4))
  fid <- rep_len(1:5, 100)
  ours <- ev_cv_lambda(d$x, d$group, foldid = fid, alpha = 0.5)
  ref <- glmnet::cv.glmnet(d$x, d$y, family = "binomial", foldid = fid, alpha = 0.5,
                           lambda = ours$lambda)
  expect_equal(ours$lambda_1se, ref$lambda.1se)
  expect_equal(ours$lambda_min, ref$lambda.min)
  for (s in list("lambda.1se", "lambda.min", 0.02)) {
    expect_equal(unname(coef(ours, s = s)), unname(as.matrix(coef(ref, s = s))[, 1]),
                 tolerance = 1e-5, info = format(s))
    expect_equal(unname(predict(ours, d$x, type = "link", s = s)),
                 unname(predict(ref, d$x, s = s)[, 1]), tolerance = 1e-5, info = format(s))
  }
  expect_identical(coef(ours), coef(ours, s = "lambda.1se"))      # glmnet's default
  expect_identical(coef(ours, s = "lambda_min"), coef(ours, s = "lambda.min"))
  expect_ev_error(coef(ours, s = "lambda.best"), "evmirna_error_value", "s")
})

test_that("an alpha grid is tuned on the same folds, each alpha as run alone", {
  d <- sim_panel(90, 10, seed = 44, signal = c(1, -1, 0.5))
  fid <- rep_len(1:3, 90)
  grid <- ev_cv_lambda(d$x, d$group, foldid = fid, alpha = c(0.1, 0.5, 1))
  alone <- lapply(c(0.1, 0.5, 1), function(a) ev_cv_lambda(d$x, d$group, foldid = fid, alpha = a))
  expect_identical(names(grid$alphas), c("alpha", "lambda_min", "lambda_1se", "cvm_min"))
  expect_equal(grid$alphas$cvm_min, vapply(alone, function(f) f$cvm[f$index[[1L]]], numeric(1)))
  best <- which.min(grid$alphas$cvm_min)
  expect_identical(grid$alpha, c(0.1, 0.5, 1)[best])
  expect_identical(grid$cvm, alone[[best]]$cvm)
  expect_identical(coef(grid), coef(alone[[best]]))
  expect_ev_error(ev_cv_lambda(d$x, d$group, alpha = c(0.5, 2)), "evmirna_error_value", "alpha")
})
