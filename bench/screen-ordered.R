# ev_screen() with a 3-class ordered group (SIMULATED): 2,600 miRNAs x
# 1,000 samples. Issue 15's target is 0.5 s, which needs the per-miRNA
# tests in one C pass; this R version (ranks per miRNA in R, pairwise AUCs
# in C) is timed here so the gap is visible.
# Usage: Rscript bench/screen-ordered.R   (with evmirna installed or via pkgload)
if (requireNamespace("pkgload", quietly = TRUE) && file.exists("DESCRIPTION")) {
  pkgload::load_all(quiet = TRUE)
} else {
  library(evmirna)
}
set.seed(1)
n <- 1000
p <- 2600
g <- factor(sample(c("normal", "osteopenia", "osteoporosis"), n, TRUE),
            levels = c("normal", "osteopenia", "osteoporosis"), ordered = TRUE)
x <- matrix(rnorm(n * p), n, p, dimnames = list(NULL, sprintf("hsa-miR-%d-5p", seq_len(p))))
times <- vapply(1:3, function(i) {
  system.time(ev_screen(x, g, annotate = FALSE))[["elapsed"]]
}, numeric(1))
cat(sprintf("ev_screen, 3 ordered classes, %d miRNAs x %d samples: median %.2f s (target 0.5 s)\n",
            p, n, stats::median(times)))
