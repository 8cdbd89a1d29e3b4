# Benchmarks ev_fit() against its references in the same run: the elastic-net
# path against glmnet (full default path) and logistic regression against
# glm / glm.fit. Prints the mean time of each, the ratio, and peak R heap
# memory (gc() "max used"; memory malloc'ed outside R's heap, as glmnet's
# C++ workspace, is not counted).
suppressPackageStartupMessages({
  library(evmirna)
  library(glmnet)
})

# Mean elapsed time per evaluation over `reps` back-to-back runs (batching
# keeps millisecond fits above the clock's resolution).
median_time <- function(expr, reps, env = parent.frame()) {
  eval(expr, env)  # warm-up
  system.time(for (i in seq_len(reps)) eval(expr, env))[["elapsed"]] / reps
}

bench_file <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1L])
source(file.path(dirname(bench_file), "lib", "utils.R"))  # peak_mb()

bench_line <- function(label, ours, ref, ref_name, mem_ours, mem_ref) {
  cat(sprintf("%-34s ev_fit %8.4f s | %-8s %8.4f s | ratio %5.2f | peak +MB %6.1f vs %6.1f\n",
              label, ours, ref_name, ref, ours / ref, mem_ours, mem_ref))
}

sim <- function(n, p, seed) {
  set.seed(seed)
  x <- matrix(rnorm(n * p), n, p, dimnames = list(NULL, sprintf("miR-%d", seq_len(p))))
  y <- rbinom(n, 1, plogis(x[, 1] - x[, 2] + 0.5 * x[, 3]))
  list(x = x, y = y)
}

cat("== elastic-net binomial path (default lambda sequence) ==\n")
for (cfg in list(c(200, 40, 50), c(500, 2600, 3), c(1000, 2000, 3))) {
  d <- sim(cfg[1], cfg[2], 1)
  ours <- median_time(quote(ev_fit(d$x, d$y, method = "elastic_net")), cfg[3])
  ref <- median_time(quote(glmnet(d$x, d$y, family = "binomial")), cfg[3])
  m1 <- peak_mb(ev_fit(d$x, d$y, method = "elastic_net"))
  m2 <- peak_mb(glmnet(d$x, d$y, family = "binomial"))
  fit <- ev_fit(d$x, d$y, method = "elastic_net")
  g <- glmnet(d$x, d$y, family = "binomial")
  bench_line(sprintf("n = %d, p = %d (%d lambdas)", cfg[1], cfg[2], length(fit$path$lambda)),
             ours, ref, "glmnet", m1, m2)
  k <- min(length(g$lambda), length(fit$path$lambda))
  nz <- as.matrix(g$beta)[, 1:k] != 0
  cat(sprintf("   max relative coefficient difference vs glmnet: %.2e\n",
              max(abs(fit$path$beta[, 1:k][nz] - as.matrix(g$beta)[, 1:k][nz]) /
                    abs(as.matrix(g$beta)[, 1:k][nz]))))
}

cat("== logistic regression (IRLS) ==\n")
for (cfg in list(c(500, 30, 300), c(5000, 50, 10))) {
  d <- sim(cfg[1], cfg[2], 2)
  X <- cbind(1, d$x)
  ours <- median_time(quote(ev_fit(d$x, d$y, method = "logistic")), cfg[3])
  ref <- median_time(quote(glm.fit(X, d$y, family = binomial())), cfg[3])
  ref2 <- median_time(quote(glm(d$y ~ d$x, family = binomial())), cfg[3])
  m1 <- peak_mb(ev_fit(d$x, d$y, method = "logistic"))
  m2 <- peak_mb(glm.fit(X, d$y, family = binomial()))
  bench_line(sprintf("n = %d, p = %d", cfg[1], cfg[2]), ours, ref, "glm.fit", m1, m2)
  kernel <- median_time(quote(.Call(evmirna:::C_logistic_fit, X, as.double(d$y),
                                    rep(0, nrow(X)), 25L, 1e-8)), cfg[3])
  cat(sprintf("   vs glm(): %.4f s, ratio %.2f; C kernel alone %.4f s, ratio to glm.fit %.2f\n",
              ref2, ours / ref2, kernel, kernel / ref))
}
