# Corrupted objects reach no kernel: every field a verb or C reads is
# checked, and the error names the field.

roc_fixture <- function() {
  set.seed(3)
  y <- rep(0:1, each = 15)
  x <- c(rnorm(15), rnorm(15, 1))
  list(plain = ev_roc(y, x), cl = ev_roc(y, x, cluster = rep(1:10, 3)))
}

expect_corrupt <- function(expr, field) {
  e <- expect_error(expr, class = "evmirna_error_corrupt")
  expect_match(conditionMessage(e), field, fixed = TRUE)
}

test_that("edited ROC curves are refused before the bootstrap kernel", {
  r <- roc_fixture()
  bad <- r$cl
  bad$cluster[1] <- 50L   # beyond the observations: heap overflow before
  expect_corrupt(ev_ci_auc(bad, "bootstrap", n_boot = 20), "roc$cluster")
  bad <- r$cl
  bad$cluster <- bad$cluster[-1]
  expect_corrupt(ev_ci_auc(bad, "bootstrap", n_boot = 20), "roc$cluster")
  bad <- r$plain
  bad$fit$group <- rep(99L, length(bad$response))
  expect_corrupt(ev_ci_auc(bad, "bootstrap", n_boot = 20), "roc$fit$group")
  bad <- r$plain
  bad$predictor <- bad$predictor + 0.5   # every replicate NA before
  expect_corrupt(ev_ci_auc(bad, "bootstrap", n_boot = 20), "roc$predictor")
  bad <- r$plain
  bad$response[1] <- 2L
  expect_corrupt(ev_auc(bad), "roc$response")
  bad <- r$plain
  bad$auc <- 1.5
  expect_corrupt(ev_coords(bad), "roc$auc")
  bad <- r$plain
  bad$fit$placements_cases <- bad$fit$placements_cases[-1]
  expect_corrupt(ev_roc_test(bad), "roc1$fit$placements_cases")
  expect_corrupt(ev_roc_test(list(r$plain, bad)), "roc1[[2]]$fit$placements_cases")
  # the unedited curves pass, with and without clusters and ties
  expect_silent(validate_ev_roc(r$plain))
  expect_silent(validate_ev_roc(r$cl))
  expect_silent(validate_ev_roc(ev_roc(c(0, 0, 1, 1, 1), c(1, 1, 2, Inf, 2))))
  expect_error(ev_auc(list()), class = "evmirna_error_type")
})

test_that("edited evsets and models are refused with the field named", {
  x <- evset(matrix(c(25, 26, 27, 28, 24, 23), 2,
                    dimnames = list(c("hsa-miR-21-5p", "hsa-miR-16-5p"), c("A", "B", "C"))))
  bad <- x
  bad$values[1, 1] <- Inf
  expect_corrupt(ev_qc(bad), "x$values")
  bad <- x
  bad$values[1, 1] <- 60
  expect_corrupt(ev_filter(bad), "x$values")
  bad <- x
  bad$features$role[1] <- "boss"
  expect_corrupt(ev_qc(bad), "x$features")
  bad <- x
  bad$samples <- bad$samples[-1, , drop = FALSE]
  expect_corrupt(bad[1, ], "x$samples")
  bad <- x
  bad$missing_reason <- list()
  expect_corrupt(ev_normalize(bad, "quantile"), "x$missing_reason")
  fx <- score_fixture()
  m <- fx$model
  m$coefficients[2] <- NA
  expect_corrupt(predict(m, fx$normalized), "object$coefficients")
  m <- fx$frozen
  m$recipe$panel$train_min <- "a"
  expect_corrupt(ev_score(m, fx$new), "model$recipe$panel$train_min")
  m <- fx$frozen
  m$recipe$qc$thresholds$hemolysis_cutoff <- NA
  expect_corrupt(ev_score(m, fx$new), "qc$thresholds$hemolysis_cutoff")
  m <- fx$frozen
  m$recipe$cutpoints$threshold <- 2
  expect_corrupt(ev_score(m, fx$new), "cutpoints$threshold")
  expect_silent(validate_ev_model(fx$frozen))
})
