# ev_recalibrate(): intercept and logistic recalibration of a frozen model
# on the SIMULATED second site (helper-external.R), against glm on the
# parent's linear predictor; the model-file round trip and its lineage.

site2_lp <- function() {
  f <- score_fixture()
  site2 <- site2_fixture()
  s <- ev_score(f$frozen, site2)
  g <- site2$samples$group[s$scored]
  list(y = as.integer(g == f$frozen$levels[2L]), lp = s$link[s$scored], group = g)
}

recalibrated <- function(method, cutpoints = "keep") {
  key <- paste(method, cutpoints)
  if (is.null(external_env[[key]])) {
    set.seed(5)
    external_env[[key]] <- ev_recalibrate(score_fixture()$frozen, site2_fixture(), "group",
                                          method = method, cutpoints = cutpoints, n_boot = 200)
  }
  external_env[[key]]
}

ctl <- stats::glm.control(epsilon = 1e-14, maxit = 100)

test_that("intercept recalibration is glm with the linear predictor as offset", {
  d <- site2_lp()
  ref <- stats::glm(d$y ~ 1, offset = d$lp, family = stats::binomial(), control = ctl)
  parent <- score_fixture()$frozen
  r <- recalibrated("intercept")
  a <- unname(coef(ref)[1L])
  expect_equal(r$recipe$recalibration$intercept, a, tolerance = 1e-10)
  expect_identical(r$recipe$recalibration$slope, 1)
  expect_equal(r$intercept_link, parent$intercept_link + a, tolerance = 1e-10)
  expect_identical(r$coefficients[-1L], parent$coefficients[-1L])
  expect_equal(r$coefficients[[1L]], parent$coefficients[[1L]] + a, tolerance = 1e-10)
})

test_that("logistic recalibration is glm(y ~ lp): intercept and slope to 1e-10", {
  d <- site2_lp()
  ref <- stats::glm(d$y ~ d$lp, family = stats::binomial(), control = ctl)
  parent <- score_fixture()$frozen
  r <- recalibrated("logistic")
  a <- unname(coef(ref)[1L])
  b <- unname(coef(ref)[2L])
  expect_equal(r$recipe$recalibration$intercept, a, tolerance = 1e-10)
  expect_equal(r$recipe$recalibration$slope, b, tolerance = 1e-10)
  expect_equal(r$coefficients[-1L], parent$coefficients[-1L] * b, tolerance = 1e-10)
  expect_equal(r$intercept_link, a + b * parent$intercept_link, tolerance = 1e-10)
  # the new link is a + b * old link, patient by patient
  s_new <- ev_score(r, site2_fixture())
  s_old <- ev_score(parent, site2_fixture())
  expect_equal(s_new$link, a + b * s_old$link, tolerance = 1e-10)
  expect_equal(s_new$prob[s_new$scored], unname(stats::fitted(ref)), tolerance = 1e-10)
})

test_that("recalibration keeps the QC rules, steps and panel frozen", {
  parent <- score_fixture()$frozen
  before <- parent
  for (method in c("intercept", "logistic")) {
    r <- recalibrated(method)
    for (f in c("input_scale", "qc", "steps", "required_features", "training", "provenance")) {
      expect_identical(r$recipe[[f]], parent$recipe[[f]])
    }
    keep <- setdiff(names(parent$recipe$panel), "coefficient")
    expect_identical(r$recipe$panel[keep], parent$recipe$panel[keep])
    expect_identical(r$recipe$panel$coefficient, unname(r$coefficients[r$recipe$panel$id]))
    expect_identical(r$steps, parent$steps)
    expect_identical(r$features, parent$features)
  }
  expect_identical(parent, before)
})

test_that("the SIMULATED second site recovers after recalibration", {
  parent <- score_fixture()$frozen
  site2 <- site2_fixture()
  before <- ev_validate(parent, site2, "group")
  after_i <- ev_validate(recalibrated("intercept"), site2, "group")
  after_l <- ev_validate(recalibrated("logistic"), site2, "group")
  expect_gt(abs(before$calibration$citl), 1)
  expect_lt(before$calibration$slope_ci[2L], 1)
  expect_equal(after_i$calibration$citl, 0, tolerance = 1e-8)
  expect_equal(after_l$calibration$citl, 0, tolerance = 1e-8)
  expect_equal(after_l$calibration$slope, 1, tolerance = 1e-8)
  expect_equal(after_l$calibration$slope_intercept, 0, tolerance = 1e-8)
  # the intercept update leaves the slope as it was
  expect_equal(after_i$calibration$slope, before$calibration$slope, tolerance = 1e-8)
  # ranking unchanged: same AUC; better Brier and ICI
  expect_equal(after_l$auc, before$auc, tolerance = 1e-12)
  expect_lt(after_i$brier, before$brier)
  expect_lt(after_l$brier, after_i$brier)
  expect_lt(after_l$curve$ici, before$curve$ici)
  expect_output(print(after_l), "recalibrated \\(logistic\\)")
})

test_that("cut-points are kept or re-derived at the parent's sensitivity or specificity", {
  parent <- score_fixture()$frozen
  keep <- recalibrated("intercept", "keep")
  expect_identical(keep$recipe$cutpoints$threshold, parent$recipe$cutpoints$threshold)
  expect_identical(keep$recipe$cutpoints$rule, parent$recipe$cutpoints$rule)
  s <- ev_score(keep, site2_fixture())
  g <- site2_fixture()$samples$group[s$scored]
  p <- s$prob[s$scored]
  cases <- p[g == "osteoporosis"]
  controls <- p[g == "control"]
  t1 <- keep$recipe$cutpoints$threshold[1L]
  expect_equal(keep$recipe$cutpoints$sensitivity[1L], mean(cases >= t1))
  for (rule in c("sensitivity", "specificity")) {
    r <- recalibrated("intercept", rule)
    cp <- r$recipe$cutpoints
    expect_identical(cp$name, parent$recipe$cutpoints$name)
    expect_true(all(cp[[rule]] >= parent$recipe$cutpoints[[rule]] - 1e-12))
    expect_identical(cp$rule, paste0(rule, "_", parent$recipe$cutpoints$rule))
    # no other threshold reaching the target does better on the other rate
    for (k in seq_len(nrow(cp))) {
      other <- if (rule == "sensitivity") "specificity" else "sensitivity"
      grid <- sort(unique(p))
      mids <- (grid[-1L] + grid[-length(grid)]) / 2
      se <- vapply(mids, function(t) mean(cases >= t), 0)
      sp <- vapply(mids, function(t) mean(controls < t), 0)
      hit <- (if (rule == "sensitivity") se else sp) >= parent$recipe$cutpoints[[rule]][k] - 1e-12
      best <- max((if (rule == "sensitivity") sp else se)[hit])
      expect_equal(cp[[other]][k], best)
    }
  }
})

test_that("a recalibrated model records its parent's SHA-256 and survives save and load", {
  need_reference("jsonlite")
  need_reference("openssl")
  parent <- score_fixture()$frozen
  r <- recalibrated("logistic")
  p0 <- tempfile(fileext = ".json")
  p1 <- tempfile(fileext = ".json")
  on.exit(unlink(c(p0, p1)))
  ev_save_model(parent, p0)
  header <- jsonlite::fromJSON(sub(",\n  \"payload\":.*$", "\n}", paste(readLines(p0), collapse = "\n")))
  expect_identical(paste0("sha256:", r$recipe$recalibration$parent_sha256), header$checksum)
  ev_save_model(r, p1)
  loaded <- ev_load_model(p1)
  expect_identical(loaded$recipe$recalibration, r$recipe$recalibration)
  expect_identical(loaded$recipe$cutpoints, r$recipe$cutpoints)
  site2 <- site2_fixture()
  expect_identical(ev_score(loaded, site2)$prob, ev_score(r, site2)$prob)
  # a second recalibration chains to the first (same hash loaded or not)
  r2 <- ev_recalibrate(loaded, site2, "group", n_boot = 50)
  r2b <- ev_recalibrate(r, site2, "group", n_boot = 50)
  expect_identical(r2$recipe$recalibration$parent_sha256,
                   r2b$recipe$recalibration$parent_sha256)
  expect_false(identical(r2$recipe$recalibration$parent_sha256,
                         r$recipe$recalibration$parent_sha256))
  expect_identical(r$recipe$recalibration$cohort$n_excluded,
                   sum(!ev_score(parent, site2)$scored))
})

test_that("the loader refuses a malformed recalibration record or unknown recipe field", {
  need_reference("jsonlite")
  need_reference("openssl")
  r <- recalibrated("intercept")
  path <- tempfile(fileext = ".json")
  on.exit(unlink(path))
  bad <- r
  bad$recipe$recalibration$parent_sha256 <- "not-a-hash"
  ev_save_model(bad, path)
  expect_error(ev_load_model(path), class = "evmirna_error_model_schema")
  bad <- r
  bad$recipe$recalibration$slope <- NULL
  ev_save_model(bad, path)
  expect_error(ev_load_model(path), class = "evmirna_error_model_schema")
  bad <- r
  bad$recipe$unknown_field <- 1
  ev_save_model(bad, path)
  expect_error(ev_load_model(path), class = "evmirna_error_model_schema")
})

test_that("bad input to ev_recalibrate gets classed errors", {
  parent <- score_fixture()$frozen
  site2 <- site2_fixture()
  no_link <- parent
  no_link$intercept_link <- NULL
  expect_error(ev_recalibrate(no_link, site2, "group"), class = "evmirna_error_no_link")
  no_link$coefficients <- NULL
  expect_error(ev_recalibrate(no_link, site2, "group"), class = "evmirna_error_no_link")
  expect_error(ev_recalibrate(list(), site2, "group"), class = "evmirna_error_type")
  g <- site2$samples$group
  expect_error(ev_recalibrate(parent, site2, g[1:10]), class = "evmirna_error_shape")
  expect_error(ev_recalibrate(parent, site2[, g == "osteoporosis"], "group"),
               class = "evmirna_error_one_class")
  expect_error(ev_recalibrate(parent, site2, "group", method = "isotonic"),
               class = "evmirna_error")
  lacking <- site2[setdiff(rownames(site2$values), "hsa-miR-21-5p"), ]
  expect_error(ev_recalibrate(parent, lacking, "group"), class = "evmirna_error_unknown")
})
