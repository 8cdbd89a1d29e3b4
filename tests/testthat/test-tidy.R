# tidy()/glance()/augment(): the documented broom-style columns for every
# class, and numbers that agree with the object (and with broom on glm).

tidy_data <- function() {
  set.seed(21)   # SIMULATED
  x <- matrix(rnorm(80 * 4), 80, 4, dimnames = list(sprintf("S%02d", 1:80),
                                                    sprintf("hsa-miR-%d", 1:4)))
  g <- factor(ifelse(x[, 1] - x[, 2] + rnorm(80) > 0, "case", "control"),
              levels = c("control", "case"))
  list(x = x, g = g)
}

test_that("ev_roc and ev_roc_list", {
  d <- tidy_data()
  r <- ev_roc(d$g, d$x[, 1])
  expect_named(tidy(r), c("threshold", "sensitivity", "specificity"))
  expect_identical(tidy(r)$threshold, r$thresholds)
  gl <- glance(r)
  expect_named(gl, c("auc", "std.error", "conf.low", "conf.high", "direction", "n_cases",
                     "n_controls", "nobs"))
  ci <- ev_ci_auc(r)
  expect_equal(c(gl$conf.low, gl$auc, gl$conf.high), unname(unclass(ci)[1:3]))
  rl <- ev_roc(d$g, d$x[, 1:2])
  expect_named(glance(rl), c("term", names(gl)))
  expect_identical(glance(rl)$term, colnames(d$x)[1:2])
  expect_named(tidy(rl), c("term", "threshold", "sensitivity", "specificity"))
})

test_that("ev_screen", {
  d <- tidy_data()
  s <- ev_screen(d$x, d$g)
  t <- tidy(s)
  expect_named(t, c("term", "estimate", "conf.low", "conf.high", "log2_fc", "statistic",
                    "p.value", "p.adjusted"))
  expect_identical(t$estimate, as.data.frame(s)$auc)
})

test_that("ev_model: logistic matches broom's tidy.glm; path as tidy.glmnet", {
  d <- tidy_data()
  fit <- ev_fit(d$x, d$g)
  t <- tidy(fit)
  expect_named(t, c("term", "estimate", "std.error", "statistic", "p.value", "conf.low",
                    "conf.high"))
  need_reference("broom")
  ref <- broom::tidy(stats::glm(d$g ~ d$x, family = stats::binomial()))
  expect_equal(t$estimate, ref$estimate, tolerance = 1e-8)
  expect_equal(t$std.error, ref$std.error, tolerance = 1e-6)
  expect_equal(t$p.value, ref$p.value, tolerance = 1e-6)
  expect_equal(tidy(fit, exponentiate = TRUE)$estimate, exp(t$estimate))
  expect_true(all(t$conf.low < t$estimate & t$estimate < t$conf.high))
  expect_named(glance(fit), c("method", "nobs", "n_features", "auc", "lambda"))
  a <- augment(fit)
  expect_named(a, c("id", "group", ".fitted", ".link"))
  expect_equal(a$.fitted, unname(predict(fit)))
  expect_equal(augment(fit, d$x)$.link, unname(predict(fit, d$x, type = "link")))
  net <- ev_fit(d$x, d$g, method = "elastic_net")
  tn <- tidy(net)
  expect_named(tn, c("term", "step", "estimate", "lambda", "dev.ratio"))
  expect_true(all(tn$estimate != 0))
  expect_equal(tn$estimate[tn$step == 5], unname(coef(net)[, 5][coef(net)[, 5] != 0]))
})

test_that("ev_cv, ev_panels, ev_validation", {
  d <- tidy_data()
  set.seed(3)
  cv <- ev_cv(d$x, d$g, n_folds = 4)
  expect_named(tidy(cv), c("term", "estimate", "conf.low", "conf.high"))
  expect_equal(tidy(cv)$estimate[1], cv$roc$auc)
  expect_named(glance(cv), c("method", "auc", "conf.low", "conf.high", "apparent_auc",
                             "n_folds", "n_repeats", "nobs"))
  expect_named(augment(cv), c("id", "group", ".fitted", ".link"))
  expect_identical(augment(cv)$.fitted, cv$pooled$prob)
  p <- ev_panel_search(d$x, d$g, size = 1:2, n_repeats = 1, n_perm = 3, progress = FALSE)
  expect_named(tidy(p), c("term", "size", "estimate", "std.error", "conf.low", "conf.high",
                          "p.value"))
  expect_identical(tidy(p)$p.value, p$p_perm)
  expect_named(glance(p), c("n_panels", "best", "auc", "conf.low", "conf.high", "p.value"))
  set.seed(4)
  v <- ev_validate_bootstrap(d$x, d$g, n_boot = 10)
  tv <- tidy(v)
  expect_named(tv, c("term", "estimate", "apparent", "optimism", "estimate_632plus"))
  expect_equal(tv$estimate, tv$apparent - tv$optimism)
  expect_named(glance(v), c("method", "n_boot", "n_skipped", "nobs"))
})

test_that("ev_scores", {
  x <- serum_ev_qpcr
  panel <- c("hsa-miR-214-3p", "hsa-miR-23a-5p", "hsa-miR-21-5p")
  n <- ev_normalize(ev_impute_nondetects(x), "global_mean")
  fit <- ev_fit(n, "group", features = panel)
  frozen <- ev_freeze(fit, ev_impute_nondetects(x))
  sc <- ev_score(frozen, x)
  t <- tidy(sc)
  expect_identical(names(t)[1:5], c("id", "status", "scored", ".fitted", ".link"))
  expect_true(all(grepl("^risk_", names(t)[-(1:5)])))
  expect_identical(t$.fitted, as.data.frame(sc)$prob)
})
