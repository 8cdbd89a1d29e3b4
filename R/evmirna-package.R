#' evmirna: extracellular-vesicle miRNA biomarker analysis
#'
#' From a raw serum EV miRNA panel (RT-qPCR Cq values or small-RNA-seq
#' counts) to a scored patient: quality control, normalization, single-miRNA
#' screening, panel classifiers with honest validation, and frozen recipes
#' for scoring new patients. Numeric kernels are written in C.
#'
#' @section The workflow:
#' \preformatted{
#'  read          ev_read_qpcr() / ev_read_counts() / evset() / as_evset()
#'    |           plot(<evset>): distributions and missing cells
#'  check         ev_qc()  (hemolysis, spike-in, outliers)     plot(<ev_qc>)
#'    |           ev_filter(), ev_calibrate_plates()
#'  normalize     ev_reference_stability() (geNorm, NormFinder, BestKeeper)
#'    |           ev_impute_nondetects(), ev_normalize(), ev_norm_factors()
#'  screen        ev_screen()  (AUC + DeLong CI, fold change, tests, FDR)
#'    |           ev_roc(), ev_auc(), ev_ci_auc(), ev_roc_test(), ev_coords()
#'  panels        ev_panel_search()  (CV AUC of every small panel,
#'    |                               permutation null)
#'  model         ev_fit()  (logistic, Firth, elastic net, LDA, DLDA)
#'    |           ev_cv_lambda() for the penalty
#'  validate      ev_cv()  (the whole recipe re-learned per fold:
#'    |                     out-of-fold ROC, calibration, decision curve)
#'    |           ev_validate_bootstrap()  (Harrell optimism, .632+)
#'  freeze        ev_freeze()  (QC rules + steps + model + cut-points)
#'    |           ev_save_model() / ev_load_model()
#'  score         ev_score()  (new patients; QC failures not scored, with
#'    |                        the reason)  or the command line:
#'    |           system.file("scripts", "evmirna", package = "evmirna")
#'  report        ev_report()  (self-contained HTML from the R Markdown
#'                template "evmirna-report"), ev_report_data()
#' }
#' Every result has `print()`, `plot()` (base graphics, with `main`, `xlab`,
#' `ylab`) and `as.data.frame()`; with ggplot2 installed, `autoplot()` too
#' ([autoplot-evmirna]). Curated knowledge: [bone_remodeling_evs],
#' [ev_tissue_roles], [ev_subtypes] and [ev_annotate()]; miRBase names:
#' [ev_mirna_name()]. Example cohorts: [serum_ev_qpcr], [serum_ev_counts].
#'
#' @section Vocabulary:
#' One spelling per idea across the verbs. Old spellings still work for one
#' release, with one warning of class `evmirna_warning_deprecated`.
#'
#' | idea | spelling | deprecated |
#' | --- | --- | --- |
#' | case class | `positive` (`ev_roc()` also takes pROC's `levels = c(control, case)`) | |
#' | outcome | `group` in evset verbs; `response, predictor` in `ev_roc()` (pROC) | |
#' | resample counts | `n_boot`, `n_perm`, `n_folds`, `n_repeats`, `n_lambda` | `folds`, `repeats`, `nlambda` |
#' | fold assignment given by hand | `foldid` | `folds` as a vector |
#' | elastic-net penalties | `lambda` the sequence, `s` the chosen value (glmnet) | `lambda_path`; a single `lambda` as the chosen value |
#' | repeat column of result tables | `rep_id` | `repeat` |
#' | result classes | `ev_fit`/`ev_model`, `ev_panel_search`/`ev_panels`, `ev_validate_bootstrap`/`ev_validation` (verb's name first) | |
#'
#' The example cohorts shipped with the package are SIMULATED; the curated
#' tables come from a published review of EVs in osteoporosis (He et al.
#' 2021).
#'
#' @references
#' He Y, Wuertz-Kozak K, Kuehl LK, Wippert PM (2021). Extracellular
#' vesicles: potential mediators of psychosocial stress contribution to
#' osteoporosis? *International Journal of Molecular Sciences* 22(11), 5846.
#' \doi{10.3390/ijms22115846}
#'
#' Collins GS, Reitsma JB, Altman DG, Moons KGM (2015). Transparent
#' reporting of a multivariable prediction model for individual prognosis or
#' diagnosis (TRIPOD): the TRIPOD statement. *Annals of Internal Medicine*
#' 162(1), 55-63. \doi{10.7326/M14-0697}
#' @seealso `citation("evmirna")`
#' @keywords internal
#' @useDynLib evmirna, .registration = TRUE
"_PACKAGE"
