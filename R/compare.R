# ev_compare(): the incremental value of one recipe over another (e.g. the
# clinical model vs clinical + panel), both cross-validated with ev_cv() on
# the same folds and streams; measures on the out-of-fold predictions
# (reclassification.R), methods in compare-methods.R.

#' A modelling recipe for [ev_compare()]
#'
#' Collects the [ev_cv()] arguments that define one model: everything in it
#' is re-learned inside each training fold.
#'
#' @param method,features,covariates,preprocess,screen As for [ev_cv()].
#'   `features = character(0)` with `covariates` is the clinical-only model:
#'   the covariate columns (factors as treatment contrasts, coded on all
#'   samples) are its only terms, fitted without preprocessing or screening.
#' @param ... Further [ev_cv()] arguments or method options (e.g. `alpha`,
#'   `lambda`, `inner_folds`), not the fold settings, which [ev_compare()]
#'   shares between recipes.
#' @return A list of class `ev_recipe`.
#' @seealso [ev_compare()]
#' @export
#' @examples
#' ev_recipe("logistic", features = character(0), covariates = "age")
ev_recipe <- function(method = c("logistic", "elastic_net", "firth", "lda", "dlda"),
                      features = NULL, covariates = NULL, preprocess = NULL,
                      screen = NULL, ...) {
  method <- check_choice(method, fitter_names, "method")
  structure(c(list(method = method, features = features, covariates = covariates,
                   preprocess = preprocess, screen = screen), list(...)),
            class = "ev_recipe")
}

#' Incremental value of a model over a base model
#'
#' Cross-validates two recipes with [ev_cv()] on the same outer folds (one
#' [ev_folds()] assignment) and the same random streams, so that each
#' sample's two out-of-fold predictions come from models trained on the same
#' patients, with everything in each recipe re-learned in every training
#' fold. On the pooled out-of-fold risks (averaged over repeats on the
#' log-odds scale, as in [ev_cv()]) it reports, for `full` against `base`:
#' * the AUC difference with the paired DeLong CI and p-value
#'   ([ev_roc_test()]);
#' * the categorical NRI at `cutoffs` (a risk equal to a cut-point is in the
#'   higher category), the continuous NRI (any increase of risk is "up") and
#'   the IDI (mean risk increase in events minus that in non-events), each
#'   with its events and non-events parts, and the Brier score difference;
#'   percentile CIs from `n_boot` bootstrap resamples of the patients, drawn
#'   within each class from R's RNG. The bootstrap resamples the out-of-fold
#'   predictions; it does not refit the models, so the CIs leave out the
#'   variation from refitting;
#' * the net benefit of both models and its difference over `thresholds`,
#'   with percentile CIs of the difference from the same bootstrap resamples;
#' * calibration intercept and slope and Brier score of both (as in
#'   [ev_cv()]);
#' * the likelihood-ratio test of the two models refitted on all samples
#'   (glm-type maximum-likelihood logistic fits). It is apparent (in-sample,
#'   after any screening on the same data) and optimistic; it is computed
#'   only when both recipes are `"logistic"` and the base model's terms are a
#'   subset of the full model's on the same feature scale, otherwise it is
#'   `NA` with the reason, and a warning.
#'
#' Randomness (folds, one seed drawn for the recipes' fold streams, the
#' bootstrap) comes from R's RNG, so `set.seed()` before the call reproduces
#' it. Both recipes run from the same drawn seed, so inner tuning folds are
#' shared too.
#'
#' @param base,full Recipes: [ev_recipe()] objects or named lists of
#'   [ev_cv()] arguments (`method`, `features`, `covariates`, `preprocess`,
#'   `screen`, method options).
#' @param data An [evset], matrix or data.frame, as `x` of [ev_cv()].
#' @param group The two classes (a sample column name or a vector).
#' @param n_folds,n_repeats,stratified,foldid Fold settings shared by both
#'   recipes (see [ev_cv()]).
#' @param cutoffs Risk cut-points of the categorical NRI, increasing, in
#'   (0, 1); default the sample's event rate.
#' @param thresholds,prevalence,conf_level As for [ev_cv()].
#' @param n_boot Bootstrap resamples for the NRI, IDI and Brier CIs.
#' @param positive The modelled class (see [ev_fit()]).
#' @return An object of class `ev_compare`: `base`, `full` (the two
#'   [ev_cv] results), `predictions` (`id`, `group`, `base`, `full`: pooled
#'   out-of-fold risks), `auc` (`base`, `full`, `difference`, `lower`,
#'   `upper`, `p_value`), `auc_test` (the `htest`), `reclassification`
#'   (`measure`, `estimate`, `lower`, `upper`), `calibration` (one row per
#'   model: `intercept`, `slope`, `brier`), `decision` (`threshold`, `base`,
#'   `full`, `difference`, `treat_all`, `lower`, `upper`), `lr_test` (`statistic`, `df`,
#'   `p_value`, `note`), `cutoffs`, `n_boot`, `conf_level`, `foldid`.
#' @seealso [ev_cv()], [ev_roc_test()]
#' @references
#' Pencina MJ, D'Agostino RB Sr, D'Agostino RB Jr, Vasan RS (2008).
#' Evaluating the added predictive ability of a new marker: from area under
#' the ROC curve to reclassification and beyond. *Statistics in Medicine*
#' 27(2), 157-172. \doi{10.1002/sim.2929}
#'
#' Pencina MJ, D'Agostino RB Sr, Steyerberg EW (2011). Extensions of net
#' reclassification improvement calculations to measure usefulness of new
#' biomarkers. *Statistics in Medicine* 30(1), 11-21. \doi{10.1002/sim.4085}
#' @export
#' @examples
#' # SIMULATED cohort: age alone vs age + five miRNAs (normalization
#' # re-learned in each training fold).
#' panel <- c("hsa-miR-214-3p", "hsa-miR-23a-5p", "hsa-miR-155-5p",
#'            "hsa-miR-21-5p", "hsa-miR-148a-3p")
#' set.seed(1)
#' cmp <- ev_compare(
#'   ev_recipe("logistic", features = character(0), covariates = "age"),
#'   ev_recipe("logistic", features = panel, covariates = "age",
#'             preprocess = function(s) ev_normalize(s, "global_mean")),
#'   serum_ev_qpcr, "group", n_folds = 5, n_boot = 200)
#' cmp
#' as.data.frame(cmp)
#' plot(cmp)
ev_compare <- function(base, full, data, group, n_folds = 10, n_repeats = 1,
                       stratified = TRUE, foldid = NULL, cutoffs = NULL,
                       thresholds = seq(0.01, 0.99, by = 0.01), prevalence = NULL,
                       n_boot = 1000, conf_level = 0.95, positive = NULL) {
  base <- check_recipe(base, "base")
  full <- check_recipe(full, "full")
  check_flag(stratified, "stratified")
  check_conf_level(conf_level)
  check_thresholds(thresholds)
  check_prevalence(prevalence)
  input <- fit_input(data, "data")
  group <- fit_group(group, input, positive)
  y <- as.integer(group) - 1L
  if (is.null(cutoffs)) cutoffs <- mean(y)
  check_cutoffs(cutoffs)
  n <- length(y)
  # per replicate: its row indices, measures and net-benefit differences
  check_n_boot(n_boot, 4 * n + 8 * (length(reclass_measures) + length(thresholds)))
  foldid <- if (is.null(foldid)) ev_folds(group, n_folds, n_repeats, stratified)
            else check_foldid(foldid, n)
  # One seed for both recipes: the same streams drive each recipe's folds
  # (and any inner tuning folds).
  seed <- sample.int(.Machine$integer.max, 1L)
  fits <- lapply(list(base = base, full = full), function(recipe) {
    set.seed(seed)
    compare_cv(recipe, data, input, group, foldid, thresholds, prevalence, conf_level)
  })
  new_ev_compare(fits, base, full, group, y, cutoffs, n_boot, conf_level, foldid,
                 match.call())
}

# A recipe as a named list of ev_cv() arguments (fold settings excluded).
check_recipe <- function(recipe, arg) {
  if (!is.list(recipe) || (length(recipe) && (is.null(names(recipe)) ||
                                              any(!nzchar(names(recipe)))))) {
    ev_abort(sprintf("`%s` must be an ev_recipe() or a named list of ev_cv() arguments.", arg),
             "evmirna_error_type", arg)
  }
  shared <- c("x", "data", "group", "n_folds", "n_repeats", "folds", "repeats",
              "stratified", "foldid", "thresholds", "prevalence", "conf_level", "positive")
  taken <- intersect(names(recipe), shared)
  if (length(taken)) {
    ev_abort(sprintf("`%s` sets %s, which ev_compare() shares between the recipes; pass it to ev_compare().",
                     arg, format_offenders(taken)), "evmirna_error_value", arg)
  }
  recipe <- unclass(recipe)
  recipe$method <- check_choice(recipe$method %||% "logistic", fitter_names,
                                paste0(arg, "$method"))
  if (identical(recipe$features, character(0))) {
    if (is.null(recipe$covariates)) {
      ev_abort(sprintf("`%s` has no features and no covariates: nothing to fit.", arg),
               "evmirna_error_empty", arg)
    }
    if (!is.null(recipe$preprocess) || !is.null(recipe$screen)) {
      ev_abort(sprintf("`%s` is covariates-only (features = character(0)): it takes no preprocess or screen.",
                       arg), "evmirna_error_value", arg)
    }
  }
  structure(recipe, arg = arg)
}

# ev_cv() of one recipe on the shared folds. A covariates-only recipe runs on
# a data.frame of its covariate columns, which become the model's terms.
compare_cv <- function(recipe, data, input, group, foldid, thresholds, prevalence,
                       conf_level) {
  x <- data
  args <- recipe
  attr(args, "arg") <- NULL
  if (identical(args$features, character(0))) {
    spec <- fit_covariates(args$covariates, input)
    cols <- covariate_matrix(spec, spec$data, input$ids, attr(recipe, "arg"))
    check_design(cols, input$ids, attr(recipe, "arg"))
    x <- data.frame(id = input$ids, cols, check.names = FALSE, stringsAsFactors = FALSE)
    args$features <- colnames(cols)
    args$covariates <- NULL
  }
  do.call(ev_cv, c(list(x = x, group = group, foldid = foldid, thresholds = thresholds,
                        prevalence = prevalence, conf_level = conf_level), args))
}

new_ev_compare <- function(fits, base, full, group, y, cutoffs, n_boot, conf_level,
                           foldid, call) {
  b <- fits$base
  f <- fits$full
  p_base <- b$pooled$prob
  p_full <- f$pooled$prob
  test <- ev_roc_test(f$roc, b$roc, paired = TRUE, conf_level = conf_level)
  auc <- data.frame(base = b$roc$auc, full = f$roc$auc,
                    difference = f$roc$auc - b$roc$auc,
                    lower = test$conf.int[1L], upper = test$conf.int[2L],
                    p_value = test$p.value)
  idx <- class_boot_indices(y, n_boot)
  reclass <- reclass_boot(y, p_base, p_full, cutoffs, idx, conf_level)
  cal <- rbind(base = unlist(b$calibration[c("intercept", "slope", "brier")]),
               full = unlist(f$calibration[c("intercept", "slope", "brier")]))
  decision <- data.frame(threshold = b$decision$threshold,
                         base = b$decision$net_benefit, full = f$decision$net_benefit,
                         difference = f$decision$net_benefit - b$decision$net_benefit,
                         treat_all = b$decision$treat_all)
  nb_ci <- net_benefit_difference_ci(y, b$pooled$link, f$pooled$link, d = decision, idx,
                                     b$prevalence, conf_level)
  decision$lower <- nb_ci[1L, ]
  decision$upper <- nb_ci[2L, ]
  lr <- compare_lr_test(b, f, base, full, y)
  if (!is.na(lr$note) && is.na(lr$statistic)) {
    ev_warn(sprintf("likelihood-ratio test not computed: %s", lr$note),
            "evmirna_warning_not_nested", "base")
  }
  structure(list(
    call = call, levels = levels(group), n = table(group), ids = b$ids, group = group,
    base = b, full = f,
    predictions = data.frame(id = b$ids, group = group, base = p_base, full = p_full,
                             stringsAsFactors = FALSE),
    auc = auc, auc_test = test, reclassification = reclass$table,
    boot = reclass$replicates, calibration = as.data.frame(cal), decision = decision,
    lr_test = lr, cutoffs = cutoffs, n_boot = n_boot, conf_level = conf_level,
    foldid = foldid, prevalence = b$prevalence,
    caveats = c(if (length(b$caveats)) paste("base model:", b$caveats),
                if (length(f$caveats)) paste("full model:", f$caveats))
  ), class = "ev_compare")
}

# Percentile CI of the net-benefit difference at each threshold, on the
# same bootstrap resamples as the reclassification measures.
net_benefit_difference_ci <- function(y, lp_base, lp_full, d, idx, prevalence, conf_level) {
  reps <- apply(idx, 2L, function(i) {
    decision_curve(y[i], lp_full[i], d$threshold, prevalence)$net_benefit -
      decision_curve(y[i], lp_base[i], d$threshold, prevalence)$net_benefit
  })
  percentile_ci(matrix(reps, nrow = nrow(d)), conf_level)
}

# In-sample LR test of the two recipes refitted on all samples (ev_cv's final
# models). Nested means: both maximum-likelihood logistic fits, the base
# terms among the full terms, and features (if the base has any) on the same
# scale, i.e. the same preprocessing.
compare_lr_test <- function(b, f, base, full, y) {
  na <- function(reason) list(statistic = NA_real_, df = NA_integer_, p_value = NA_real_,
                              note = reason)
  if (base$method != "logistic" || full$method != "logistic") {
    return(na("both recipes must be maximum-likelihood logistic models (method = \"logistic\")."))
  }
  tb <- b$model$terms
  tf <- f$model$terms
  if (!all(tb %in% tf) || length(tf) <= length(tb)) {
    return(na(sprintf("the base model's terms are not a proper subset of the full model's (%s not in full).",
                      if (all(tb %in% tf)) "no extra term" else format_offenders(setdiff(tb, tf)))))
  }
  if (!identical(base$features, character(0)) &&
      !identical(base$preprocess, full$preprocess)) {
    return(na("the recipes preprocess their features differently, so the shared terms differ."))
  }
  loglik <- function(m) {
    lp <- m$train$link
    sum(y * stats::plogis(lp, log.p = TRUE) + (1 - y) * stats::plogis(-lp, log.p = TRUE))
  }
  stat <- 2 * (loglik(f$model) - loglik(b$model))
  df <- length(tf) - length(tb)
  list(statistic = stat, df = df,
       p_value = stats::pchisq(stat, df, lower.tail = FALSE),
       note = "apparent: both models refitted and tested on the same samples (after any screening on them); optimistic, not a substitute for the out-of-fold measures.")
}
