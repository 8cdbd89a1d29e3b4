# Direct transcriptions of the published definitions, for the cross-checks.
genorm_definition <- function(l) {
  active <- rownames(l)
  excluded <- character()
  steps <- list()
  repeat {
    m <- vapply(active, function(j) mean(vapply(setdiff(active, j),
      function(k) stats::sd(l[j, ] - l[k, ]), 1)), 1)
    steps[[length(steps) + 1L]] <- m
    if (length(active) == 2L) break
    worst <- names(which.max(m))
    excluded <- c(excluded, worst)
    active <- setdiff(active, worst)
  }
  ranking <- c(active, rev(excluded))
  k <- nrow(l)
  v <- if (k > 2) vapply(2:(k - 1), function(n) stats::sd(
    colMeans(l[ranking[1:n], , drop = FALSE]) -
      colMeans(l[ranking[1:(n + 1)], , drop = FALSE])), 1) else numeric(0)
  list(steps = steps, ranking = ranking, v = v)
}

normfinder_definition <- function(y, g) {
  k <- nrow(y)
  lev <- sort(unique(g))
  n_g <- as.vector(table(factor(g, lev)))
  sig <- sapply(lev, function(gg) {
    s <- y[, g == gg, drop = FALSE]
    r <- s - rowMeans(s) - rep(colMeans(s), each = k) + mean(s)
    s2 <- rowSums(r^2) / ((ncol(s) - 1) * (1 - 2 / k))
    pmax(s2 - sum(s2) / (k * (k - 1)), 0)
  })
  sig <- matrix(sig, k)
  gm <- matrix(sapply(lev, function(gg) rowMeans(y[, g == gg, drop = FALSE])), k)
  d <- gm - rowMeans(gm) - rep(colMeans(gm), each = k) + mean(gm)
  G <- length(lev)
  if (G == 1) return(list(stab = sqrt(sig[, 1]), sig = sig, d = d, gamma = 0))
  v <- sweep(sig, 2, n_g, "/")
  gamma <- max(sum(d^2) / ((G - 1) * (k - 1)) - sum(v) / (k * G), 0)
  stab <- rowMeans(abs(d * gamma / (gamma + v)) + sqrt(v + gamma * v / (gamma + v)))
  pair <- matrix(NA, k, k)
  for (a in 1:(k - 1)) for (b in (a + 1):k) {
    rho <- abs(gamma * d[a, ] / (gamma + v[a, ]) + gamma * d[b, ] / (gamma + v[b, ])) *
      sqrt(k / (k - 2)) / 2 +
      sqrt(v[a, ] + gamma * sig[a, ] / (n_g * gamma + sig[a, ]) +
             v[b, ] + gamma * sig[b, ] / (n_g * gamma + sig[b, ])) / 2
    pair[a, b] <- pair[b, a] <- mean(rho)
  }
  list(stab = stab, sig = sig, d = d, gamma = gamma, pair = pair)
}

stability_data <- function(k = 8, n = 30, seed = 1) {
  set.seed(seed)
  base <- rnorm(n, 26, 1.5)
  grp <- rep(c("control", "case"), length.out = n)
  shift <- outer(rnorm(k, 0, 0.4), grp == "case")
  cq <- runif(k, -4, 4) + rep(base, each = k) + shift +
    matrix(rnorm(k * n, 0, rep(runif(k, 0.05, 0.9), n)), k)
  dimnames(cq) <- list(sprintf("hsa-miR-%d-5p", 1:k), sprintf("S%02d", 1:n))
  list(cq = cq, group = grp)
}

test_that("geNorm M, exclusion order and V match Vandesompele's definitions", {
  for (seed in 1:3) {
    d <- stability_data(seed = seed)
    s <- ev_reference_stability(evset(d$cq), rownames(d$cq), "genorm",
                                efficiency = 1.95)
    l <- -d$cq * log2(1.95)
    ref <- genorm_definition(l)
    expect_equal(s$table$candidate, ref$ranking)
    for (i in seq_along(ref$steps)) {
      m <- s$m_steps[names(ref$steps[[i]]), i]
      expect_lte(max(abs(m - ref$steps[[i]])), 1e-12)
      expect_equal(sum(!is.na(s$m_steps[, i])), length(ref$steps[[i]]))
    }
    expect_lte(max(abs(unname(s$v) - ref$v)), 1e-12)
    first <- which(ref$v < 0.15)
    expect_identical(s$n_suggested, if (length(first)) first[1] + 1L else NA_integer_)
  }
})

test_that("geNorm on a constructed case: proportional genes have M = 0", {
  base <- c(24, 25.5, 23, 26, 24.7)
  cq <- rbind(a = base, b = base + 1, c = base + c(0, 1, 0, 1, 0))
  rownames(cq) <- c("hsa-miR-16-5p", "hsa-miR-93-5p", "hsa-miR-21-5p")
  s <- ev_reference_stability(evset(cq), rownames(cq))
  expect_setequal(s$table$candidate[1:2], c("hsa-miR-16-5p", "hsa-miR-93-5p"))
  expect_equal(s$m_steps["hsa-miR-16-5p", 2], 0)
  sd_c <- stats::sd(c(0, 1, 0, 1, 0))
  expect_equal(s$m_steps["hsa-miR-21-5p", 1], sd_c)
  expect_equal(unname(s$v), stats::sd(c(0, 1, 0, 1, 0) / 3))
})

test_that("NormFinder matches Andersen's definitions with and without groups", {
  for (seed in 1:3) {
    d <- stability_data(seed = seed)
    s <- ev_reference_stability(evset(d$cq), rownames(d$cq), "normfinder",
                                group = d$group)
    y <- -d$cq
    ref <- normfinder_definition(y, d$group)
    stab <- setNames(s$table$stability, s$table$candidate)[rownames(y)]
    expect_lte(max(abs(stab - ref$stab)), 1e-12)
    expect_lte(max(abs(s$gamma - ref$gamma)), 1e-12)
    expect_lte(max(abs(s$pair_stability - ref$pair), na.rm = TRUE), 1e-12)
    best <- which(ref$pair == min(ref$pair, na.rm = TRUE), arr.ind = TRUE)[1, ]
    expect_setequal(s$best_pair, rownames(y)[best])
    s1 <- ev_reference_stability(evset(d$cq), rownames(d$cq), "normfinder")
    ref1 <- normfinder_definition(y, rep(1, ncol(y)))
    stab1 <- setNames(s1$table$stability, s1$table$candidate)[rownames(y)]
    expect_lte(max(abs(stab1 - ref1$stab)), 1e-12)
  }
  # group given as a samples column
  d <- stability_data()
  x <- evset(d$cq, samples = data.frame(id = colnames(d$cq), group = d$group))
  a <- ev_reference_stability(x, rownames(d$cq), "normfinder", group = "group")
  b <- ev_reference_stability(x, rownames(d$cq), "normfinder", group = d$group)
  expect_identical(a$table, b$table)
})

test_that("NormFinder clips negative variance estimates at zero", {
  base <- rnorm(10, 25)
  set.seed(8)
  cq <- rbind(base, base + 1, base + 2, base + rnorm(10, 0, 2))
  rownames(cq) <- sprintf("hsa-miR-%d-5p", 1:4)
  s <- ev_reference_stability(evset(cq), rownames(cq), "normfinder")
  expect_true(all(s$sigma2 >= 0))
  expect_true(any(s$sigma2 == 0))
})

test_that("BestKeeper follows Pfaffl 2004", {
  d <- stability_data(k = 5)
  s <- ev_reference_stability(evset(d$cq), rownames(d$cq), "bestkeeper")
  idx <- apply(d$cq, 2, function(v) prod(v)^(1 / length(v)))
  expect_equal(unname(s$index), unname(idx), tolerance = 1e-12)
  row <- s$table[s$table$candidate == "hsa-miR-3-5p", ]
  v <- d$cq["hsa-miR-3-5p", ]
  expect_equal(row$sd, mean(abs(v - mean(v))), tolerance = 1e-12)
  expect_equal(row$cv, 100 * mean(abs(v - mean(v))) / mean(v), tolerance = 1e-12)
  expect_equal(row$r, cor(v, idx), tolerance = 1e-12)
  expect_equal(row$geo_mean_cq, exp(mean(log(v))), tolerance = 1e-12)
  expect_true(!is.unsorted(s$table$sd))
})

test_that("stability input errors are classed", {
  d <- stability_data(k = 4)
  cq <- d$cq
  cq[2, 3] <- NA
  e <- expect_error(ev_reference_stability(evset(cq), rownames(cq)),
                    class = "evmirna_error_value")
  expect_match(conditionMessage(e), "S03")
  expect_error(ev_reference_stability(evset(d$cq), rownames(d$cq)[1]),
               class = "evmirna_error_shape")
  expect_error(ev_reference_stability(evset(d$cq), rownames(d$cq)[1:2], "normfinder"),
               class = "evmirna_error_shape")
  expect_error(ev_reference_stability(evset(d$cq), c("hsa-miR-1-5p", "nope")),
               class = "evmirna_error_unknown")
  expect_error(ev_reference_stability(evset(d$cq[, 1, drop = FALSE]), rownames(d$cq)),
               class = "evmirna_error_shape")
  expect_error(ev_reference_stability(evset(d$cq), rownames(d$cq), "normfinder",
                                      group = c("a", rep("b", 29))),
               class = "evmirna_error_value")
  expect_error(ev_reference_stability(evset(round(d$cq), scale = "counts")),
               class = "evmirna_error_value")
})

test_that("print and plot methods run", {
  d <- stability_data(k = 5)
  for (m in c("genorm", "normfinder", "bestkeeper")) {
    s <- ev_reference_stability(evset(d$cq), rownames(d$cq), m, group = NULL)
    expect_output(print(s), m)
    pdf(NULL)
    expect_identical(plot(s), s)
    dev.off()
  }
})
