# The SIMULATED example cohorts: the shipped raw files read back give the
# shipped datasets, and the design documented in ?serum_ev_qpcr and
# ?serum_ev_counts holds in the draw.

extdata <- function(name) {
  path <- system.file("extdata", name, package = "evmirna")
  expect_true(nzchar(path), info = name)
  path
}

read_shipped_qpcr <- function(prefix) {
  x <- ev_read_qpcr(extdata(paste0(prefix, "_cq.csv")),
                    samples = extdata(paste0(prefix, "_samples.csv")))
  x$samples$group <- factor(x$samples$group,
                            levels = c("control", "osteoporosis"))
  x
}

# AUC as the Mann-Whitney probability that an osteoporosis value exceeds a
# control value (ties count one half), over pairs of non-missing values.
mann_whitney_auc <- function(value, osteo) {
  ok <- !is.na(value)
  x <- value[ok & osteo]
  y <- value[ok & !osteo]
  mean(outer(x, y, ">")) + 0.5 * mean(outer(x, y, "=="))
}


test_that("the shipped qPCR files read back to the shipped datasets", {
  for (case in list(list("serum_ev_qpcr", serum_ev_qpcr),
                    list("serum_ev_qpcr_new_patients", serum_ev_qpcr_new))) {
    x <- read_shipped_qpcr(case[[1]])
    shipped <- case[[2]]
    expect_s3_class(shipped, "evset")
    expect_identical(x$values, shipped$values)
    expect_identical(x$missing_reason, shipped$missing_reason)
    expect_identical(x$samples, shipped$samples)
    expect_identical(x$features$id, shipped$features$id)
    expect_identical(x$features$role, shipped$features$role)
    expect_identical(x$scale, "cq")
  }
})

test_that("the shipped count files read back to the shipped dataset", {
  x <- ev_read_counts(extdata("serum_ev_counts.csv"),
                      samples = extdata("serum_ev_counts_samples.csv"))
  expect_identical(x$values, serum_ev_counts$values)
  expect_identical(x$missing_reason, serum_ev_counts$missing_reason)
  expect_identical(x$samples$id, serum_ev_counts$samples$id)
  expect_identical(x$samples$age, serum_ev_counts$samples$age)
  expect_identical(x$samples$batch, serum_ev_counts$samples$batch)
  expect_identical(factor(x$samples$group, c("control", "osteoporosis")),
                   serum_ev_counts$samples$group)
  expect_identical(x$features$id, serum_ev_counts$features$id)
})

test_that("every cohort says it is simulated, in the data and in the files", {
  for (x in list(serum_ev_qpcr, serum_ev_qpcr_new, serum_ev_counts)) {
    expect_match(x$provenance, "^SIMULATED cohort \\(data-raw/simulate_")
    expect_match(x$provenance, "not real patients")
  }
  files <- c("serum_ev_qpcr_cq.csv", "serum_ev_qpcr_samples.csv",
             "serum_ev_qpcr_new_patients_cq.csv",
             "serum_ev_qpcr_new_patients_samples.csv",
             "serum_ev_qpcr_plate1_long.csv", "serum_ev_counts.csv",
             "serum_ev_counts_samples.csv")
  for (f in files) {
    path <- extdata(f)
    expect_match(readLines(path, n = 1L), "^# SIMULATED data", info = f)
    expect_lt(file.size(path), 250000)
  }
})

test_that("qPCR cohorts have the documented shape, groups and covariates", {
  expect_identical(rownames(serum_ev_qpcr$values), simulated_panel_ids)
  expect_identical(rownames(serum_ev_qpcr_new$values), simulated_panel_ids)
  expect_equal(dim(serum_ev_qpcr), c(40L, 200L))
  expect_equal(dim(serum_ev_qpcr_new), c(40L, 40L))
  expect_equal(as.vector(table(serum_ev_qpcr$samples$group)), c(100L, 100L))
  expect_equal(as.vector(table(serum_ev_qpcr_new$samples$group)), c(20L, 20L))
  expect_equal(levels(serum_ev_qpcr$samples$group),
               c("control", "osteoporosis"))
  expect_named(serum_ev_qpcr$samples,
               c("id", "group", "age", "bmd_tscore", "plate"))
  expect_length(intersect(serum_ev_qpcr$samples$id,
                          serum_ev_qpcr_new$samples$id), 0L)
  s <- serum_ev_qpcr$samples
  osteo <- s$group == "osteoporosis"
  expect_true(all(s$bmd_tscore[osteo] <= -2.5))
  expect_true(all(s$bmd_tscore[!osteo] > -2.5))
  expect_true(all(s$age >= 50 & s$age <= 85))
  expect_setequal(unique(s$plate), c("plate1", "plate2", "plate3"))
  expect_setequal(unique(serum_ev_qpcr_new$samples$plate), "plate4")
})

test_that("feature roles are recognised from the names", {
  for (x in list(serum_ev_qpcr, serum_ev_qpcr_new, serum_ev_counts)) {
    role <- stats::setNames(x$features$role, x$features$id)
    expect_equal(unname(role["cel-miR-39-3p"]), "spike_in")
    expect_equal(unname(role[c("hsa-miR-451a", "hsa-miR-23a-3p")]),
                 c("hemolysis", "hemolysis"))
    expect_equal(sum(role == "spike_in"), 1L)
    expect_equal(sum(role == "hemolysis"), 2L)
  }
})

test_that("miR-214-3p is more abundant (lower Cq) in osteoporosis", {
  for (x in list(serum_ev_qpcr, serum_ev_qpcr_new)) {
    cq <- x$values["hsa-miR-214-3p", ]
    osteo <- x$samples$group == "osteoporosis"
    expect_lt(mean(cq[osteo], na.rm = TRUE) - mean(cq[!osteo], na.rm = TRUE),
              -0.5)
  }
})

test_that("hemolysis flags match the documented design", {
  d <- serum_ev_qpcr$values["hsa-miR-23a-3p", ] -
    serum_ev_qpcr$values["hsa-miR-451a", ]
  expect_false(anyNA(d))
  # 10 hemolysed and 14 at-risk samples by design, 176 clean.
  expect_gte(sum(d > 7), 6L)
  expect_lte(sum(d > 7), 14L)
  expect_gte(sum(d > 5 & d <= 7), 8L)
  expect_lte(sum(d > 5 & d <= 7), 22L)
  expect_gte(sum(d <= 5), 160L)
  d_new <- serum_ev_qpcr_new$values["hsa-miR-23a-3p", ] -
    serum_ev_qpcr_new$values["hsa-miR-451a", ]
  expect_gte(sum(d_new > 7), 1L)
  expect_lte(sum(d_new > 7), 4L)
})

test_that("non-detects are present, explained, and where abundance is low", {
  x <- serum_ev_qpcr
  reasons <- x$missing_reason[is.na(x$values)]
  expect_false(anyNA(reasons))
  expect_setequal(unique(reasons), c("undetermined", "empty"))
  expect_gte(sum(reasons == "undetermined"), 20L)
  expect_gte(sum(reasons == "empty"), 3L)
  expect_true(all(is.na(x$missing_reason[!is.na(x$values)])))
  undetermined <- rowSums(x$missing_reason == "undetermined", na.rm = TRUE)
  expect_setequal(names(sort(undetermined, decreasing = TRUE))[1:2],
                  c("hsa-miR-503-3p", "hsa-miR-885-5p"))
  expect_true(all(x$values < 40, na.rm = TRUE))
  expect_true(all(x$values > 12, na.rm = TRUE))
  # The spike-in and references are always detected.
  expect_false(anyNA(x$values[c("cel-miR-39-3p", "hsa-miR-16-5p",
                                "hsa-miR-191-5p", "hsa-miR-93-5p"), ]))
})

test_that("the long plate-1 export averages its duplicates to the wide values", {
  long <- ev_read_qpcr(extdata("serum_ev_qpcr_plate1_long.csv"))
  expect_equal(dim(long), c(40L, 4L))
  expect_identical(rownames(long$values), simulated_panel_ids)
  expect_equal(long$steps[[1]]$layout, "long")
  expect_equal(long$steps[[1]]$replicates, "mean of detected replicates")
  ids <- colnames(long$values)
  expect_true(all(serum_ev_qpcr$samples$plate[match(ids, serum_ev_qpcr$samples$id)] ==
                    "plate1"))
  expect_equal(long$values, serum_ev_qpcr$values[, ids], tolerance = 1e-9)
  expect_identical(long$missing_reason, serum_ev_qpcr$missing_reason[, ids])
  # Duplicates really differ: the file holds 320 wells, not 160 copies.
  tab <- utils::read.csv(extdata("serum_ev_qpcr_plate1_long.csv"),
                         skip = 7L, colClasses = "character")
  expect_equal(nrow(tab), 320L)
  ct <- suppressWarnings(as.numeric(tab$CT))
  pair <- paste(tab$Sample.Name, tab$Target.Name)
  spread <- tapply(ct, pair, function(v) diff(range(v)))
  expect_gt(mean(spread > 0, na.rm = TRUE), 0.5)
})

test_that("single-miRNA AUCs are modest and miR-214-3p is among the strongest", {
  x <- serum_ev_qpcr
  osteo <- x$samples$group == "osteoporosis"
  targets <- x$features$id[x$features$role == "target" &
                             !x$features$id %in% c("hsa-miR-16-5p",
                                                   "hsa-miR-191-5p",
                                                   "hsa-miR-93-5p")]
  expect_length(targets, 34L)
  auc <- vapply(targets, function(id) mann_whitney_auc(x$values[id, ], osteo),
                numeric(1))
  # Orientation-free discrimination: lower Cq means more abundant.
  strength <- pmax(auc, 1 - auc)
  expect_gte(mean(strength >= 0.5 & strength <= 0.8), 0.9)
  expect_true(all(strength < 0.85))
  expect_gte(sum(strength >= 0.58), 5L)
  expect_true("hsa-miR-214-3p" %in% names(sort(strength, decreasing = TRUE))[1:3])
  # miR-214-3p is raised in osteoporosis: its Cq tends to be lower.
  expect_lt(auc[["hsa-miR-214-3p"]], 0.35)
  # miRNAs without a disease shift stay near 0.5.
  null_ids <- c("hsa-miR-27a-3p", "hsa-miR-30c-5p", "hsa-miR-146a-5p",
                "hsa-miR-126-3p", "hsa-let-7a-5p", "hsa-miR-181a-5p")
  expect_true(all(abs(auc[null_ids] - 0.5) < 0.1))
  # The Mann-Whitney formula agrees with the rank-sum statistic.
  v <- x$values["hsa-miR-214-3p", ]
  w <- suppressWarnings(stats::wilcox.test(v[osteo], v[!osteo], exact = FALSE))
  expect_equal(unname(w$statistic) / (sum(osteo) * sum(!osteo)),
               auc[["hsa-miR-214-3p"]], tolerance = 1e-12)
})

test_that("the count cohort has the documented shape and count properties", {
  x <- serum_ev_counts
  expect_equal(dim(x), c(300L, 120L))
  expect_identical(x$scale, "counts")
  expect_identical(rownames(x$values)[1:40], simulated_panel_ids)
  expect_true(all(grepl("^sim-miRNA-[0-9]{3}$", rownames(x$values)[-(1:40)])))
  expect_equal(as.vector(table(x$samples$group)), c(60L, 60L))
  expect_named(x$samples, c("id", "group", "age", "batch"))
  v <- x$values
  expect_false(anyNA(v))
  expect_true(all(v >= 0 & v == round(v)))
  lib <- colSums(v)
  # Targets within 50,000-2,000,000 reads; totals add sampling noise.
  expect_gte(min(lib), 40000)
  expect_lte(max(lib), 2500000)
  expect_gte(max(lib) / min(lib), 10)
  expect_gt(mean(v == 0), 0.01)
  share <- sort(rowSums(v), decreasing = TRUE) / sum(v)
  expect_gte(sum(share[1:5]), 0.4)
  expect_lt(share[[150]], 0.001)
  # Overdispersion: variance above the Poisson level for the abundant ones.
  cpm <- sweep(v, 2L, lib, "/") * mean(lib)
  abundant <- rowMeans(cpm) > 100
  ratio <- apply(cpm[abundant, ], 1L, stats::var) / rowMeans(cpm[abundant, ])
  expect_gt(stats::median(ratio), 5)
  # Differential abundance: miR-214-3p up, miR-196a-5p down in osteoporosis.
  osteo <- x$samples$group == "osteoporosis"
  logcpm <- log2(cpm + 0.5)
  expect_gt(mann_whitney_auc(logcpm["hsa-miR-214-3p", ], osteo), 0.7)
  expect_lt(mann_whitney_auc(logcpm["hsa-miR-196a-5p", ], osteo), 0.35)
})
