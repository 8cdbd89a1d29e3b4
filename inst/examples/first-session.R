library(evmirna)
# The bundled cohort is SIMULATED (200 post-menopausal women, osteoporosis
# vs controls, a 40-miRNA serum EV RT-qPCR panel): no real patients.
extdata <- function(file) system.file("extdata", file, package = "evmirna")
cohort <- ev_read_qpcr(extdata("serum_ev_qpcr_cq.csv"),
                       samples = extdata("serum_ev_qpcr_samples.csv"))
cohort                               # roles, non-detects, groups
qc <- ev_qc(cohort)                  # non-detects, hemolysis (miR-451a/miR-23a-3p), spike-in
qc
train <- ev_impute_nondetects(cohort[, qc$pass], "limit", limit = 40)
train <- ev_filter(train, min_feature_rate = 1, detection_cq = 41)  # miRNAs with no gaps

# References: geNorm ranks the target miRNAs by how stably they are
# expressed across samples (the hemolysis markers and the spike-in are not
# candidates). geNorm never looks at the groups, so choosing the references
# on the whole cohort leaks nothing into the cross-validation below. Its
# pairwise variation V2/3 < 0.15 says two references suffice: we take the
# two most stable.
candidates <- train$features$id[train$features$role == "target"]
stability <- ev_reference_stability(train, candidates = candidates, method = "genorm")
head(stability$table, 5)             # most stable first; print(stability) for all
stability$n_suggested
references <- head(stability$table[[1L]], 2)
references
normalized <- ev_normalize(train, "reference", references = references)
targets <- setdiff(candidates, references)

# Screening: each miRNA alone (AUC with DeLong CI, Wilcoxon, Welch, FDR)
screen <- ev_screen(normalized, "group", features = targets)
screening <- as.data.frame(screen)
head(screening[order(screening$p_wilcoxon_bh),
               c("feature", "log2_fc", "auc", "auc_lower", "auc_upper", "p_wilcoxon_bh")], 8)

# Panel search: the 5-fold CV AUC of every panel of 1 or 2 miRNAs, with a
# permutation null that repeats the whole search on permuted labels (how
# much of the best AUC is selection luck). Kept short here, about 5 s:
# n_repeats = 1 and n_perm = 19. The smallest reachable p is then
# 1/(19 + 1) = 0.05, so p_perm = 0.05 only says "better than every
# permutation". A fuller search (size = 1:3, the default n_repeats = 10) takes
# about 40 s per search on a 2-core machine, and the null multiplies that by
# n_perm + 1.
set.seed(1)
panels <- ev_panel_search(normalized, "group", size = 1:2, candidates = targets,
                          n_repeats = 1, n_perm = 19)
head(as.data.frame(panels)[, c("panel", "auc", "auc_lower", "auc_upper", "p_perm")], 5)

# Honest performance: 10-fold CV of the whole recipe, normalization and the
# choice of the 5 strongest miRNAs re-learned inside each training fold.
set.seed(2)
cv <- ev_cv(train, "group", method = "logistic", n_folds = 10,
            preprocess = function(s) ev_normalize(s, "reference", references = references),
            screen = list(top = 5), features = targets)
cv                                   # out-of-fold AUC with CI, calibration, Brier score

# The final model: the same recipe on every training sample; cut-points on
# the out-of-fold predictions.
model <- cv$model
model
frozen <- ev_freeze(model, cohort, qc = qc, cutpoints = "youden",
                    cutpoint_data = structure(cv$pooled[c("group", "prob")],
                                              source = "10-fold out-of-fold predictions"),
                    n_boot = 500)
model_file <- file.path(tempdir(), "model.json")
ev_save_model(frozen, model_file)    # JSON, format version, SHA-256 checksum

# 40 SIMULATED new patients, scored with the frozen recipe (nothing is
# re-estimated from them; patients failing QC get a reason, not a score)
new_patients <- ev_read_qpcr(extdata("serum_ev_qpcr_new_patients_cq.csv"))
scores <- ev_score(ev_load_model(model_file), new_patients)
head(as.data.frame(scores)[, c("id", "status", "prob", "risk_youden")])
table(as.data.frame(scores)$status)

ev_annotate(model$features, keep_unmatched = FALSE)[, c("harmonized", "source_cell",
                                                        "target_cell", "effect")]
