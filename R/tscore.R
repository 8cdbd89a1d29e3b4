# ev_cut_tscore(): DXA T-scores into the WHO bone-status classes.

#' WHO bone-status classes from DXA T-scores
#'
#' Classifies T-scores as the WHO (1994) criteria do: **normal** for
#' \eqn{T \ge -1}, **osteopenia** (low bone mass) for \eqn{-2.5 < T < -1},
#' **osteoporosis** for \eqn{T \le -2.5}. The boundaries belong to the
#' worse class at -2.5 and to the better class at -1, as the definitions
#' read. Other `cuts` (two increasing numbers) move the boundaries with
#' the same rule: \eqn{T \le} `cuts[1]` is the lowest class, \eqn{T \ge}
#' `cuts[2]` the highest.
#'
#' T-scores beyond +/- 10 standard deviations are not plausible DXA
#' readings (often a BMD in g/cm2 or a Z-score column by mistake, or a
#' data-entry error); they are classified but trigger a warning of class
#' `evmirna_warning_implausible`. `NA` stays `NA`.
#'
#' @param t Numeric vector of T-scores.
#' @param cuts Two increasing class boundaries: `c(osteoporosis, normal)`.
#' @param labels Three class labels, from the best bone status to the worst.
#' @return An ordered factor with levels `labels` in the order
#'   normal < osteopenia < osteoporosis, i.e. increasing bone loss, the order
#'   [ev_roc_multiclass()] uses for "higher class".
#' @references
#' World Health Organization (1994). Assessment of fracture risk and its
#' application to screening for postmenopausal osteoporosis. WHO Technical
#' Report Series 843.
#' @examples
#' ev_cut_tscore(c(0.3, -1, -1.7, -2.5, -3.1, NA))
#' @export
ev_cut_tscore <- function(t, cuts = c(-2.5, -1),
                          labels = c("normal", "osteopenia", "osteoporosis")) {
  if (!is.numeric(t) || is.factor(t) || !is.null(dim(t))) {
    ev_abort("`t` must be a numeric vector of T-scores.", "evmirna_error_type", "t")
  }
  if (!is.numeric(cuts) || length(cuts) != 2L || anyNA(cuts) || any(!is.finite(cuts)) ||
      cuts[1L] >= cuts[2L]) {
    ev_abort("`cuts` must be two finite increasing numbers, e.g. c(-2.5, -1).",
             "evmirna_error_value", "cuts")
  }
  if (!is.character(labels) || length(labels) != 3L || anyNA(labels) ||
      anyDuplicated(labels)) {
    ev_abort("`labels` must be three distinct strings, best bone status first.",
             "evmirna_error_value", "labels")
  }
  if (any(is.nan(t) | is.infinite(t))) {
    ev_abort("`t` has NaN or infinite values.", "evmirna_error_value", "t")
  }
  wild <- which(!is.na(t) & abs(t) > 10)
  if (length(wild)) {
    ev_warn(sprintf(paste("`t` has %d value(s) beyond +/- 10 (%s), not plausible",
                          "DXA T-scores; check that the column holds T-scores."),
                    length(wild), format_offenders(format(t[wild]))),
            "evmirna_warning_implausible", "t")
  }
  cls <- ifelse(t >= cuts[2L], 1L, ifelse(t > cuts[1L], 2L, 3L))
  factor(labels[cls], levels = labels, ordered = TRUE)
}
