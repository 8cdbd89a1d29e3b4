# ev_validate(): external validation of a frozen model on the SIMULATED
# second site (helper-external.R), cross-checked against rms::val.prob(),
# glm and pROC on the same predictions.

site2_validation <- function(...) {
  f <- score_fixture()
  ev_validate(f$frozen, site2_fixture(), "group", ...)
}

test_that("ev_validate matches rms::val.prob where the definitions coincide", {
  need_reference("rms")
  v <- site2_validation(smoother = "lowess")
  pr <- v$predictions
  y <- as.integer(pr$group == v$levels[2L])
  ref <- rms::val.prob(pr$prob, y, pl = FALSE)
  expect_equal(v$auc[["auc"]], ref[["Dxy"]] / 2 + 0.5, tolerance = 1e-8)
  expect_equal(v$auc[["auc"]], ref[["C (ROC)"]], tolerance = 1e-8)
  expect_equal(v$brier, ref[["Brier"]], tolerance = 1e-8)
  # val.prob's Intercept is the slope model's intercept, not the CITL. It
  # fits it with lrm.fit()'s default stopping rule (change in -2 log L
  # below eps = 0.025), about 1e-7 from the maximum; fitted to convergence,
  # lrm.fit() agrees to 1e-8.
  expect_equal(v$calibration$slope_intercept, ref[["Intercept"]], tolerance = 1e-6)
  expect_equal(v$calibration$slope, ref[["Slope"]], tolerance = 1e-6)
  tight <- rms::lrm.fit(pr$link, y, eps = 1e-12, maxit = 100)
  expect_equal(c(v$calibration$slope_intercept, v$calibration$slope),
               unname(coef(tight)), tolerance = 1e-8)
  expect_equal(v$curve$emax, ref[["Emax"]], tolerance = 1e-8)
  expect_equal(v$curve$e90, ref[["E90"]], tolerance = 1e-8)
  expect_equal(v$curve$ici, ref[["Eavg"]], tolerance = 1e-8)
  # and the CITL is not val.prob's Intercept on this miscalibrated site
  expect_gt(abs(v$calibration$citl - ref[["Intercept"]]), 0.1)
})

test_that("CITL and slope with CIs equal glm on the linear predictor", {
  v <- site2_validation()
  pr <- v$predictions
  y <- as.integer(pr$group == v$levels[2L])
  lp <- pr$link
  ctl <- stats::glm.control(epsilon = 1e-14, maxit = 100)
  citl <- stats::glm(y ~ 1, offset = lp, family = stats::binomial(), control = ctl)
  slope <- stats::glm(y ~ lp, family = stats::binomial(), control = ctl)
  expect_equal(v$calibration$citl, unname(coef(citl)[1L]), tolerance = 1e-10)
  expect_equal(v$calibration$slope, unname(coef(slope)[2L]), tolerance = 1e-10)
  expect_equal(v$calibration$slope_intercept, unname(coef(slope)[1L]), tolerance = 1e-10)
  # glm's covariance uses the weights of its last IRLS step, ours those at
  # the estimate: they agree to about 1e-7
  expect_equal(v$calibration$citl_ci, unname(stats::confint.default(citl)[1L, ]),
               tolerance = 1e-6)
  expect_equal(v$calibration$slope_ci, unname(stats::confint.default(slope)[2L, ]),
               tolerance = 1e-6)
  expect_equal(v$calibration$citl_se, sqrt(vcov(citl)[1L, 1L]), tolerance = 1e-6)
  # the Wald SE at the estimate, from the information matrix
  w <- stats::fitted(slope) * (1 - stats::fitted(slope))
  info <- crossprod(cbind(1, lp) * sqrt(w))
  expect_equal(v$calibration$slope_se, sqrt(solve(info)[2L, 2L]), tolerance = 1e-8)
  expect_equal(v$brier, mean((pr$prob - y)^2), tolerance = 1e-14)
  expect_equal(v$scaled_brier, 1 - v$brier / (mean(y) * (1 - mean(y))), tolerance = 1e-14)
})

test_that("the AUC and its DeLong CI agree with pROC on the scored patients", {
  need_reference("pROC")
  v <- site2_validation()
  pr <- v$predictions
  r <- pROC::roc(pr$group, pr$prob, levels = v$levels, direction = "<", quiet = TRUE)
  ci <- as.numeric(pROC::ci.auc(r, method = "delong"))
  expect_equal(unname(v$auc), ci[c(2L, 1L, 3L)], tolerance = 1e-10)
})

test_that("the loess curve gives ICI, E50, E90 and Emax of |p - smoothed observed|", {
  v <- site2_validation(span = 0.9)
  pr <- v$predictions
  y <- as.integer(pr$group == v$levels[2L])
  fit <- stats::loess(y ~ p, data.frame(y = y, p = pr$prob), span = 0.9, degree = 2)
  err <- abs(pr$prob - stats::fitted(fit))
  expect_equal(v$curve$ici, mean(err), tolerance = 1e-10)
  expect_equal(v$curve$e50, stats::median(err), tolerance = 1e-10)
  expect_equal(v$curve$e90, unname(stats::quantile(err, 0.9)), tolerance = 1e-10)
  expect_equal(v$curve$emax, max(err), tolerance = 1e-10)
  cu <- as.data.frame(v, what = "calibration")
  expect_true(all(cu$lower <= cu$observed + 1e-12 & cu$observed <= cu$upper + 1e-12))
  expect_true(all(cu$lower >= 0 & cu$upper <= 1))
})

test_that("QC failures are reported and excluded, with their reasons", {
  f <- score_fixture()
  site2 <- site2_fixture()
  before <- site2
  s <- ev_score(f$frozen, site2)
  v <- ev_validate(f$frozen, site2, "group")
  expect_identical(site2, before)
  expect_identical(v$n[["excluded"]], sum(!s$scored))
  expect_gt(v$n[["excluded"]], 0L)
  expect_identical(v$excluded$id, s$id[!s$scored])
  expect_identical(v$excluded$status, s$status[!s$scored])
  expect_true(all(nzchar(v$excluded$reason)))
  expect_false(any(v$predictions$id %in% v$excluded$id))
  expect_identical(v$n[["given"]], v$n[["scored"]] + v$n[["excluded"]])
  expect_output(print(v), "excluded")
})

test_that("the case mix counts patients outside the training range by miRNA", {
  f <- score_fixture()
  site2 <- site2_fixture()
  v <- ev_validate(f$frozen, site2, "group")
  s <- ev_score(f$frozen, site2)
  vals <- as.data.frame(s, values = TRUE)[s$scored, ]
  panel <- f$frozen$recipe$panel
  cm <- v$case_mix$mirnas
  for (j in seq_len(nrow(panel))) {
    col <- vals[[paste0("value_", panel$id[j])]]
    expect_identical(cm$n_below[j], sum(col < panel$train_min[j]))
    expect_identical(cm$n_above[j], sum(col > panel$train_max[j]))
    expect_equal(cm$mean[j], mean(col), tolerance = 1e-12)
  }
  expect_identical(v$case_mix$n_out_of_range, sum(s$out_of_range[s$scored]))
  expect_equal(v$case_mix$prevalence[["validation"]],
               mean(v$predictions$group == "osteoporosis"))
  expect_identical(v$case_mix$classes$validation,
                   as.integer(table(factor(v$predictions$group, v$levels))))
})

test_that("the decision curve is the net benefit of the validated risks", {
  v <- site2_validation(thresholds = c(0.1, 0.3, 0.5))
  pr <- v$predictions
  y <- pr$group == v$levels[2L]
  nb <- vapply(c(0.1, 0.3, 0.5), function(t) {
    (sum(y & pr$prob >= t) - sum(!y & pr$prob >= t) * t / (1 - t)) / length(y)
  }, numeric(1))
  expect_equal(v$decision$net_benefit, nb, tolerance = 1e-12)
  expect_identical(as.data.frame(v, what = "decision"), v$decision)
})

test_that("the SIMULATED second site is miscalibrated", {
  v <- site2_validation()
  expect_lt(v$calibration$citl_ci[2L], 0)
  expect_lt(v$calibration$slope_ci[2L], 1)
  st <- as.data.frame(v)
  expect_identical(st$statistic, c("auc", "citl", "slope", "brier", "scaled_brier", "ici",
                                   "e50", "e90", "emax"))
  expect_equal(st$estimate[st$statistic == "citl"], v$calibration$citl)
})

test_that("summary, plot and as.data.frame work on a validation", {
  v <- site2_validation()
  expect_output(print(summary(v)), "Case mix")
  pdf(NULL)
  on.exit(dev.off())
  expect_identical(plot(v), v)
  expect_identical(plot(v, which = "decision"), v)
  expect_identical(nrow(as.data.frame(v, what = "predictions")), unname(v$n[["scored"]]))
  expect_error(as.data.frame(v, what = "nope"), class = "evmirna_error")
})

test_that("bad input to ev_validate gets classed errors", {
  f <- score_fixture()
  site2 <- site2_fixture()
  g <- site2$samples$group
  expect_error(ev_validate(f$frozen, site2, g[-1]), class = "evmirna_error_shape")
  expect_error(ev_validate(f$frozen, site2, "no_such_column"), class = "evmirna_error_unknown")
  bad <- g
  bad[3] <- "healthy"
  expect_error(ev_validate(f$frozen, site2, bad), class = "evmirna_error_value")
  controls <- site2[, g == "control"]
  expect_error(ev_validate(f$frozen, controls, "group"), class = "evmirna_error_one_class")
  lacking <- site2[setdiff(rownames(site2$values), "hsa-miR-214-3p"), ]
  expect_error(ev_validate(f$frozen, lacking, "group"), class = "evmirna_error_unknown")
  expect_error(ev_validate(f$model, site2, "group"), class = "evmirna_error_type")
  expect_error(ev_validate(f$frozen, site2, "group", smoother = "spline"),
               class = "evmirna_error")
})

test_that("a flexible curve leaving [0, 1] in a tiny cohort comes with a caveat", {
  f <- score_fixture()
  site2 <- site2_fixture()
  s <- ev_score(f$frozen, site2)
  ok <- which(s$scored)
  g <- site2$samples$group
  pick <- c(ok[g[ok] == "control"][1:4], ok[g[ok] != "control"][1:3])
  v <- ev_validate(f$frozen, site2[, pick], "group")
  expect_true(any(v$curve$observed > 1 | v$curve$observed < 0))
  expect_true(any(grepl("leaves \\[0, 1\\]", v$caveats)))
  expect_output(print(v), "caveat")
})
