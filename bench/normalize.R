# Normalization and reference-stability timings against the reference
# implementations, measured in the same run, with peak memory.
# Run after installing the package: Rscript bench/normalize.R
suppressPackageStartupMessages(library(evmirna))

best_of <- function(expr_fun, reps = 5L) {
  t <- vapply(seq_len(reps), function(i) {
    gc()
    system.time(expr_fun())[["elapsed"]]
  }, numeric(1))
  min(t)
}

bench_file <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1L])
source(file.path(dirname(bench_file), "lib", "utils.R"))  # peak_mb()

report <- function(label, ref_name, ref_t, ours_t, peak, input_mb, target) {
  cat(sprintf("%-34s %-26s %8.4f s | evmirna %8.4f s | ratio %6.1fx (target %s) | peak %6.1f Mb = %.2fx input\n",
              label, ref_name, ref_t, ours_t, ref_t / ours_t, target, peak,
              peak / input_mb))
}

set.seed(1)
n_feat <- 2600L
n_samp <- 1000L

# quantile normalization, 2600 x 1000
q <- matrix(rnorm(n_feat * n_samp, 30, 3), n_feat, n_samp,
            dimnames = list(sprintf("hsa-miR-%d-5p", seq_len(n_feat)),
                            sprintf("S%04d", seq_len(n_samp))))
xq <- evset(q)
input_mb <- object.size(q) / 2^20
if (requireNamespace("preprocessCore", quietly = TRUE)) {
  ref_t <- best_of(function() preprocessCore::normalize.quantiles(q))
} else ref_t <- NA_real_
ours_t <- best_of(function() ev_normalize(xq, "quantile"))
peak <- peak_mb(function() ev_normalize(xq, "quantile"))
report("quantile 2600 x 1000", "preprocessCore", ref_t, ours_t, peak,
       input_mb, ">= 2x")
ours_k <- best_of(function() .Call(evmirna:::C_quantile_normalize, q, 1))
cat(sprintf("%-34s kernel only %.4f s (ratio %.1fx)\n", "", ours_k, ref_t / ours_k))

# TMM, 2600 x 1000 counts
mu <- rgamma(n_feat, 0.6, 0.005)
y <- matrix(rnbinom(n_feat * n_samp, mu = mu, size = 4), n_feat, n_samp,
            dimnames = dimnames(q))
storage.mode(y) <- "double"
xc <- evset(y, scale = "counts")
input_mb <- object.size(y) / 2^20
if (requireNamespace("edgeR", quietly = TRUE)) {
  ref_t <- best_of(function() edgeR::calcNormFactors(y), reps = 3L)
} else ref_t <- NA_real_
tmm_factors <- function() ev_norm_factors(xc, "tmm")
ours_t <- best_of(tmm_factors)
peak <- peak_mb(tmm_factors)
report("TMM factors 2600 x 1000", "edgeR::calcNormFactors", ref_t, ours_t,
       peak, input_mb, ">= 10x")
cat(sprintf("%-34s threads: %d (option evmirna.threads; results identical for any count)\n",
            "", getOption("evmirna.threads", 2L)))
old <- options(evmirna.threads = 1L)
ours_1 <- best_of(tmm_factors)
options(old)
report("TMM factors, 1 thread", "edgeR::calcNormFactors", ref_t, ours_1,
       peak, input_mb, ">= 10x")
full <- function() ev_normalize(xc, "tmm")
if (requireNamespace("edgeR", quietly = TRUE)) {
  ref_full <- best_of(function() edgeR::cpm(y, lib.size = colSums(y) *
                        edgeR::calcNormFactors(y), log = TRUE), reps = 3L)
} else ref_full <- NA_real_
ours_full <- best_of(full, reps = 3L)
report("TMM + logCPM 2600 x 1000", "calcNormFactors + cpm", ref_full,
       ours_full, peak_mb(full), input_mb, "(info)")
if (requireNamespace("edgeR", quietly = TRUE)) {
  cat(sprintf("%-34s max |difference| to edgeR: %.2e\n", "",
              max(abs(tmm_factors() - edgeR::calcNormFactors(y)))))
}

# geNorm, 20 candidates x 500 samples
base <- rnorm(500L, 26)
g <- rep(base, each = 20L) + runif(20L, -3, 3) +
  matrix(rnorm(20L * 500L, 0, runif(20L, 0.1, 1)), 20L)
dimnames(g) <- list(sprintf("hsa-miR-%d-3p", 1:20), sprintf("S%03d", 1:500))
xg <- evset(g)
input_mb <- object.size(g) / 2^20
genorm <- function() ev_reference_stability(xg, rownames(g), "genorm")
ours_t <- best_of(genorm, reps = 10L)
peak <- peak_mb(genorm)
cat(sprintf("%-34s %-26s %8s   | evmirna %8.4f s | target < 0.1 s | peak %6.2f Mb = %.2fx input\n",
            "geNorm 20 x 500", "(no reference package)", "", ours_t, peak,
            peak / input_mb))
