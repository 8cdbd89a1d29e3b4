# The classifier speed targets, each measured against its reference in the
# same run:
#   1. full binomial elastic-net path, n = 500, p = 2600: ev_fit() no slower
#      than glmnet::glmnet()             (ratio <= 1)
#   2. 10-fold CV of that path: ev_cv_lambda() at least 3x faster than
#      glmnet::cv.glmnet() on the same folds   (ratio <= 1/3)
#   3. logistic regression, n = 500, p = 30: ev_fit() at least 2x faster
#      than stats::glm.fit()             (ratio <= 1/2)
# Times are medians of several runs (runs of the two sides interleaved, so
# that a burst of load on this shared machine hits both); millisecond fits
# are timed in batches. Peak memory is R's heap (gc() "max used", Ncells +
# Vcells, above what was in use before); glmnet's Fortran workspace and
# evmirna's C scratch (R_alloc is on R's heap, so it is counted) differ in
# what this sees.
suppressPackageStartupMessages({
  library(evmirna)
  library(glmnet)
})

bench_file <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1L])
source(file.path(dirname(bench_file), "lib", "utils.R"))  # peak_mb()

# Median elapsed seconds per evaluation of each expression; `batch`
# evaluations per timing, `runs` timings, the two sides alternating.
paired_times <- function(ours, ref, runs, batch = 1L, env = parent.frame()) {
  eval(ours, env); eval(ref, env)   # warm-up
  t <- matrix(NA_real_, runs, 2L)
  for (r in seq_len(runs)) {
    t[r, 1L] <- system.time(for (i in seq_len(batch)) eval(ours, env))[["elapsed"]] / batch
    t[r, 2L] <- system.time(for (i in seq_len(batch)) eval(ref, env))[["elapsed"]] / batch
  }
  c(ours = stats::median(t[, 1L]), ref = stats::median(t[, 2L]))
}

report <- function(label, times, ref_name, target, mem_ours, mem_ref) {
  ratio <- times[["ours"]] / times[["ref"]]
  cat(sprintf("%-36s evmirna %8.4f s | %-10s %8.4f s | ratio %5.2f (target <= %.2f: %s) | peak +MB %6.1f vs %6.1f\n",
              label, times[["ours"]], ref_name, times[["ref"]], ratio, target,
              if (ratio <= target) "met" else "NOT met", mem_ours, mem_ref))
}

sim <- function(n, p, seed) {
  set.seed(seed)
  x <- matrix(rnorm(n * p), n, p, dimnames = list(NULL, sprintf("miR-%d", seq_len(p))))
  y <- rbinom(n, 1, plogis(x[, 1] - x[, 2] + 0.5 * x[, 3]))
  list(x = x, y = y)
}

cat(sprintf("load average at start: %s; evmirna.threads = %d\n",
            paste(strsplit(readLines("/proc/loadavg", warn = FALSE), " ")[[1L]][1:3],
                  collapse = " "),
            as.integer(getOption("evmirna.threads", 2L))))

# 1. The full path.
d <- sim(500, 2600, 1)
t1 <- paired_times(quote(ev_fit(d$x, d$y, method = "elastic_net")),
                   quote(glmnet(d$x, d$y, family = "binomial")), runs = 9)
m1 <- peak_mb(fit <- ev_fit(d$x, d$y, method = "elastic_net"))
m1r <- peak_mb(g <- glmnet(d$x, d$y, family = "binomial"))
report(sprintf("1. path n = 500, p = 2600 (%d lambdas)", length(fit$path$lambda)),
       t1, "glmnet", 1, m1, m1r)
k <- min(length(g$lambda), length(fit$path$lambda))
cat(sprintf("   max |beta - glmnet beta| over the path: %.2e\n",
            max(abs(fit$path$beta[, 1:k] - as.matrix(g$beta)[, 1:k]))))

# 2. 10-fold CV of the path, same folds.
set.seed(2)
foldid <- sample(rep_len(1:10, 500))
t2 <- paired_times(quote(ev_cv_lambda(d$x, d$y, foldid = foldid)),
                   quote(cv.glmnet(d$x, d$y, family = "binomial", foldid = foldid)), runs = 5)
m2 <- peak_mb(cv <- ev_cv_lambda(d$x, d$y, foldid = foldid))
m2r <- peak_mb(ref <- cv.glmnet(d$x, d$y, family = "binomial", foldid = foldid))
report("2. 10-fold CV of the path", t2, "cv.glmnet", 1 / 3, m2, m2r)
cat(sprintf("   max |cvm - cv.glmnet cvm| %.2e, |cvsd diff| %.2e; lambda.min %s, lambda.1se %s\n",
            max(abs(cv$cvm - ref$cvm)), max(abs(cv$cvsd - ref$cvsd)),
            if (cv$lambda_min == ref$lambda.min) "equal" else "DIFFERENT",
            if (cv$lambda_1se == ref$lambda.1se) "equal" else "DIFFERENT"))

# 3. Logistic regression.
d3 <- sim(500, 30, 3)
X3 <- cbind(1, d3$x)
t3 <- paired_times(quote(ev_fit(d3$x, d3$y, method = "logistic")),
                   quote(glm.fit(X3, d3$y, family = binomial())), runs = 7, batch = 100)
m3 <- peak_mb(lr <- ev_fit(d3$x, d3$y, method = "logistic"))
m3r <- peak_mb(gl <- glm.fit(X3, d3$y, family = binomial()))
report("3. logistic n = 500, p = 30", t3, "glm.fit", 1 / 2, m3, m3r)
cat(sprintf("   max |coef - glm.fit coef| %.2e\n", max(abs(lr$coefficients - gl$coefficients))))
cat(sprintf("load average at end: %s\n",
            paste(strsplit(readLines("/proc/loadavg", warn = FALSE), " ")[[1L]][1:3], collapse = " ")))
