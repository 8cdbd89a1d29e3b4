# Scoring speed: 1e6 patients on a 20-miRNA panel (QC + frozen normalization
# + linear predictor + cut-points) against the issue's targets (under 1 s;
# peak memory at most 3x the input), the same work as a bare matrix
# computation in base R for scale, and the time to load a model file
# (target under 50 ms). Run with `Rscript bench/score.R` after installing.
suppressPackageStartupMessages(library(evmirna))
load_before <- tryCatch(readLines("/proc/loadavg", n = 1L), error = function(e) "unknown")

n_new <- as.integer(Sys.getenv("EVMIRNA_BENCH_N", "1000000"))
panel <- sprintf("hsa-miR-%d-5p", 101:120)
refs <- c("hsa-miR-16-5p", "hsa-miR-93-5p")
features <- c(panel, refs)
set.seed(42)

simulate_cq <- function(n, effect) {
  base <- rnorm(n, 0, 0.7)
  cq <- matrix(rnorm(length(features) * n, 27, 0.6), length(features), n) +
    rep(base, each = length(features))
  cq[seq_along(panel), ] <- cq[seq_along(panel), ] - outer(seq(0.5, 0.05, length.out = 20), effect)
  dimnames(cq) <- list(features, sprintf("P%07d", seq_len(n)))
  cq
}

# training cohort: 400 simulated samples, frozen reference normalization
group <- rep(c("control", "case"), each = 200)
train_cq <- simulate_cq(400, group == "case")
train <- evset(train_cq, samples = data.frame(id = colnames(train_cq), group = group))
train$features$role[train$features$id %in% refs] <- "reference"
normalized <- ev_normalize(train, "reference")
model <- ev_fit(normalized, "group", features = panel)
frozen <- ev_freeze(model, train, n_boot = 200, cutpoints = c("youden", rule_in = 0.8))

# new patients: built outside the timing
new_cq <- simulate_cq(n_new, rbinom(n_new, 1, 0.5))
new <- evset(new_cq)
rm(new_cq)
input_mb <- as.numeric(object.size(new$values)) / 2^20
evset_mb <- as.numeric(object.size(new)) / 2^20

mb_used <- function() sum(gc()[, 2L])
invisible(gc(reset = TRUE))
before <- mb_used()
t1 <- system.time(scores <- ev_score(frozen, new))[["elapsed"]]
peak <- sum(gc()[, 6L])
extra_mb <- peak - before
# time: the median of three runs (the machine may be shared)
t_score <- stats::median(c(t1, vapply(1:2, function(i) {
  system.time(ev_score(frozen, new))[["elapsed"]]
}, 0)))

# the bare computation in base R (no QC, no checks): reference dCq and a
# matrix product, as a yardstick for the overhead of the frozen recipe
v <- new$values
t_bare <- system.time({
  anchor <- colMeans(v[refs, ])
  norm <- -(v[panel, ] - rep(anchor, each = length(panel)))
  prob_bare <- stats::plogis(drop(model$intercept_link + crossprod(model$coefficients[panel], norm)))
})[["elapsed"]]
stopifnot(isTRUE(all.equal(unname(prob_bare)[scores$scored], scores$prob[scores$scored], tolerance = 1e-12)))

path <- tempfile(fileext = ".json")
ev_save_model(frozen, path)
invisible(ev_load_model(path))
t_load <- median(vapply(1:20, function(i) system.time(ev_load_model(path))[["elapsed"]], 0))

cat(sprintf("load average at the start of the bench (1, 5, 15 min): %s\n",
            paste(strsplit(load_before, " ")[[1L]][1:3], collapse = ", ")))
cat(sprintf("scoring %d patients x %d-miRNA panel (+%d references), %d scored:\n",
            n_new, length(panel), length(refs), sum(scores$scored)))
cat(sprintf("  ev_score: %.3f s, median of 3 runs (target < 1 s); bare base-R dCq + crossprod: %.3f s; ratio %.1fx\n",
            t_score, t_bare, t_score / t_bare))
cat(sprintf("  peak memory above the input during ev_score: %.0f MB = %.2fx the Cq matrix with its dimnames (%.0f MB), %.2fx the whole input evset (%.0f MB, with the missing-reason matrix); target <= 3x\n",
            extra_mb, extra_mb / input_mb, input_mb, extra_mb / evset_mb, evset_mb))
cat(sprintf("  loading a model file (%.1f kB): median %.1f ms over 20 loads (target < 50 ms)\n",
            file.size(path) / 1024, 1000 * t_load))
