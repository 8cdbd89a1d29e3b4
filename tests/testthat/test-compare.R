# ev_compare() on the SIMULATED serum_ev_qpcr cohort (its `age` column is
# the clinical covariate) and on random SIMULATED inputs; reclassification
# measures against Hmisc::improveProb and nricens, net benefit against
# dcurves, the AUC difference against pROC.

panel <- c("hsa-miR-214-3p", "hsa-miR-23a-5p", "hsa-miR-155-5p",
           "hsa-miR-21-5p", "hsa-miR-148a-3p")
global_mean <- function(s) ev_normalize(s, "global_mean")

compare_fixture <- local({
  cache <- NULL
  function() {
    if (is.null(cache)) {
      set.seed(11)
      cache <<- ev_compare(
        ev_recipe("logistic", features = character(0), covariates = "age"),
        ev_recipe("logistic", features = panel, covariates = "age", preprocess = global_mean),
        serum_ev_qpcr, "group", n_folds = 5, cutoffs = c(0.3, 0.6), n_boot = 200)
    }
    cache
  }
})

quiet_nribin <- function(...) {
  out <- NULL
  utils::capture.output(out <- suppressMessages(nricens::nribin(..., niter = 0, msg = FALSE)))
  stats::setNames(out$nri$Estimate, rownames(out$nri))
}

test_that("both recipes are cross-validated by ev_cv on the same folds", {
  cmp <- compare_fixture()
  expect_s3_class(cmp, "ev_compare")
  expect_identical(cmp$base$foldid, cmp$full$foldid)
  expect_identical(cmp$base$foldid, cmp$foldid)
  # the full recipe's out-of-fold risks are those of a stand-alone ev_cv on
  # those folds (a logistic fit does not draw random numbers)
  alone <- ev_cv(serum_ev_qpcr, "group", method = "logistic", foldid = cmp$foldid,
                 features = panel, covariates = "age", preprocess = global_mean)
  expect_equal(cmp$predictions$full, alone$pooled$prob, tolerance = 1e-12)
  # the covariates-only recipe is a logistic model on age alone, per fold
  y <- as.integer(serum_ev_qpcr$samples$group == "osteoporosis")
  age <- serum_ev_qpcr$samples$age
  oof <- numeric(length(y))
  for (k in unique(cmp$foldid[, 1])) {
    te <- cmp$foldid[, 1] == k
    g <- stats::glm(y ~ age, family = stats::binomial, subset = !te)
    oof[te] <- stats::predict(g, data.frame(age = age[te]), type = "response")
  }
  expect_equal(cmp$predictions$base, oof, tolerance = 1e-8)
})

test_that("the AUC difference and its paired DeLong test agree with pROC", {
  need_reference("pROC")
  cmp <- compare_fixture()
  pr <- cmp$predictions
  lv <- levels(pr$group)
  rb <- pROC::roc(pr$group, pr$base, levels = lv, direction = "<", quiet = TRUE)
  rf <- pROC::roc(pr$group, pr$full, levels = lv, direction = "<", quiet = TRUE)
  t <- pROC::roc.test(rf, rb, method = "delong", paired = TRUE)
  expect_equal(cmp$auc$difference, unname(t$estimate[1] - t$estimate[2]), tolerance = 1e-12)
  expect_equal(cmp$auc$p_value, t$p.value, tolerance = 1e-10)
  expect_equal(c(cmp$auc$lower, cmp$auc$upper), as.numeric(t$conf.int), tolerance = 1e-10)
  expect_equal(unname(cmp$auc_test$statistic), unname(t$statistic), tolerance = 1e-10)
})

test_that("NRI and IDI agree with Hmisc::improveProb and nricens on the cohort", {
  need_reference("Hmisc")
  need_reference("nricens")
  cmp <- compare_fixture()
  pr <- cmp$predictions
  y <- as.integer(pr$group) - 1L
  est <- stats::setNames(cmp$reclassification$estimate, cmp$reclassification$measure)
  ip <- Hmisc::improveProb(pr$base, pr$full, y)
  expect_equal(est[["nri_continuous"]], as.numeric(ip$nri), tolerance = 1e-10)
  expect_equal(est[["nri_continuous_events"]], as.numeric(ip$nri.ev), tolerance = 1e-10)
  expect_equal(est[["nri_continuous_nonevents"]], as.numeric(ip$nri.ne), tolerance = 1e-10)
  expect_equal(est[["idi"]], as.numeric(ip$idi), tolerance = 1e-10)
  nb <- quiet_nribin(event = y, p.std = pr$base, p.new = pr$full, cut = c(0.3, 0.6),
                     updown = "category")
  expect_equal(est[["nri_categorical"]], nb[["NRI"]], tolerance = 1e-10)
  expect_equal(est[["nri_categorical_events"]], nb[["NRI+"]], tolerance = 1e-10)
  expect_equal(est[["nri_categorical_nonevents"]], nb[["NRI-"]], tolerance = 1e-10)
  # every estimate lies inside its bootstrap interval here
  r <- cmp$reclassification
  expect_true(all(r$lower <= r$estimate & r$estimate <= r$upper))
  expect_equal(est[["brier_difference"]],
               cmp$calibration["full", "brier"] - cmp$calibration["base", "brier"],
               tolerance = 1e-12)
})

test_that("net benefit of both models agrees with dcurves::dca", {
  need_reference("dcurves")
  cmp <- compare_fixture()
  pr <- cmp$predictions
  th <- c(0.1, 0.25, 0.4, 0.55, 0.7)
  d <- as.data.frame(suppressMessages(dcurves::dca(y ~ base + full, thresholds = th,
                                  data = data.frame(y = as.integer(pr$group) - 1L,
                                                    base = pr$base, full = pr$full)))$dca)
  ours <- cmp$decision[match(th, round(cmp$decision$threshold, 10)), ]
  expect_equal(ours$base, d$net_benefit[d$label == "base"], tolerance = 1e-10)
  expect_equal(ours$full, d$net_benefit[d$label == "full"], tolerance = 1e-10)
  expect_equal(ours$treat_all, d$net_benefit[d$label == "Treat All"], tolerance = 1e-10)
  expect_equal(ours$difference, ours$full - ours$base, tolerance = 1e-14)
})

test_that("the apparent likelihood-ratio test equals nested glm fits on all samples", {
  cmp <- compare_fixture()
  n <- ev_normalize(serum_ev_qpcr, "global_mean")
  d <- data.frame(y = as.integer(serum_ev_qpcr$samples$group == "osteoporosis"),
                  age = serum_ev_qpcr$samples$age, t(n$values[panel, ]), check.names = FALSE)
  g0 <- stats::glm(y ~ age, family = stats::binomial, data = d)
  g1 <- stats::glm(y ~ ., family = stats::binomial, data = d)
  a <- stats::anova(g0, g1, test = "LRT")
  expect_identical(a$Df[2], 5)
  expect_equal(cmp$lr_test$statistic, a$Deviance[2], tolerance = 1e-6)
  expect_identical(as.integer(cmp$lr_test$df), 5L)
  expect_equal(cmp$lr_test$p_value, a$`Pr(>Chi)`[2], tolerance = 1e-5)
  expect_match(cmp$lr_test$note, "apparent")
})

test_that("set.seed() reproduces a comparison; methods print, summarise, tabulate, plot", {
  run <- function() {
    set.seed(5)
    ev_compare(list(method = "logistic", features = character(0), covariates = "age"),
               list(method = "logistic", features = panel[1:2], covariates = "age",
                    preprocess = global_mean),
               serum_ev_qpcr, "group", n_folds = 4, n_repeats = 2, n_boot = 50)
  }
  a <- run()
  b <- run()
  expect_identical(a$reclassification, b$reclassification)
  expect_identical(a$predictions, b$predictions)
  expect_identical(dim(a$foldid), c(200L, 2L))
  expect_identical(a$decision, b$decision)
  ok <- !is.na(a$decision$lower)
  expect_true(all(a$decision$lower[ok] <= a$decision$upper[ok]))
  expect_output(print(a), "paired DeLong")
  expect_output(print(summary(a)), "Likelihood-ratio test")
  df <- as.data.frame(a)
  expect_setequal(df$measure, c("auc", "brier", "calibration_slope", "calibration_intercept",
                                setdiff(reclass_measures, "brier_difference"), "lr_test"))
  expect_equal(df$difference[df$measure == "auc"], a$auc$full - a$auc$base)
  expect_identical(as.data.frame(a, what = "decision"), a$decision)
  td <- tidy(a)
  expect_identical(td$term, df$measure)
  expect_identical(td$estimate, df$difference)
  expect_identical(td$p.value, df$p_value)
  expect_identical(ev_report_data(a)$parts$compare, a)
  f <- tempfile(fileext = ".pdf")
  grDevices::pdf(f)
  for (w in c("decision", "difference", "roc")) expect_identical(plot(a, what = w), a)
  grDevices::dev.off()
  unlink(f)
})

test_that("reclassification measures match the references on random inputs", {
  need_reference("Hmisc")
  need_reference("nricens")
  set.seed(20)
  for (i in 1:25) {
    n <- sample(20:150, 1)
    y <- rbinom(n, 1, runif(1, 0.2, 0.8))
    if (length(unique(y)) < 2L) y[1:2] <- 0:1
    p0 <- round(runif(n), sample(c(1, 2, 8), 1))  # coarse rounding makes ties
    p0 <- pmin(pmax(p0, 0.001), 0.999)
    p1 <- if (i %% 5 == 0) p0 else plogis(qlogis(p0) + rnorm(n, y, 1))
    cut <- sort(sample(c(0.1, 0.2, 0.3, 0.5, 0.7), sample(1:3, 1)))
    s <- reclass_stats(y, p0, p1, cut)
    ip <- Hmisc::improveProb(p0, p1, y)
    expect_equal(s[["nri_continuous"]], as.numeric(ip$nri), tolerance = 1e-10)
    expect_equal(s[["idi"]], as.numeric(ip$idi), tolerance = 1e-10)
    nb <- quiet_nribin(event = y, p.std = p0, p.new = p1, cut = cut, updown = "category")
    expect_equal(unname(s[c("nri_categorical", "nri_categorical_events",
                            "nri_categorical_nonevents")]),
                 unname(nb[c("NRI", "NRI+", "NRI-")]), tolerance = 1e-10)
    # swapping the models negates every measure
    expect_equal(reclass_stats(y, p1, p0, cut), -s, tolerance = 1e-14)
  }
})

test_that("bootstrap resamples keep the class sizes and give percentile CIs", {
  set.seed(3)
  y <- rbinom(70, 1, 0.3)
  p0 <- runif(70)
  p1 <- plogis(qlogis(p0) + y)
  idx <- class_boot_indices(y, 40)
  expect_identical(dim(idx), c(70L, 40L))
  expect_true(all(colSums(matrix(y[idx], 70)) == sum(y)))
  r <- reclass_boot(y, p0, p1, 0.4, idx, 0.9)
  by_hand <- apply(idx, 2L, function(i) mean(p1[i][y[i] == 1] - p0[i][y[i] == 1]) -
                     mean(p1[i][y[i] == 0] - p0[i][y[i] == 0]))
  expect_equal(r$replicates[, "idi"], by_hand, tolerance = 1e-14)
  expect_equal(r$table$lower[r$table$measure == "idi"],
               unname(stats::quantile(by_hand, 0.05)), tolerance = 1e-14)
})

test_that("ev_compare works on a matrix with a simulated covariate data.frame", {
  # SIMULATED: 120 patients, a clinical score `bmi` and 4 markers, two informative
  set.seed(8)
  n <- 120
  y <- rep(0:1, each = 60)
  bmi <- rnorm(n, 26 - y, 3)
  x <- matrix(rnorm(n * 4), n, dimnames = list(sprintf("P%03d", 1:n), paste0("m", 1:4)))
  x[, 1:2] <- x[, 1:2] + 0.8 * y
  cov <- data.frame(bmi = bmi, site = rep(c("a", "b", "c"), 40))
  cmp <- ev_compare(list(features = character(0), covariates = cov),
                    list(features = colnames(x), covariates = cov),
                    x, y, n_folds = 5, n_boot = 100)
  expect_identical(cmp$base$model$terms, c("bmi", "siteb", "sitec"))
  expect_identical(cmp$lr_test$df, 4L)
  expect_gt(cmp$auc$difference, 0)
})

test_that("bad input gets classed errors; non-nested models get NA with a reason", {
  one <- serum_ev_qpcr
  r0 <- ev_recipe("logistic", features = character(0), covariates = "age")
  r1 <- ev_recipe("logistic", features = panel[1:2])
  expect_error(ev_compare(r0, r1, serum_ev_qpcr, rep("a", 200)),
               class = "evmirna_error_one_class")
  expect_error(ev_compare(r0, r1, serum_ev_qpcr, rep(0:1, 50)),
               class = "evmirna_error_shape")
  expect_error(ev_compare(r0, r1, serum_ev_qpcr, "group", cutoffs = c(0.5, 0.2)),
               class = "evmirna_error_value")
  expect_error(ev_compare(r0, r1, serum_ev_qpcr, "group", cutoffs = 1),
               class = "evmirna_error_value")
  expect_error(ev_compare(c(r0, n_folds = 3), r1, serum_ev_qpcr, "group"),
               class = "evmirna_error_value")
  expect_error(ev_compare(list(features = character(0)), r1, serum_ev_qpcr, "group"),
               class = "evmirna_error_empty")
  expect_error(ev_compare(list(features = character(0), covariates = "age",
                               preprocess = global_mean), r1, serum_ev_qpcr, "group"),
               class = "evmirna_error_value")
  expect_error(ev_compare("logistic", r1, serum_ev_qpcr, "group"),
               class = "evmirna_error_type")
  expect_error(ev_compare(r0, r1, serum_ev_qpcr, "group", n_boot = 0),
               class = "evmirna_error")
  # age is not in the full model, so the base is not nested in it
  set.seed(2)
  expect_warning(cmp <- ev_compare(r0, r1, ev_impute_nondetects(serum_ev_qpcr), "group",
                                   n_folds = 3, n_boot = 20),
                 class = "evmirna_warning_not_nested")
  expect_true(is.na(cmp$lr_test$statistic))
  expect_match(cmp$lr_test$note, "\"age\" not in full")
  expect_output(print(cmp), "not computed")
  expect_identical(one, serum_ev_qpcr)
})
