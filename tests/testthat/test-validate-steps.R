# Replay validation: every frozen parameter in the step specification is
# checked before a step is replayed.

steps_fixture <- function() {
  set.seed(5)
  y <- matrix(rpois(40 * 6, 40), 40, dimnames = list(paste0("hsa-miR-", 1:40), paste0("S", 1:6)))
  y[1:2, 1] <- 0
  xc <- evset(y, scale = "counts")
  cq <- matrix(rnorm(5 * 6, 28, 1), 5, 6,
               dimnames = list(c("hsa-miR-16-5p", "hsa-miR-93-5p", "hsa-miR-21-5p",
                                 "hsa-miR-214-3p", "cel-miR-39-3p"), paste0("P", 1:6)))
  x <- evset(cq, samples = data.frame(id = colnames(cq), plate = rep(c("a", "b"), 3),
                                      calibrator = c(TRUE, TRUE, FALSE, FALSE, FALSE, FALSE)))
  out <- list()
  for (m in c("cpm", "tmm", "upper_quartile", "rle", "median_ratio", "poscounts", "quantile")) {
    out[[m]] <- list(x = xc, fit = ev_normalize(xc, m))
  }
  refs <- c("hsa-miR-16-5p", "hsa-miR-93-5p")
  out$reference <- list(x = x, fit = ev_normalize(x, "reference", references = refs))
  out$spike_in <- list(x = x, fit = ev_normalize(x, "spike_in"))
  out$global_mean <- list(x = x, fit = ev_normalize(x, "global_mean", global_set = "common"))
  out$cq_quantile <- list(x = x, fit = ev_normalize(x, "quantile"))
  out$filter <- list(x = x, fit = ev_filter(x, min_feature_rate = 0.5))
  out$impute <- list(x = x, fit = ev_impute_nondetects(x, "em", limit = 40))
  out$center <- list(x = x, fit = ev_calibrate_plates(x, "center"))
  out$calibrator <- list(x = x, fit = ev_calibrate_plates(x, "calibrator"))
  out
}

test_that("the reproducer of issue 12: a TMM step with ratio_trim = NA", {
  fx <- steps_fixture()$tmm
  s <- fx$fit$steps
  s[[1]]$ratio_trim <- NA
  e <- expect_error(ev_apply_steps(fx$x, s), class = "evmirna_error_corrupt")
  expect_match(conditionMessage(e), "steps[[1]]$ratio_trim", fixed = TRUE)
  expect_error(ev_normalize(fx$x, steps = s), class = "evmirna_error_corrupt")
})

test_that("unedited steps replay to the fitted values; every specified field is checked", {
  fixtures <- steps_fixture()
  checked <- 0L
  for (kind in names(fixtures)) {
    fx <- fixtures[[kind]]
    steps <- fx$fit$steps
    j <- length(steps)
    replay <- ev_apply_steps(fx$x, steps)
    expect_equal(replay$values, fx$fit$values)
    step <- steps[[j]]
    key <- if (step$name == "normalize") step$scale else NULL
    methods <- c("*", paste(c(key, "*"), collapse = ":"),
                 paste(c(key, step$method), collapse = ":"))
    rows <- step_spec[step_spec$step == step$name & step_spec$method %in% methods, ]
    expect_gt(nrow(rows), 1L)
    for (field in rows$field) {
      for (bad in list(list(1, 2), "a", NA_real_, function(x) x)) {
        s <- steps
        s[[j]][[field]] <- bad
        # a field may legitimately be a string ("a") or a list is wrong
        res <- tryCatch(ev_apply_steps(fx$x, s), error = function(e) e)
        ok_value <- is.character(step[[field]]) && identical(bad, "a") &&
          !rows$type[rows$field == field][1] %in% c("choice", "subset")
        if (!ok_value) {
          expect_s3_class(res, "evmirna_error")
          if (inherits(res, "evmirna_error_corrupt")) {
            expect_match(conditionMessage(res), paste0("$", field), fixed = TRUE)
            checked <- checked + 1L
          }
        }
      }
    }
  }
  expect_gt(checked, 150L)
})

test_that("steps with out-of-range numbers, truncated vectors or unknown names are refused", {
  fx <- steps_fixture()
  s <- fx$upper_quartile$fit$steps
  s[[1]]$p <- 1.5
  expect_error(ev_apply_steps(fx$upper_quartile$x, s), class = "evmirna_error_corrupt")
  s <- fx$quantile$fit$steps
  s[[1]]$target <- rev(s[[1]]$target)
  expect_error(ev_apply_steps(fx$quantile$x, s), "sorted", class = "evmirna_error_corrupt")
  s <- fx$rle$fit$steps
  names(s[[1]]$geometric_means)[1] <- "hsa-miR-999"
  expect_error(ev_apply_steps(fx$rle$x, s), "hsa-miR-999", class = "evmirna_error_corrupt")
  s <- fx$reference$fit$steps
  s[[1]]$efficiency <- 1
  expect_error(ev_apply_steps(fx$reference$x, s), "efficiency", class = "evmirna_error_corrupt")
  s[[1]] <- list(name = "normalise")
  expect_error(ev_apply_steps(fx$reference$x, s), class = "evmirna_error_unknown")
  expect_error(ev_apply_steps(fx$reference$x, list()), class = "evmirna_error_type")
  # a replayed step never uses fit-time results smuggled in as an attribute
  s <- fx$cq_quantile$fit$steps
  attr(s[[1]], "training") <- list(values = matrix(0, 1, 1))
  expect_equal(ev_apply_steps(fx$cq_quantile$x, s)$values, fx$cq_quantile$fit$values)
})

test_that("one top-k rule: |AUC - 0.5| largest first, ties in feature order, NA never picked", {
  auc <- c(a = 0.7, b = 0.3, c = NA, d = 0.9, e = 0.55)
  expect_identical(top_auc_features(auc, names(auc), 3), c("d", "a", "b"))
  expect_identical(top_auc_features(auc, names(auc), 10), c("d", "a", "b", "e"))
  expect_identical(top_auc_features(auc[c(2, 1)], c("b", "a"), 1), "b")
})

test_that("stream_lapply: one dispatcher; seeds make tasks reproducible, progress ticks", {
  seeds <- rng_streams(3)
  a <- stream_lapply(1:3, function(i) runif(1), seeds)
  b <- stream_lapply(1:3, function(i) runif(1), seeds)
  expect_identical(a, b)
  ticks <- 0L
  out <- stream_lapply(1:4, function(i) i^2, progress = function() ticks <<- ticks + 1L)
  expect_identical(out, as.list((1:4)^2))
  expect_identical(ticks, 4L)
  expect_error(stream_lapply(1:3, identity, seeds[1:2]), class = "evmirna_error_shape")
})
