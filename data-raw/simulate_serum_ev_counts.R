# SIMULATED serum EV small-RNA-seq count cohort (not real patients).
#
# Writes the raw count table and sample sheet to inst/extdata/ and the evset
# obtained by reading them back with ev_read_counts() to data/. Run from the
# package root with evmirna installed:
#   Rscript data-raw/simulate_serum_ev_counts.R
# The generative model is documented in R/data-cohorts.R (?serum_ev_counts);
# keep the two in step.

library(evmirna)

seed <- 20240612L
set.seed(seed)

provenance <- sprintf(
  "SIMULATED cohort (data-raw/simulate_serum_ev_counts.R, seed %d); not real patients",
  seed)
header_note <- sprintf(
  "# SIMULATED data from data-raw/simulate_serum_ev_counts.R (seed %d); not real patients",
  seed)

n_per_group <- 60L
n_features <- 300L

# ---- Features ----------------------------------------------------------------
# The first 40 are the serum EV qPCR panel; their relative abundance follows
# their baseline Cq in the qPCR cohort (one cycle = a factor 2), except the
# spike-in, which is added in smaller amounts for sequencing. The others are
# placeholders ("sim-miRNA-041", ...) that cannot be taken for real miRNAs.
panel_ids <- rownames(ev_read_qpcr("inst/extdata/serum_ev_qpcr_cq.csv")$values)
panel_cq <- c(30.5, 32.0, 33.5, 35.0, 28.5, 31.0, 33.0, 35.5, 26.0, 27.5,
              34.0, 27.0, 29.0, 28.0, 26.5, 28.0, 31.5, 30.0, 27.5, 26.0,
              27.0, 23.5, 25.0, 24.5, 22.5, 26.5, 29.5, 27.0, 26.0, 25.5,
              29.0, 30.0, 23.0, 26.5, 22.0, 25.5, 26.5, 21.8, 24.8, 27.0)
ids <- c(panel_ids, sprintf("sim-miRNA-%03d", 41:n_features))
# Placeholders: abundance on the same "Cq-like" scale, most of them rare.
sim_cq <- pmin(pmax(rnorm(n_features - 40L, 32, 3.5), 24), 40)
log2_abundance <- -c(panel_cq, sim_cq)
proportion <- 2^log2_abundance / sum(2^log2_abundance)

# Biological coefficient of variation (negative-binomial overdispersion).
bcv <- round(runif(n_features, 0.2, 0.6), 2)
bcv[ids == "cel-miR-39-3p"] <- 0.15

# Differentially abundant miRNAs: fold change osteoporosis / control.
fold_change <- setNames(rep(1, n_features), ids)
fold_change[c("hsa-miR-214-3p", "hsa-miR-23a-5p", "hsa-miR-133a-3p",
              "hsa-miR-196a-5p", "hsa-miR-151a-5p",
              "sim-miRNA-057", "sim-miRNA-112", "sim-miRNA-203")] <-
  c(2.0, 1.6, 1.5, 0.6, 0.7, 1.8, 0.65, 1.7)

# Two library-preparation batches with a small miRNA-specific ligation bias.
batch_bias <- cbind(run1 = rep(1, n_features),
                    run2 = 2^rnorm(n_features, 0, 0.2))

# ---- Samples -----------------------------------------------------------------
n <- 2L * n_per_group
sample_ids <- sprintf("R%03d", seq_len(n))
group <- sample(rep(c("control", "osteoporosis"), each = n_per_group))
batch <- rep(c("run1", "run2"), each = n_per_group)
age <- round(pmin(pmax(rnorm(n, 64 + 4 * (group == "osteoporosis"), 7), 50), 85))

# Mapped miRNA reads per library: log-normal, median 300,000, kept within
# 50,000-2,000,000 (a 1/10 scale of the 0.5-20 million of serum EV runs).
draw_library_sizes <- function(n) {
  out <- rlnorm(n, log(3e5), 0.8)
  bad <- out < 5e4 | out > 2e6
  while (any(bad)) {
    out[bad] <- rlnorm(sum(bad), log(3e5), 0.8)
    bad <- out < 5e4 | out > 2e6
  }
  round(out)
}
library_size <- draw_library_sizes(n)

# ---- Counts ------------------------------------------------------------------
mean_share <- proportion * ifelse(outer(rep(TRUE, n_features), group == "osteoporosis"),
                                  fold_change, 1) * batch_bias[, batch]
mean_share <- sweep(mean_share, 2L, colSums(mean_share), "/")
mu <- sweep(mean_share, 2L, library_size, "*")
counts <- matrix(rnbinom(length(mu), mu = mu, size = rep(1 / bcv^2, n)),
                 n_features, n, dimnames = list(ids, sample_ids))

# ---- Raw exports -------------------------------------------------------------
extdata <- file.path("inst", "extdata")
dir.create(extdata, showWarnings = FALSE, recursive = TRUE)
dir.create("data", showWarnings = FALSE)
counts_path <- file.path(extdata, "serum_ev_counts.csv")
samples_path <- file.path(extdata, "serum_ev_counts_samples.csv")

writeLines(c(header_note,
             "# Mapped reads per miRNA (rows) and sample (columns); sim-miRNA-* are simulated placeholders, not real miRNAs",
             paste(c("mirna", sample_ids), collapse = ","),
             paste(ids, apply(counts, 1L, paste, collapse = ","), sep = ",")),
           counts_path)
con <- file(samples_path, "w")
writeLines(c(header_note,
             "# Sample data: group (control/osteoporosis), age (years), library-preparation batch"),
           con)
utils::write.csv(data.frame(id = sample_ids, group = group, age = age,
                            batch = batch),
                 con, row.names = FALSE, quote = FALSE)
close(con)

# ---- Dataset: the raw files read back ----------------------------------------
serum_ev_counts <- ev_read_counts(counts_path, samples = samples_path)
serum_ev_counts$samples$group <- factor(serum_ev_counts$samples$group,
                                        levels = c("control", "osteoporosis"))
serum_ev_counts$provenance <- provenance
save(serum_ev_counts, file = file.path("data", "serum_ev_counts.rda"),
     compress = "xz")

lib <- colSums(serum_ev_counts$values)
top_share <- sort(rowSums(serum_ev_counts$values), decreasing = TRUE) /
  sum(serum_ev_counts$values)
message("counts: ", nrow(counts), " miRNAs x ", ncol(counts),
        " samples; library sizes ", paste(range(lib), collapse = "-"),
        "; top-5 share ", round(sum(top_share[1:5]), 2),
        "; zero cells ", round(mean(counts == 0), 3))
