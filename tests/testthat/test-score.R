test_that("ev_freeze records cut-points whose sensitivity and specificity hold on the training predictions", {
  f <- score_fixture()
  cp <- f$frozen$recipe$cutpoints
  tr <- f$model$train
  pos <- tr$prob[tr$group == "osteoporosis"]
  neg <- tr$prob[tr$group == "control"]
  expect_equal(cp$name, c("youden", "rule_in"))
  expect_identical(cp$sensitivity, vapply(cp$threshold, function(t) mean(pos >= t), 0))
  expect_identical(cp$specificity, vapply(cp$threshold, function(t) mean(neg < t), 0))
  roc <- ev_roc(tr$group, tr$prob, direction = "<")
  expect_equal(cp$threshold[1], ev_coords(roc, "best")$threshold[1])
  expect_equal(cp$threshold[2], 0.8)
  expect_true(all(cp$sensitivity_lower <= cp$sensitivity & cp$sensitivity <= cp$sensitivity_upper))
  expect_true(all(cp$specificity_lower <= cp$specificity & cp$specificity <= cp$specificity_upper))
  # the Youden point maximizes se + sp over the observed thresholds
  youden <- vapply(sort(unique(tr$prob)), function(t) mean(pos >= t) + mean(neg < t), 0)
  expect_equal(cp$sensitivity[1] + cp$specificity[1], max(youden))
})

test_that("ev_freeze stores the training summary, ranges and version", {
  f <- score_fixture()
  r <- f$frozen$recipe
  v <- f$normalized$values[f$panel, ]
  expect_equal(r$panel$train_min, unname(apply(v, 1, min)))
  expect_equal(r$panel$train_max, unname(apply(v, 1, max)))
  expect_equal(r$panel$coefficient, unname(f$model$coefficients[f$panel]))
  expect_equal(r$training$n, c(87L, 88L))
  expect_identical(r$package_version, as.character(utils::packageVersion("evmirna")))
  expect_match(r$provenance, "SIMULATED")
  expect_false(any(vapply(r$steps, `[[`, "", "name") == "read_qpcr"))
  need_reference("pROC")
  auc <- pROC::auc(pROC::roc(f$model$train$group, f$model$train$prob,
                             direction = "<", quiet = TRUE))
  expect_equal(r$training$auc[1], as.numeric(auc), tolerance = 1e-12)
})

test_that("ev_freeze refuses models it cannot freeze", {
  f <- score_fixture()
  expect_error(ev_freeze(f$model, f$normalized), class = "evmirna_error_value")
  expect_error(ev_freeze(f$model, f$x[, 1:10]), class = "evmirna_error_unknown")
  expect_error(ev_freeze(list(), f$x), class = "evmirna_error_type")
  expect_error(ev_freeze(f$model, f$x, cutpoints = 1.5), class = "evmirna_error_value")
  expect_error(ev_freeze(f$model, f$x, cutpoints = "best"), class = "evmirna_error_value")
  # the wrong raw cohort does not reproduce the training predictions
  shifted <- f$x
  shifted$values["hsa-miR-214-3p", ] <- shifted$values["hsa-miR-214-3p", ] + 1
  expect_error(ev_freeze(f$model, shifted, qc = f$qc), class = "evmirna_error_value")
})

test_that("ev_score flags QC failures like ev_qc with the training reference and never scores them", {
  f <- score_fixture()
  s <- ev_score(f$frozen, f$new)
  ref <- ev_qc(f$new, reference = f$qc)
  expect_identical(s$status == "pass", ref$pass)
  hemo <- ref$hemolysis == "hemolysed"
  expect_true(any(hemo))
  expect_true(all(s$status[hemo] == "hemolysed"))
  expect_true(all(is.na(s$prob[!s$scored])))
  expect_true(all(is.na(s$link[!s$scored])))
  expect_true(all(is.na(s$risk_youden[!s$scored])))
  expect_match(s$reason[hemo], "hemolysis dCq", all = TRUE)
  expect_true(all(s$reason[s$scored] == ""))
})

test_that("scores equal the model's prediction on the frozen-processed data", {
  f <- score_fixture()
  s <- ev_score(f$frozen, f$new)
  processed <- ev_apply_steps(f$new[, s$scored], f$frozen$recipe$steps)
  expect_equal(s$prob[s$scored], unname(predict(f$model, processed)), tolerance = 1e-13)
  expect_identical(s$risk_youden[s$scored],
                   ifelse(s$prob[s$scored] >= f$frozen$recipe$cutpoints$threshold[1], "high", "low"))
  # contributions add up to the link around the training-mean profile
  d <- as.data.frame(s, values = TRUE, contributions = TRUE)
  p <- f$frozen$recipe$panel
  base <- f$model$intercept_link + sum(p$coefficient * p$train_mean)
  contrib <- as.matrix(d[paste0("contribution_", f$panel)])
  expect_equal(d$link[s$scored], unname(base + rowSums(contrib))[s$scored], tolerance = 1e-12)
  expect_equal(unname(as.matrix(d[paste0("value_", f$panel)])[s$scored, ]),
               unname(t(processed$values[f$panel, ])))
})

test_that("a patient's score is bit-for-bit the same alone and in any batch", {
  f <- score_fixture()
  batch <- ev_score(f$frozen, f$new)
  for (j in seq_len(ncol(f$new$values))) {
    alone <- ev_score(f$frozen, f$new[, j])
    expect_identical(alone$link, batch$link[j])
    expect_identical(alone$prob, batch$prob[j])
    expect_identical(alone$status, batch$status[j])
  }
  # a large shuffled batch: the new patients among many copies and training samples
  set.seed(3)
  big <- f$new$values[, rep(seq_len(ncol(f$new$values)), 100)]
  colnames(big) <- paste0("B", seq_len(ncol(big)))
  big <- cbind(big, f$new$values)
  reason <- f$new$missing_reason[, rep(seq_len(ncol(f$new$values)), 101)]
  order <- sample(ncol(big))
  bx <- evset(big[, order], missing_reason = reason[, order])
  bs <- ev_score(f$frozen, bx)
  hit <- match(colnames(f$new$values), bs$id)
  expect_identical(bs$link[hit], batch$link)
  expect_identical(bs$prob[hit], batch$prob)
  expect_identical(bs$status[hit], batch$status)
})

test_that("values outside the training range are flagged", {
  f <- score_fixture()
  new <- f$new
  new$values["hsa-miR-21-5p", "N001"] <- new$values["hsa-miR-21-5p", "N001"] - 6
  s <- ev_score(f$frozen, new)
  expect_true(s$out_of_range[1])
  expect_match(s$out_of_range_mirnas[1], "hsa-miR-21-5p")
  v <- attr(s, "values")[f$panel, ]
  v[, !s$scored] <- NA
  p <- f$frozen$recipe$panel
  inside <- colSums(v < p$train_min | v > p$train_max, na.rm = TRUE) == 0
  expect_identical(s$out_of_range, unname(!inside))
})

test_that("missing recipe miRNAs are an error unless a policy is chosen", {
  f <- score_fixture()
  short <- f$new[setdiff(rownames(f$new$values), "hsa-miR-21-5p"), ]
  expect_error(ev_score(f$frozen, short), "hsa-miR-21-5p", class = "evmirna_error_unknown")
  s <- ev_score(f$frozen, short, missing = "not_scored")
  expect_true(all(s$status == "missing_mirnas"))
  expect_true(all(!s$scored) && all(is.na(s$prob)))
  expect_match(s$reason[1], "hsa-miR-21-5p")
  extra <- evset(rbind(f$new$values, `hsa-miR-999-5p` = 30),
                 missing_reason = rbind(f$new$missing_reason, NA))
  expect_identical(ev_score(f$frozen, extra)$prob, ev_score(f$frozen, f$new)$prob)
  expect_error(ev_score(f$frozen, extra, extra = "error"), "hsa-miR-999-5p",
               class = "evmirna_error_unknown")
})

test_that("other QC failures and unprocessable samples get their status and reason", {
  f <- score_fixture()
  new <- f$new
  new$values["cel-miR-39-3p", "N002"] <- new$values["cel-miR-39-3p", "N002"] + 5
  many <- rownames(new$values)[1:12]
  new$values[many, "N003"] <- NA
  new$missing_reason[many, "N003"] <- "undetermined"
  new$values["hsa-miR-214-3p", "N004"] <- NA
  new$missing_reason["hsa-miR-214-3p", "N004"] <- "empty"
  s <- ev_score(f$frozen, new)
  expect_identical(s$status[2:4], c("spike_in_failure", "too_many_nondetects", "not_scorable"))
  dev <- new$values["cel-miR-39-3p", "N002"] -
    f$frozen$recipe$qc$frozen$spike_in_median[["cel-miR-39-3p"]]
  expect_match(s$reason[2], sprintf("spike-in %+.2f cycles", dev), fixed = TRUE)
  expect_match(s$reason[3], "12 of 40")
  expect_identical(s$reason[4], "panel miRNA(s) missing after processing: hsa-miR-214-3p (empty)")
  expect_true(all(is.na(s$prob[2:4])))
  ok <- setdiff(seq_len(nrow(s)), 2:4)
  expect_identical(s$prob[ok], ev_score(f$frozen, f$new)$prob[ok])
})

test_that("ev_score takes a patients x miRNAs matrix or data.frame", {
  f <- score_fixture()
  keep <- colSums(is.na(f$new$values)) == 0
  m <- t(f$new$values[, keep])
  s1 <- ev_score(f$frozen, f$new[, keep])
  expect_identical(ev_score(f$frozen, m)$prob, s1$prob)
  d <- data.frame(id = rownames(m), m, check.names = FALSE)
  expect_identical(ev_score(f$frozen, d)$prob, s1$prob)
  d$`hsa-miR-21-5p` <- as.character(d$`hsa-miR-21-5p`)
  expect_error(ev_score(f$frozen, d), class = "evmirna_error_type")
  expect_error(ev_score(f$model, m), class = "evmirna_error_type")
  expect_error(ev_score(f$frozen, f$normalized), class = "evmirna_error_value")
  expect_output(print(s1), "ev_scores")
})

test_that("the scoring QC kernel agrees with ev_qc on random cohorts with non-detects and outliers", {
  f <- score_fixture()
  set.seed(9)
  new <- f$new
  v <- new$values
  v <- v + matrix(rnorm(length(v), 0, 0.3), nrow(v))
  v[, 1:8] <- v[, 1:8] + rep(c(-4, -3, 3, 4, 5, -5, 2.5, 6), each = nrow(v))
  v <- pmin(pmax(v, 5), 50)
  holes <- sample(length(v), 60)
  v[holes] <- NA
  reason <- new$missing_reason
  reason[holes] <- sample(c("undetermined", "empty"), 60, replace = TRUE)
  reason[!is.na(v)] <- NA
  x <- evset(v, features = new$features, missing_reason = reason)
  s <- ev_score(f$frozen, x)
  ref <- ev_qc(x, reference = f$qc)
  expect_identical(s$status %in% c("hemolysed", "hemolysis_risk", "spike_in_failure",
                                   "global_mean_outlier"), !ref$pass)
  outlier_only <- ref$outlier & !ref$spike_in_flag & ref$hemolysis %in% "ok"
  expect_true(any(outlier_only))
  expect_true(all(s$status[outlier_only] == "global_mean_outlier"))
  z <- as.numeric(sub(".*robust z (-?[0-9.]+).*", "\\1", s$reason[outlier_only]))
  expect_equal(z, round(ref$global_mean_z[outlier_only], 2))
})

test_that("ev_apply_steps replays the recipe of a cohort read from a file", {
  f <- score_fixture()
  expect_identical(f$normalized$steps[[1]]$name, "read_qpcr")
  direct <- ev_apply_steps(f$new, f$normalized$steps)
  frozen <- ev_apply_steps(f$new, f$frozen$recipe$steps)
  expect_identical(direct$values, frozen$values)
})

test_that("a sample failing several checks gets the first as status and every reason in order", {
  f <- score_fixture()
  new <- f$new
  th <- f$frozen$recipe$qc$thresholds
  j <- "N005"
  new$values["hsa-miR-23a-3p", j] <- new$values["hsa-miR-451a", j] + th$hemolysis_cutoff + 1
  new$values["cel-miR-39-3p", j] <- new$values["cel-miR-39-3p", j] + 5
  many <- setdiff(rownames(new$values), c("hsa-miR-23a-3p", "hsa-miR-451a", "cel-miR-39-3p"))[1:12]
  new$values[many, j] <- NA
  new$missing_reason[many, j] <- "undetermined"
  s <- ev_score(f$frozen, new)
  k <- match(j, s$id)
  expect_identical(s$status[k], "hemolysed")
  parts <- strsplit(s$reason[k], "; ", fixed = TRUE)[[1L]]
  expect_length(parts, 3L)
  expect_match(parts[1L], "^hemolysis dCq")
  expect_match(parts[2L], "^spike-in [+-]")
  expect_match(parts[3L], "^12 of 40 recipe miRNAs not detected")
  # the other samples are untouched
  alone <- ev_score(f$frozen, f$new)
  expect_identical(s$status[-k], alone$status[-k])
  expect_identical(s$reason[-k], alone$reason[-k])
})

test_that("out-of-range names list every panel miRNA outside the training range, in panel order", {
  f <- score_fixture()
  new <- f$new
  new$values["hsa-miR-21-5p", 1:6] <- new$values["hsa-miR-21-5p", 1:6] - 6
  new$values["hsa-miR-214-3p", 4:9] <- new$values["hsa-miR-214-3p", 4:9] + 6
  s <- ev_score(f$frozen, new)
  p <- f$frozen$recipe$panel
  v <- attr(s, "values")[p$id, , drop = FALSE]
  expected <- vapply(seq_len(nrow(s)), function(i) {
    if (!s$scored[i]) return("")
    out <- !is.na(v[, i]) & (v[, i] < p$train_min | v[, i] > p$train_max)
    paste(p$id[out], collapse = ", ")
  }, character(1))
  expect_identical(s$out_of_range_mirnas, expected)
  expect_true(sum(grepl(", ", expected)) >= 3L)
})

test_that("a recipe with one Cq normalization is replayed with ev_apply_steps' numbers and errors", {
  set.seed(7)
  ids <- c("hsa-miR-16-5p", "hsa-miR-93-5p", "hsa-miR-21-5p", "hsa-miR-214-3p")
  cq <- matrix(rnorm(4 * 60, 28, 1), 4, 60, dimnames = list(ids, sprintf("S%02d", 1:60)))
  group <- rep(c("control", "case"), each = 30)
  cq[4, group == "case"] <- cq[4, group == "case"] - 1
  x <- evset(cq, samples = data.frame(id = colnames(cq), group = group))
  for (method in c("reference", "global_mean")) {
    n <- if (method == "reference") {
      ev_normalize(x, "reference", references = ids[1:2])
    } else {
      ev_normalize(x, "global_mean")
    }
    new <- x[c(4:1), 1:12]   # features in another order
    fast <- evmirna:::replay_values(new, n$steps)
    expect_identical(fast, ev_apply_steps(new, n$steps)$values)
    fit <- ev_fit(n, "group", features = ids[3:4])
    frozen <- ev_freeze(fit, x, n_boot = 50)
    expect_identical(ev_score(frozen, new)$link,
                     vapply(seq_len(12), function(j) ev_score(frozen, new[, j])$link, 0))
  }
  n <- ev_normalize(x, "reference", references = ids[1:2])
  broken <- x[, 1:5]
  broken$values["hsa-miR-16-5p", 2] <- NA
  broken$missing_reason["hsa-miR-16-5p", 2] <- "undetermined"
  e1 <- tryCatch(evmirna:::replay_values(broken, n$steps), error = function(e) e)
  e2 <- tryCatch(ev_apply_steps(broken, n$steps), error = function(e) e)
  expect_s3_class(e1, "evmirna_error_value")
  expect_identical(conditionMessage(e1), conditionMessage(e2))
  expect_identical(class(e1), class(e2))
})
