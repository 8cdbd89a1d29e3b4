# SIMULATED serum EV miRNA RT-qPCR cohort (not real patients).
#
# Writes the raw files a lab would export to inst/extdata/ and the evsets
# obtained by reading them back with ev_read_qpcr() to data/. Run from the
# package root with evmirna installed:
#   Rscript data-raw/simulate_serum_ev_qpcr.R
# The generative model is documented in R/data-cohorts.R (?serum_ev_qpcr);
# keep the two in step.

library(evmirna)

seed <- 20240611L
set.seed(seed)

provenance <- sprintf(
  "SIMULATED cohort (data-raw/simulate_serum_ev_qpcr.R, seed %d); not real patients",
  seed)
header_note <- sprintf(
  "# SIMULATED data from data-raw/simulate_serum_ev_qpcr.R (seed %d); not real patients",
  seed)

# ---- Per-miRNA parameters --------------------------------------------------
# mu: baseline Cq of a control sample (plate 1, average extraction);
# shift: Cq difference osteoporosis - control (negative = more abundant in
# osteoporosis); hemo: Cq change per unit of hemolysis (negative = raised in
# red cells); sigma: biological SD. Latent-factor loadings are drawn below.
panel <- data.frame(
  id = c("hsa-miR-214-3p", "hsa-miR-23a-5p", "hsa-miR-196a-5p",
         "hsa-miR-885-5p", "hsa-miR-151a-5p", "hsa-miR-155-5p",
         "hsa-miR-31-5p", "hsa-miR-503-3p", "hsa-miR-21-5p",
         "hsa-miR-20a-5p", "hsa-miR-133a-3p", "hsa-miR-122-5p",
         "hsa-miR-125b-5p", "hsa-miR-148a-3p", "hsa-miR-24-3p",
         "hsa-miR-27a-3p", "hsa-miR-100-5p", "hsa-miR-29b-3p",
         "hsa-miR-30c-5p", "hsa-miR-142-3p", "hsa-miR-146a-5p",
         "hsa-miR-223-3p", "hsa-miR-126-3p", "hsa-let-7a-5p",
         "hsa-miR-92a-3p", "hsa-miR-150-5p", "hsa-miR-181a-5p",
         "hsa-miR-17-5p", "hsa-miR-19b-3p", "hsa-miR-26a-5p",
         "hsa-miR-342-3p", "hsa-miR-144-3p", "hsa-miR-486-5p",
         "hsa-miR-320a-3p",
         "hsa-miR-16-5p", "hsa-miR-191-5p", "hsa-miR-93-5p",
         "hsa-miR-451a", "hsa-miR-23a-3p",
         "cel-miR-39-3p"),
  kind = c(rep("target", 34), rep("reference", 3), rep("hemolysis", 2),
           "spike_in"),
  mu = c(30.5, 32.0, 33.5, 35.0, 28.5, 31.0, 33.0, 35.5, 26.0, 27.5,
         34.0, 27.0, 29.0, 28.0, 26.5, 28.0, 31.5, 30.0, 27.5, 26.0,
         27.0, 23.5, 25.0, 24.5, 22.5, 26.5, 29.5, 27.0, 26.0, 25.5,
         29.0, 30.0, 23.0, 26.5,
         22.0, 25.5, 26.5,
         21.8, 24.8,
         22.0),
  shift = c(-0.90, -0.60, 0.50, 0.40, 0.40, -0.40, -0.50, 0.30, -0.40, 0.30,
            -0.50, 0.00, -0.30, -0.40, -0.30, 0.00, -0.30, 0.30, 0.00, 0.00,
            0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.20, 0.00, 0.00,
            0.00, 0.00, 0.00, 0.00,
            0, 0, 0,
            0, 0,
            0),
  hemo = c(rep(0, 24), -0.40, rep(0, 6), -0.70, -0.60, 0,
           -0.50, 0, 0,
           -1.00, 0,
           0),
  stringsAsFactors = FALSE
)
n_feat <- nrow(panel)
is_target <- panel$kind == "target"
panel$sigma <- ifelse(is_target, round(runif(n_feat, 0.55, 0.85), 2), 0)
panel$sigma[panel$id == "hsa-miR-122-5p"] <- 1.20
panel$sigma[panel$kind == "reference"] <- c(0.25, 0.15, 0.35)
panel$sigma[panel$kind == "hemolysis"] <- c(0.40, 0.30)
panel$sigma[panel$kind == "spike_in"] <- 0.25
panel$loading <- ifelse(is_target, round(runif(n_feat, 0.2, 0.6), 2), 0)
panel$loading[panel$kind == "reference"] <- c(0.20, 0.05, 0.20)
panel$loading[panel$kind == "hemolysis"] <- 0.10

plate_effect <- c(plate1 = 0, plate2 = 0.40, plate3 = -0.35, plate4 = 0.30)
extraction_sd <- 0.5
single_copy_cq <- 37 # Cq of a reaction holding one template copy
technical_sd <- 0.12
max_cq <- 40

# ---- Generative model --------------------------------------------------------
simulate_cohort <- function(ids, group, plate, n_hemolysed, n_at_risk) {
  n <- length(ids)
  osteo <- as.numeric(group == "osteoporosis")
  extraction <- rnorm(n, 0, extraction_sd)
  latent <- rnorm(n)
  # Hemolysis level in cycles of miR-451a gain: a few hemolysed, a few at
  # risk, the rest clean; unrelated to the diagnosis.
  status <- sample(rep(c("hemolysed", "at_risk", "clean"),
                       c(n_hemolysed, n_at_risk, n - n_hemolysed - n_at_risk)))
  hemolysis <- ifelse(status == "hemolysed", runif(n, 4.5, 6.5),
                      ifelse(status == "at_risk", runif(n, 2.0, 3.0),
                             rexp(n, 1 / 0.3)))
  expected <- matrix(panel$mu, n_feat, n) +
    outer(panel$shift, osteo) +
    outer(panel$hemo, hemolysis) +
    outer(panel$loading, latent) +
    matrix(panel$sigma * rnorm(n_feat * n), n_feat, n)
  # Extraction and plate shift every miRNA, the spike-in included.
  expected <- sweep(expected, 2L, extraction + plate_effect[plate], "+")
  # Template copies in the reaction are Poisson; no copy, no amplification.
  copies <- matrix(rpois(n_feat * n, 2^(single_copy_cq - expected)), n_feat, n)
  cq <- single_copy_cq - log2(copies) +
    matrix(rnorm(n_feat * n, 0, technical_sd), n_feat, n)
  cq[copies == 0 | cq >= max_cq] <- NA
  dimnames(cq) <- list(panel$id, ids)
  list(cq = round(cq, 2), hemolysis = hemolysis, status = status)
}

simulate_samples <- function(ids, group, plate) {
  n <- length(ids)
  osteo <- group == "osteoporosis"
  age <- round(pmin(pmax(rnorm(n, 64 + 4 * osteo, 7), 50), 85))
  tscore <- ifelse(osteo, -2.5 - rgamma(n, 2, 1 / 0.35),
                   rnorm(n, -0.9, 0.7))
  tscore <- ifelse(osteo, pmax(tscore, -4.8), pmin(pmax(tscore, -2.4), 1.5))
  # Rounding must not move a T-score across the -2.5 threshold.
  tscore <- ifelse(osteo, floor(tscore * 10) / 10, ceiling(tscore * 10) / 10)
  data.frame(id = ids, group = group, age = age, bmd_tscore = tscore,
             plate = plate, stringsAsFactors = FALSE)
}

make_cohort <- function(prefix, n_per_group, plates, n_hemolysed, n_at_risk) {
  n <- 2L * n_per_group
  ids <- sprintf("%s%03d", prefix, seq_len(n))
  group <- sample(rep(c("control", "osteoporosis"), each = n_per_group))
  # Samples fill the plates in ID order; groups are randomized over IDs.
  plate <- plates[ceiling(seq_len(n) / ceiling(n / length(plates)))]
  samples <- simulate_samples(ids, group, plate)
  sim <- simulate_cohort(ids, group, plate, n_hemolysed, n_at_risk)
  list(samples = samples, cq = sim$cq, status = sim$status)
}

train <- make_cohort("S", 100L, c("plate1", "plate2", "plate3"), 10L, 14L)
new <- make_cohort("N", 20L, "plate4", 2L, 3L)

# A handful of cells lost in the export (failed wells, blank cells).
blank_cells <- function(cq, n) {
  targets <- which(panel$kind == "target")
  pick <- cbind(sample(targets, n, replace = TRUE), sample(ncol(cq), n))
  pick <- pick[!duplicated(pick) & !is.na(cq[pick]), , drop = FALSE]
  blank <- matrix(FALSE, nrow(cq), ncol(cq))
  blank[pick] <- TRUE
  blank
}
train$blank <- blank_cells(train$cq, 6L)
new$blank <- blank_cells(new$cq, 2L)

# ---- Raw exports -------------------------------------------------------------
format_cq <- function(cq, blank) {
  text <- ifelse(is.na(cq), "Undetermined", sprintf("%.2f", cq))
  text[blank] <- ""
  matrix(text, nrow(cq), dimnames = dimnames(cq))
}

write_wide_cq <- function(cq, blank, path, note) {
  text <- format_cq(cq, blank)
  lines <- c(header_note, note,
             paste(c("Sample", rownames(text)), collapse = ","),
             apply(rbind(colnames(text), text), 2L, paste, collapse = ","))
  writeLines(lines, path)
}

write_samples <- function(samples, path, note) {
  con <- file(path, "w")
  on.exit(close(con))
  writeLines(c(header_note, note), con)
  utils::write.csv(samples, con, row.names = FALSE, quote = FALSE)
}

extdata <- file.path("inst", "extdata")
dir.create(extdata, showWarnings = FALSE, recursive = TRUE)
dir.create("data", showWarnings = FALSE)
paths <- list(
  cq = file.path(extdata, "serum_ev_qpcr_cq.csv"),
  samples = file.path(extdata, "serum_ev_qpcr_samples.csv"),
  new_cq = file.path(extdata, "serum_ev_qpcr_new_patients_cq.csv"),
  new_samples = file.path(extdata, "serum_ev_qpcr_new_patients_samples.csv"),
  long = file.path(extdata, "serum_ev_qpcr_plate1_long.csv")
)

write_wide_cq(train$cq, train$blank, paths$cq,
              "# Training cohort: 200 post-menopausal women, Cq of a 40-miRNA serum EV panel; one row per sample")
write_samples(train$samples, paths$samples,
              "# Training cohort sample data: group (control/osteoporosis), age (years), BMD T-score, qPCR plate")
write_wide_cq(new$cq, new$blank, paths$new_cq,
              "# New patients to score: 40 women on a new plate (plate4); same panel and model")
write_samples(new$samples, paths$new_samples,
              "# New patients sample data; `group` is the SIMULATED true diagnosis, kept for checking scores")

# Instrument-style long export of four plate-1 samples in technical
# duplicate; the mean of each duplicate pair equals the wide-table value.
write_long_excerpt <- function(cq, blank, samples, path) {
  ids <- head(samples$id[samples$plate == "plate1"], 4L)
  text <- format_cq(cq[, ids, drop = FALSE], blank[, match(ids, colnames(cq)), drop = FALSE])
  grid <- expand.grid(rep = 1:2, sample = ids, target = rownames(cq),
                      stringsAsFactors = FALSE)
  value <- cq[cbind(grid$target, grid$sample)]
  delta <- round(abs(rnorm(nrow(grid) / 2L, 0, 0.08)), 2)
  delta <- rep(delta, each = 2L) * ifelse(grid$rep == 1L, 1, -1)
  ct <- text[cbind(grid$target, grid$sample)]
  detected <- !is.na(value) & nzchar(ct)
  ct[detected] <- sprintf("%.2f", value[detected] + delta[detected])
  wells <- paste0(rep(LETTERS[1:16], each = 24L), rep(1:24, 16L))
  lines <- c(header_note,
             "* Block Type = 384-Well Block",
             "* Chemistry = TAQMAN",
             "* Experiment Name = SIMULATED serum EV miRNA panel, plate 1 (excerpt: 4 samples)",
             "* Instrument Type = simulated",
             "",
             "[Results]",
             "Well,Sample Name,Target Name,CT",
             sprintf("%s,%s,%s,%s", wells[seq_len(nrow(grid))], grid$sample,
                     grid$target, ct))
  writeLines(lines, path)
}
write_long_excerpt(train$cq, train$blank, train$samples, paths$long)

# ---- Datasets: the raw files read back ---------------------------------------
read_cohort <- function(cq_path, samples_path) {
  x <- ev_read_qpcr(cq_path, samples = samples_path)
  x$samples$group <- factor(x$samples$group,
                            levels = c("control", "osteoporosis"))
  x$provenance <- provenance
  x
}
serum_ev_qpcr <- read_cohort(paths$cq, paths$samples)
serum_ev_qpcr_new <- read_cohort(paths$new_cq, paths$new_samples)
save(serum_ev_qpcr, file = file.path("data", "serum_ev_qpcr.rda"),
     compress = "xz")
save(serum_ev_qpcr_new, file = file.path("data", "serum_ev_qpcr_new.rda"),
     compress = "xz")

# ---- Summary of the draw (for the documentation) -----------------------------
delta_cq <- function(x) {
  x$values["hsa-miR-23a-3p", ] - x$values["hsa-miR-451a", ]
}
message("training: ", ncol(serum_ev_qpcr$values), " samples; groups ",
        paste(table(serum_ev_qpcr$samples$group), collapse = "/"),
        "; dCq > 7: ", sum(delta_cq(serum_ev_qpcr) > 7, na.rm = TRUE),
        ", 5-7: ", sum(delta_cq(serum_ev_qpcr) > 5 & delta_cq(serum_ev_qpcr) <= 7, na.rm = TRUE),
        "; reasons: ", paste(names(table(serum_ev_qpcr$missing_reason)),
                             table(serum_ev_qpcr$missing_reason),
                             collapse = ", "))
message("new patients: ", ncol(serum_ev_qpcr_new$values), " samples; dCq > 7: ",
        sum(delta_cq(serum_ev_qpcr_new) > 7, na.rm = TRUE))
