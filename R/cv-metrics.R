# Performance of out-of-sample predictions: calibration (logistic
# recalibration), Brier score, net benefit; and the assembly of an ev_cv.

check_thresholds <- function(thresholds) {
  if (!is.numeric(thresholds) || !length(thresholds) || anyNA(thresholds) ||
      any(thresholds <= 0 | thresholds >= 1)) {
    ev_abort("`thresholds` must be risk thresholds strictly between 0 and 1.",
             "evmirna_error_value", "thresholds")
  }
  invisible(thresholds)
}

check_prevalence <- function(prevalence) {
  if (is.null(prevalence)) return(invisible(NULL))
  check_number(prevalence, "prevalence", lower = 0, upper = 1)
  if (prevalence <= 0 || prevalence >= 1) {
    ev_abort("`prevalence` must lie strictly between 0 and 1.", "evmirna_error_value",
             "prevalence")
  }
  invisible(prevalence)
}

# Calibration intercept (y ~ offset(lp)) and slope (y ~ lp) by IRLS in C,
# plus the Brier score of p = plogis(lp).
calibration_stats <- function(y, lp) {
  y <- as.double(y)
  n <- length(y)
  ones <- matrix(1, n, 1L)
  citl <- .Call(C_logistic_fit, ones, y, as.double(lp), 100L, 1e-12)
  slope <- .Call(C_logistic_fit, cbind(1, lp), y, rep(0, n), 100L, 1e-12)
  list(intercept = citl$coefficients[1L], slope = slope$coefficients[2L],
       slope_intercept = slope$coefficients[1L],
       brier = mean((stats::plogis(lp) - y)^2),
       slope_converged = isTRUE(slope$converged))
}

# One-line caveats for degenerate cross-validation results (empty when
# none): a zero-width AUC interval, a calibration slope without a finite
# estimate, and fewer than 10 events per candidate predictor (the smaller
# class over the candidate terms, screened-out ones included; Peduzzi et al.
# 1996).
cv_caveats <- function(ci, y, lp, cal, n_candidates) {
  out <- attr(ci, "caveat")
  if (length(unique(y)) == 2L && (separates(lp, y) || !cal$slope_converged)) {
    out <- c(out, sprintf("calibration slope %.3g is not a finite estimate: the out-of-fold log-odds %s, so the slope grows without bound.",
                          cal$slope, if (separates(lp, y)) "separate the classes perfectly"
                          else "nearly separate the classes (the fit did not converge)"))
  }
  events <- min(sum(y), sum(1 - y))
  if (!is.null(n_candidates) && n_candidates > 0 && events / n_candidates < 10) {
    out <- c(out, sprintf("%.1f events per candidate predictor (%d in the smaller class, %d candidates), below the rule of thumb of 10: expect optimism and unstable estimates.",
                          events / n_candidates, as.integer(events), as.integer(n_candidates)))
  }
  out
}

# AUC of scores `s` (direction "<") for a 0/1 response; NA with one class.
score_auc <- function(y01, s) {
  .Call(C_roc_auc_matrix, as.integer(y01), matrix(as.double(s)), direction_code("<"))[["auc", 1L]]
}

# Risk log-odds moved from the sample's event rate to `prevalence`.
shift_to_prevalence <- function(lp, y, prevalence) {
  if (is.null(prevalence)) return(lp)
  lp + stats::qlogis(prevalence) - stats::qlogis(mean(y))
}

# Net benefit of "treat when risk >= t" against treat-all and treat-none.
net_benefit <- function(y, prob, thresholds, prevalence = NULL) {
  prev <- prevalence %||% mean(y)
  cases <- prob[y == 1]
  controls <- prob[y == 0]
  se <- vapply(thresholds, function(t) mean(cases >= t), numeric(1))
  fpr <- vapply(thresholds, function(t) mean(controls >= t), numeric(1))
  odds <- thresholds / (1 - thresholds)
  data.frame(threshold = thresholds,
             net_benefit = prev * se - (1 - prev) * fpr * odds,
             treat_all = prev - (1 - prev) * odds,
             treat_none = 0)
}

decision_curve <- function(y, lp, thresholds, prevalence) {
  prob <- stats::plogis(shift_to_prevalence(lp, y, prevalence))
  net_benefit(y, prob, thresholds, prevalence)
}

selection_stability <- function(selection, n_fits) {
  if (!nrow(selection)) {
    return(data.frame(feature = character(0), n_selected = integer(0),
                      proportion = numeric(0), mean_coef = numeric(0)))
  }
  feats <- unique(selection$feature)
  tab <- data.frame(
    feature = feats,
    n_selected = vapply(feats, function(f) sum(selection$feature == f), integer(1)),
    mean_coef = vapply(feats, function(f) mean(selection$coefficient[selection$feature == f]),
                       numeric(1)),
    stringsAsFactors = FALSE, row.names = NULL)
  tab$proportion <- tab$n_selected / n_fits
  tab <- tab[order(-tab$n_selected, match(tab$feature, feats)),
             c("feature", "n_selected", "proportion", "mean_coef")]
  rownames(tab) <- NULL
  tab
}
