# ev_validate_bootstrap() against a hand-written R version of Harrell's
# optimism correction and of the .632+ estimator.

hand_632plus <- function(err, err1, gamma) {
  err1p <- min(err1, gamma)
  r <- if (err1 > err && gamma > err) (err1p - err) / (gamma - err) else 0
  err632 <- 0.368 * err + 0.632 * err1p
  err632 + (err1p - err) * (0.368 * 0.632 * r) / (1 - 0.368 * r)
}

hand_auc <- function(y, s) {
  cases <- s[y == 1]
  controls <- s[y == 0]
  mean(outer(cases, controls, ">") + 0.5 * outer(cases, controls, "=="))
}

test_that("Harrell optimism and .632+ match a hand-written glm version", {
  d <- sim_panel(40, 2, seed = 31, signal = c(1.2, -0.8))
  set.seed(32)
  v <- ev_validate_bootstrap(d$x, d$group, method = "logistic", n_boot = 25)
  y <- d$y
  dat <- data.frame(y = y, d$x, check.names = TRUE)
  lp_app <- predict(glm(y ~ ., binomial, dat))
  cal <- function(y, lp) {
    ctl <- glm.control(epsilon = 1e-14, maxit = 100)
    c(auc = hand_auc(y, lp), brier = mean((plogis(lp) - y)^2),
      intercept = unname(coef(glm(y ~ offset(lp), binomial, control = ctl))[1]),
      slope = unname(coef(glm(y ~ lp, binomial, control = ctl))[2]))
  }
  app <- cal(y, lp_app)
  opt <- matrix(NA, 25, 4)
  auc_oob <- numeric(25)
  sq <- matrix(NA, 40, 25)
  for (b in 1:25) {
    i <- v$indices[, b]
    fit <- glm(y ~ ., binomial, dat[i, ])
    lp_orig <- predict(fit, dat)
    opt[b, ] <- cal(y[i], predict(fit, dat[i, ])) - cal(y, lp_orig)
    oob <- setdiff(1:40, i)
    auc_oob[b] <- hand_auc(y[oob], lp_orig[oob])
    sq[oob, b] <- (plogis(lp_orig[oob]) - y[oob])^2
  }
  tab <- v$table
  expect_equal(tab$apparent, unname(app), tolerance = 1e-8)
  expect_equal(tab$optimism, colMeans(opt), tolerance = 1e-7)
  expect_equal(tab$harrell, unname(app) - colMeans(opt), tolerance = 1e-7)
  expect_equal(tab$p632plus[1], 1 - hand_632plus(1 - app[["auc"]], mean(1 - auc_oob), 0.5),
               tolerance = 1e-8)
  p <- plogis(lp_app)
  gamma <- mean(outer(y, p, function(a, b) (a - b)^2))
  err1 <- mean(rowMeans(sq, na.rm = TRUE), na.rm = TRUE)
  expect_equal(tab$p632plus[2], hand_632plus(app[["brier"]], err1, gamma), tolerance = 1e-8)
  expect_true(all(is.na(tab$p632plus[3:4])))
  expect_equal(v$n_skipped, 0L)
})

test_that(".632+ reduces to .632 without overfitting and stays within [err, gamma]", {
  expect_equal(hand_632plus(0.3, 0.2, 0.5), 0.368 * 0.3 + 0.632 * 0.2)
  expect_equal(evmirna:::estimate_632plus(0.3, 0.2, 0.5), 0.368 * 0.3 + 0.632 * 0.2)
  expect_equal(evmirna:::estimate_632plus(0.1, 0.6, 0.5), 0.5)
  expect_equal(evmirna:::estimate_632plus(0.1, 0.3, 0.5), hand_632plus(0.1, 0.3, 0.5))
})

test_that("bootstrap validation is reproducible and works with preprocessing", {
  x <- serum_ev_qpcr[, 1:50]
  panel <- c("hsa-miR-214-3p", "hsa-miR-23a-5p")
  run <- function() {
    set.seed(33)
    ev_validate_bootstrap(x, "group", n_boot = 5, features = panel,
                          preprocess = function(s) ev_normalize(s, "global_mean"))
  }
  a <- run()
  b <- run()
  expect_identical(a$table, b$table)
  expect_identical(a$indices, b$indices)
  expect_output(print(a), "bootstrap replicates")
  expect_error(ev_validate_bootstrap(x, "group", n_boot = 0), class = "evmirna_error_value")
})
