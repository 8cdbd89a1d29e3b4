# A demo-style analysis of the bundled SIMULATED cohort (as tools/demo.R,
# with a smaller panel search), built once per test run for the report tests.
report_env <- new.env()

report_fixture <- function() {
  if (is.null(report_env$fixture)) {
    ext <- function(f) system.file("extdata", f, package = "evmirna")
    set.seed(20240611)
    cohort <- ev_read_qpcr(ext("serum_ev_qpcr_cq.csv"), samples = ext("serum_ev_qpcr_samples.csv"))
    qc <- ev_qc(cohort)
    imputed <- ev_impute_nondetects(cohort[, qc$pass], "limit", limit = 40)
    complete <- rowSums(is.na(imputed$values)) == 0
    candidates <- imputed$features$id[imputed$features$role == "target" & complete]
    stability <- ev_reference_stability(imputed, candidates = candidates, method = "genorm")
    references <- utils::head(stability$table[[1L]], 2L)
    normalized <- ev_normalize(imputed, "reference", references = references)
    targets <- setdiff(candidates, references)
    screen <- ev_screen(normalized, "group", features = targets)
    panels <- ev_panel_search(normalized, "group", size = 1:2, candidates = targets,
                              n_folds = 5, n_repeats = 1, n_perm = 3)
    cv <- ev_cv(imputed, "group", method = "logistic", n_folds = 10,
                preprocess = function(s) ev_normalize(s, "reference", references = references),
                screen = list(top = 5), features = targets)
    panel <- screen$feature[order(-abs(screen$auc - 0.5))][1:5]
    model <- ev_fit(normalized, "group", features = panel)
    frozen <- ev_freeze(model, cohort, qc = qc, cutpoints = c("youden", rule_in = 0.8),
                        n_boot = 200,
                        cutpoint_data = structure(cv$pooled[c("group", "prob")],
                                                  source = "10-fold out-of-fold predictions"))
    new <- ev_read_qpcr(ext("serum_ev_qpcr_new_patients_cq.csv"))
    scores <- ev_score(frozen, new)
    truth <- utils::read.csv(ext("serum_ev_qpcr_new_patients_samples.csv"), comment.char = "#")
    ok <- scores$scored
    held_out <- ev_roc(truth$group[match(scores$id[ok], truth$id)], scores$prob[ok],
                       levels = model$levels, direction = "<")
    report_env$fixture <- list(cohort = cohort, qc = qc, stability = stability,
                               screen = screen, panels = panels, cv = cv, model = model,
                               frozen = frozen, scores = scores, held_out = held_out,
                               normalized = normalized, targets = targets)
  }
  report_env$fixture
}

# The demo-style report, rendered once.
report_demo_file <- function() {
  if (is.null(report_env$file)) {
    f <- report_fixture()
    file <- tempfile("report-", fileext = ".html")
    ev_report(f$cohort, f$qc, f$stability, f$screen, f$panels, f$frozen, f$cv, f$scores,
              "held-out" = f$held_out, file = file, seed = 20240611, n_boot = 200,
              title = "SIMULATED serum EV miRNA panel for osteoporosis",
              png_dir = file.path(dirname(file), "report-figures"))
    report_env$file <- file
  }
  report_env$file
}
