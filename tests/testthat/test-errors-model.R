# Issue 13: classed errors in the fitters, ROC and resampling verbs instead
# of base-R errors or silent NaN. SIMULATED panels.

test_that("check_number refuses a 1x1 matrix and caps whole numbers at integer range", {
  expect_ev_error(check_number(matrix(1), "n"), "evmirna_error_type", "n")
  expect_ev_error(check_number(2^31, "n", integer = TRUE), "evmirna_error_value", "n")
  expect_identical(check_number(.Machine$integer.max, "n", integer = TRUE),
                   .Machine$integer.max)
  d <- sim_panel(40, 2, seed = 1)
  expect_ev_error(ev_cv(d$x, d$group, n_folds = matrix(5)), "evmirna_error_type", "n_folds")
  r <- ev_roc(d$group, d$x[, 1])
  expect_ev_error(ev_ci_auc(r, conf_level = matrix(0.95)), "evmirna_error_value",
                  "conf_level")
})

test_that("maxit and n_lambda beyond integer range are refused by name", {
  d <- sim_panel(40, 2, seed = 2)
  expect_ev_error(ev_fit(d$x, d$group, maxit = 1e10), "evmirna_error_value", "maxit")
  expect_ev_error(ev_fit(d$x, d$group, method = "firth", maxit = 3e9), "evmirna_error_value",
                  "maxit")
  expect_ev_error(ev_fit(d$x, d$group, method = "elastic_net", maxit = 1e10),
                  "evmirna_error_value", "maxit")
  expect_ev_error(ev_fit(d$x, d$group, method = "elastic_net", n_lambda = 3e9),
                  "evmirna_error_value", "n_lambda")
})

test_that("conf_level 0 or 1 is refused by the fitters, as by ev_ci_auc", {
  d <- sim_panel(40, 2, seed = 3)
  for (cl in c(0, 1)) {
    expect_ev_error(ev_fit(d$x, d$group, conf_level = cl), "evmirna_error_value", "conf_level")
    expect_ev_error(ev_fit(d$x, d$group, method = "firth", conf_level = cl),
                    "evmirna_error_value", "conf_level")
    expect_ev_error(ev_ci_auc(ev_roc(d$group, d$x[, 1]), conf_level = cl),
                    "evmirna_error_value", "conf_level")
  }
})

test_that("a covariate with one level and a group given as a list are refused", {
  d <- sim_panel(40, 2, seed = 4)
  expect_ev_error(ev_fit(d$x, d$group, covariates = data.frame(sex = rep("F", 40))),
                  "evmirna_error_value", "covariates")
  # a factor whose second level is never used has no contrast either
  one <- data.frame(sex = factor(rep("F", 40), levels = c("F", "M")))
  expect_ev_error(ev_fit(d$x, d$group, covariates = one), "evmirna_error_value",
                  "covariates")
  expect_ev_error(ev_cv(d$x, d$group, n_folds = 4, covariates = one), "evmirna_error_value",
                  "covariates")
  expect_ev_error(ev_fit(d$x, as.list(as.character(d$group))), "evmirna_error_type", "group")
  expect_ev_error(ev_fit(d$x, data.frame(g = d$group)), "evmirna_error_type", "group")
  expect_ev_error(ev_screen(d$x, as.list(d$y)), "evmirna_error_type", "group")
  expect_ev_error(ev_cv(d$x, as.list(d$y)), "evmirna_error_type", "group")
  # a covariate with two levels still fits
  two <- data.frame(sex = rep(c("F", "M"), 20))
  expect_identical(ev_fit(d$x, d$group, covariates = two)$terms,
                   c(colnames(d$x), "sexM"))
})

test_that("duplicated feature names are refused in ev_fit, ev_screen, matrix ev_roc, predict", {
  d <- sim_panel(40, 3, seed = 5)
  dup <- d$x
  colnames(dup) <- c("a", "a", "b")
  expect_ev_error(ev_fit(dup, d$group), "evmirna_error_duplicate", "x")
  expect_ev_error(ev_fit(dup, d$group, features = c("a", "b")), "evmirna_error_duplicate", "x")
  df <- data.frame(dup, check.names = FALSE)
  expect_ev_error(ev_fit(df, d$group), "evmirna_error_duplicate", "x")
  expect_ev_error(ev_screen(dup, d$group), "evmirna_error_duplicate", "x")
  expect_ev_error(ev_cv(dup, d$group, n_folds = 4), "evmirna_error_duplicate", "x")
  expect_ev_error(ev_roc(d$group, dup), "evmirna_error_duplicate", "predictor")
  cov <- data.frame(age = 1:40, age = 40:1, check.names = FALSE)
  expect_ev_error(ev_fit(d$x, d$group, covariates = cov), "evmirna_error_duplicate",
                  "covariates")
  fit <- ev_fit(d$x, d$group)
  newdata <- cbind(d$x, d$x[, 1, drop = FALSE])
  expect_ev_error(predict(fit, newdata), "evmirna_error_duplicate", "newdata")
})

test_that("n_boot too large for memory is refused up front with the memory it needs", {
  d <- sim_panel(40, 2, seed = 6)
  r <- ev_roc(d$group, d$x[, 1])
  e <- expect_ev_error(ev_ci_auc(r, "bootstrap", n_boot = 1e15), "evmirna_error_memory",
                       "n_boot")
  expect_s3_class(e, "evmirna_error_value")
  expect_match(conditionMessage(e), "would need about [0-9.]+ PB")
  old <- options(evmirna.max_memory = 1e6)
  on.exit(options(old), add = TRUE)
  # 16 bytes per replicate: 62,500 fit in 1e6 bytes, 62,501 do not
  expect_ev_error(ev_ci_auc(r, "bootstrap", n_boot = 62501), "evmirna_error_memory", "n_boot")
  expect_ev_error(ev_roc_test(r, ev_roc(d$group, d$x[, 2]), method = "bootstrap",
                              n_boot = 1e5), "evmirna_error_memory", "n_boot")
  expect_ev_error(ev_ci_coords(r, n_boot = 1e5), "evmirna_error_memory", "n_boot")
  expect_ev_error(ev_validate_bootstrap(d$x, d$group, n_boot = 1e4), "evmirna_error_memory",
                  "n_boot")
  expect_ev_error(ev_cv(d$x, d$group, n_folds = 4, n_repeats = 1e4), "evmirna_error_memory",
                  "n_repeats")
  set.seed(1)
  expect_length(attr(ev_ci_auc(r, "bootstrap", n_boot = 200), "replicates"), 200L)
})

test_that("foldid values beyond the number of samples are refused", {
  d <- sim_panel(40, 2, seed = 7)
  f <- rep(1:4, 10)
  for (bad in c(1e10, 41, Inf)) {
    ff <- f
    ff[1] <- bad
    expect_ev_error(ev_cv(d$x, d$group, foldid = ff), "evmirna_error_value", "foldid")
  }
  expect_ev_error(ev_cv_lambda(d$x, d$group, foldid = replace(f, 2, 1e12)),
                  "evmirna_error_value", "foldid")
})

test_that("weights of 1e-320 or 1e308 are refused; the AUC does not depend on their scale", {
  d <- sim_panel(40, 1, seed = 8)
  x <- d$x[, 1]
  for (w in c(1e-320, 1e-200, 1e200, 1e308)) {
    expect_ev_error(ev_roc(d$group, x, weights = rep(w, 40)), "evmirna_error_value",
                    "weights")
  }
  expect_ev_error(ev_roc(d$group, d$x, weights = c(1e-300, rep(1, 39))),
                  "evmirna_error_value", "weights")
  set.seed(2)
  w <- runif(40, 0.5, 2)
  a <- ev_roc(d$group, x, weights = w)$auc
  expect_equal(ev_roc(d$group, x, weights = w * 1e90)$auc, a, tolerance = 1e-12)
  expect_equal(ev_roc(d$group, x, weights = w * 1e-90)$auc, a, tolerance = 1e-12)
  # zero weights still just drop observations
  expect_identical(ev_roc(d$group, x, weights = c(0, rep(1, 39)))$auc,
                   ev_roc(d$group[-1], x[-1])$auc)
})

test_that("elastic net refuses all-constant predictors and leaves single constants at zero", {
  d <- sim_panel(60, 2, seed = 9)
  const <- d$x
  const[] <- 3
  expect_ev_error(ev_fit(const, d$group, method = "elastic_net"), "evmirna_error_value", "x")
  expect_ev_error(ev_fit(const, d$group, method = "elastic_net", s = 0.01),
                  "evmirna_error_value", "x")
  with_const <- cbind(d$x, flat = 5)
  a <- ev_fit(with_const, d$group, method = "elastic_net")
  b <- ev_fit(d$x, d$group, method = "elastic_net")
  expect_false(anyNA(a$path$beta))
  expect_true(all(a$path$beta["flat", ] == 0))
  expect_identical(a$fit$constant, "flat")
  # the constant column changes nothing else (glmnet leaves it out too)
  expect_equal(a$path$lambda, b$path$lambda, tolerance = 1e-12)
  expect_equal(a$path$beta[colnames(d$x), ], b$path$beta, tolerance = 1e-10)
})
