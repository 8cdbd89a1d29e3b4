# SIMULATED fixtures for the fuzzer: a small RT-qPCR panel (8 miRNAs x 24
# patients, two groups, two plates with calibrators) and a small count panel,
# plus every object the verbs take (ROC curves, models, a frozen recipe, QC,
# recorded steps of each method, files). Built once in the parent process;
# forked children share them.
fuzz_fixtures <- function(dir = tempfile("evmirna-fuzz", tmpdir = dirname(tempdir()))) {
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  withr_seed <- function(seed, expr) {
    old <- get0(".Random.seed", envir = globalenv(), inherits = FALSE)
    on.exit(if (is.null(old)) rm(".Random.seed", envir = globalenv())
            else assign(".Random.seed", old, envir = globalenv()))
    set.seed(seed)
    expr
  }
  withr_seed(20261201, {
    ids <- c("hsa-miR-16-5p", "hsa-miR-93-5p", "hsa-miR-21-5p", "hsa-miR-214-3p",
             "hsa-miR-451a", "hsa-miR-23a-3p", "hsa-miR-133a-3p", "cel-miR-39-3p")
    n <- 24L
    group <- rep(c("control", "case"), each = n / 2L)
    cq <- matrix(stats::rnorm(length(ids) * n, 27, 1), length(ids), n,
                 dimnames = list(ids, sprintf("P%02d", seq_len(n))))
    cq["hsa-miR-214-3p", group == "case"] <- cq["hsa-miR-214-3p", group == "case"] - 1.2
    cq["hsa-miR-21-5p", group == "case"] <- cq["hsa-miR-21-5p", group == "case"] + 0.8
    cq["hsa-miR-451a", ] <- cq["hsa-miR-451a", ] - 6
    cq["hsa-miR-133a-3p", 3:4] <- NA
    samples <- data.frame(id = colnames(cq), group = group,
                          plate = rep(c("p1", "p2"), n / 2L),
                          calibrator = seq_len(n) %in% c(1L, 2L),
                          age = round(stats::rnorm(n, 60, 8)),
                          stringsAsFactors = FALSE)
    x <- evset(cq, samples = samples)
    counts <- matrix(stats::rpois(30L * 12L, 60), 30L, 12L,
                     dimnames = list(sprintf("hsa-miR-%d-5p", 101:130), sprintf("S%02d", 1:12)))
    counts[1:3, 1:2] <- 0
    xc <- evset(counts, scale = "counts",
                samples = data.frame(id = colnames(counts),
                                     group = rep(c("a", "b"), 6L),
                                     stringsAsFactors = FALSE))
    refs <- c("hsa-miR-16-5p", "hsa-miR-93-5p")
    imputed <- ev_impute_nondetects(x, "limit", limit = 40)
    norm <- ev_normalize(imputed, "reference", references = refs)
    panel <- c("hsa-miR-21-5p", "hsa-miR-214-3p")
    model <- ev_fit(norm, "group", features = panel)
    frozen <- ev_freeze(model, x, cutpoints = c("youden", rule_in = 0.8), n_boot = 50)
    y <- factor(group, c("control", "case"))
    pred <- norm$values["hsa-miR-214-3p", ]
    roc <- ev_roc(y, pred)
    roc2 <- ev_roc(y, norm$values["hsa-miR-21-5p", ])
    roc_cl <- ev_roc(y, pred, cluster = rep(seq_len(n / 2L), 2L))
    roc_w <- ev_roc(y, pred, weights = seq_len(n) / n)
    steps <- list(
      cq_reference = norm$steps,
      cq_spike = ev_normalize(x[-7, ], "spike_in", spike_ins = "cel-miR-39-3p")$steps,
      cq_global = ev_normalize(imputed, "global_mean", global_set = "common")$steps,
      cq_quantile = ev_normalize(imputed, "quantile")$steps,
      filter = ev_filter(x, min_feature_rate = 0.5)$steps,
      impute_em = ev_impute_nondetects(x, "em", limit = 40)$steps,
      plate_center = ev_calibrate_plates(imputed, "center")$steps,
      plate_calibrator = ev_calibrate_plates(imputed, "calibrator")$steps
    )
    for (m in c("cpm", "tmm", "upper_quartile", "rle", "median_ratio", "poscounts", "quantile")) {
      steps[[paste0("counts_", m)]] <- ev_normalize(xc, m)$steps
    }
    cq_file <- file.path(dir, "cq.csv")
    utils::write.csv(data.frame(sample = colnames(cq), t(cq), check.names = FALSE),
                     cq_file, row.names = FALSE, na = "Undetermined")
    counts_file <- file.path(dir, "counts.csv")
    utils::write.csv(data.frame(mirna = rownames(counts), counts, check.names = FALSE),
                     counts_file, row.names = FALSE)
    model_file <- file.path(dir, "model.json")
    ev_save_model(frozen, model_file)
    latin1_file <- file.path(dir, "latin1.csv")
    writeBin(c(charToRaw("sample,hsa-miR-21-5p\nP\xe9,25\n")), latin1_file)
    empty_file <- file.path(dir, "empty.csv")
    file.create(empty_file)
    list(x = x, xc = xc, norm = norm, imputed = imputed, model = model, frozen = frozen,
         qc = ev_qc(x), y = y, group = group, pred = pred, roc = roc, roc2 = roc2,
         roc_cl = roc_cl, roc_w = roc_w, steps = steps, refs = refs, panel = panel,
         cq_file = cq_file, counts_file = counts_file, model_file = model_file,
         latin1_file = latin1_file, empty_file = empty_file, dir = dir,
         new_patients = t(cq[, 1:3]) + 0.2, cv_data = norm)
  })
}
