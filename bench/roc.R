# Benchmark of the ROC engine against pROC, measured in the same run:
#   1. roc + AUC + DeLong CI at n = 1e6           (target: >= 10x faster)
#   2. paired DeLong test at n = 1e6              (target: >= 10x faster):
#      roc.test() vs ev_roc_test() on curves already built; the whole
#      pipeline (two curves + test) is printed too, for information
#   3. stratified bootstrap CI, 2000 reps, n = 1e3 (target: >= 50x faster)
#   4. roc + AUC + DeLong CI at n = 1e7 within 2 GB (evmirna only)
# Peak memory: R's heap high-water mark from gc(reset = TRUE) / gc()
# ("max used", Ncells + Vcells, MB; C scratch from R_alloc is counted there)
# and, for the n = 1e7 step, the process's peak resident set (VmHWM).
# Timings are medians of a few runs; on a shared machine they are noisy.
# Run with `Rscript bench/roc.R` after installing evmirna.
suppressPackageStartupMessages({
  library(evmirna)
  library(pROC)
})

peak_rss_mb <- function() {
  s <- tryCatch(readLines("/proc/self/status"), error = function(e) character())
  hwm <- grep("^VmHWM:", s, value = TRUE)
  if (!length(hwm)) return(NA_real_)
  as.numeric(gsub("[^0-9]", "", hwm)) / 1024
}

# Median elapsed time of `reps` runs, and R heap peak (MB) during them.
measure <- function(expr_fun, reps = 3L) {
  gc(reset = TRUE)
  times <- vapply(seq_len(reps), function(i) system.time(expr_fun())[["elapsed"]], 0)
  g <- gc()
  list(time = stats::median(times), peak_mb = sum(g[, ncol(g)]))
}

report <- function(label, ref, ours, target = NA) {
  ratio <- ref$time / ours$time
  verdict <- if (is.na(target)) "(information)" else
    sprintf("(target >= %dx) %s", target, if (ratio >= target) "OK" else "BELOW TARGET")
  cat(sprintf(paste0("%-46s pROC %7.3f s (peak %6.1f MB) | evmirna %7.4f s (peak %6.1f MB)",
                     " | ratio %5.1fx %s\n"),
              label, ref$time, ref$peak_mb, ours$time, ours$peak_mb, ratio, verdict))
  invisible(ratio)
}

cat(sprintf("evmirna %s, pROC %s, %s\n", packageVersion("evmirna"),
            packageVersion("pROC"), R.version.string))
cat(sprintf("load average (1, 5, 15 min): %s\n",
            tryCatch(paste(strsplit(readLines("/proc/loadavg", n = 1L), " ")[[1L]][1:3],
                           collapse = ", "), error = function(e) "unknown")))

# 4 first, so VmHWM reflects the n = 1e7 step alone (plus R itself).
set.seed(42)
n7 <- 1e7
y7 <- rbinom(n7, 1, 0.3)
x7 <- rnorm(n7, y7)
big <- measure(function() {
  r <- ev_roc(y7, x7)
  ev_ci_auc(r)
}, reps = 1L)
cat(sprintf(paste0("%-44s evmirna %8.3f s, R heap peak %7.1f MB (incl. %.0f MB of input),",
                   " process peak RSS %7.1f MB: %s\n"),
            "roc + AUC + DeLong CI, n = 1e7", big$time, big$peak_mb,
            (object.size(x7) + object.size(y7)) / 2^20, peak_rss_mb(),
            if (peak_rss_mb() < 2048) "within 2 GB" else "ABOVE 2 GB"))
rm(y7, x7)
invisible(gc())

set.seed(1)
n6 <- 1e6
y6 <- rbinom(n6, 1, 0.4)
x6 <- rnorm(n6, 0.5 * y6)
x6b <- x6 + rnorm(n6)

ref <- measure(function() {
  r <- roc(y6, x6, quiet = TRUE)
  ci.auc(r)
}, reps = 2L)
ours <- measure(function() {
  r <- ev_roc(y6, x6)
  ev_ci_auc(r)
})
report("roc + AUC + DeLong CI, n = 1e6", ref, ours, 10L)

ref <- measure(function() {
  roc.test(roc(y6, x6, quiet = TRUE), roc(y6, x6b, quiet = TRUE), method = "delong")
}, reps = 2L)
ours <- measure(function() {
  ev_roc_test(ev_roc(y6, x6), ev_roc(y6, x6b), method = "delong")
})
report("2 curves + paired DeLong test, n = 1e6", ref, ours)

p1 <- roc(y6, x6, quiet = TRUE)
p2 <- roc(y6, x6b, quiet = TRUE)
e1 <- ev_roc(y6, x6)
e2 <- ev_roc(y6, x6b)
ref <- measure(function() roc.test(p1, p2, method = "delong"), reps = 2L)
ours <- measure(function() ev_roc_test(e1, e2, method = "delong"))
report("paired DeLong test (roc.test), n = 1e6", ref, ours, 10L)
rm(p1, p2, e1, e2)

set.seed(2)
y3 <- rbinom(1000, 1, 0.4)
x3 <- rnorm(1000, 0.8 * y3)
p3 <- roc(y3, x3, quiet = TRUE)
e3 <- ev_roc(y3, x3)
ref <- measure(function() ci.auc(p3, method = "bootstrap", boot.n = 2000), reps = 1L)
ours <- measure(function() ev_ci_auc(e3, method = "bootstrap", n_boot = 2000), reps = 5L)
report("stratified bootstrap CI, 2000 reps, n = 1e3", ref, ours, 50L)
