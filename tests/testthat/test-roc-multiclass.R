# ev_roc_multiclass(): Hand & Till against pROC::multiclass.roc, pairwise
# AUCs against ev_roc, concordance against a brute-force pair count.

# SIMULATED: three ordered bone-status classes, a miRNA rising with class,
# rounded so that ties occur.
sim_three_class <- function(seed, n = c(30, 25, 20), shift = 0.5) {
  set.seed(seed)
  status <- factor(rep(c("normal", "osteopenia", "osteoporosis"), n),
                   levels = c("normal", "osteopenia", "osteoporosis"), ordered = TRUE)
  list(status = status, mir = round(stats::rnorm(sum(n), as.integer(status) * shift), 1))
}

# P(higher class scores higher) + 1/2 P(tie), over all pairs of patients
brute_concordance <- function(cls, x) {
  num <- 0; den <- 0
  for (i in seq_along(x)) for (j in seq_along(x)) {
    if (cls[j] > cls[i]) {
      den <- den + 1
      num <- num + (x[j] > x[i]) + 0.5 * (x[j] == x[i])
    }
  }
  num / den
}

test_that("the multi-class AUC equals pROC::multiclass.roc", {
  need_reference("pROC")
  for (seed in 1:6) {
    d <- sim_three_class(seed, n = c(12, 9, 15) + seed, shift = c(0.5, -0.3, 0)[seed %% 3 + 1])
    for (direction in c("auto", "<", ">")) {
      ref <- pROC::multiclass.roc(d$status, d$mir, direction = direction, quiet = TRUE)
      got <- ev_roc_multiclass(d$status, d$mir, direction = direction, n_boot = 0)
      expect_equal(got$auc, as.numeric(ref$auc), tolerance = 1e-12)
      ref_pairs <- vapply(ref$rocs, function(r) as.numeric(pROC::auc(r)), numeric(1))
      expect_equal(got$pairwise$auc, ref_pairs, tolerance = 1e-12)
    }
  }
  # four unordered classes, character response
  set.seed(9)
  g <- sample(c("a", "b", "c", "d"), 80, replace = TRUE)
  x <- stats::rnorm(80, mean = match(g, c("c", "a", "d", "b")))
  ref <- pROC::multiclass.roc(g, x, quiet = TRUE)
  got <- ev_roc_multiclass(g, x, ordinal = FALSE, n_boot = 0)
  expect_equal(got$auc, as.numeric(ref$auc), tolerance = 1e-12)
  expect_identical(nrow(got$pairwise), 6L)
  expect_true(is.na(got$concordance))
})

test_that("each pairwise AUC is ev_roc's on that pair of classes", {
  d <- sim_three_class(4)
  got <- ev_roc_multiclass(d$status, d$mir, n_boot = 0)
  for (i in seq_len(nrow(got$pairwise))) {
    pw <- got$pairwise[i, ]
    r <- ev_roc(as.character(d$status), d$mir, levels = c(pw$control, pw$case))
    expect_equal(pw$auc, r$auc, tolerance = 1e-14)
    expect_identical(pw$direction, r$direction)
  }
})

test_that("the ordinal concordance counts pairs of patients, ties one half", {
  for (seed in 1:3) {
    d <- sim_three_class(seed, n = c(15, 12, 10))
    got <- ev_roc_multiclass(d$status, d$mir, n_boot = 0)
    expect_equal(got$concordance, brute_concordance(as.integer(d$status), d$mir),
                 tolerance = 1e-14)
    # a falling marker: concordance below 0.5 while the auto pairwise AUCs flip
    flip <- ev_roc_multiclass(d$status, -d$mir, n_boot = 0)
    expect_equal(flip$concordance, 1 - got$concordance, tolerance = 1e-14)
  }
})

test_that("with two classes the concordance is the AUC", {
  set.seed(5)
  y <- factor(rep(c("control", "case"), c(20, 25)), levels = c("control", "case"),
              ordered = TRUE)
  x <- round(stats::rnorm(45, mean = (y == "case") * 0.7), 1)
  got <- ev_roc_multiclass(y, x, n_boot = 0)
  r <- ev_roc(factor(y, ordered = FALSE), x, direction = "<")
  expect_equal(got$concordance, ev_auc(r), tolerance = 1e-14)
  expect_equal(got$auc, ev_auc(ev_roc(factor(y, ordered = FALSE), x)), tolerance = 1e-14)
})

test_that("the bootstrap CI is reproducible under set.seed and covers the estimate", {
  d <- sim_three_class(7)
  set.seed(42)
  a <- ev_roc_multiclass(d$status, d$mir, n_boot = 300)
  set.seed(42)
  b <- ev_roc_multiclass(d$status, d$mir, n_boot = 300)
  expect_identical(a$auc_ci, b$auc_ci)
  expect_identical(a$replicates, b$replicates)
  expect_true(a$auc_ci[1] < a$auc && a$auc < a$auc_ci[2])
  expect_true(a$concordance_ci[1] < a$concordance && a$concordance < a$concordance_ci[2])
  expect_true(all(a$pairwise$lower <= a$pairwise$auc & a$pairwise$auc <= a$pairwise$upper))
  expect_identical(dim(a$replicates), c(300L, 2L))
  # stratified resampling: a replicate of a constant-shift predictor
  # (perfect separation) is always 1
  sep <- ev_roc_multiclass(d$status, as.integer(d$status) * 10, n_boot = 50)
  expect_identical(unique(sep$replicates[, "auc"]), 1)
})

test_that("print names the classes and the numbers", {
  d <- sim_three_class(2)
  m <- ev_roc_multiclass(d$status, d$mir, n_boot = 0)
  out <- paste(utils::capture.output(print(m)), collapse = "\n")
  expect_match(out, "normal (n = 30) < osteopenia (n = 25) < osteoporosis (n = 20)", fixed = TRUE)
  expect_match(out, format(round(m$auc, 4)), fixed = TRUE)
  expect_identical(as.data.frame(m), m$pairwise)
})

test_that("bad multi-class input gets classed errors naming the argument", {
  d <- sim_three_class(1)
  tiny <- d$status
  tiny[d$status == "osteoporosis"][-1] <- NA
  expect_ev_error(ev_roc_multiclass(tiny, d$mir), "evmirna_error_value", "response")
  expect_ev_error(ev_roc_multiclass(factor(as.character(d$status)), d$mir, ordinal = TRUE),
                  "evmirna_error_value", "response")
  expect_ev_error(ev_roc_multiclass(as.character(d$status), d$mir, ordinal = TRUE),
                  "evmirna_error_value", "response")
  expect_ev_error(ev_roc_multiclass(d$status, as.character(d$mir)), "evmirna_error_type",
                  "predictor")
  expect_ev_error(ev_roc_multiclass(d$status, d$mir[-1]), "evmirna_error_shape", "predictor")
  expect_ev_error(ev_roc_multiclass(d$status, d$mir, levels = c("normal", "severe")),
                  "evmirna_error_unknown", "levels")
  expect_ev_error(ev_roc_multiclass(rep("a", 10), 1:10, ordinal = FALSE),
                  "evmirna_error_one_class", "response")
  expect_ev_error(ev_roc_multiclass(d$status, d$mir, n_boot = -1), "evmirna_error_value",
                  "n_boot")
  expect_ev_error(ev_roc_multiclass(d$status, d$mir, conf_level = 2), "evmirna_error_value",
                  "conf_level")
  # explicit levels give the order of an unordered response
  ok <- ev_roc_multiclass(as.character(d$status), d$mir, n_boot = 0,
                          levels = c("normal", "osteopenia", "osteoporosis"))
  expect_equal(ok$concordance, ev_roc_multiclass(d$status, d$mir, n_boot = 0)$concordance)
})
