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
#' @keywords internal
#' @useDynLib evmirna, .registration = TRUE
"_PACKAGE"
