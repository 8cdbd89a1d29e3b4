# The OpenMP kernels: more than one thread really runs where OpenMP and two
# cores exist, the caps are honoured, and results do not depend on the count.

screen_sim <- function(n = 120L, p = 300L) {
  set.seed(11)
  # SIMULATED: samples x features, half the samples cases
  x <- matrix(stats::rnorm(n * p), n, p)
  y <- rep(0:1, length.out = n)
  x[y == 1L, seq_len(min(20L, p))] <- x[y == 1L, seq_len(min(20L, p))] + 1
  list(x = x, y = y)
}

test_that("the screening region runs the threads the count helper grants", {
  d <- screen_sim()
  avail <- .Call(C_thread_count, 2L)
  res <- .Call(C_screen, d$x, d$y, 1L, FALSE, 2L)
  expect_identical(attr(res, "threads"), avail)
  if (avail >= 2L) expect_gt(attr(res, "threads"), 1L)
  one <- .Call(C_screen, d$x, d$y, 1L, FALSE, 1L)
  expect_identical(attr(one, "threads"), 1L)
  attr(res, "threads") <- attr(one, "threads") <- NULL
  expect_identical(res, one)
})

test_that("screening reads its columns by name", {
  d <- screen_sim(40L, 5L)
  res <- .Call(C_screen, d$x, d$y, 1L, FALSE, 1L)
  expect_true(all(c("auc", "auc_var", "p_wilcoxon", "n_infinite") %in% colnames(res)))
  auc <- vapply(1:5, function(j) {
    w <- stats::wilcox.test(d$x[d$y == 1L, j], d$x[d$y == 0L, j])$statistic
    unname(w) / (sum(d$y == 1L) * sum(d$y == 0L))
  }, numeric(1))
  expect_equal(unname(res[, "auc"]), auc, tolerance = 1e-12)
})

test_that("large screening inputs run outside the parallel region", {
  # n >= 4096 takes the allocating radix sort: one thread, same numbers
  set.seed(3)
  n <- 5000L
  x <- matrix(stats::rnorm(n * 3L), n, 3L)  # SIMULATED
  y <- rep(0:1, length.out = n)
  res <- .Call(C_screen, x, y, 1L, FALSE, 2L)
  expect_identical(attr(res, "threads"), 1L)
  r1 <- ev_roc(y, x[, 1], direction = "<")
  expect_equal(unname(res[1L, "auc"]), r1$auc, tolerance = 1e-12)
})

test_that("the thread count helper honours the request and OMP_THREAD_LIMIT", {
  expect_identical(.Call(C_thread_count, 1L), 1L)
  expect_lte(.Call(C_thread_count, 64L), max(1L, parallel::detectCores()))
  lib <- dirname(system.file(package = "evmirna"))
  skip_if(!nzchar(lib) || !file.exists(file.path(lib, "evmirna", "libs")),
          "evmirna is not installed for child processes")
  code <- "cat(.Call(evmirna:::C_thread_count, 8L))"
  out <- system2(file.path(R.home("bin"), "Rscript"), c("-e", shQuote(code)),
                 stdout = TRUE, env = c("R_TESTS=", paste0("R_LIBS=", paste(c(lib, .libPaths()), collapse = ":")), "OMP_THREAD_LIMIT=1"))
  expect_identical(out, "1")
  out <- system2(file.path(R.home("bin"), "Rscript"), c("-e", shQuote(code)),
                 stdout = TRUE, env = c("R_TESTS=", paste0("R_LIBS=", paste(c(lib, .libPaths()), collapse = ":")), "OMP_NUM_THREADS=1"))
  expect_identical(out, "1")
})
