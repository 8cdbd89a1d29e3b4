# ev_cv(): stratified, repeated and nested cross-validation of the whole
# recipe (preprocessing, screening, tuning, fit), with out-of-fold ROC,
# calibration and decision curves (metrics in cv-metrics.R, methods in
# cv-methods.R, the per-fold pipeline in cv-pipeline.R).

#' Cross-validate a panel classifier
#'
#' Re-runs the whole recipe inside every training fold and predicts the
#' held-out fold, so that nothing learned from a test fold reaches its
#' predictions:
#' 1. `preprocess` (normalization, imputation, filtering) is applied to the
#'    training samples only; the steps it records are frozen and replayed on
#'    the test samples with [ev_apply_steps()];
#' 2. `screen = list(top = k)` keeps the `k` features whose training-fold AUC
#'    (computed in C) lies furthest from 0.5, in either direction;
#' 3. for `method = "elastic_net"` without a fixed `lambda`, the penalty is
#'    chosen by an inner `inner_folds`-fold CV on the training samples only
#'    (`nested = TRUE`): the path is fitted on all training samples, each
#'    inner fold is refitted on the same lambda sequence, and the lambda
#'    minimizing the pooled inner binomial deviance (`tune = "deviance"`, the
#'    default of cv.glmnet) or maximizing the mean inner AUC (`tune = "auc"`)
#'    is used (the largest among ties). With `nested = FALSE` the penalty is
#'    tuned once on all samples and then held fixed in the outer folds: the
#'    estimate is then optimistic, which is what the option is for (to show
#'    the difference);
#' 4. [ev_fit()] on the training fold, and `predict()` on the test fold.
#'
#' **Pooling.** Each sample gets one out-of-fold prediction per repeat. The
#' repeats are averaged on the log-odds scale, and the pooled ROC (fixed
#' direction "<" on the predicted probability, so a classifier worse than
#' chance shows an AUC below 0.5), its DeLong CI, the calibration and the
#' decision curve use that average (for `n_repeats = 1`, exactly the
#' out-of-fold predictions), so every sample counts once. The pooled AUC of
#' each repeat and the AUC of every test fold are reported too.
#'
#' **Calibration.** On the out-of-fold log-odds `lp` (probabilities clipped
#' to \[1e-12, 1 - 1e-12\]): the calibration slope is the coefficient of
#' `lp` in the logistic regression `y ~ lp`, the calibration intercept
#' (calibration-in-the-large) the intercept of `y ~ offset(lp)`; ideal
#' values 1 and 0. The Brier score is the mean of `(p - y)^2`.
#'
#' **Decision curve.** Net benefit at threshold `t` is
#' `prev * Se(t) - (1 - prev) * (1 - Sp(t)) * t / (1 - t)`, where a sample is
#' called positive when its predicted risk is `>= t`; "treat all" has net
#' benefit `prev - (1 - prev) * t / (1 - t)` and "treat none" 0. Without
#' `prevalence`, `prev` is the sample's event rate and this equals
#' `TP/n - FP/n * t / (1 - t)`. In a case-control design the sample event rate
#' is set by the design: give the population `prevalence` and the predicted
#' risks are first recalibrated to it by the prior-shift correction of the
#' log-odds, `lp + logit(prevalence) - logit(sample event rate)` (Bayes'
#' rule with unchanged class-conditional distributions), before Se and Sp
#' are computed and weighted by `prevalence`.
#'
#' **Reproducibility and parallelism.** Folds come from [ev_folds()] (R's
#' RNG). Each outer fold of each repeat (and the final fit on all samples)
#' runs under its own L'Ecuyer-CMRG stream derived from R's RNG (one integer
#' is drawn from it), so `set.seed()` reproduces a run. When future.apply is
#' installed and a non-sequential `future::plan()` is set, the folds run
#' through `future.apply::future_lapply()` with those streams and give
#' identical results to a serial run.
#'
#' @param x An [evset] (required with `preprocess`), a numeric matrix
#'   (samples in rows), a data.frame, or a formula with `data`, as for
#'   [ev_fit()].
#' @param group The two classes (see [ev_fit()]).
#' @param method Classifier: "logistic", "elastic_net", "firth", "lda" or
#'   "dlda".
#' @param n_folds Number of folds (ignored when `foldid` is given).
#' @param n_repeats Number of repeats of the fold assignment.
#' @param nested For "elastic_net" without `lambda`: tune the penalty inside
#'   each training fold (`TRUE`) or once on all samples (`FALSE`).
#' @param stratified Stratify the (outer and inner) folds by class.
#' @param foldid Optional fold assignment: an integer vector with one fold
#'   number (in `1..n`) per sample, or a matrix with one column per repeat.
#' @param preprocess `NULL` or a function taking the training [evset] and
#'   returning the processed evset (e.g. `function(s) ev_normalize(s,
#'   "global_mean")`); the steps it appends are replayed on the test fold.
#' @param screen `NULL` or `list(top = k)`.
#' @param features,covariates,positive As for [ev_fit()]. With
#'   `preprocess`, `features` are looked up after preprocessing.
#' @param lambda Elastic-net penalty sequence (glmnet's `lambda`); a single
#'   value without `s` is read as the fixed penalty, with a deprecation
#'   warning (its meaning before 0.2.0).
#' @param s Fixed elastic-net penalty (no tuning), glmnet's `s`.
#' @param data With a formula `x`: the data.frame of patients.
#' @param inner_folds Number of inner folds for tuning the penalty.
#' @param tune Inner-CV criterion: "deviance" or "auc".
#' @param prevalence Population prevalence of the event for the decision
#'   curve (see Details); `NULL` uses the sample's event rate.
#' @param thresholds Risk thresholds of the decision curve, in (0, 1).
#' @param conf_level Level of the DeLong CI of the pooled AUC.
#' @param ... Method options passed to [ev_fit()] (e.g. `alpha`).
#' @param folds,repeats Deprecated spellings of `n_folds` and `n_repeats`.
#' @return An object of class `ev_cv`: a list with `predictions` (one row per
#'   sample and repeat: `id`, `group`, `rep_id`, `fold`, `link`, `prob`),
#'   `pooled` (one row per sample: `id`, `group`, `link`, `prob` averaged over
#'   repeats), `roc` (an [ev_roc] of the pooled probabilities, direction
#'   "<"), `ci` (its DeLong CI, an `ev_ci_auc`), `auc_repeats`, `fold_auc`
#'   (`rep_id`, `fold`, `n_test`, `n_cases`, `auc`; `NA` for a one-class
#'   test fold), `tuning` (`rep_id`, `fold`, `lambda`, `n_features`),
#'   `selection` (selected features per fold with their coefficients) and
#'   `stability` (per feature: `n_selected`, `proportion` of the
#'   folds x repeats, `mean_coef`), `calibration` (`intercept`, `slope`,
#'   `brier`), `decision` (data.frame `threshold`, `net_benefit`,
#'   `treat_all`, `treat_none`), `prevalence`, `foldid` (matrix), `model`
#'   (the recipe fitted on all samples, an `ev_model` from [ev_fit()]), `apparent_auc`
#'   (its AUC on its own training samples) and `caveats`: one-line warnings
#'   about degenerate results, printed with the object (a zero-width AUC
#'   interval, a calibration slope without a finite estimate because the
#'   out-of-fold log-odds separate the classes, fewer than 10 events per
#'   candidate predictor counting the smaller class over every candidate
#'   feature and covariate term, screened ones included).
#' @seealso [ev_validate_bootstrap()], [ev_folds()], [ev_fit()]
#' @references
#' Cox DR (1958). Two further applications of a model for binary regression.
#' *Biometrika* 45(3-4), 562-565. \doi{10.1093/biomet/45.3-4.562}
#'
#' Vickers AJ, Elkin EB (2006). Decision curve analysis: a novel method for
#' evaluating prediction models. *Medical Decision Making* 26(6), 565-574.
#' \doi{10.1177/0272989X06295361}
#'
#' DeLong ER, DeLong DM, Clarke-Pearson DL (1988). Comparing the areas under
#' two or more correlated receiver operating characteristic curves: a
#' nonparametric approach. *Biometrics* 44(3), 837-845. \doi{10.2307/2531595}
#' @export
#' @examples
#' # SIMULATED cohort; normalization is re-learned inside each training fold.
#' x <- serum_ev_qpcr
#' panel <- c("hsa-miR-214-3p", "hsa-miR-23a-5p", "hsa-miR-155-5p",
#'            "hsa-miR-21-5p", "hsa-miR-148a-3p")
#' set.seed(1)
#' cv <- ev_cv(x, "group", method = "logistic", n_folds = 5, features = panel,
#'             preprocess = function(s) ev_normalize(s, "global_mean"))
#' cv
#' summary(cv)
#' plot(cv, what = "calibration")
#'
#' # Nested elastic net with in-fold screening of the 10 best miRNAs.
#' n <- ev_normalize(ev_impute_nondetects(x), "global_mean")
#' keep <- n$features$id[n$features$role == "target" &
#'                       rowSums(is.na(n$values)) == 0]
#' set.seed(2)
#' net <- ev_cv(n, "group", method = "elastic_net", n_folds = 5,
#'              features = keep, screen = list(top = 10), inner_folds = 3)
#' head(net$stability)
#' plot(net, what = "decision", prevalence = 0.2)
ev_cv <- function(x, group, method = c("logistic", "elastic_net", "firth", "lda", "dlda"),
                  n_folds = 10, n_repeats = 1, nested = TRUE, stratified = TRUE,
                  foldid = NULL, preprocess = NULL, screen = NULL,
                  features = NULL, covariates = NULL, positive = NULL,
                  lambda = NULL, inner_folds = 5, tune = c("deviance", "auc"),
                  prevalence = NULL, thresholds = seq(0.01, 0.99, by = 0.01),
                  conf_level = 0.95, ..., s = NULL, data = NULL, folds = NULL,
                  repeats = NULL) {
  if (inherits(x, "formula")) {
    # sets x, group, features and covariates from the formula and data
    list2env(formula_inputs(x, if (!missing(group)) group, data, features, covariates),
             environment())
  }
  folds <- deprecated_arg(folds, n_folds, "folds", "n_folds", !missing(n_folds))
  repeats <- deprecated_arg(repeats, n_repeats, "repeats", "n_repeats", !missing(n_repeats))
  method <- check_choice(method, fitter_names, "method")
  check_flag(nested, "nested")
  check_flag(stratified, "stratified")
  check_conf_level(conf_level)
  check_thresholds(thresholds)
  check_prevalence(prevalence)
  data <- cv_data(x, group, features, covariates, positive, preprocess)
  spec <- cv_spec(method, screen, lambda, inner_folds, tune, stratified,
                  list(...), data, s)
  n <- length(data$y)
  # per repeat: fold ids, out-of-fold log-odds and the predictions table
  if (is.null(foldid)) check_resample_count(repeats, "n_repeats", n * 64 + 1024)
  foldid <- if (is.null(foldid)) ev_folds(data$group, folds, repeats, stratified)
            else check_foldid(foldid, n)
  check_training_classes(foldid, data$y)
  tasks <- list(list(r = 0L, k = 0L, test = integer(0)))
  for (r in seq_len(ncol(foldid))) {
    for (k in sort(unique(foldid[, r]))) {
      tasks[[length(tasks) + 1L]] <- list(r = r, k = k, test = which(foldid[, r] == k))
    }
  }
  seeds <- rng_streams(length(tasks))
  if (method == "elastic_net" && is.null(lambda) && !nested) {
    # Tuned once on every sample, then held fixed: deliberately leaky.
    final <- stream_lapply(tasks[1L], function(task) cv_task(task, data, spec), seeds[1L])[[1L]]
    spec$lambda <- final$lambda
    out <- stream_lapply(tasks[-1L], function(task) cv_task(task, data, spec), seeds[-1L])
    out <- c(list(final), out)
  } else {
    out <- stream_lapply(tasks, function(task) cv_task(task, data, spec), seeds)
  }
  new_ev_cv(out, data, spec, foldid, prevalence, thresholds, conf_level, match.call())
}

cv_spec <- function(method, screen, lambda, inner_folds, tune, stratified, options, data,
                    s = NULL) {
  tune <- check_choice(tune, c("deviance", "auc"), "tune")
  for (nm in c("lambda", "s")) {
    if (!is.null(get(nm)) && method != "elastic_net") {
      ev_abort(sprintf("`%s` applies to method = \"elastic_net\" only.", nm),
               "evmirna_error_value", nm)
    }
  }
  pen <- elnet_penalty_args(lambda, s, fit_dots(options), sys.call(-1L))
  lambda <- pen$s
  path <- pen$opts$lambda_path   # the user's sequence, passed to ev_fit() as `lambda`
  options <- pen$opts
  options$lambda_path <- NULL
  if (!is.null(lambda)) check_number(lambda, "s", lower = 0)
  check_number(inner_folds, "inner_folds", lower = 2, integer = TRUE)
  if (!is.null(screen)) {
    if (!is.list(screen) || !identical(names(screen), "top")) {
      ev_abort("`screen` must be NULL or list(top = k).", "evmirna_error_type", "screen")
    }
    check_number(screen$top, "screen$top", lower = 1, integer = TRUE)
  }
  list(method = method, screen = screen, lambda = lambda, path = path,
       inner_folds = inner_folds,
       tune = tune, stratified = stratified, options = options)
}

check_foldid <- function(foldid, n) {
  if (is.data.frame(foldid)) foldid <- as.matrix(foldid)
  if (!is.numeric(foldid) || !length(foldid)) {
    ev_abort("`foldid` must be fold numbers (an integer vector or a matrix with one column per repeat).",
             "evmirna_error_type", "foldid")
  }
  if (!is.matrix(foldid)) foldid <- matrix(foldid, ncol = 1L)
  if (nrow(foldid) != n) {
    ev_abort(sprintf("`foldid` has %d rows but `x` has %d samples.", nrow(foldid), n),
             "evmirna_error_shape", "foldid")
  }
  if (anyNA(foldid) || any(!is.finite(foldid)) || any(foldid != round(foldid)) ||
      any(foldid < 1)) {
    ev_abort("`foldid` must hold positive whole fold numbers without NA.",
             "evmirna_error_value", "foldid")
  }
  if (any(foldid > n)) {
    ev_abort(sprintf("`foldid` values must lie in 1..%d (the number of samples), not %s.",
                     n, format(max(foldid), scientific = FALSE)),
             "evmirna_error_value", "foldid")
  }
  n_folds <- apply(foldid, 2L, function(f) length(unique(f)))
  if (any(n_folds < 2L)) {
    ev_abort("`foldid` puts every sample in one fold; cross-validation needs at least two.",
             "evmirna_error_value", "foldid")
  }
  storage.mode(foldid) <- "integer"
  dimnames(foldid) <- NULL
  foldid
}

# Each training set needs two samples of each class.
check_training_classes <- function(foldid, y) {
  for (r in seq_len(ncol(foldid))) {
    for (k in unique(foldid[, r])) {
      train <- y[foldid[, r] != k]
      if (min(sum(train), sum(1L - train)) < 2L) {
        ev_abort(sprintf("the training part of fold %d (repeat %d) has fewer than two samples of a class; use fewer folds or stratified folds.",
                         k, r), "evmirna_error_one_class", "folds")
      }
    }
  }
  invisible(TRUE)
}

# One outer fold (task$r = 0: the final fit on all samples).
cv_task <- function(task, data, spec) {
  n <- length(data$y)
  train_idx <- setdiff(seq_len(n), task$test)
  trained <- cv_train(cv_take(data, train_idx), data, spec)
  link <- if (length(task$test)) cv_predict(trained, cv_take(data, task$test)) else
    cv_predict(trained, cv_take(data, train_idx))
  list(r = task$r, k = task$k, test = task$test, link = link,
       lambda = trained$lambda, n_features = length(trained$features),
       n_candidates = trained$n_candidates,
       selected = trained$selected,
       model = if (task$r == 0L) trained$model else NULL)
}

# The ev_cv object: pooled predictions, per-fold tables and their metrics.
new_ev_cv <- function(out, data, spec, foldid, prevalence, thresholds, conf_level, call) {
  final <- out[[1L]]
  out <- out[-1L]
  n <- length(data$y)
  repeats <- ncol(foldid)
  links <- matrix(NA_real_, n, repeats)
  for (o in out) links[o$test, o$r] <- o$link
  pred <- data.frame(id = rep(data$ids, repeats), group = rep(data$group, repeats),
                     rep_id = rep(seq_len(repeats), each = n),
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
  fold_auc <- data.frame(rep_id = col(function(o) o$r, integer(1)),
                         fold = col(function(o) o$k, integer(1)),
                         n_test = col(function(o) length(o$test), integer(1)),
                         n_cases = col(function(o) sum(data$y[o$test]), integer(1)),
                         auc = col(function(o) score_auc(data$y[o$test], o$link), numeric(1)),
                         check.names = FALSE)
  tuning <- data.frame(fold_auc[c("rep_id", "fold")],
                       lambda = col(function(o) o$lambda %||% NA_real_, numeric(1)),
                       n_features = col(function(o) o$n_features, integer(1)),
                       n_selected = n_sel, check.names = FALSE)
  selection <- data.frame(rep_id = rep(fold_auc$rep_id, n_sel),
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
