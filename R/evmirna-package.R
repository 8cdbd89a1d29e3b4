#' evmirna: extracellular-vesicle miRNA biomarker analysis
#'
#' From a raw serum EV miRNA panel (RT-qPCR Cq values or small-RNA-seq
#' counts) to a scored patient: quality control, normalization, single-miRNA
#' screening, panel classifiers with honest validation, and frozen recipes
#' for scoring new patients. Numeric kernels are written in C.
#'
#' The example cohorts shipped with the package are simulated; the curated
#' tables come from a published review of EVs in osteoporosis.
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
#' @keywords internal
#' @useDynLib evmirna, .registration = TRUE
"_PACKAGE"
