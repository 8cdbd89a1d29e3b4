# ev_screen() with an ordered k-class group: Jonckheere-Terpstra against
# clinfun, Kruskal-Wallis against kruskal.test, concordance and pairwise
# AUCs against ev_roc_multiclass().

# SIMULATED: bone-status classes and miRNAs, the first one rising with class
sim_ordered_screen <- function(seed, n = 60, p = 4, digits = NULL) {
  set.seed(seed)
  g <- factor(sample(c("normal", "osteopenia", "osteoporosis"), n, TRUE),
              levels = c("normal", "osteopenia", "osteoporosis"), ordered = TRUE)
  x <- matrix(stats::rnorm(n * p), n, p, dimnames = list(NULL, paste0("hsa-miR-", 1:p, "-5p")))
  x[, 1] <- x[, 1] + as.integer(g) * 0.5
  if (!is.null(digits)) x <- round(x, digits)
  list(g = g, x = x)
}

test_that("without ties the JT test equals clinfun (exact to n = 100, normal beyond)", {
  need_reference("clinfun")
  for (n in c(40, 100, 160)) {
    d <- sim_ordered_screen(n, n = n)
    s <- ev_screen(d$x, d$g, annotate = FALSE)
    for (j in seq_len(ncol(d$x))) {
      ref <- suppressWarnings(clinfun::jonckheere.test(d$x[, j], d$g))
      expect_equal(s$jt[j], unname(ref$statistic), tolerance = 1e-12)
      expect_equal(s$p_jt[j], ref$p.value, tolerance = 1e-9)
    }
  }
})

test_that("Kruskal-Wallis equals kruskal.test, with and without ties", {
  for (digits in list(NULL, 1)) {
    d <- sim_ordered_screen(3, digits = digits)
    s <- ev_screen(d$x, d$g, annotate = FALSE)
    for (j in seq_len(ncol(d$x))) {
      ref <- stats::kruskal.test(d$x[, j], d$g)
      expect_equal(s$kw[j], unname(ref$statistic), tolerance = 1e-12)
      expect_equal(s$p_kw[j], ref$p.value, tolerance = 1e-12)
    }
    expect_equal(s$p_kw_bh, stats::p.adjust(s$p_kw, "BH"))
    expect_equal(s$p_jt_bonferroni, stats::p.adjust(s$p_jt, "bonferroni"))
  }
})

test_that("with ties the JT variance is the permutation variance", {
  need_reference("clinfun")
  d <- sim_ordered_screen(5, n = 45, digits = 0)
  x <- d$x[, 1]
  n_c <- as.vector(table(d$g))
  v <- jt_null_var(n_c, as.vector(table(x)))
  # without ties it reduces to clinfun's variance sum
  untied <- sum(vapply(1:2, function(i) {
    na <- n_c[i]; nb <- sum(n_c[-(1:i)]); na * nb * (na + nb + 1) / 12
  }, numeric(1)))
  expect_equal(jt_null_var(n_c, rep(1, sum(n_c))), untied, tolerance = 1e-12)
  set.seed(8)
  perm <- replicate(4000, suppressWarnings(
    clinfun::jonckheere.test(sample(x), d$g)$statistic))
  expect_lt(abs(stats::var(perm) / v - 1), 0.06)
  # and the statistic itself still equals clinfun's under ties
  s <- ev_screen(d$x, d$g, annotate = FALSE)
  ref <- suppressWarnings(clinfun::jonckheere.test(x, d$g))
  expect_equal(s$jt[1], unname(ref$statistic), tolerance = 1e-12)
  z <- (s$jt[1] - (sum(n_c)^2 - sum(n_c^2)) / 4) / sqrt(v)
  expect_equal(s$p_jt[1], 2 * stats::pnorm(-abs(z)), tolerance = 1e-12)
})

test_that("concordance and pairwise AUCs are ev_roc_multiclass's", {
  d <- sim_ordered_screen(6, digits = 1)
  s <- ev_screen(d$x, d$g, annotate = FALSE)
  for (j in seq_len(ncol(d$x))) {
    m <- ev_roc_multiclass(d$g, d$x[, j], direction = "<", n_boot = 0)
    expect_equal(s$concordance[j], m$concordance, tolerance = 1e-14)
    expect_equal(unname(unlist(s[j, grep("^auc_", names(s))])), m$pairwise$auc,
                 tolerance = 1e-14)
  }
  expect_identical(grep("^auc_", names(s), value = TRUE),
                   c("auc_normal_vs_osteopenia", "auc_normal_vs_osteoporosis",
                     "auc_osteopenia_vs_osteoporosis"))
  expect_true(all(s$concordance_lower <= s$concordance & s$concordance <= s$concordance_upper))
})

test_that("the concordance SE is DeLong's for two classes and near the bootstrap SD", {
  set.seed(12)
  x <- round(stats::rnorm(50), 1); cls <- rep(1:2, c(22, 28)); x[cls == 2] <- x[cls == 2] + 0.6
  r <- ev_roc(cls, x, direction = "<")
  ci <- ev_ci_auc(r, method = "delong", conf_level = 0.95)
  jt <- r$auc * 22 * 28
  se <- screen_ordered_feature(x, cls, 2L, jt, 0.95)[5]
  expect_equal(unname(se), (ci[["upper"]] - ci[["lower"]]) / (2 * qnorm(0.975)),
               tolerance = 1e-10)
  # three classes: against the SD of a stratified bootstrap
  d <- sim_ordered_screen(13, n = 90)
  s <- ev_screen(d$x[, 1, drop = FALSE], d$g, annotate = FALSE)
  set.seed(2)
  m <- ev_roc_multiclass(d$g, d$x[, 1], direction = "<", n_boot = 2000)
  se3 <- (s$concordance_upper - s$concordance_lower) / (2 * qnorm(0.975))
  expect_lt(abs(stats::sd(m$replicates[, "concordance"]) / se3 - 1), 0.1)
})

test_that("an evset with a group column and the Cq scale screen the same way", {
  d <- sim_ordered_screen(9)
  cq <- 30 - t(d$x)
  ev <- evset(cq, samples = data.frame(id = paste0("s", seq_len(nrow(d$x))), bone = d$g),
              scale = "cq")
  s_ev <- ev_screen(ev, "bone", annotate = FALSE)
  s_mat <- ev_screen(d$x, d$g, annotate = FALSE)
  expect_equal(as.data.frame(s_ev)$p_jt, as.data.frame(s_mat)$p_jt, tolerance = 1e-12)
  expect_equal(s_ev$concordance, s_mat$concordance, tolerance = 1e-14)
  out <- paste(utils::capture.output(print(s_ev)), collapse = "\n")
  expect_match(out, "normal < osteopenia < osteoporosis", fixed = TRUE)
})

test_that("ordered-screen input errors are classed and name the argument", {
  d <- sim_ordered_screen(10)
  expect_ev_error(ev_screen(d$x, as.character(d$g)), "evmirna_error_value", "group")
  expect_ev_error(ev_screen(d$x, factor(as.character(d$g))), "evmirna_error_value", "group")
  g <- d$g
  g[g == "osteoporosis"][-1] <- "osteopenia"
  expect_ev_error(ev_screen(d$x, g), "evmirna_error_value", "group")
  g2 <- d$g
  g2[1] <- NA
  expect_ev_error(ev_screen(d$x, g2), "evmirna_error_value", "group")
  expect_ev_error(ev_screen(d$x, d$g[-1]), "evmirna_error_shape", "group")
  x <- d$x
  x[1, 2] <- Inf
  expect_ev_error(ev_screen(x, d$g), "evmirna_error_value", "x")
  # a two-class ordered factor keeps the two-class screen
  two <- factor(ifelse(d$g == "normal", "normal", "low"), levels = c("normal", "low"),
                ordered = TRUE)
  expect_s3_class(ev_screen(d$x, two, annotate = FALSE), "ev_screen")
})
