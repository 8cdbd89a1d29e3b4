# Invariants, weights, clusters, the matrix path, the joint test and the
# classed errors of the ROC verbs.

test_that("flipping the predictor and the direction leaves the AUC unchanged", {
  for (i in 1:60) {
    d <- roc_case(i)
    dir <- sample(c("<", ">"), 1)
    other <- if (dir == "<") ">" else "<"
    a <- ev_roc(d$y, d$x, direction = dir)
    b <- ev_roc(d$y, -d$x, direction = other)
    expect_equal(a$auc, b$auc, tolerance = 1e-14)
    expect_equal(a$sensitivities, b$sensitivities)
    expect_equal(a$auc + ev_roc(d$y, d$x, direction = other)$auc, 1, tolerance = 1e-14)
    # partial AUC too
    expect_equal(ev_auc(a, c(0.2, 0.9)), ev_auc(b, c(0.2, 0.9)), tolerance = 1e-14)
  }
})

test_that("AUC equals the Mann-Whitney statistic (wilcox.test)", {
  set.seed(3)
  y <- rbinom(300, 1, 0.3)
  x <- round(rnorm(300, y), 1)
  r <- ev_roc(y, x, direction = "<")
  w <- suppressWarnings(wilcox.test(x[y == 1], x[y == 0], exact = FALSE))$statistic
  expect_equal(r$auc, unname(w) / (sum(y) * sum(1 - y)), tolerance = 1e-14)
})

test_that("response types and levels give the same curve", {
  set.seed(4)
  y <- rbinom(80, 1, 0.5)
  x <- rnorm(80, y)
  r01 <- ev_roc(y, x)
  expect_equal(ev_roc(y == 1, x)$auc, r01$auc)
  expect_equal(ev_roc(ifelse(y == 1, "b", "a"), x)$auc, r01$auc)
  f <- factor(ifelse(y == 1, "dis", "ctl"), levels = c("ctl", "dis"))
  expect_equal(ev_roc(f, x)$auc, r01$auc)
  # reversed levels swap the roles of the classes
  rr <- ev_roc(f, x, levels = c("dis", "ctl"), direction = "<")
  expect_equal(rr$auc, 1 - ev_roc(f, x, direction = "<")$auc, tolerance = 1e-14)
  # three classes with explicit levels: the third is left out and counted
  g <- as.character(f)
  g[1:5] <- "other"
  r3 <- ev_roc(g, x, levels = c("ctl", "dis"))
  expect_equal(r3$n_outside, 5L)
  expect_equal(r3$auc, ev_roc(f[-(1:5)], x[-(1:5)], levels = c("ctl", "dis"))$auc)
})

test_that("NA pairs are dropped and counted; Inf is a legal value", {
  y <- c(0, 0, 1, 1, 0, 1, NA, 1)
  x <- c(0.1, 0.4, 0.35, 0.8, NA, Inf, 3, -Inf)
  r <- ev_roc(y, x, direction = "<")
  expect_equal(r$n_dropped, 2L)
  expect_equal(r$n_cases + r$n_controls, 6L)
  # AUC of the kept pairs by brute force
  xk <- x[!is.na(x) & !is.na(y)]
  yk <- y[!is.na(x) & !is.na(y)]
  cmp <- outer(xk[yk == 1], xk[yk == 0], function(a, b) (a > b) + 0.5 * (a == b))
  expect_equal(r$auc, mean(cmp))
  expect_output(print(r), "2 pair\\(s\\) with NA dropped")
  expect_output(print(r), "AUC")
})

test_that("unit weights equal no weights; integer weights equal replicated rows", {
  for (i in 1:40) {
    d <- roc_case(i)
    if (sum(d$y) < 2 || sum(1 - d$y) < 2) next
    r0 <- ev_roc(d$y, d$x)
    r1 <- ev_roc(d$y, d$x, weights = rep(1, length(d$y)))
    expect_equal(r1$auc, r0$auc)
    expect_equal(r1$sensitivities, r0$sensitivities)
    expect_equal(suppressWarnings(ev_ci_auc(r1)), suppressWarnings(ev_ci_auc(r0)),
                 ignore_attr = TRUE)
    w <- sample(1:3, length(d$y), replace = TRUE)
    rw <- ev_roc(d$y, d$x, weights = w)
    rep_idx <- rep(seq_along(w), w)
    rr <- ev_roc(d$y[rep_idx], d$x[rep_idx])
    expect_identical(rw$direction, rr$direction)
    expect_equal(rw$auc, rr$auc, tolerance = 1e-13)
    expect_equal(rw$thresholds, rr$thresholds)
    expect_equal(rw$sensitivities, rr$sensitivities, tolerance = 1e-13)
    expect_equal(rw$specificities, rr$specificities, tolerance = 1e-13)
    expect_equal(suppressWarnings(ev_auc(rw, c(0.5, 0.9), correct = TRUE)),
                 suppressWarnings(ev_auc(rr, c(0.5, 0.9), correct = TRUE)),
                 tolerance = 1e-13)
    expect_equal(unclass(suppressWarnings(ev_ci_auc(rw))),
                 unclass(suppressWarnings(ev_ci_auc(rr))), tolerance = 1e-12,
                 ignore_attr = TRUE)
    expect_equal(ev_coords(rw, "best"), ev_coords(rr, "best"), tolerance = 1e-13)
  }
})

test_that("clustered bootstrap resamples clusters and DeLong refuses clusters", {
  set.seed(8)
  patient <- rep(1:40, each = 3)
  y <- rep(rbinom(40, 1, 0.5), each = 3)
  x <- rnorm(120, y) + rep(rnorm(40), each = 3)
  r <- ev_roc(y, x, cluster = patient)
  expect_error(ev_ci_auc(r), class = "evmirna_error_value")
  set.seed(1)
  ci <- ev_ci_auc(r, "bootstrap", n_boot = 400)
  expect_true(ci[["lower"]] < r$auc && r$auc < ci[["upper"]])
  # with one observation per cluster the clustered bootstrap is the plain one
  r1 <- ev_roc(y, x, cluster = seq_along(y))
  r2 <- ev_roc(y, x)
  set.seed(2); a <- ev_ci_auc(r1, "bootstrap", n_boot = 50)
  set.seed(2); b <- ev_ci_auc(r2, "bootstrap", n_boot = 50, stratified = FALSE)
  expect_equal(attr(a, "replicates"), attr(b, "replicates"))
  # triplicated patients: the clustered interval is wider than the naive one
  set.seed(3); naive <- ev_ci_auc(r2, "bootstrap", n_boot = 400)
  expect_gt(ci[["upper"]] - ci[["lower"]], 1.2 * (naive[["upper"]] - naive[["lower"]]))
})

test_that("BCa interval brackets the estimate and differs from percentile", {
  set.seed(9)
  y <- rep(0:1, c(40, 25))
  x <- rnorm(65, 1.5 * y)
  r <- ev_roc(y, x)
  set.seed(1); p <- ev_ci_auc(r, "bootstrap", n_boot = 1000)
  set.seed(1); b <- ev_ci_auc(r, "bootstrap", n_boot = 1000, boot_ci = "bca")
  expect_identical(attr(p, "replicates"), attr(b, "replicates"))
  expect_true(b[["lower"]] < r$auc && r$auc < b[["upper"]])
  expect_false(isTRUE(all.equal(unname(p[c(1, 3)]), unname(b[c(1, 3)]))))
  # jackknife values from placements equal brute-force leave-one-out AUCs
  jk <- evmirna:::auc_jackknife(r)
  cases <- which(y == 1)
  expect_equal(jk[1:3], vapply(cases[1:3], function(i) ev_roc(y[-i], x[-i], direction = "<")$auc, 1))
})

test_that("Hanley-McNeil and DeLong agree closely on a large sample", {
  set.seed(10)
  y <- rep(0:1, each = 500)
  x <- rnorm(1000, y)
  r <- ev_roc(y, x)
  expect_equal(attr(ev_ci_auc(r, "hanley_mcneil"), "se"), attr(ev_ci_auc(r), "se"),
               tolerance = 0.05)
})

test_that("matrix predictor: one curve per column equal to separate fits", {
  set.seed(12)
  y <- rbinom(90, 1, 0.4)
  m <- cbind(a = rnorm(90, y), b = round(rnorm(90, -y)), c = rnorm(90))
  m[c(3, 7), "c"] <- NA
  rl <- ev_roc(y, m)
  expect_s3_class(rl, "ev_roc_list")
  for (j in colnames(m)) {
    single <- ev_roc(y, m[, j])
    expect_equal(rl[[j]]$auc, single$auc)
    expect_identical(rl[[j]]$direction, single$direction)
    expect_equal(rl[[j]]$thresholds, single$thresholds)
    expect_equal(rl[[j]]$n_dropped, single$n_dropped)
  }
  df <- ev_roc(y, as.data.frame(m))
  expect_equal(as.data.frame(df)$auc, as.data.frame(rl)$auc)
  expect_output(print(rl), "3 ROC curves")
  am <- evmirna:::roc_auc_matrix(y, m, vapply(rl, `[[`, "", "direction"))
  expect_equal(am$auc, unname(vapply(rl, `[[`, 1, "auc")))
  expect_equal(am$var[1], suppressWarnings(attr(ev_ci_auc(rl$a), "se"))^2)
})

test_that("joint DeLong test: k = 2 equals the squared paired Z; contrasts work", {
  set.seed(13)
  y <- rbinom(150, 1, 0.5)
  a <- rnorm(150, y)
  b <- a + rnorm(150)
  cc <- rnorm(150, 0.5 * y)
  rl <- ev_roc(y, cbind(a = a, b = b, c = cc), direction = "<")
  pair <- ev_roc_test(rl$a, rl$b)
  joint2 <- ev_roc_test(list(rl$a, rl$b))
  expect_equal(unname(joint2$statistic), unname(pair$statistic)^2, tolerance = 1e-12)
  expect_equal(joint2$p.value, pair$p.value, tolerance = 1e-10)
  j3 <- ev_roc_test(rl)
  expect_equal(unname(j3$parameter), 2)
  # a single-row contrast reproduces the paired test of a vs c
  jac <- ev_roc_test(rl, contrast = matrix(c(1, 0, -1), 1))
  expect_equal(unname(jac$statistic), unname(ev_roc_test(rl$a, rl$c)$statistic)^2,
               tolerance = 1e-12)
  # unpaired curves are refused
  expect_error(ev_roc_test(list(rl$a, ev_roc(y[-1], a[-1]))), class = "evmirna_error_value")
})

test_that("test of AUC = 0.5 uses the DeLong standard error", {
  set.seed(14)
  y <- rep(0:1, each = 30)
  x <- rnorm(60, 0.7 * y)
  r <- ev_roc(y, x)
  t <- ev_roc_test(r, alternative = "greater")
  se <- attr(ev_ci_auc(r), "se")
  expect_equal(unname(t$statistic), (r$auc - 0.5) / se)
  expect_equal(t$p.value, pnorm((r$auc - 0.5) / se, lower.tail = FALSE))
  expect_s3_class(t, "htest")
})

test_that("bad input gets classed errors naming the argument", {
  y <- c(0, 1, 0, 1)
  x <- c(1, 2, 3, 4)
  err <- function(expr, class, arg) {
    e <- tryCatch(expr, evmirna_error = function(e) e)
    expect_s3_class(e, class)
    expect_identical(e$arg, arg)
  }
  err(ev_roc(y, c("a", "b", "c", "d")), "evmirna_error_type", "predictor")
  err(ev_roc(list(1, 2, 3, 4), x), "evmirna_error_type", "response")
  err(ev_roc(rep(1, 4), x), "evmirna_error_one_class", "response")
  err(ev_roc(c(0, 1, NA, NA), c(1, NA, 3, 4)), "evmirna_error_one_class", "response")
  err(ev_roc(numeric(0), numeric(0)), "evmirna_error_empty", "response")
  err(ev_roc(y, x[1:3]), "evmirna_error_shape", "predictor")
  err(ev_roc(y, x, levels = c(0, 2)), "evmirna_error_unknown", "levels")
  err(ev_roc(y, x, levels = c(0, 0)), "evmirna_error_shape", "levels")
  err(ev_roc(c(0, 1, 2, 1), x), "evmirna_error_value", "levels")
  err(ev_roc(y, x, weights = c(1, -1, 1, 1)), "evmirna_error_value", "weights")
  err(ev_roc(y, x, weights = c(1, NA, 1, 1)), "evmirna_error_value", "weights")
  err(ev_roc(y, x, weights = 1:3), "evmirna_error_shape", "weights")
  err(ev_roc(y, x, cluster = c(1, NA, 2, 2)), "evmirna_error_value", "cluster")
  err(ev_roc(y, x, direction = "up"), "evmirna_error_value", "direction")
  r <- ev_roc(y, x)
  err(ev_ci_auc(r, conf_level = 1.2), "evmirna_error_value", "conf_level")
  err(ev_ci_auc(r, conf_level = 0), "evmirna_error_value", "conf_level")
  err(ev_ci_auc(r, "bootstrap", n_boot = 0), "evmirna_error_value", "n_boot")
  err(ev_auc(r, partial = c(0.8, 0.8)), "evmirna_error_value", "partial")
  err(ev_auc(r, partial = c(-0.1, 0.8)), "evmirna_error_value", "partial")
  err(ev_auc(r, partial = 0.8), "evmirna_error_shape", "partial")
  err(ev_ci_auc(r, partial = c(0.8, 1)), "evmirna_error_value", "method")
  err(ev_auc(list()), "evmirna_error_type", "roc")
  err(ev_coords(r, ret = "banana"), "evmirna_error_unknown", "ret")
  err(ev_coords(r, best_weights = c(1, 1)), "evmirna_error_value", "best_weights")
  err(ev_coords(r, 2, input = "specificity"), "evmirna_error_value", "x")
  err(ev_roc_test(r, ev_roc(c(0, 1, 1), c(1, 2, 3)), paired = TRUE),
      "evmirna_error_value", "paired")
  err(ev_roc(y, data.frame(a = letters[1:4])), "evmirna_error_type", "predictor")
})

test_that("unweighted fits equal unit-weight fits to the bit, large inputs included", {
  set.seed(77)
  for (n in c(300, 20000)) {
    y <- rbinom(n, 1, 0.4)
    xs <- list(continuous = rnorm(n, 0.5 * y), ties = round(rnorm(n, 0.5 * y), 1),
               clumped = c(rep(2, n %/% 2), rnorm(n - n %/% 2)),
               signed = sample(c(-0, 0, -Inf, Inf, 1.5, -2), n, replace = TRUE))
    for (nm in names(xs)) {
      for (dir in c("auto", "<", ">")) {
        x <- xs[[nm]]
        r <- ev_roc(y, x, direction = dir)
        w <- ev_roc(y, x, direction = dir, weights = rep(1, n))
        info <- paste(n, nm, dir)
        expect_identical(r$direction, w$direction, info = info)
        expect_identical(r$thresholds, w$thresholds, info = info)
        expect_identical(r$sensitivities, w$sensitivities, info = info)
        expect_identical(r$specificities, w$specificities, info = info)
        expect_identical(r$auc, w$auc, info = info)
        expect_identical(r$fit$values, w$fit$values, info = info)
        expect_identical(r$fit$placements_cases, w$fit$placements_cases, info = info)
        expect_identical(r$fit$placements_controls, w$fit$placements_controls, info = info)
        expect_identical(r$fit$delong_var, w$fit$delong_var, info = info)
        # the bootstrap's group of each observation: its rank among the
        # distinct values on the oriented scale
        z <- if (r$direction == "<") x else -x
        expect_identical(evmirna:::roc_fit_with_groups(r)$group,
                         match(z, sort(unique(z))) - 1L, info = info)
      }
    }
  }
})
