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

new_ev_cv <- function(out, data, spec, foldid, prevalence, thresholds, conf_level, call) {
  final <- out[[1L]]
  out <- out[-1L]
  n <- length(data$y)
  repeats <- ncol(foldid)
  links <- matrix(NA_real_, n, repeats)
  for (o in out) links[o$test, o$r] <- o$link
  pred <- data.frame(id = rep(data$ids, repeats), group = rep(data$group, repeats),
                     `repeat` = rep(seq_len(repeats), each = n),
                     fold = as.vector(foldid), link = as.vector(links),
                     prob = stats::plogis(as.vector(links)),
                     stringsAsFactors = FALSE, check.names = FALSE)
  lp <- rowMeans(links)
  prob <- stats::plogis(lp)
  pooled <- data.frame(id = data$ids, group = data$group, link = lp, prob = prob,
                       stringsAsFactors = FALSE)
  lv <- levels(data$group)
  roc <- ev_roc(data$group, prob, levels = lv, direction = "<")
  ci <- ev_ci_auc(roc, conf_level = conf_level)
  auc_repeats <- roc_auc_matrix(data$y, stats::plogis(links), "<")$auc
  # Per-fold tables built column-wise (one data.frame each, not one per fold).
  col <- function(f, type) vapply(out, f, type)
  n_sel <- col(function(o) length(o$selected), integer(1))
  fold_auc <- data.frame(`repeat` = col(function(o) o$r, integer(1)),
                         fold = col(function(o) o$k, integer(1)),
                         n_test = col(function(o) length(o$test), integer(1)),
                         n_cases = col(function(o) sum(data$y[o$test]), integer(1)),
                         auc = col(function(o) score_auc(data$y[o$test], o$link), numeric(1)),
                         check.names = FALSE)
  tuning <- data.frame(fold_auc[c("repeat", "fold")],
                       lambda = col(function(o) o$lambda %||% NA_real_, numeric(1)),
                       n_features = col(function(o) o$n_features, integer(1)),
                       n_selected = n_sel, check.names = FALSE)
  selection <- data.frame(`repeat` = rep(fold_auc$`repeat`, n_sel),
                          fold = rep(fold_auc$fold, n_sel),
                          feature = unlist(lapply(out, function(o) names(o$selected)),
                                           use.names = FALSE) %||% character(0),
                          coefficient = unlist(lapply(out, function(o) unname(o$selected)),
                                               use.names = FALSE) %||% numeric(0),
                          check.names = FALSE, stringsAsFactors = FALSE)
  y_all <- data$y
  full_link <- final$link
  calibration <- calibration_stats(y_all, lp)
  n_candidates <- final$n_candidates + length(final$model$terms) -
    length(final$model$features)
  structure(list(
    call = call, method = spec$method, levels = lv, n = table(data$group),
    ids = data$ids, group = data$group, folds = max(foldid), repeats = repeats,
    nested = spec$method == "elastic_net" && is.null(spec$lambda),
    stratified = spec$stratified, tune = spec$tune, screen = spec$screen,
    preprocessed = !is.null(data$preprocess),
    predictions = pred, pooled = pooled, roc = roc, ci = ci,
    auc_repeats = auc_repeats, fold_auc = fold_auc, tuning = tuning,
    selection = selection, stability = selection_stability(selection, nrow(tuning)),
    calibration = calibration,
    decision = decision_curve(y_all, lp, thresholds, prevalence),
    prevalence = prevalence, thresholds = thresholds, foldid = foldid,
    model = final$model,
    apparent_auc = score_auc(y_all, full_link),
    caveats = cv_caveats(ci, y_all, lp, calibration, n_candidates)
  ), class = "ev_cv")
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
