# Issue 13: degenerate results say so (a printed one-line caveat stored in
# the object), and parallel runs leave the caller's RNG state as serial runs
# do. SIMULATED panels.

test_that("an AUC of 1 with a [1, 1] DeLong interval carries a caveat, as pROC warns", {
  need_reference("pROC")
  y <- rep(0:1, each = 15)
  x <- y + seq(0, 0.5, length.out = 30)
  ci <- ev_ci_auc(ev_roc(y, x))
  expect_identical(unname(c(ci[["lower"]], ci[["upper"]])), c(1, 1))
  expect_match(attr(ci, "caveat"), "zero width because the AUC is 1")
  expect_output(print(ci), "Caveat: the interval has zero width")
  # pROC flags the same case
  pr <- pROC::roc(y, x, levels = c(0, 1), direction = "<", quiet = TRUE)
  expect_warning(pROC::ci.auc(pr), "1-1")
  # an ordinary interval has none
  set.seed(1)
  ok <- ev_ci_auc(ev_roc(y, y + rnorm(30)))
  expect_null(attr(ok, "caveat"))
  expect_false(any(grepl("Caveat", capture.output(print(ok)))))
})

test_that("a CV under separation says its calibration slope is not an estimate", {
  set.seed(3)
  y <- rep(0:1, 30)
  x <- cbind(a = 3 * y + rnorm(60, sd = 0.1), b = rnorm(60))
  cv <- suppressWarnings(ev_cv(x, y, n_folds = 5))
  lp <- cv$pooled$link
  expect_true(min(lp[y == 1]) > max(lp[y == 0]))
  expect_true(any(grepl("calibration slope .* not a finite estimate", cv$caveats)))
  expect_true(any(grepl("zero width", cv$caveats)))
  out <- capture.output(print(cv))
  expect_identical(sum(grepl("^  Caveat: ", out)), length(cv$caveats))
})

test_that("fewer than 10 events per candidate predictor in a CV is flagged", {
  d <- sim_panel(60, 12, seed = 4)
  events <- min(table(d$group))
  set.seed(5)
  cv <- suppressWarnings(ev_cv(d$x, d$group, method = "elastic_net", n_folds = 3,
                               inner_folds = 3, screen = list(top = 3)))
  # the screened-out candidates count: 12 features, not the 3 kept per fold
  hit <- grep("events per candidate predictor", cv$caveats, value = TRUE)
  expect_length(hit, 1L)
  expect_match(hit, sprintf("^%.1f events per candidate predictor \\(%d in the smaller class, 12 candidates\\)",
                            events / 12, events))
  # covariate terms are candidates too
  sex <- data.frame(sex = rep(c("F", "M"), 30))
  cv1 <- suppressWarnings(ev_cv(d$x[, 1:2], d$group, n_folds = 3, covariates = sex))
  expect_match(grep("events per", cv1$caveats, value = TRUE),
               sprintf("\\(%d in the smaller class, 3 candidates\\)", events))
  # a well-powered CV has no caveat
  big <- sim_panel(400, 2, seed = 6, signal = c(0.7, -0.7))
  set.seed(7)
  expect_length(ev_cv(big$x, big$group, n_folds = 5)$caveats, 0L)
})

test_that("under multisession, ev_cv and ev_validate_bootstrap leave .Random.seed as a serial run does", {
  need_reference("future")
  need_reference("future.apply")
  d <- sim_panel(40, 3, seed = 8)
  after <- function(f) {
    set.seed(11)
    f()
    list(seed = .Random.seed, next_draw = runif(3))
  }
  cv <- function() ev_cv(d$x, d$group, n_folds = 4)
  vb <- function() ev_validate_bootstrap(d$x, d$group, n_boot = 3)
  serial <- list(after(cv), after(vb))
  old <- future::plan(future::multisession, workers = 2)
  on.exit(future::plan(old), add = TRUE)
  parallel <- list(after(cv), after(vb))
  future::plan(old)
  expect_identical(parallel, serial)
})
