qc_panel <- function() {
  # six samples; dCq = Cq(23a) - Cq(451a) = 3, 5, 5.01, 7, 7.5, NA
  cq <- rbind(
    "hsa-miR-451a"   = c(22, 20, 20, 18, 17.5, NA),
    "hsa-miR-23a-3p" = c(25, 25, 25.01, 25, 25, 25),
    "hsa-miR-21-5p"  = c(26, 26.2, 25.9, 26.1, 26, 26),
    "hsa-miR-16-5p"  = c(23, 23.1, 22.9, 23, 23.2, 36),
    "cel-miR-39-3p"  = c(24, 24.5, 23.8, 26.6, 24, 21.9))
  colnames(cq) <- paste0("S", 1:6)
  evset(cq, samples = data.frame(id = colnames(cq),
                                 plate = c("p1", "p1", "p1", "p2", "p2", "p2")))
}

test_that("hemolysis flags follow the dCq thresholds", {
  q <- ev_qc(qc_panel())
  expect_equal(q$hemolysis_dcq, c(3, 5, 5.01, 7, 7.5, NA))
  expect_equal(q$hemolysis, c("ok", "ok", "hemolysis_risk", "hemolysis_risk", "hemolysed", NA))
  q <- ev_qc(qc_panel(), hemolysis_risk = 4, hemolysis_cutoff = 6)
  expect_equal(q$hemolysis, c("ok", "hemolysis_risk", "hemolysis_risk", "hemolysed", "hemolysed", NA))
  expect_error(ev_qc(qc_panel(), hemolysis_risk = 8, hemolysis_cutoff = 7),
               class = "evmirna_error_value")
})

test_that("spike-in recovery is judged against the cohort median", {
  q <- ev_qc(qc_panel())
  med <- median(c(24, 24.5, 23.8, 26.6, 24, 21.9))
  expect_equal(q$spike_in_deviation, c(24, 24.5, 23.8, 26.6, 24, 21.9) - med)
  expect_equal(q$spike_in_flag, abs(q$spike_in_deviation) > 2)
  expect_equal(which(q$spike_in_flag), c(4L, 6L))
  # frozen: a new sample judged against the training median
  new <- qc_panel()[, 1]
  new$values["cel-miR-39-3p", 1] <- med + 1.5
  qn <- ev_qc(new, reference = q)
  expect_equal(qn$spike_in_deviation, 1.5)
  expect_false(qn$spike_in_flag)
  expect_error(ev_qc(new, reference = list()), class = "evmirna_error_type")
})

test_that("detection, non-detects, plates and global-mean outliers", {
  x <- qc_panel()
  q <- ev_qc(x, detection_cq = 35)
  expect_equal(q$n_nondetect, c(0, 0, 0, 0, 0, 1))
  expect_equal(q$detection_rate, c(1, 1, 1, 1, 1, 3 / 5))
  gm <- c(mean(c(22, 25, 26, 23)), mean(c(20, 25, 26.2, 23.1)),
          mean(c(20, 25.01, 25.9, 22.9)), mean(c(18, 25, 26.1, 23)),
          mean(c(17.5, 25, 26, 23.2)), mean(c(25, 26)))
  expect_equal(q$global_mean_cq, gm)
  expect_equal(q$global_mean_z, (gm - median(gm)) / mad(gm))
  expect_equal(q$outlier, abs((gm - median(gm)) / mad(gm)) > 3)
  p <- attr(q, "plates")
  expect_equal(p$plate, c("p1", "p2"))
  expect_equal(p$n_samples, c(3, 3))
  f <- attr(q, "features")
  expect_equal(f$detection_rate[f$feature == "hsa-miR-16-5p"], 5 / 6)
  expect_output(print(q), "ev_qc")
  pdf(NULL)
  expect_identical(plot(q), q)
  dev.off()
  expect_error(ev_qc(matrix(1)), class = "evmirna_error_type")
})

test_that("ev_filter drops by detection and records the kept set", {
  cq <- rbind("hsa-miR-1-3p" = c(30, 36, NA, NA),
              "hsa-miR-2-3p" = c(25, 26, 27, 25),
              "hsa-miR-3-3p" = c(31, 33, 34, NA),
              "cel-miR-39-3p" = c(24, 24, 24, NA))
  colnames(cq) <- paste0("S", 1:4)
  x <- evset(cq)
  f <- ev_filter(x, min_feature_rate = 0.5, detection_cq = 35)
  expect_equal(rownames(f$values), c("hsa-miR-2-3p", "hsa-miR-3-3p", "cel-miR-39-3p"))
  expect_equal(f$steps[[1]]$dropped_features, "hsa-miR-1-3p")
  f2 <- ev_filter(x, min_feature_rate = 0.5, min_sample_rate = 0.6)
  expect_equal(colnames(f2$values), c("S1", "S2", "S3"))
  new <- evset(cq[, 4, drop = FALSE])
  expect_warning(r <- ev_apply_steps(new, f2$steps),
                 class = "evmirna_warning_low_detection")
  expect_equal(rownames(r$values), rownames(f2$values))
  expect_error(ev_filter(x, min_feature_rate = 2), class = "evmirna_error_value")
  e <- expect_error(ev_filter(x, detection_cq = 20, keep_roles = character()),
                    class = "evmirna_error_empty")
  expect_equal(e$arg, "min_feature_rate")
})

test_that("non-detect imputation: limit, offset, NA and reasons", {
  cq <- rbind("hsa-miR-1-3p" = c(30, NA, 31, NA), "hsa-miR-2-3p" = c(25, 26, NA, 25))
  colnames(cq) <- paste0("S", 1:4)
  reason <- matrix(NA_character_, 2, 4)
  reason[1, 2] <- "undetermined"
  reason[1, 4] <- "not_available"
  reason[2, 3] <- "above_max_cq"
  x <- evset(cq, missing_reason = reason)
  a <- ev_impute_nondetects(x, "limit", limit = 38)
  expect_equal(a$values[1, ], c(30, 38, 31, NA), ignore_attr = TRUE)
  expect_equal(a$values[2, 3], 38)
  expect_true(is.na(a$missing_reason[1, 2]))
  expect_equal(a$missing_reason[1, 4], "not_available")
  b <- ev_impute_nondetects(x, "offset", limit = 38, offset = 2)
  expect_equal(b$values[2, 3], 40)
  n <- ev_impute_nondetects(x, "na")
  expect_identical(n$values, x$values)
  expect_equal(n$steps[[1]]$method, "na")
  expect_error(ev_impute_nondetects(x, "limit", limit = 30), class = "evmirna_error_value")
  expect_error(ev_impute_nondetects(evset(round(abs(cq)) * 0 + 1, scale = "counts")),
               class = "evmirna_error_value")
})

test_that("EM imputation reaches the left-censored normal MLE", {
  set.seed(12)
  n_s <- 60
  cq <- rbind(rnorm(n_s, 33, 2), rnorm(n_s, 30, 1.5), rnorm(n_s, 34.5, 1))
  limit <- 35
  cq[cq > limit] <- NA
  dimnames(cq) <- list(paste0("hsa-miR-", 1:3, "-5p"), sprintf("S%02d", 1:n_s))
  x <- evset(cq)
  im <- ev_impute_nondetects(x, "em", limit = limit, tol = 1e-12)
  st <- im$steps[[1]]
  for (i in 1:3) {
    obs <- cq[i, !is.na(cq[i, ])]
    nc <- sum(is.na(cq[i, ]))
    nll <- function(p) -(sum(dnorm(obs, p[1], exp(p[2]), log = TRUE)) +
                          nc * pnorm(limit, p[1], exp(p[2]), lower.tail = FALSE, log.p = TRUE))
    fit <- optim(c(mean(obs), log(sd(obs))), nll, method = "BFGS",
                 control = list(reltol = 1e-14))
    expect_equal(unname(st$mean[i]), fit$par[1], tolerance = 1e-5)
    expect_equal(unname(st$sd[i]), exp(fit$par[2]), tolerance = 1e-5)
    a <- (limit - st$mean[i]) / st$sd[i]
    cm <- st$mean[i] + st$sd[i] * dnorm(a) / pnorm(a, lower.tail = FALSE)
    if (nc) expect_equal(unname(im$values[i, is.na(cq[i, ])]), rep(unname(cm), nc))
  }
  # frozen: new samples take the training conditional means
  new <- cq[, 1:5]
  one <- ev_apply_steps(evset(new[, 2, drop = FALSE]), im$steps)
  all5 <- ev_apply_steps(evset(new), im$steps)
  expect_identical(one$values[, 1], all5$values[, 2])
})

test_that("plate calibration by calibrators and by centering", {
  cq <- rbind("hsa-miR-21-5p" = c(25, 26, 27, 28, 26, 26.5),
              "hsa-miR-16-5p" = c(30, 31, 30.5, 32, 31.5, 31))
  colnames(cq) <- c("C1", "A1", "A2", "C2", "B1", "B2")
  s <- data.frame(id = colnames(cq), plate = rep(c("p1", "p2"), each = 3),
                  calibrator = c(TRUE, FALSE, FALSE, TRUE, FALSE, FALSE))
  x <- evset(cq, samples = s)
  cal <- ev_calibrate_plates(x, "calibrator")
  level <- (cq[, "C1"] + cq[, "C2"]) / 2
  expect_equal(cal$values[, 1:3], cq[, 1:3] - (cq[, "C1"] - level))
  expect_equal(cal$values[, 4:6], cq[, 4:6] - (cq[, "C2"] - level))
  expect_equal(cal$values[, "C1"], cal$values[, "C2"])
  cen <- ev_calibrate_plates(x, "center")
  p1 <- rowMeans(cen$values[, 1:3])
  p2 <- rowMeans(cen$values[, 4:6])
  expect_equal(p1, p2)
  expect_equal(p1, rowMeans(cq))
  # replay on a new plate with its own calibrator
  new <- evset(cbind(C3 = cq[, "C1"] + 1, N1 = cq[, "A1"] + 1),
               samples = data.frame(id = c("C3", "N1"), plate = "p3",
                                    calibrator = c(TRUE, FALSE)))
  r <- ev_apply_steps(new, cal$steps)
  expect_equal(r$values[, "N1"], cal$values[, "A1"])
  expect_error(ev_apply_steps(new, cen$steps), class = "evmirna_error_unknown")
  expect_error(ev_calibrate_plates(x, plate = "batch"), class = "evmirna_error_unknown")
  expect_error(ev_calibrate_plates(evset(cq), "calibrator", plate = "plate"),
               class = "evmirna_error_unknown")
})

test_that("ev_qc() and ev_score() share one rule set and one status vocabulary", {
  # the training cohort judged by its own frozen rules: ev_score()'s QC
  # statuses (before processing) are ev_qc()'s, sample by sample
  fx <- score_fixture()
  x <- fx$x
  q <- fx$qc
  recipe <- fx$frozen$recipe
  recipe$qc$max_nondetect_rate <- 1   # ev_qc() has no non-detect rule
  fq <- frozen_qc(x, recipe)
  expect_identical(fq$status, q$status)
  expect_identical(fq$reason, q$reason)
  expect_identical(q$pass, q$status == "pass")
  expect_true(all(q$status %in% qc_statuses))
  expect_true(all(q$hemolysis %in% c(hemolysis_levels, NA)))
  # the flags agree with the status: a status names a failing check
  expect_true(all(q$spike_in_flag[q$status == "spike_in_failure"]))
  expect_true(all(q$outlier[q$status == "global_mean_outlier"]))
  expect_true(all(q$hemolysis[q$status %in% c("hemolysed", "hemolysis_risk")] ==
                    q$status[q$status %in% c("hemolysed", "hemolysis_risk")]))
})
