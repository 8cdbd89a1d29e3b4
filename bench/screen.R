# Benchmark of marker screening and panel search, measured in the same run:
#   1. ev_screen on 2600 miRNAs x 1000 samples vs looping pROC::roc +
#      ci.auc + wilcox.test + t.test over the features
#      (targets: >= 100x faster, and under 1 s). The reference loop is timed
#      on a subset of features and scaled up linearly (it is a plain loop
#      over independent features); the output says so.
#   2. all 3-miRNA panels of 40 candidates (9880 panels), logistic, 5-fold
#      CV, 200 samples (target: under 60 s on this 2-core machine), with 1
#      and with 10 repeats of the fold assignment; and for information the
#      same search with glm + pROC on a subset of panels, scaled up.
# Peak memory: R's heap high-water mark from gc(reset = TRUE) / gc() ("max
# used", Ncells + Vcells, MB; C scratch from R_alloc is counted there).
# Run with `Rscript bench/screen.R` after installing evmirna.
suppressPackageStartupMessages({
  library(evmirna)
  library(pROC)
})

measure <- function(expr_fun, reps = 1L) {
  gc(reset = TRUE)
  times <- vapply(seq_len(reps), function(i) system.time(expr_fun())[["elapsed"]], 0)
  g <- gc()
  list(time = stats::median(times), peak_mb = sum(g[, ncol(g)]))
}

# ---- 1. screening --------------------------------------------------------
set.seed(20261126)
p <- 2600L
n <- 1000L
x <- matrix(stats::rnorm(n * p), n, p,
            dimnames = list(NULL, sprintf("hsa-miR-%d-5p", seq_len(p))))
group <- rep(c("control", "osteoporosis"), each = n / 2)
x[group == "osteoporosis", 1:100] <- x[group == "osteoporosis", 1:100] + 0.3

ours <- measure(function() ev_screen(x, group, positive = "osteoporosis"), reps = 5L)
ours_na <- measure(function() ev_screen(x, group, positive = "osteoporosis",
                                        annotate = FALSE), reps = 5L)
old_threads <- options(evmirna.threads = 1L)
ours_1t <- measure(function() ev_screen(x, group, positive = "osteoporosis"), reps = 5L)
options(old_threads)

subset_n <- 100L
reference_loop <- function(cols) {
  lapply(cols, function(j) {
    r <- pROC::roc(group, x[, j], levels = c("control", "osteoporosis"),
                   direction = "<", quiet = TRUE)
    list(ci = pROC::ci.auc(r, method = "delong"),
         w = stats::wilcox.test(x[group == "osteoporosis", j], x[group == "control", j])$p.value,
         t = stats::t.test(x[group == "osteoporosis", j], x[group == "control", j])$p.value)
  })
}
invisible(reference_loop(1:3))  # warm up (lazy loading, byte compilation)
ref_sub <- measure(function() reference_loop(seq_len(subset_n)), reps = 3L)
ref_time <- ref_sub$time * p / subset_n
ratio <- ref_time / ours$time
cat(sprintf("ev_screen, %d miRNAs x %d samples:\n", p, n))
cat(sprintf("  reference loop (pROC roc + ci.auc + wilcox.test + t.test) timed on %d features: %.3f s (peak %.1f MB);\n",
            subset_n, ref_sub$time, ref_sub$peak_mb))
cat(sprintf("  scaled linearly to %d features: %.1f s\n", p, ref_time))
cat(sprintf("  ev_screen (with curated annotation): %.3f s (peak %.1f MB) | ratio %.0fx (target >= 100x) %s | under 1 s: %s\n",
            ours$time, ours$peak_mb, ratio, if (ratio >= 100) "OK" else "BELOW TARGET",
            if (ours$time < 1) "OK" else "NO"))
cat(sprintf("  ev_screen (annotate = FALSE):        %.3f s (peak %.1f MB) | ratio %.0fx\n",
            ours_na$time, ours_na$peak_mb, ref_time / ours_na$time))
cat(sprintf("  ev_screen, evmirna.threads = 1 (default is %d): %.3f s (peak %.1f MB) | ratio %.0fx\n",
            getOption("evmirna.threads", 2L), ours_1t$time, ours_1t$peak_mb, ref_time / ours_1t$time))
cat(sprintf("  (machine load average at this point: %s)\n",
            tryCatch(strsplit(readLines("/proc/loadavg"), " ")[[1]][1], error = function(e) "unknown")))

# spot check that both computed the same numbers
s <- ev_screen(x[, 1:5], group, positive = "osteoporosis", annotate = FALSE)
chk <- reference_loop(1:5)
cat(sprintf("  max |AUC difference| vs pROC on 5 features: %.1e; max |Wilcoxon p difference|: %.1e\n",
            max(abs(s$auc - vapply(chk, function(v) v$ci[2], 0))),
            max(abs(s$p_wilcoxon - vapply(chk, function(v) v$w, 0)))))

# ---- 2. panel search -----------------------------------------------------
set.seed(20261127)
np <- 200L
cand <- matrix(stats::rnorm(np * 40), np, 40,
               dimnames = list(NULL, sprintf("hsa-miR-%d-5p", seq_len(40))))
g2 <- rep(c("control", "osteoporosis"), each = np / 2)
cand[g2 == "osteoporosis", 1:5] <- cand[g2 == "osteoporosis", 1:5] + 0.4

run1 <- measure(function() ev_panel_search(cand, g2, size = 3, n_folds = 5, n_repeats = 1,
                                           positive = "osteoporosis", progress = FALSE))
run10 <- measure(function() ev_panel_search(cand, g2, size = 3, n_folds = 5, n_repeats = 10,
                                            positive = "osteoporosis", progress = FALSE))
cat(sprintf("ev_panel_search, all %d 3-miRNA panels of 40 candidates, %d samples, logistic, 5-fold CV:\n",
            choose(40, 3), np))
cat(sprintf("  1 repeat:   %.2f s (peak %.1f MB) | under 60 s: %s\n", run1$time, run1$peak_mb,
            if (run1$time < 60) "OK" else "NO"))
cat(sprintf("  10 repeats: %.2f s (peak %.1f MB) | under 60 s: %s\n", run10$time, run10$peak_mb,
            if (run10$time < 60) "OK" else "NO"))

# the same CV with glm + pROC on a subset of panels, scaled up (information)
panels <- utils::combn(40, 3)
y <- as.integer(g2 == "osteoporosis")
set.seed(1)
folds <- ev_folds(y, n_folds = 5)
glm_cv <- function(cols) {
  for (j in cols) {
    s <- numeric(np)
    d <- data.frame(y = y, cand[, panels[, j]])
    for (f in 1:5) {
      tr <- folds[, 1] != f
      fit <- suppressWarnings(stats::glm(y ~ ., data = d[tr, ], family = stats::binomial))
      s[!tr] <- stats::predict(fit, d[!tr, ])
    }
    pROC::auc(pROC::roc(y, s, levels = c(0, 1), direction = "<", quiet = TRUE))
  }
}
glm_sub <- 200L
ref_panels <- measure(function() glm_cv(seq_len(glm_sub)))
ref_panels_time <- ref_panels$time * ncol(panels) / glm_sub
cat(sprintf("  glm + pROC, same 5-fold CV, 1 repeat, timed on %d panels and scaled to %d: %.1f s | ratio vs ev_panel_search (1 repeat) %.0fx (information)\n",
            glm_sub, ncol(panels), ref_panels_time, ref_panels_time / run1$time))

# permutation null for the same search (information)
perm <- measure(function() ev_panel_search(cand, g2, size = 3, n_folds = 5, n_repeats = 1,
                                           n_perm = 5, positive = "osteoporosis",
                                           progress = FALSE))
cat(sprintf("  with a 5-permutation null (6 searches): %.2f s (peak %.1f MB)\n",
            perm$time, perm$peak_mb))
