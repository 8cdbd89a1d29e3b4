# Benchmark of ev_panel_search (issue 16), everything measured in this run:
#   1. all 1-3 miRNA panels of the 32 candidate targets of the bundled
#      SIMULATED cohort after QC (175 samples; the recipe of tools/demo.R),
#      logistic, 5-fold CV, 1 repeat, against a naive R loop of glm.fit with
#      the same 5-fold CV and a rank AUC per panel. The loop is timed on a
#      random sample of panels and scaled to all of them; the output says so.
#      Targets: >= 30x the loop, under 0.5 s.
#   2. the same search with a 100-permutation null: under 60 s, sequential
#      and with future::plan(multisession, workers = 1 and 2); the nulls must
#      be identical across plans.
#   3. all 1-4 panels of 40 SIMULATED candidates (102,090 panels), 175
#      samples, 5-fold CV: under 10 s.
# Peak memory is peak_mb() (bench/lib/utils.R): R's heap high-water mark
# above what was in use before, where the kernel's scratch (R_alloc) lives.
# Run with `Rscript bench/panels.R` after installing evmirna.
# EVMIRNA_BENCH_BASELINE=1 measures an older evmirna on the same machine:
# 2 permutations scaled to 100, and the 1-4 search of 40 candidates as all
# 4-panels of 20 candidates scaled by the panel count.
suppressPackageStartupMessages(library(evmirna))
source(file.path(local({
  a <- commandArgs(FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f)) dirname(f) else "bench"
}), "lib", "utils.R"))

baseline <- nzchar(Sys.getenv("EVMIRNA_BENCH_BASELINE"))
# elapsed seconds (the figure the goals are about), CPU seconds of this
# process (all threads; on a shared machine elapsed can be far above it),
# peak MB and the value
timed <- function(fun) {
  t <- NULL
  mb <- peak_mb(function() t <<- system.time(value <<- fun()))
  list(time = t[["elapsed"]], cpu = t[["user.self"]] + t[["sys.self"]], peak_mb = mb,
       value = value)
}
value <- NULL
best_of <- function(fun, reps) {
  runs <- lapply(seq_len(reps), function(i) timed(fun))
  runs[[which.min(vapply(runs, `[[`, 0, "time"))]]
}
load_avg <- function() {
  tryCatch(strsplit(readLines("/proc/loadavg"), " ")[[1]][1], error = function(e) "unknown")
}
cat(sprintf("evmirna %s; evmirna.threads = %d; load average at start: %s\n",
            utils::packageVersion("evmirna"), getOption("evmirna.threads", 2L), load_avg()))

# ---- the cohort (SIMULATED), as tools/demo.R prepares it ------------------
extdata <- function(file) system.file("extdata", file, package = "evmirna")
set.seed(20240611)
cohort <- ev_read_qpcr(extdata("serum_ev_qpcr_cq.csv"),
                       samples = extdata("serum_ev_qpcr_samples.csv"))
qc <- ev_qc(cohort)
imputed <- ev_impute_nondetects(cohort[, qc$pass], "limit", limit = 40)
complete <- rowSums(is.na(imputed$values)) == 0
cands <- imputed$features$id[imputed$features$role == "target" & complete]
stab <- ev_reference_stability(imputed, candidates = cands, method = "genorm")
n_ref <- if (is.null(stab$n_suggested)) 2L else max(2L, stab$n_suggested)
normalized <- ev_normalize(imputed, "reference", references = utils::head(stab$table[[1L]], n_ref))
targets <- setdiff(cands, utils::head(stab$table[[1L]], n_ref))
n <- ncol(normalized$values)
n_panels <- sum(choose(length(targets), 1:3))
cat(sprintf("SIMULATED cohort after QC: %d samples, %d candidate targets, %d panels of 1-3\n",
            n, length(targets), n_panels))

search <- function(n_perm = 0, ...) {
  set.seed(1)
  ev_panel_search(normalized, "group", size = 1:3, candidates = targets, n_folds = 5,
                  n_repeats = 1, n_perm = n_perm, progress = FALSE, ...)
}

# ---- 1. search vs the naive glm.fit loop ---------------------------------
X <- t(normalized$values[targets, ])
y <- as.integer(normalized$samples$group == levels(factor(normalized$samples$group))[2L])
set.seed(1)
folds <- ev_folds(y, n_folds = 5)[, 1L]
rank_auc <- function(s, y) {
  r <- rank(s)
  m1 <- sum(y)
  (sum(r[y == 1]) - m1 * (m1 + 1) / 2) / (m1 * (length(y) - m1))
}
naive_loop <- function(panels) {
  vapply(panels, function(cols) {
    s <- numeric(length(y))
    for (f in 1:5) {
      tr <- folds != f
      fit <- suppressWarnings(stats::glm.fit(cbind(1, X[tr, cols, drop = FALSE]), y[tr],
                                             family = stats::binomial()))
      s[!tr] <- drop(cbind(1, X[!tr, cols, drop = FALSE]) %*% fit$coefficients)
    }
    rank_auc(s, y)
  }, numeric(1))
}
all_panels <- unlist(lapply(1:3, function(k) asplit(utils::combn(length(targets), k), 2L)),
                     recursive = FALSE)
set.seed(2)
sample_n <- 300L
sampled <- all_panels[sample.int(length(all_panels), sample_n)]
invisible(naive_loop(sampled[1:5]))
naive <- best_of(function() naive_loop(sampled), 2L)
naive_total <- naive$time * length(all_panels) / sample_n
ours <- best_of(function() search(), 3L)
ratio <- naive_total / ours$time
cat("1. all 1-3 panels of 32, logistic, 5-fold CV (1 repeat):\n")
cat(sprintf("   naive glm.fit loop timed on %d random panels: %.2f s, scaled to %d panels: %.1f s (%.2f ms per panel)\n",
            sample_n, naive$time, length(all_panels), naive_total, 1e3 * naive_total / length(all_panels)))
cat(sprintf("   ev_panel_search: %.3f s, CPU %.3f s (peak %.1f MB) | ratio %.0fx (target >= 30x) %s | under 0.5 s: %s\n",
            ours$time, ours$cpu, ours$peak_mb, ratio, if (ratio >= 30) "OK" else "BELOW TARGET",
            if (ours$time < 0.5) "OK" else "NO"))
old <- options(evmirna.threads = 1L)
ours_1t <- best_of(function() search(), 3L)
options(old)
cat(sprintf("   ev_panel_search, evmirna.threads = 1: %.3f s, CPU %.3f s | ratio %.0fx\n",
            ours_1t$time, ours_1t$cpu, naive_total / ours_1t$time))
cat(sprintf("   naive loop CPU on the sample: %.2f s; CPU ratio %.0fx\n", naive$cpu,
            naive$cpu * length(all_panels) / sample_n / ours_1t$cpu))
# the two computed the same AUCs on the sampled panels
res <- ours$value
key <- vapply(sampled, function(cols) paste(targets[cols], collapse = " + "), "")
cat(sprintf("   max |AUC difference| vs the naive loop on the %d sampled panels: %.1e\n",
            sample_n, max(abs(res$auc[match(key, res$panel)] - naive$value))))
ten <- timed(function() {
  set.seed(1)
  ev_panel_search(normalized, "group", size = 1:3, candidates = targets, n_folds = 5,
                  n_repeats = 10, progress = FALSE)
})
cat(sprintf("   with 10 repeats of the folds (the default): %.2f s (peak %.1f MB)\n",
            ten$time, ten$peak_mb))

# ---- 2. the 100-permutation null -----------------------------------------
n_perm <- if (baseline) 2L else 100L
perm_seq <- timed(function() search(n_perm))
scale <- if (baseline) 100 / n_perm else 1
perm_line <- function(label, r) {
  cat(sprintf("   %s: %.1f s, CPU here %.1f s%s (peak %.1f MB)\n", label, r$time * scale,
              r$cpu * scale,
              if (baseline) sprintf(" (%d permutations timed, scaled to 100)", n_perm) else "",
              r$peak_mb))
}
cat(sprintf("2. the same search with a %d-permutation null (target: under 60 s):\n", 100L))
perm_line("sequential", perm_seq)
if (!baseline && requireNamespace("future", quietly = TRUE) &&
    requireNamespace("future.apply", quietly = TRUE)) {
  runs <- list()
  for (k in 1:2) {
    future::plan(future::multisession, workers = k)
    invisible(future.apply::future_lapply(seq_len(k), function(i) i))  # start the workers
    runs[[k]] <- timed(function() search(n_perm))
    perm_line(sprintf("multisession, %d worker%s", k, if (k > 1) "s" else ""), runs[[k]])
  }
  future::plan(future::sequential)
  same <- all(vapply(runs, function(r) identical(attr(r$value, "null"), attr(perm_seq$value, "null")) &&
                       identical(r$value$p_perm, perm_seq$value$p_perm), TRUE))
  cat(sprintf("   speed-up 1 -> 2 workers: %.2fx | nulls and p-values identical across plans: %s\n",
              runs[[1]]$time / runs[[2]]$time, same))
}
cat(sprintf("   under 60 s: %s\n", if (perm_seq$time * scale < 60) "OK" else "NO"))

# ---- 3. all 1-4 panels of 40 candidates ----------------------------------
set.seed(20261216)
sim <- matrix(stats::rnorm(n * 40), n, 40,
              dimnames = list(NULL, sprintf("hsa-miR-%d-5p", seq_len(40))))  # SIMULATED
g40 <- rep(c("control", "case"), c(n - n %/% 2, n %/% 2))
sim[g40 == "case", 1:6] <- sim[g40 == "case", 1:6] + 0.5
if (baseline) {
  big <- timed(function() {
    set.seed(1)
    ev_panel_search(sim[, 1:20], g40, size = 4, n_folds = 5, n_repeats = 1, progress = FALSE,
                    positive = "case")
  })
  big$time <- big$time * sum(choose(40, 1:4)) / choose(20, 4)
  big$cpu <- big$cpu * sum(choose(40, 1:4)) / choose(20, 4)
  label <- "(4-panels of 20 candidates timed, scaled by panel count)"
} else {
  big <- timed(function() {
    set.seed(1)
    ev_panel_search(sim, g40, size = 1:4, n_folds = 5, n_repeats = 1, progress = FALSE,
                    positive = "case", max_panels = 2e5)
  })
  label <- ""
}
cat(sprintf("3. all %s 1-4 panels of 40 SIMULATED candidates, %d samples, 5-fold CV: %.1f s, CPU %.1f s %s(peak %.1f MB) | under 10 s: %s\n",
            format(sum(choose(40, 1:4)), big.mark = ","), n, big$time, big$cpu, label, big$peak_mb,
            if (big$time < 10) "OK" else "NO"))
cat(sprintf("(load average at the end: %s)\n", load_avg()))
