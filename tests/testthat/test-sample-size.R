# ev_sample_size() against pROC::power.roc.test and pmsampsize (type "b").

test_that("AUC design: n for a given power equals pROC::power.roc.test", {
  need_reference("pROC")
  grid <- expand.grid(auc = c(0.6, 0.75, 0.9), kappa = c(0.5, 1, 2.5),
                      alpha = c(0.01, 0.05), power = c(0.8, 0.9),
                      alt = c("two.sided", "one.sided"), stringsAsFactors = FALSE)
  for (i in seq_len(nrow(grid))) {
    g <- grid[i, ]
    ref <- pROC::power.roc.test(auc = g$auc, kappa = g$kappa, sig.level = g$alpha,
                                power = g$power, alternative = g$alt)
    got <- ev_sample_size("auc", auc = g$auc, kappa = g$kappa, alpha = g$alpha,
                          power = g$power, alternative = g$alt)
    expect_equal(got$n_cases_exact, ref$ncases, tolerance = 1e-6)
    expect_equal(got$n_controls_exact, ref$ncontrols, tolerance = 1e-6)
    expect_identical(got$n_cases, as.integer(ceiling(ref$ncases)) + 0)
  }
})

test_that("AUC design: power for given cases equals pROC::power.roc.test", {
  need_reference("pROC")
  for (auc in c(0.62, 0.8)) for (nc in c(20, 57)) for (kappa in c(1, 3)) {
    ref <- pROC::power.roc.test(auc = auc, ncases = nc, ncontrols = kappa * nc,
                                sig.level = 0.05)
    got <- ev_sample_size("auc", auc = auc, n_cases = nc, kappa = kappa)
    expect_equal(got$power, ref$power, tolerance = 1e-6)
  }
})

test_that("AUC design: power at the planned n is the wanted power, also for auc0 > 0.5", {
  for (variance in c("obuchowski", "hanley_mcneil")) {
    plan <- ev_sample_size("auc", auc = 0.85, auc0 = 0.7, power = 0.9, kappa = 2,
                           variance = variance)
    back <- ev_sample_size("auc", auc = 0.85, auc0 = 0.7, n_cases = plan$n_cases_exact,
                           kappa = 2, variance = variance)
    expect_equal(back$power, 0.9, tolerance = 1e-8)
    # a harder null needs more patients than the chance null
    chance <- ev_sample_size("auc", auc = 0.85, power = 0.9, kappa = 2,
                             variance = variance)
    expect_gt(plan$n_cases, chance$n_cases)
  }
})

test_that("AUC design: CI width uses the same variance", {
  r <- ev_sample_size("auc", auc = 0.8, ci_width = 0.1, kappa = 1.5)
  v <- auc_var_obuchowski(0.8, 1.5) / r$n_cases_exact
  expect_equal(2 * qnorm(0.975) * sqrt(v), 0.1, tolerance = 1e-12)
  h <- ev_sample_size("auc", auc = 0.8, ci_width = 0.1, kappa = 1.5,
                      variance = "hanley_mcneil")
  # Hanley-McNeil's variance, written out (Hanley & McNeil 1982, table 1)
  n1 <- h$n_cases_exact; n0 <- 1.5 * n1; q1 <- 0.8 / 1.2; q2 <- 2 * 0.64 / 1.8
  vh <- (0.8 * 0.2 + (n1 - 1) * (q1 - 0.64) + (n0 - 1) * (q2 - 0.64)) / (n1 * n0)
  expect_equal(2 * qnorm(0.975) * sqrt(vh), 0.1, tolerance = 1e-8)
})

test_that("model design equals pmsampsize(type = 'b') on given Cox-Snell R2", {
  need_reference("pmsampsize")
  cases <- list(c(0.288, 24, 0.174), c(0.1, 10, 0.3), c(0.05, 40, 0.1),
                c(0.2, 5, 0.5), c(0.15, 12, 0.05))
  for (cc in cases) {
    ref <- utils::capture.output(
      p <- pmsampsize::pmsampsize(type = "b", csrsquared = cc[1], parameters = cc[2],
                                  prevalence = cc[3]))
    got <- ev_sample_size("model", r2_cs = cc[1], parameters = cc[2],
                          prevalence = cc[3])
    expect_identical(got$n, p$sample_size)
    expect_identical(got$criteria$n, unname(p$results_table[1:3, "Samp_size"]))
    expect_equal(got$shrinkage, p$final_shrinkage, tolerance = 1e-12)
    expect_equal(got$max_r2_cs, p$max_r2a, tolerance = 1e-12)
  }
  # the documented example (Riley et al. 2019): 24 parameters, prevalence 0.174, R2 0.288 -> 662
  expect_identical(ev_sample_size("model", r2_cs = 0.288, parameters = 24,
                                  prevalence = 0.174)$n, 662)
})

test_that("C-statistic conversion matches pmsampsize's simulation within its error", {
  need_reference("pmsampsize")
  for (cc in list(c(0.89, 0.174), c(0.7, 0.2), c(0.8, 0.5))) {
    sims <- vapply(1:3, function(s) {
      pmsampsize:::cstat2rsq(cc[1], cc[2], seed = s)$R2.coxsnell
    }, numeric(1))
    got <- cs_r2_from_c(cc[1], cc[2])
    expect_lt(abs(got - mean(sims)), 1.5e-3)
  }
  # documented example: C = 0.89, 24 parameters, prevalence 0.174
  p <- pmsampsize::pmsampsize(type = "b", cstatistic = 0.89, parameters = 24,
                              prevalence = 0.174)
  got <- ev_sample_size("model", c_statistic = 0.89, parameters = 24,
                        prevalence = 0.174)
  expect_lt(abs(got$n - p$sample_size) / p$sample_size, 0.01)
  # with pmsampsize's own R2 the numbers are identical
  same <- ev_sample_size("model", r2_cs = p$rsquared, parameters = 24,
                         prevalence = 0.174)
  expect_identical(same$n, p$sample_size)
})

test_that("C-statistic conversion agrees with a direct logistic fit (SIMULATED)", {
  # SIMULATED: binormal linear predictor, 2e5 patients
  set.seed(11)
  n <- 2e5; prev <- 0.3; mu <- sqrt(2) * qnorm(0.75)
  y <- stats::rbinom(n, 1, prev)
  lp <- stats::rnorm(n, mean = mu * y)
  fit <- stats::glm(y ~ lp, family = stats::binomial)
  r2 <- 1 - exp(-(fit$null.deviance - fit$deviance) / n)
  expect_lt(abs(cs_r2_from_c(0.75, prev) - r2), 3e-3)
})

test_that("search design counts every candidate miRNA, not the panel", {
  s <- ev_sample_size("search", prevalence = 0.3, n_candidates = 40, panel_size = 3,
                      n_covariates = 2, r2_cs = 0.15)
  m <- ev_sample_size("model", prevalence = 0.3, parameters = 42, r2_cs = 0.15)
  expect_identical(s$n, m$n)
  expect_identical(s$counted$parameters, 42)
  small <- ev_sample_size("model", prevalence = 0.3, parameters = 5, r2_cs = 0.15)
  expect_gt(s$n, small$n)
  out <- paste(utils::capture.output(print(s)), collapse = " ")
  expect_match(out, "all 40 miRNAs the search chooses from", fixed = TRUE)
  expect_match(out, "not the 3 in the final panel", fixed = TRUE)
  expect_match(out, paste0("developed on ", s$n, " patients"), fixed = TRUE)
})

test_that("print states the AUC design's assumptions", {
  r <- ev_sample_size("auc", auc = 0.75, power = 0.8, kappa = 2)
  out <- paste(utils::capture.output(print(r)), collapse = " ")
  expect_match(out, sprintf("%d cases and %d controls", r$n_cases, r$n_controls),
               fixed = TRUE)
  expect_match(out, "true AUC is 0.75", fixed = TRUE)
  expect_match(out, "above 0.5", fixed = TRUE)
})

test_that("bad planning inputs get classed errors naming the argument", {
  expect_ev_error(ev_sample_size("auc", auc = 0.4), "evmirna_error_value", "auc")
  expect_ev_error(ev_sample_size("auc", auc = 1), "evmirna_error_value", "auc")
  expect_ev_error(ev_sample_size("auc", auc = 0.7, auc0 = 0.8), "evmirna_error_value", "auc0")
  expect_ev_error(ev_sample_size("auc", auc = 0.7, kappa = 0), "evmirna_error_value", "kappa")
  expect_ev_error(ev_sample_size("auc", auc = 0.7, power = 1), "evmirna_error_value", "power")
  expect_ev_error(ev_sample_size("auc", auc = 0.7, power = NULL), "evmirna_error_value", "power")
  expect_ev_error(ev_sample_size("auc", auc = "a"), "evmirna_error_type", "auc")
  expect_ev_error(ev_sample_size("model", prevalence = 1.2, parameters = 5, r2_cs = 0.1),
                  "evmirna_error_value", "prevalence")
  expect_ev_error(ev_sample_size("model", prevalence = 0, parameters = 5, r2_cs = 0.1),
                  "evmirna_error_value", "prevalence")
  expect_ev_error(ev_sample_size("model", prevalence = 0.2, parameters = 5),
                  "evmirna_error_value", "r2_cs")
  expect_ev_error(ev_sample_size("model", prevalence = 0.2, parameters = 5, c_statistic = 0.3),
                  "evmirna_error_value", "c_statistic")
  expect_ev_error(ev_sample_size("model", prevalence = 0.05, parameters = 5, r2_cs = 0.5),
                  "evmirna_error_value", "r2_cs")
  expect_ev_error(ev_sample_size("model", prevalence = 0.2, r2_cs = 0.1),
                  "evmirna_error_value", "parameters")
  expect_ev_error(ev_sample_size("search", prevalence = 0.2, n_candidates = 3,
                                 panel_size = 5, r2_cs = 0.1),
                  "evmirna_error_value", "panel_size")
  expect_ev_error(ev_sample_size("nope"), "evmirna_error_value", "design")
})
