# ev_screen() against pROC (AUC, DeLong CI), wilcox.test and t.test, per
# feature, on random data with and without ties, small and large groups, NAs.

screen_reference <- function(x, g, direction = "<") {
  t(vapply(seq_len(ncol(x)), function(j) {
    ok <- !is.na(x[, j])
    v <- x[ok, j]
    gg <- g[ok]
    r <- pROC::roc(gg, v, levels = c("a", "b"), direction = direction, quiet = TRUE)
    ci <- as.numeric(pROC::ci.auc(r, method = "delong"))
    w <- suppressWarnings(stats::wilcox.test(v[gg == "b"], v[gg == "a"]))
    tt <- stats::t.test(v[gg == "b"], v[gg == "a"])
    c(auc = ci[2], lower = ci[1], upper = ci[3], w = unname(w$statistic),
      p_w = w$p.value, p_t = tt$p.value, t = unname(tt$statistic),
      df = unname(tt$parameter), mean_b = mean(v[gg == "b"]),
      median_a = stats::median(v[gg == "a"]), median_b = stats::median(v[gg == "b"]),
      n_a = sum(gg == "a"))
  }, numeric(12)))
}

random_screen_data <- function(n_a, n_b, p, ties = FALSE, na = 0) {
  x <- matrix(stats::rnorm((n_a + n_b) * p), n_a + n_b, p,
              dimnames = list(NULL, sprintf("hsa-miR-%d-5p", seq_len(p))))
  g <- rep(c("a", "b"), c(n_a, n_b))
  x[g == "b", ] <- x[g == "b", ] + stats::runif(p, -1, 1)[col(x[g == "b", , drop = FALSE])]
  if (ties) x <- round(x * 2) / 2
  if (na > 0) x[sample(length(x), na)] <- NA
  list(x = x, g = g)
}

expect_screen_matches <- function(d, direction = "<") {
  s <- ev_screen(d$x, d$g, direction = direction, positive = "b", annotate = FALSE)
  ref <- screen_reference(d$x, d$g, direction)
  expect_equal(s$auc, ref[, "auc"], tolerance = 1e-10)
  expect_equal(s$auc_lower, ref[, "lower"], tolerance = 1e-10)
  expect_equal(s$auc_upper, ref[, "upper"], tolerance = 1e-10)
  expect_equal(s$w, ref[, "w"], tolerance = 1e-10)
  expect_equal(s$p_wilcoxon, ref[, "p_w"], tolerance = 1e-10)
  expect_equal(s$p_t, ref[, "p_t"], tolerance = 1e-10)
  expect_equal(s$t, ref[, "t"], tolerance = 1e-10)
  expect_equal(s$df, ref[, "df"], tolerance = 1e-10)
  expect_equal(s$mean_case, ref[, "mean_b"], tolerance = 1e-12)
  expect_equal(s$median_control, ref[, "median_a"], tolerance = 1e-12)
  expect_equal(s$median_case, ref[, "median_b"], tolerance = 1e-12)
  expect_equal(s$n_control, as.integer(ref[, "n_a"]))
  expect_equal(s$p_wilcoxon_bh, stats::p.adjust(ref[, "p_w"], "BH"), tolerance = 1e-10)
  expect_equal(s$p_t_bonferroni, stats::p.adjust(ref[, "p_t"], "bonferroni"), tolerance = 1e-10)
}

test_that("small groups without ties: exact Wilcoxon, pROC AUC and DeLong CI", {
  need_reference("pROC")
  set.seed(11)
  expect_screen_matches(random_screen_data(7, 9, 12))
  expect_screen_matches(random_screen_data(12, 5, 12), direction = ">")
})

test_that("ties, NAs and large groups use the normal approximation as wilcox.test", {
  need_reference("pROC")
  set.seed(12)
  expect_screen_matches(random_screen_data(15, 18, 10, ties = TRUE))
  expect_screen_matches(random_screen_data(60, 75, 10, na = 40))
  expect_screen_matches(random_screen_data(49, 49, 6, na = 10))
  expect_screen_matches(random_screen_data(120, 90, 6, ties = TRUE, na = 30), direction = ">")
})

test_that("Cq evsets are screened as -Cq and annotation finds curated miRNAs", {
  set.seed(13)
  cq <- matrix(stats::rnorm(3 * 20, 30), 3, 20,
               dimnames = list(c("hsa-miR-214-3p", "hsa-miR-16-5p", "hsa-miR-21-5p"),
                               sprintf("s%02d", 1:20)))
  e <- evset(cq, samples = data.frame(id = colnames(cq), group = rep(c("c", "o"), 10)),
             scale = "cq")
  s <- ev_screen(e, "group")
  m <- ev_screen(t(-cq), rep(c("c", "o"), 10))
  expect_equal(s$auc, m$auc)
  expect_equal(s$log2_fc, m$log2_fc)
  expect_false(is.na(s$curated[s$feature == "hsa-miR-214-3p"]))
  expect_true(is.na(s$curated[s$feature == "hsa-miR-16-5p"]))
  expect_equal(as.data.frame(s)$feature, rownames(cq))
  expect_false(inherits(as.data.frame(s), "ev_screen"))
})

test_that("AUC(<) + AUC(>) = 1 and the fold change is the difference of means", {
  set.seed(14)
  d <- random_screen_data(10, 14, 8, na = 6)
  lt <- ev_screen(d$x, d$g, annotate = FALSE)
  gt <- ev_screen(d$x, d$g, direction = ">", annotate = FALSE)
  expect_equal(lt$auc + gt$auc, rep(1, 8), tolerance = 1e-14)
  expect_equal(lt$p_wilcoxon, gt$p_wilcoxon)
  expect_equal(lt$log2_fc, lt$mean_case - lt$mean_control)
  expect_invisible(plot(lt))
  expect_output(print(lt), "ev_screen")
})

test_that("a feature with too few values in a group gets NA tests, not an error", {
  x <- cbind(a = c(1, 2, 3, 4, 5, 6), b = c(1, NA, NA, 4, 5, 6))
  s <- ev_screen(x, c(0, 0, 0, 1, 1, 1), annotate = FALSE)
  expect_equal(s$n_control, c(3L, 1L))
  expect_true(is.na(s$p_t[2]))
  expect_true(is.na(s$auc_lower[2]))
  expect_false(is.na(s$auc[2]))
})

test_that("bad input gets classed errors", {
  x <- matrix(stats::rnorm(20), 10, 2, dimnames = list(NULL, c("m1", "m2")))
  expect_error(ev_screen(x, c(0, rep(1, 9))), class = "evmirna_error_value")
  expect_error(ev_screen(x, rep(1, 10)), class = "evmirna_error_one_class")
  expect_error(ev_screen(x, rep(0:1, 4)), class = "evmirna_error_shape")
  expect_error(ev_screen(x, rep(0:1, 5), features = "m9"), class = "evmirna_error_unknown")
  expect_error(ev_screen(x, rep(0:1, 5), direction = "auto"), class = "evmirna_error_value")
  expect_error(ev_screen(x, rep(0:1, 5), conf_level = 1), class = "evmirna_error_value")
  x[1, 1] <- Inf
  expect_error(ev_screen(x, rep(0:1, 5)), class = "evmirna_error_value")
  expect_error(ev_screen(letters, rep(0:1, 13)), class = "evmirna_error_type")
})

test_that("clumped values, huge ranges and -0 sort correctly (AUC equals pROC)", {
  need_reference("pROC")
  set.seed(15)
  n <- 300
  g <- rep(c("a", "b"), c(140, 160))
  x <- cbind(
    clumped = c(stats::rnorm(280, sd = 1e-9), stats::rnorm(20, sd = 1e6)),
    overflow = c(1e308, -1e308, stats::rnorm(n - 2)),
    zeros = sample(c(-0, 0, 1, -1, 2), n, replace = TRUE),
    tiny = stats::rnorm(n) * 1e-310,
    mixed = sample(c(stats::rnorm(n / 2), rep(3, n / 2)))
  )
  s <- ev_screen(x, g, positive = "b", annotate = FALSE)
  ref <- screen_reference(x, g)
  expect_equal(s$auc, ref[, "auc"], tolerance = 1e-10)
  expect_equal(s$auc_lower, ref[, "lower"], tolerance = 1e-10)
  expect_equal(s$p_wilcoxon, ref[, "p_w"], tolerance = 1e-10)
  expect_equal(s$median_case, ref[, "median_b"])
})

test_that("results do not depend on the number of threads", {
  set.seed(16)
  d <- random_screen_data(200, 150, 300, ties = TRUE, na = 500)
  old <- options(evmirna.threads = 1)
  on.exit(options(old))
  one <- ev_screen(d$x, d$g, annotate = FALSE)
  options(evmirna.threads = 2)
  two <- ev_screen(d$x, d$g, annotate = FALSE)
  expect_identical(one, two)
})
