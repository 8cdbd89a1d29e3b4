# ev_cv(): equality with hand-written loops, bookkeeping, reproducibility,
# leakage, calibration / Brier / net benefit against their definitions.

test_that("CV with a given foldid equals a hand-written ev_fit + predict loop exactly", {
  d <- sim_panel(90, 4, seed = 11)
  foldid <- rep_len(1:5, 90)
  cv <- ev_cv(d$x, d$group, method = "logistic", foldid = foldid)
  link <- numeric(90)
  for (k in 1:5) {
    te <- foldid == k
    fit <- ev_fit(d$x[!te, ], d$group[!te], method = "logistic")
    link[te] <- predict(fit, d$x[te, ], type = "link")
  }
  expect_identical(cv$pooled$link, link)
  expect_identical(cv$predictions$prob, plogis(link))
  expect_identical(cv$roc$auc, ev_roc(d$group, plogis(link), direction = "<")$auc)
  ci <- ev_ci_auc(ev_roc(d$group, plogis(link), direction = "<"))
  expect_equal(unclass(cv$ci)[1:3], unclass(ci)[1:3])

  cv_net <- ev_cv(d$x, d$group, method = "elastic_net", s = 0.03, foldid = foldid,
                  alpha = 0.5)
  for (k in 1:5) {
    te <- foldid == k
    fit <- ev_fit(d$x[!te, ], d$group[!te], method = "elastic_net", s = 0.03, alpha = 0.5)
    link[te] <- predict(fit, d$x[te, ], type = "link")
  }
  expect_identical(cv_net$pooled$link, link)

  cv_lda <- ev_cv(d$x, d$group, method = "dlda", foldid = foldid)
  for (k in 1:5) {
    te <- foldid == k
    link[te] <- predict(ev_fit(d$x[!te, ], d$group[!te], method = "dlda"), d$x[te, ],
                        type = "link")
  }
  expect_identical(cv_lda$pooled$link, link)
})

test_that("the full-data model and apparent AUC are those of ev_fit on every sample", {
  d <- sim_panel(70, 3, seed = 12)
  cv <- ev_cv(d$x, d$group, foldid = rep_len(1:4, 70))
  fit <- ev_fit(d$x, d$group)
  expect_equal(cv$model$coefficients, fit$coefficients)
  expect_equal(cv$apparent_auc, fit$roc$auc)
})

test_that("repeats x folds bookkeeping", {
  d <- sim_panel(53, 3, seed = 13)
  set.seed(3)
  cv <- ev_cv(d$x, d$group, n_folds = 4, n_repeats = 3)
  expect_equal(dim(cv$foldid), c(53L, 3L))
  expect_equal(nrow(cv$predictions), 53L * 3L)
  expect_equal(nrow(cv$fold_auc), 12L)
  expect_equal(nrow(cv$tuning), 12L)
  expect_false(anyNA(cv$predictions$link))
  for (r in 1:3) {
    rows <- cv$predictions[cv$predictions$rep_id == r, ]
    expect_identical(rows$id, rownames(d$x))
    expect_identical(rows$fold, cv$foldid[, r])
    fr <- cv$fold_auc[cv$fold_auc$rep_id == r, ]
    expect_equal(sum(fr$n_test), 53L)
    expect_equal(fr$n_test, as.vector(table(cv$foldid[, r])))
  }
  links <- matrix(cv$predictions$link, 53L)
  expect_equal(cv$pooled$link, rowMeans(links))
  expect_equal(cv$auc_repeats,
               vapply(1:3, function(r) ev_roc(d$group, plogis(links[, r]), direction = "<")$auc,
                      numeric(1)))
  # each fold's AUC from its own test samples
  te <- cv$foldid[, 2] == 3
  expect_equal(cv$fold_auc$auc[cv$fold_auc$rep_id == 2 & cv$fold_auc$fold == 3],
               ev_roc(d$group[te], links[te, 2], direction = "<")$auc)
  expect_equal(cv$stability$n_selected, rep(12L, 3))
  expect_equal(nrow(as.data.frame(cv, what = "folds")), 12L)
})

test_that("stratified folds keep the class balance; unstratified ones need not", {
  y <- factor(rep(c("control", "case"), c(40, 20)), levels = c("control", "case"))
  x <- matrix(rnorm(120), 60, dimnames = list(NULL, c("a", "b")))
  set.seed(4)
  cv <- ev_cv(x, y, n_folds = 5, n_repeats = 2)
  for (r in 1:2) {
    tab <- table(cv$foldid[, r], y)
    expect_true(all(tab[, "control"] == 8L))
    expect_true(all(tab[, "case"] == 4L))
  }
  expect_true(all(cv$fold_auc$n_cases == 4L))
})

test_that("set.seed reproduces nested elastic-net CV, and a new seed changes it", {
  d <- sim_panel(60, 8, seed = 14, signal = c(1, -1, 0.5))
  run <- function(seed) {
    set.seed(seed)
    ev_cv(d$x, d$group, method = "elastic_net", n_folds = 4, n_repeats = 2, inner_folds = 3)
  }
  a <- run(5)
  b <- run(5)
  c <- run(6)
  expect_identical(a$predictions, b$predictions)
  expect_identical(a$tuning, b$tuning)
  expect_false(identical(a$predictions$link, c$predictions$link))
  expect_true(all(a$tuning$lambda > 0))
})

test_that("serial and two-worker multisession runs give identical results", {
  need_reference("future")
  need_reference("future.apply")
  d <- sim_panel(50, 6, seed = 15, signal = c(1, -1))
  run <- function() {
    set.seed(7)
    ev_cv(d$x, d$group, method = "elastic_net", n_folds = 5, n_repeats = 2, inner_folds = 3,
          screen = list(top = 4))
  }
  serial <- run()
  old <- future::plan(future::multisession, workers = 2)
  on.exit(future::plan(old), add = TRUE)
  boot <- function() {
    set.seed(8)
    ev_validate_bootstrap(d$x, d$group, method = "elastic_net", n_boot = 4, inner_folds = 3)
  }
  serial_boot <- boot()
  parallel <- run()
  parallel_boot <- boot()
  future::plan(old)
  expect_identical(parallel$predictions, serial$predictions)
  expect_identical(parallel$tuning, serial$tuning)
  expect_identical(parallel$selection, serial$selection)
  expect_identical(parallel_boot$table, serial_boot$table)
  expect_identical(parallel_boot$replicates, serial_boot$replicates)
})

test_that("preprocess never sees a test fold; its steps are replayed on the test fold", {
  x <- serum_ev_qpcr[, 1:60]
  panel <- c("hsa-miR-214-3p", "hsa-miR-23a-5p", "hsa-miR-155-5p")
  seen <- list()
  recorder <- function(s) {
    seen[[length(seen) + 1L]] <<- colnames(s$values)
    ev_normalize(s, "global_mean")
  }
  set.seed(8)
  cv <- ev_cv(x, "group", n_folds = 4, features = panel, preprocess = recorder)
  ids <- colnames(x$values)
  expect_length(seen, 5L)
  expect_setequal(seen[[1L]], ids)  # the final fit on every sample
  for (k in 1:4) {
    test_ids <- ids[cv$foldid[, 1] == k]
    expect_length(intersect(seen[[k + 1L]], test_ids), 0L)
    expect_setequal(seen[[k + 1L]], setdiff(ids, test_ids))
  }
  # fold 2 by hand: normalize the training part, replay its step on the test part
  te <- cv$foldid[, 1] == 2
  tr <- ev_normalize(x[, !te], "global_mean")
  fit <- ev_fit(tr, "group", features = panel)
  new <- ev_apply_steps(x[, te], tr$steps[length(tr$steps)])
  expect_identical(cv$pooled$link[te], unname(predict(fit, new, type = "link")))
})

test_that("pure noise: screening + nested elastic net gives an honest AUC near 0.5", {
  set.seed(9)
  x <- matrix(rnorm(60 * 2000), 60, 2000,
              dimnames = list(sprintf("S%02d", 1:60), sprintf("miR-%d", 1:2000)))
  y <- factor(rep(c("control", "case"), 30), levels = c("control", "case"))
  cv <- ev_cv(x, y, method = "elastic_net", n_folds = 5, screen = list(top = 20),
              inner_folds = 3)
  expect_true(cv$ci[["lower"]] < 0.5 && cv$ci[["upper"]] > 0.5)
  expect_gt(cv$apparent_auc, 0.9)
  expect_true(all(cv$tuning$n_features == 20L))
})

test_that("calibration intercept and slope match glm on the out-of-fold logits", {
  d <- sim_panel(120, 3, seed = 16, signal = c(1.5, -1))
  set.seed(10)
  cv <- ev_cv(d$x, d$group, n_folds = 5, n_repeats = 2)
  lp <- cv$pooled$link
  y <- d$y
  ctl <- glm.control(epsilon = 1e-14, maxit = 100)
  slope <- coef(glm(y ~ lp, family = binomial, control = ctl))
  citl <- coef(glm(y ~ offset(lp), family = binomial, control = ctl))
  expect_equal(cv$calibration$slope, unname(slope[2]), tolerance = 1e-8)
  expect_equal(cv$calibration$slope_intercept, unname(slope[1]), tolerance = 1e-8)
  expect_equal(cv$calibration$intercept, unname(citl[1]), tolerance = 1e-8)
  expect_equal(cv$calibration$brier, mean((plogis(lp) - y)^2), tolerance = 1e-14)
})

test_that("net benefit follows its formula, with and without a stated prevalence", {
  d <- sim_panel(100, 2, seed = 17)
  cv <- ev_cv(d$x, d$group, foldid = rep_len(1:5, 100), thresholds = c(0.1, 0.3, 0.5, 0.7))
  p <- cv$pooled$prob
  y <- d$y
  n <- length(y)
  nb <- vapply(c(0.1, 0.3, 0.5, 0.7), function(t) {
    sum(p >= t & y == 1) / n - sum(p >= t & y == 0) / n * t / (1 - t)
  }, numeric(1))
  expect_equal(cv$decision$net_benefit, nb, tolerance = 1e-14)
  expect_equal(cv$decision$treat_all, mean(y) - (1 - mean(y)) * c(0.1, 0.3, 0.5, 0.7) / c(0.9, 0.7, 0.5, 0.3))
  expect_equal(cv$decision$treat_none, rep(0, 4))

  prev <- 0.1
  cv2 <- ev_cv(d$x, d$group, foldid = rep_len(1:5, 100), thresholds = c(0.05, 0.1, 0.2),
               prevalence = prev)
  q <- plogis(cv$pooled$link + qlogis(prev) - qlogis(mean(y)))
  nb2 <- vapply(c(0.05, 0.1, 0.2), function(t) {
    prev * mean(q[y == 1] >= t) - (1 - prev) * mean(q[y == 0] >= t) * t / (1 - t)
  }, numeric(1))
  expect_equal(cv2$decision$net_benefit, nb2, tolerance = 1e-14)
  expect_equal(cv2$decision$treat_all, prev - (1 - prev) * c(0.05, 0.1, 0.2) / c(0.95, 0.9, 0.8))
})

test_that("bad input gets classed errors naming the argument", {
  d <- sim_panel(40, 2, seed = 18)
  expect_error(ev_cv(d$x, d$group, foldid = rep(1:2, 19)), class = "evmirna_error_shape")
  expect_error(ev_cv(d$x, d$group, foldid = c(NA, rep(1:2, length.out = 39))),
               class = "evmirna_error_value")
  expect_error(ev_cv(d$x, d$group, foldid = rep(1L, 40)), class = "evmirna_error_value")
  expect_error(ev_cv(d$x, d$group, foldid = rep(c(0, 1), 20)), class = "evmirna_error_value")
  expect_error(ev_cv(d$x, d$group, foldid = letters[rep_len(1:2, 40)]), class = "evmirna_error_type")
  expect_error(ev_cv(d$x, d$group, n_folds = 41), class = "evmirna_error_value")
  expect_error(ev_cv(d$x, d$group, n_folds = 1), class = "evmirna_error_value")
  expect_error(ev_cv(d$x, rep("a", 40)), class = "evmirna_error_one_class")
  expect_error(ev_cv(d$x, d$group[-1]), class = "evmirna_error_shape")
  # a training part with a single case
  g <- factor(c(rep("control", 38), "case", "case"), levels = c("control", "case"))
  expect_error(ev_cv(d$x, g, foldid = c(rep(1:2, 19), 1, 1)), class = "evmirna_error_one_class")
  expect_error(ev_cv(d$x, d$group, screen = list(top = 0)), class = "evmirna_error_value")
  expect_error(ev_cv(d$x, d$group, screen = 3), class = "evmirna_error_type")
  expect_error(ev_cv(d$x, d$group, lambda = 0.1), class = "evmirna_error_value")
  expect_error(ev_cv(d$x, d$group, preprocess = identity), class = "evmirna_error_type")
  expect_error(ev_cv(d$x, d$group, prevalence = 1), class = "evmirna_error_value")
  expect_error(ev_cv(d$x, d$group, thresholds = c(0, 0.5)), class = "evmirna_error_value")
  expect_error(ev_cv(d$x, d$group, features = "nope"), class = "evmirna_error_unknown")
  expect_error(ev_cv(d$x, d$group, method = "svm"), class = "evmirna_error_value")
  x <- d$x
  x[3, 1] <- NA
  expect_error(ev_cv(x, d$group, n_folds = 4), class = "evmirna_error_value")
  bad <- function(s) s$values
  expect_error(ev_cv(serum_ev_qpcr, "group", n_folds = 3, features = "hsa-miR-214-3p",
                     preprocess = bad), class = "evmirna_error_type")
})

test_that("methods print, summarise, plot and convert", {
  d <- sim_panel(60, 3, seed = 19)
  set.seed(20)
  cv <- ev_cv(d$x, d$group, method = "elastic_net", n_folds = 3, inner_folds = 3)
  expect_output(print(cv), "out-of-fold AUC")
  expect_output(print(summary(cv)), "Selection stability")
  expect_s3_class(as.data.frame(cv, what = "decision"), "data.frame")
  pdf(NULL)
  on.exit(dev.off())
  for (type in c("roc", "calibration", "decision")) {
    expect_identical(plot(cv, what = type, n_boot = 20), cv)
  }
  expect_error(plot(cv, what = "nope"), class = "evmirna_error_value")
})

test_that("ev_fit attaches the training ROC and summary annotates the miRNAs", {
  set.seed(21)
  x <- matrix(rnorm(60 * 3), 60, 3,
              dimnames = list(NULL, c("hsa-miR-21-5p", "hsa-miR-214-3p", "V3")))
  group <- factor(ifelse(x[, 1] + rnorm(60) > 0, "osteoporosis", "control"))
  fit <- ev_fit(x, group)
  r <- ev_roc(group, fit$train$prob, direction = "<")
  expect_s3_class(fit$roc, "ev_roc")
  expect_identical(fit$roc$auc, r$auc)
  expect_identical(fit$roc$direction, "<")
  s <- summary(fit)
  ann <- suppressWarnings(ev_annotate(colnames(x), keep_unmatched = FALSE))
  expect_identical(is.na(s$table$curated),
                   !s$table$term %in% ann$input)
  expect_match(s$table$curated[s$table$term == "hsa-miR-214-3p"], "T2-04", fixed = TRUE)
  expect_true(is.na(s$table$curated[s$table$term == "V3"]))
  expect_output(print(s), "Curated bone-remodeling")
  expect_null(ev_fit(x, group, method = "elastic_net")$roc)
})

test_that("nested = FALSE tunes the penalty once on all samples and holds it fixed", {
  d <- sim_panel(60, 6, seed = 22)
  set.seed(23)
  cv <- ev_cv(d$x, d$group, method = "elastic_net", n_folds = 4, nested = FALSE, inner_folds = 3)
  expect_length(unique(cv$tuning$lambda), 1L)
  expect_equal(cv$tuning$lambda[1], cv$model$lambda)
  expect_false(cv$nested)
})

test_that("inner-CV tuning matches cv.glmnet on the same folds and lambda sequence", {
  need_reference("glmnet")
  d <- sim_panel(80, 10, seed = 24, signal = c(1, -1, 0.5))
  fid <- rep_len(1:4, 80)
  train <- list(x = d$x, group = d$group, y = d$y, covariates = NULL)
  for (tune in c("deviance", "auc")) {
    spec <- list(method = "elastic_net", inner_folds = 4, stratified = TRUE, tune = tune,
                 options = list(alpha = 0.5))
    ours <- evmirna:::tune_lambda(d$x, train, colnames(d$x), spec, fid = fid)
    ref <- glmnet::cv.glmnet(d$x, d$y, family = "binomial", alpha = 0.5, lambda = ours$path,
                             foldid = fid, type.measure = if (tune == "auc") "auc" else "deviance")
    k <- seq_along(ref$cvm)
    # AUC is a step function of the scores: near-ties may flip a pair.
    expect_equal(ours$criterion[k], ref$cvm, tolerance = if (tune == "auc") 1e-3 else 1e-5)
    expect_equal(ours$lambda, ref$lambda.min)
  }
})

test_that("screening keeps the top-k features by training-fold AUC", {
  d <- sim_panel(70, 8, seed = 25, signal = c(1, -1, 0.6, 0, 0.3))
  foldid <- rep_len(1:3, 70)
  cv <- ev_cv(d$x, d$group, foldid = foldid, screen = list(top = 3))
  for (k in 1:3) {
    tr <- foldid != k
    auc <- vapply(colnames(d$x), function(f) {
      ev_roc(d$group[tr], d$x[tr, f], direction = "<")$auc
    }, numeric(1))
    top <- names(sort(abs(auc - 0.5), decreasing = TRUE))[1:3]
    expect_setequal(cv$selection$feature[cv$selection$fold == k], top)
  }
})

test_that("an evset and the equivalent data.frame with covariates give the same CV", {
  x <- ev_normalize(serum_ev_qpcr[, 1:80], "global_mean")
  panel <- c("hsa-miR-214-3p", "hsa-miR-21-5p")
  d <- data.frame(id = colnames(x$values), t(x$values[panel, ]), check.names = FALSE)
  foldid <- rep_len(1:4, 80)
  a <- ev_cv(x, "group", features = panel, covariates = "age", foldid = foldid)
  b <- ev_cv(d, x$samples$group, covariates = data.frame(age = x$samples$age),
             foldid = foldid)
  expect_equal(a$pooled$link, b$pooled$link, tolerance = 1e-12)
  expect_identical(a$pooled$id, b$pooled$id)
  expect_false("age" %in% a$stability$feature)
})

test_that("leave-one-out CV pools single-sample folds", {
  d <- sim_panel(30, 2, seed = 26)
  cv <- ev_cv(d$x, d$group, foldid = 1:30)
  link <- vapply(1:30, function(i) {
    unname(predict(ev_fit(d$x[-i, ], d$group[-i]), d$x[i, , drop = FALSE], type = "link"))
  }, numeric(1))
  expect_identical(cv$pooled$link, link)
  expect_true(all(is.na(cv$fold_auc$auc)))
  expect_output(print(cv), "every test fold holds one class")
  expect_output(print(summary(cv)), "30 one-class folds")
})

test_that("ev_cv_lambda matches cv.glmnet (deviance) on the same folds", {
  need_reference("glmnet")
  cases <- list(list(n = 120, p = 300, seed = 31, alpha = 1),
                list(n = 150, p = 12, seed = 32, alpha = 0.5),
                list(n = 90, p = 40, seed = 33, alpha = 0.2))
  for (cs in cases) {
    d <- sim_panel(cs$n, cs$p, seed = cs$seed, signal = c(1, -1, 0.5))
    set.seed(cs$seed)
    fid <- sample(rep_len(1:5, cs$n))
    ours <- ev_cv_lambda(d$x, d$group, foldid = fid, alpha = cs$alpha)
    ref <- glmnet::cv.glmnet(d$x, d$y, family = "binomial", foldid = fid,
                             alpha = cs$alpha, type.measure = "deviance")
    expect_equal(ours$lambda, ref$lambda, tolerance = 1e-10)
    expect_equal(ours$cvm, ref$cvm, tolerance = 1e-6)
    expect_equal(ours$cvsd, ref$cvsd, tolerance = 1e-6)
    expect_equal(ours$lambda_min, ref$lambda.min)
    expect_equal(ours$lambda_1se, ref$lambda.1se)
    expect_equal(unname(ours$nzero), unname(ref$nzero))
  }
})

test_that("ev_cv_lambda on a given lambda sequence matches cv.glmnet", {
  need_reference("glmnet")
  d <- sim_panel(100, 30, seed = 34, signal = c(1.2, -1))
  fid <- rep_len(1:4, 100)
  lam <- exp(seq(log(0.2), log(0.002), length.out = 30))
  ours <- ev_cv_lambda(d$x, d$group, foldid = fid, lambda = lam)
  ref <- glmnet::cv.glmnet(d$x, d$y, family = "binomial", foldid = fid, lambda = lam)
  expect_equal(ours$lambda, lam)
  expect_equal(ours$cvm, ref$cvm, tolerance = 1e-6)
  expect_equal(ours$cvsd, ref$cvsd, tolerance = 1e-6)
  expect_equal(ours$lambda_min, ref$lambda.min)
  expect_equal(ours$lambda_1se, ref$lambda.1se)
})

test_that("ev_cv_lambda gives the same numbers with one or two threads", {
  d <- sim_panel(120, 200, seed = 35)
  fid <- rep_len(1:6, 120)
  with_threads <- function(k) {
    old <- options(evmirna.threads = k)
    on.exit(options(old))
    ev_cv_lambda(d$x, d$group, foldid = fid)
  }
  one <- with_threads(1L)
  two <- with_threads(2L)
  expect_identical(one$link, two$link)
  expect_identical(one$cvm, two$cvm)
  # the held-out predictions at lambda_min come from models that never saw the fold
  m <- ev_fit(d$x[fid != 2, ], d$group[fid != 2], method = "elastic_net")
  expect_equal(unname(one$link[fid == 2, 1]),
               unname(predict(m, d$x[fid == 2, ], s = one$lambda[1], type = "link")),
               tolerance = 1e-8)
  expect_length(predict(one$model, d$x, s = one$lambda_min), 120)
  expect_output(print(one), "lambda_min")
})

test_that("ev_cv_lambda refuses bad folds and arguments", {
  d <- sim_panel(40, 5, seed = 36)
  y <- c(rep(1, 3), rep(0, 37))
  fid <- c(1, 1, 1, rep_len(2:4, 37))
  expect_error(ev_cv_lambda(d$x, y, foldid = fid), class = "evmirna_error_one_class")
  expect_error(ev_cv_lambda(d$x, d$group, foldid = rep_len(c(1, 3), 40)),
               class = "evmirna_error_value")
  expect_error(ev_cv_lambda(d$x, d$group, lambda = 0.1), class = "evmirna_error_value")
  expect_error(ev_cv_lambda(d$x, d$group, n_folds = 1), class = "evmirna_error_value")
  expect_error(ev_cv_lambda(d$x, d$group, foldid = rep(1:2, 10)), class = "evmirna_error_shape")
})
