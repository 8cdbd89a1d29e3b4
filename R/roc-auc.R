# ev_auc(): full or partial area under an ev_roc curve.

#' Area under a ROC curve, full or partial
#'
#' The full AUC is the Mann-Whitney statistic (ties count one half). A
#' partial AUC integrates the empirical curve over a range of specificities
#' (`focus = "specificity"`) or sensitivities, interpolating linearly at the
#' ends of the range, as pROC does. `correct = TRUE` applies McClish's
#' correction, which maps the area under the diagonal to 0.5 and the maximal
#' area to 1; it is undefined (and returned as `NA` with a warning) for a
#' curve below the diagonal over the range.
#'
#' @param roc An `ev_roc` object.
#' @param partial `NULL` for the full AUC, or a range of two different
#'   values in \[0, 1\], in either order (pROC's `partial.auc = c(1, 0.9)`
#'   equals `c(0.9, 1)`): the specificity (or sensitivity) range.
#' @param focus `"specificity"` or `"sensitivity"`: which axis `partial`
#'   refers to.
#' @param correct McClish correction of a partial AUC.
#' @return A single number.
#' @references
#' Hanley JA, McNeil BJ (1982). The meaning and use of the area under a
#' receiver operating characteristic (ROC) curve. *Radiology* 143(1), 29-36.
#' \doi{10.1148/radiology.143.1.7063747}
#'
#' McClish DK (1989). Analyzing a portion of the ROC curve. *Medical
#' Decision Making* 9(3), 190-195. \doi{10.1177/0272989X8900900307}
#' @examples
#' set.seed(2)
#' y <- rep(0:1, each = 40)
#' x <- rnorm(80, mean = y)
#' r <- ev_roc(y, x)
#' ev_auc(r)
#' ev_auc(r, partial = c(0.8, 1))
#' ev_auc(r, partial = c(0.8, 1), correct = TRUE)
#' @export
ev_auc <- function(roc, partial = NULL, focus = c("specificity", "sensitivity"),
                   correct = FALSE) {
  check_ev_roc(roc)
  spec <- auc_spec(partial, focus, correct)
  auc_of(roc, spec)
}

# A validated description of which area is wanted, shared by the CI, test
# and bootstrap code.
auc_spec <- function(partial = NULL, focus = "specificity", correct = FALSE) {
  focus <- check_choice(focus, c("specificity", "sensitivity"), "focus")
  check_flag(correct, "correct")
  if (!is.null(partial)) {
    if (!is.numeric(partial) || length(partial) != 2L || anyNA(partial)) {
      ev_abort("`partial` must be NULL or c(lower, upper).", "evmirna_error_shape",
               "partial")
    }
    if (any(partial < 0 | partial > 1)) {
      ev_abort("`partial` must lie within [0, 1].", "evmirna_error_value", "partial")
    }
    if (partial[[1L]] == partial[[2L]]) {
      ev_abort(sprintf("`partial` must be a range of two different values, not c(%s, %s).",
                       format(partial[[1L]]), format(partial[[2L]])),
               "evmirna_error_value", "partial")
    }
    partial <- sort(partial)  # pROC writes partial.auc = c(1, 0.9)
  }
  list(partial = if (is.null(partial)) NULL else as.double(partial),
       focus = focus, correct = correct)
}

auc_of <- function(roc, spec, invalid_na = TRUE) {
  if (is.null(spec$partial)) return(roc$auc)
  val <- .Call(C_roc_partial_auc, roc$sensitivities, roc$specificities,
               spec$partial, as.integer(spec$focus == "sensitivity"),
               as.integer(spec$correct), as.integer(invalid_na))
  if (is.na(val)) {
    ev_warn("McClish correction is undefined for a curve below the diagonal over `partial`; returning NA.",
            "evmirna_warning_correction", "correct")
  }
  val
}

auc_label <- function(spec) {
  if (is.null(spec$partial)) return("AUC")
  sprintf("%spartial AUC (%s %s-%s)", if (spec$correct) "corrected " else "",
          spec$focus, format(spec$partial[[1L]]), format(spec$partial[[2L]]))
}
