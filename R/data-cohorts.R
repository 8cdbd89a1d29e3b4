# Documentation of the SIMULATED example cohorts (data/ built by data-raw/).

#' SIMULATED serum EV miRNA RT-qPCR cohort (osteoporosis vs controls)
#'
#' SIMULATED data, not real patients. A made-up cohort of 200 post-menopausal
#' women (100 controls, 100 with osteoporosis) whose serum extracellular-vesicle
#' (EV) miRNAs were "measured" by RT-qPCR on a 40-assay panel, plus 40 "new
#' patients" on a new plate for scoring (`serum_ev_qpcr_new`). The numbers come
#' from the generative model below; they illustrate the package and its QC
#' problems and carry no biological finding.
#'
#' Both datasets are the [evset]s obtained by reading the raw files shipped in
#' `inst/extdata/` with [ev_read_qpcr()] (the sample sheet as `samples`), with
#' `group` turned into a factor (levels "control", "osteoporosis") and the
#' `provenance` field saying the data are simulated:
#' * `serum_ev_qpcr_cq.csv`, `serum_ev_qpcr_samples.csv`: the training cohort
#'   (wide export, one row per sample, Cq with two decimals, "Undetermined"
#'   for non-detects, a few empty cells);
#' * `serum_ev_qpcr_new_patients_cq.csv`,
#'   `serum_ev_qpcr_new_patients_samples.csv`: the new patients, same layout;
#'   their `group` is the simulated true diagnosis, kept to check scores;
#' * `serum_ev_qpcr_plate1_long.csv`: an instrument-style long export ("*"
#'   preamble, `[Results]` section, columns Well, Sample Name, Target Name, CT)
#'   of four plate-1 samples in technical duplicate; the mean of each pair
#'   equals the wide-table value.
#'
#' Every raw file starts with a "# SIMULATED data ..." line, which the readers
#' skip.
#'
#' @section Generative model:
#' For sample \eqn{j} and miRNA \eqn{i}, the expected Cq is
#' \deqn{\mu_i + \delta_i D_j + h_i H_j + \lambda_i Z_j + \sigma_i
#'   \epsilon_{ij} + E_j + P_{p(j)}}{mu_i + delta_i D_j + h_i H_j +
#'   lambda_i Z_j + sigma_i eps_ij + E_j + P_p(j)}
#' with
#' * \eqn{\mu_i}: baseline Cq of a control, 21.8 (miR-451a) to 35.5
#'   (miR-503-3p); the low-abundance miR-885-5p (35.0), miR-503-3p (35.5),
#'   miR-133a-3p (34.0), miR-196a-5p (33.5) and miR-31-5p (33.0) give the
#'   non-detects. Spike-in cel-miR-39-3p 22.0; references miR-16-5p 22.0,
#'   miR-191-5p 25.5, miR-93-5p 26.5; hemolysis pair miR-451a 21.8,
#'   miR-23a-3p 24.8.
#' * \eqn{D_j}: 1 for osteoporosis, 0 for controls; \eqn{\delta_i} the
#'   disease shift in cycles (negative = more abundant in osteoporosis):
#'   miR-214-3p -0.9 (serum-EV miR-214 is raised in osteoporosis, as the
#'   review behind the package's curated EV table reports), miR-23a-5p -0.6, miR-31-5p
#'   and miR-133a-3p -0.5, miR-155-5p, miR-21-5p and miR-148a-3p -0.4,
#'   miR-125b-5p, miR-24-3p and miR-100-5p -0.3; miR-196a-5p +0.5,
#'   miR-885-5p and miR-151a-5p +0.4, miR-503-3p, miR-20a-5p and miR-29b-3p
#'   +0.3, miR-17-5p +0.2; 0 for the other miRNAs, the references, the
#'   hemolysis pair and the spike-in. Single-miRNA AUCs are mostly 0.55-0.75.
#' * \eqn{H_j}: hemolysis, in cycles gained by miR-451a. Unrelated to the
#'   diagnosis: 10 training samples (5%) are hemolysed (\eqn{H \sim U(4.5,
#'   6.5)}{H ~ U(4.5, 6.5)}, so \eqn{\Delta Cq}{dCq} = Cq(miR-23a-3p) -
#'   Cq(miR-451a) is about 8-10, above 7), 14 are at risk (\eqn{H \sim U(2,
#'   3)}{H ~ U(2, 3)}, \eqn{\Delta Cq}{dCq} about 5-7) and the rest clean
#'   (\eqn{H \sim}{H ~} exponential, mean 0.3; \eqn{\Delta Cq}{dCq} about 3,
#'   below 5). New patients: 2 hemolysed, 3 at risk. Loadings \eqn{h_i}:
#'   miR-451a -1, miR-144-3p -0.7, miR-486-5p -0.6, miR-16-5p -0.5,
#'   miR-92a-3p -0.4 (red-cell miRNAs), 0 otherwise. Hemolysis status is not
#'   a column: QC must find it.
#' * \eqn{Z_j \sim N(0, 1)}{Z_j ~ N(0, 1)}: a shared biological latent
#'   factor, loadings \eqn{\lambda_i \sim U(0.2, 0.6)}{lambda_i ~ U(0.2, 0.6)}
#'   for targets, 0.20 (miR-16-5p), 0.05 (miR-191-5p), 0.20 (miR-93-5p), 0.10
#'   (hemolysis pair), 0 (spike-in): it correlates the miRNAs so that panels
#'   are not simply additive.
#' * \eqn{\sigma_i}: biological SD, \eqn{U(0.55, 0.85)}{U(0.55, 0.85)} for
#'   targets (1.2 for the liver-derived miR-122-5p); candidate references of
#'   differing stability, miR-191-5p 0.15 (most stable), miR-16-5p 0.25 (but
#'   shifted by hemolysis, so least stable), miR-93-5p 0.35; miR-451a 0.40,
#'   miR-23a-3p 0.30; spike-in-specific noise 0.25.
#'   \eqn{\epsilon_{ij} \sim N(0, 1)}{eps_ij ~ N(0, 1)}.
#' * \eqn{E_j \sim N(0, 0.5^2)}{E_j ~ N(0, 0.5^2)}: extraction efficiency,
#'   shifting all endogenous miRNAs and the spike-in together.
#' * \eqn{P_p}: plate effect, plate1 0, plate2 +0.40, plate3 -0.35 (training,
#'   samples S001-S067, S068-S134, S135-S200), plate4 +0.30 (new patients).
#'
#' Measurement: the number of template copies in the reaction is Poisson with
#' mean \eqn{2^{37 - \mathrm{expected\ Cq}}}{2^(37 - expected Cq)}; the
#' observed Cq is \eqn{37 - \log_2(\mathrm{copies})}{37 - log2(copies)} plus
#' technical noise N(0, 0.12^2), rounded to two decimals. A reaction without a
#' template copy (or a Cq at or above 40) is exported as "Undetermined", so
#' non-detects arise naturally in the low-abundance miRNAs. Six training cells
#' and two new-patient cells of target miRNAs are left empty, as when a well
#' fails. Age is N(64, 7^2) for controls and N(68, 7^2) for osteoporosis,
#' clipped to 50-85; BMD T-score is \eqn{-2.5 - \mathrm{Gamma}(2, 0.35)}{-2.5 -
#' Gamma(shape 2, scale 0.35)} (at most -2.6 after rounding, at least -4.8)
#' for osteoporosis and N(-0.9, 0.7^2) clipped to -2.4..1.5 for controls.
#'
#' @format `serum_ev_qpcr`: an [evset] on the "cq" scale with 40 features x
#' 200 samples.
#' * `values`: Cq, `NA` for non-detects and empty cells;
#' * `missing_reason`: "undetermined" or "empty" where a value is missing;
#' * `features`: `id`, `role` (spike_in for cel-miR-39-3p, hemolysis for
#'   hsa-miR-451a and hsa-miR-23a-3p, target otherwise: the candidate
#'   references hsa-miR-16-5p, hsa-miR-191-5p and hsa-miR-93-5p are left for
#'   the user to choose on evidence), `mirna`;
#' * `samples`: `id` (S001-S200), `group` (factor: control, osteoporosis),
#'   `age` (years), `bmd_tscore` (osteoporosis: <= -2.5), `plate` (plate1,
#'   plate2, plate3);
#' * `steps`: the read step; `provenance`: says the cohort is SIMULATED.
#'
#' `serum_ev_qpcr_new`: the same for 40 new patients (N001-N040, 20 per
#' group, all on plate4).
#' @source SIMULATED by `data-raw/simulate_serum_ev_qpcr.R` (seed 20240611)
#'   in the package sources; not real patients.
#' @seealso [serum_ev_counts], [ev_read_qpcr()]
#' @examples
#' serum_ev_qpcr$provenance
#' table(serum_ev_qpcr$samples$group)
#' # the raw export the dataset was read from
#' path <- system.file("extdata", "serum_ev_qpcr_cq.csv", package = "evmirna")
#' samples <- system.file("extdata", "serum_ev_qpcr_samples.csv",
#'                        package = "evmirna")
#' x <- ev_read_qpcr(path, samples = samples)
#' all.equal(x$values, serum_ev_qpcr$values)
#' # hemolysis: dCq = Cq(miR-23a-3p) - Cq(miR-451a)
#' d <- serum_ev_qpcr$values["hsa-miR-23a-3p", ] -
#'   serum_ev_qpcr$values["hsa-miR-451a", ]
#' table(cut(d, c(-Inf, 5, 7, Inf)))
#' # an instrument-style long export with technical duplicates
#' long <- system.file("extdata", "serum_ev_qpcr_plate1_long.csv",
#'                     package = "evmirna")
#' ev_read_qpcr(long)
"serum_ev_qpcr"

#' @rdname serum_ev_qpcr
"serum_ev_qpcr_new"

#' SIMULATED serum EV small-RNA-seq counts (osteoporosis vs controls)
#'
#' SIMULATED data, not real patients. Made-up small-RNA-sequencing read counts
#' of 300 miRNAs in serum EVs of 120 women (60 controls, 60 with
#' osteoporosis), read with [ev_read_counts()] from the raw files
#' `inst/extdata/serum_ev_counts.csv` (miRNAs in rows, first column `mirna`)
#' and `inst/extdata/serum_ev_counts_samples.csv`, with `group` turned into a
#' factor and a `provenance` field saying the data are simulated. Every raw
#' file starts with a "# SIMULATED data ..." line, which the reader skips.
#'
#' The first 40 features are the miRNAs of the [serum_ev_qpcr] panel; the
#' other 260 are simulated placeholders named "sim-miRNA-041" to
#' "sim-miRNA-300", which stand for no real miRNA.
#'
#' @section Generative model:
#' * Relative abundance \eqn{p_i \propto 2^{-c_i}}{p_i proportional to
#'   2^(-c_i)}, with \eqn{c_i} the baseline Cq of the panel miRNAs in
#'   [serum_ev_qpcr] (cel-miR-39-3p set to 27, as less spike-in is used for
#'   sequencing) and \eqn{c_i \sim N(32, 3.5^2)}{c_i ~ N(32, 3.5^2)} clipped
#'   to 24-40 for the placeholders. The distribution is skewed: the five most
#'   abundant miRNAs (miR-451a, miR-16-5p, miR-92a-3p, miR-486-5p,
#'   miR-223-3p) take about half of the reads, and rare miRNAs have many zero
#'   counts.
#' * Differential abundance, fold change osteoporosis / control: miR-214-3p
#'   2.0, miR-23a-5p 1.6, miR-133a-3p 1.5, miR-196a-5p 0.6, miR-151a-5p 0.7,
#'   sim-miRNA-057 1.8, sim-miRNA-112 0.65, sim-miRNA-203 1.7; 1 for the
#'   others.
#' * Two library-preparation batches (run1: R001-R060, run2: R061-R120); run2
#'   multiplies each miRNA by \eqn{2^{N(0, 0.2^2)}}{2^N(0, 0.2^2)} (ligation
#'   bias). Shares are renormalized to sum to 1 in each sample.
#' * Library size (mapped miRNA reads) \eqn{L_j}: log-normal with median
#'   300,000 and log-SD 0.8, redrawn until within 50,000-2,000,000 (a 1/10
#'   scale of the 0.5-20 million reads of serum EV runs).
#' * Counts: negative binomial with mean \eqn{L_j} times the sample's share
#'   and size \eqn{1/\phi_i^2}{1/phi_i^2}, biological coefficient of
#'   variation \eqn{\phi_i \sim U(0.2, 0.6)}{phi_i ~ U(0.2, 0.6)} (0.15 for
#'   the spike-in).
#' * Age N(64, 7^2) for controls, N(68, 7^2) for osteoporosis, clipped to
#'   50-85.
#'
#' @format An [evset] on the "counts" scale with 300 features x 120 samples:
#' * `values`: non-negative integer counts;
#' * `features`: `id`, `role` (spike_in for cel-miR-39-3p, hemolysis for
#'   hsa-miR-451a and hsa-miR-23a-3p, target otherwise), `mirna`;
#' * `samples`: `id` (R001-R120), `group` (factor: control, osteoporosis),
#'   `age` (years), `batch` (run1, run2);
#' * `steps`: the read step; `provenance`: says the cohort is SIMULATED.
#' @source SIMULATED by `data-raw/simulate_serum_ev_counts.R` (seed 20240612)
#'   in the package sources; not real patients.
#' @seealso [serum_ev_qpcr], [ev_read_counts()]
#' @examples
#' serum_ev_counts$provenance
#' range(colSums(serum_ev_counts$values))
#' head(sort(rowSums(serum_ev_counts$values), decreasing = TRUE))
"serum_ev_counts"
