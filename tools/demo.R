# The main job (make demo), on the bundled SIMULATED cohort (no real
# patients): QC -> reference stability -> normalization -> screening ->
# panel with cross-validated (out-of-fold) ROC and CI -> frozen model saved
# as JSON -> the held-out SIMULATED patients scored THROUGH THE COMMAND LINE
# (Rscript on the installed inst/scripts/evmirna) -> HTML report -> where the
# outputs are and the headline numbers.
suppressPackageStartupMessages(library(evmirna))

extdata <- function(file) system.file("extdata", file, package = "evmirna")
out_dir <- Sys.getenv("EVMIRNA_DEMO_DIR", "demo-output")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
out_dir <- normalizePath(out_dir)
out <- function(file) file.path(out_dir, file)
banner <- function(text) cat("\n== ", text, " ", strrep("=", max(0, 70 - nchar(text))), "\n", sep = "")
set.seed(20240611)

banner("SIMULATED serum EV miRNA cohort (not real patients)")
cohort <- ev_read_qpcr(extdata("serum_ev_qpcr_cq.csv"),
                       samples = extdata("serum_ev_qpcr_samples.csv"))
print(cohort)

banner("1. Quality control (SIMULATED)")
qc <- ev_qc(cohort)
print(qc)
train <- cohort[, qc$pass]
imputed <- ev_impute_nondetects(train, "limit", limit = 40)

banner("2. Reference stability and normalization (SIMULATED)")
# candidates: target miRNAs measured in every sample (a few cells are empty,
# not non-detects, so imputation leaves them missing)
complete <- rowSums(is.na(imputed$values)) == 0
candidates <- imputed$features$id[imputed$features$role == "target" & complete]
stability <- ev_reference_stability(imputed, candidates = candidates, method = "genorm")
n_ref <- if (is.null(stability$n_suggested)) 2L else max(2L, stability$n_suggested)
references <- utils::head(stability$table[[1L]], n_ref)
cat("geNorm's most stable miRNAs, used as references:", paste(references, collapse = ", "), "\n")
# geNorm uses no outcome, so choosing references on the whole training
# cohort leaks nothing into the cross-validation below.
normalized <- ev_normalize(imputed, "reference", references = references)
targets <- setdiff(candidates, references)

banner("3. Screening: single miRNAs, training cohort (SIMULATED)")
screen <- ev_screen(normalized, "group", features = targets)
print(screen)

banner("4. Panel search: 5-fold CV AUC of all 1-3 miRNA panels, with a permutation null (SIMULATED)")
# The null repeats the whole search on permuted labels: how much of the best
# panel's AUC is selection luck.
panels <- ev_panel_search(normalized, "group", size = 1:3, candidates = targets,
                          n_folds = 5, n_repeats = 1, n_perm = 10)
print(utils::head(as.data.frame(panels), 5), digits = 3, row.names = FALSE)
cat("\nbest AUC on the real labels vs under 10 label permutations, by panel size:\n")
print(evmirna:::panel_null_summary(panels), digits = 3, row.names = FALSE)

banner("5. The panel recipe, validated by 10-fold cross-validation (SIMULATED)")
# The recipe: normalize to the references, keep the 5 targets with the
# strongest AUC, fit a logistic model. All of it is re-learned inside each
# training fold, so the out-of-fold ROC is an honest estimate.
cv <- ev_cv(imputed, "group", method = "logistic", n_folds = 10,
            preprocess = function(s) ev_normalize(s, "reference", references = references),
            screen = list(top = 5), features = targets)
print(cv)
oof_roc <- cv$roc
oof_ci <- ev_ci_auc(oof_roc)

scr <- as.data.frame(screen)
panel <- scr$feature[order(-abs(scr$auc - 0.5))][1:5]
model <- ev_fit(normalized, "group", features = panel)
print(model)
frozen <- ev_freeze(model, cohort, qc = qc, cutpoints = c("youden", rule_in = 0.8),
                    cutpoint_data = structure(cv$pooled[c("group", "prob")],
                                              source = "10-fold out-of-fold predictions"))
cat("\nCut-points chosen on out-of-fold predictions (SIMULATED):\n")
print(frozen$recipe$cutpoints[, c("name", "threshold", "sensitivity", "sensitivity_lower",
                                  "sensitivity_upper", "specificity", "specificity_lower",
                                  "specificity_upper")], digits = 3, row.names = FALSE)

banner("6. Frozen model saved")
model_file <- out("model.json")
ev_save_model(frozen, model_file)
cat("model file:", model_file, sprintf("(%.1f kB, format version 2, SHA-256-checked)\n",
                                       file.size(model_file) / 1024))

banner("7. Held-out SIMULATED patients scored through the command line")
script <- system.file("scripts", "evmirna", package = "evmirna")
rscript <- file.path(R.home("bin"), "Rscript")
scores_file <- out("scores.csv")
args <- c(shQuote(script), "score", "--model", shQuote(model_file),
          "--input", shQuote(extdata("serum_ev_qpcr_new_patients_cq.csv")),
          "--output", shQuote(scores_file))
cat("$ Rscript evmirna score --model model.json --input serum_ev_qpcr_new_patients_cq.csv --output scores.csv\n")
status <- system2(rscript, args)
if (!identical(status, 0L)) stop("the evmirna command line failed (status ", status, ")")
scores <- utils::read.csv(scores_file, comment.char = "#", check.names = FALSE,
                          stringsAsFactors = FALSE)
truth <- utils::read.csv(extdata("serum_ev_qpcr_new_patients_samples.csv"), comment.char = "#")
scores$true_group <- truth$group[match(scores$id, truth$id)]
print(utils::head(scores[c("id", "status", "prob", "risk_youden", "risk_rule_in",
                           "out_of_range", "true_group")], 12), digits = 3, row.names = FALSE)
not_scored <- scores[!scores$scored, c("id", "status", "reason")]
cat("\nNot scored (QC or missing values), with the reason:\n")
print(not_scored, row.names = FALSE)
scored <- scores[scores$scored, ]
new_roc <- ev_roc(scored$true_group, scored$prob, levels = model$levels, direction = "<")
new_ci <- ev_ci_auc(new_roc)
hits <- (scored$risk_youden == "high") == (scored$true_group == model$levels[2L])

banner("8. HTML report")
report_file <- out("report.html")
scores_obj <- structure(scores, provenance = readLines(extdata("serum_ev_qpcr_new_patients_cq.csv"), 1))
ev_report(cohort, qc, stability, screen, panels, frozen, cv, scores_obj,
          "held-out" = new_roc, file = report_file, seed = 20240611,
          title = "SIMULATED serum EV miRNA panel for osteoporosis",
          png_dir = out("figures"))
cat("report:", report_file, "\n")

banner("Outputs (all from SIMULATED data)")
cat("  model   ", model_file, "\n  scores  ", scores_file, "\n  report  ", report_file,
    "\n  figures ", out("figures"), "\n", sep = "")
banner("Headline numbers (SIMULATED)")
cat(sprintf("  training cohort: %d samples, %d pass QC; panel: %s\n", ncol(cohort$values),
            sum(qc$pass), paste(panel, collapse = ", ")))
cat(sprintf("  cross-validated AUC %.3f (95%% CI %.3f-%.3f)\n", oof_ci[["auc"]],
            oof_ci[["lower"]], oof_ci[["upper"]]))
cp <- frozen$recipe$cutpoints[1, ]
cat(sprintf("  Youden cut-point p >= %.3f: sensitivity %.2f (%.2f-%.2f), specificity %.2f (%.2f-%.2f)\n",
            cp$threshold, cp$sensitivity, cp$sensitivity_lower, cp$sensitivity_upper,
            cp$specificity, cp$specificity_lower, cp$specificity_upper))
cat(sprintf("  held-out patients: %d, scored %d, not scored (QC or missing values) %d; AUC %.3f (95%% CI %.3f-%.3f); correct risk class at the Youden cut-point %d/%d\n",
            nrow(scores), nrow(scored), nrow(not_scored), new_ci[["auc"]], new_ci[["lower"]],
            new_ci[["upper"]], sum(hits), length(hits)))
cat("All numbers above come from SIMULATED data.\n")
