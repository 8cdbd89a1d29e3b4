# A frozen panel trained on the bundled SIMULATED cohort, shared by the
# scoring, model-file, command-line and report tests (built once per run).
score_env <- new.env()

score_fixture <- function() {
  if (is.null(score_env$fixture)) {
    ext <- function(f) system.file("extdata", f, package = "evmirna")
    x <- ev_read_qpcr(ext("serum_ev_qpcr_cq.csv"),
                      samples = ext("serum_ev_qpcr_samples.csv"))
    new <- ev_read_qpcr(ext("serum_ev_qpcr_new_patients_cq.csv"),
                        samples = ext("serum_ev_qpcr_new_patients_samples.csv"))
    qc <- ev_qc(x)
    normalized <- ev_normalize(ev_impute_nondetects(x[, qc$pass], "limit", limit = 40),
                               "global_mean")
    panel <- c("hsa-miR-214-3p", "hsa-miR-21-5p", "hsa-miR-133a-3p")
    model <- ev_fit(normalized, "group", features = panel)
    set.seed(11)
    frozen <- ev_freeze(model, x, qc = qc, cutpoints = c("youden", rule_in = 0.8),
                        n_boot = 200)
    score_env$fixture <- list(x = x, new = new, qc = qc, normalized = normalized,
                              model = model, frozen = frozen, panel = panel,
                              cq_file = ext("serum_ev_qpcr_new_patients_cq.csv"),
                              train_file = ext("serum_ev_qpcr_cq.csv"),
                              train_samples = ext("serum_ev_qpcr_samples.csv"))
  }
  score_env$fixture
}
