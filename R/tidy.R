# tidy() / glance() / augment() for the result classes, on the generics
# package's generics (what broom registers its methods on), with broom's
# column names: term, estimate, std.error, statistic, p.value, conf.low,
# conf.high; .fitted for predictions.

#' @importFrom generics tidy
#' @export
generics::tidy

#' @importFrom generics glance
#' @export
generics::glance

#' @importFrom generics augment
#' @export
generics::augment

#' Tidy data frames of evmirna results (broom conventions)
#'
#' `tidy()` gives one row per component (threshold, feature, term, metric,
#' panel, patient), `glance()` one row per object, `augment()` the samples
#' with their predictions. Columns follow broom: `term`, `estimate`,
#' `std.error`, `statistic`, `p.value`, `conf.low`, `conf.high`, `nobs`,
#' and `.fitted` (probability of the modelled class) and `.link` (log-odds)
#' for predictions. The columns, by class:
#'
#' * `ev_roc`: `tidy()`: `threshold`, `sensitivity`, `specificity`;
#'   `glance()`: `auc`, `std.error` and `conf.low`, `conf.high` (DeLong at
#'   `conf_level`; `NA` where DeLong is undefined, e.g. with clusters),
#'   `direction`, `n_cases`, `n_controls`, `nobs`. An `ev_roc_list` adds a
#'   first column `term` (the predictor).
#' * `ev_screen`: `tidy()`: `term` (feature), `estimate` (AUC), `conf.low`,
#'   `conf.high`, `log2_fc`, `statistic` (Wilcoxon W), `p.value` (Wilcoxon),
#'   `p.adjusted` (Benjamini-Hochberg).
#' * `ev_model` (from [ev_fit()]): `tidy()`: `term`, `estimate`, `std.error`,
#'   `statistic` (z), `p.value`, `conf.low`, `conf.high` (Wald, on the
#'   log-odds scale, or odds ratios with `exponentiate = TRUE`; `NA` where the
#'   method has none: elastic net, LDA). An elastic-net model fitted without
#'   `s` gives the whole path as `tidy.glmnet` does: `term`, `step`,
#'   `estimate`, `lambda`, `dev.ratio` (non-zero coefficients only).
#'   `glance()`: `method`, `nobs`, `n_features`, `auc` (apparent), `lambda`
#'   (the chosen `s`, `NA` otherwise). `augment()`: `id`, `group` (training
#'   samples) or the columns of `newdata`, plus `.fitted`, `.link`.
#' * `ev_cv`: `tidy()`: `term` ("auc", "calibration_intercept",
#'   "calibration_slope", "brier"), `estimate`, `conf.low`, `conf.high`
#'   (AUC only); `glance()`: `method`, `auc`, `conf.low`, `conf.high`,
#'   `apparent_auc`, `n_folds`, `n_repeats`, `nobs`; `augment()`: `id`,
#'   `group`, `.fitted`, `.link` (out-of-fold, pooled over repeats).
#' * `ev_panels` (from [ev_panel_search()]): `tidy()`: `term` (the panel),
#'   `size`, `estimate` (AUC), `std.error`, `conf.low`, `conf.high`,
#'   `p.value` (permutation, `NA` without `n_perm`); `glance()`: `n_panels`,
#'   `best`, `auc`, `conf.low`, `conf.high`, `p.value`.
#' * `ev_scores` (from [ev_score()]): `tidy()`: `id`, `status`, `scored`,
#'   `.fitted`, `.link` and the `risk_*` columns.
#' * `ev_validation` (from [ev_validate_bootstrap()]): `tidy()`: `term`
#'   (metric), `estimate` (optimism-corrected, Harrell), `apparent`,
#'   `optimism`, `estimate_632plus`; `glance()`: `method`, `n_boot`,
#'   `n_skipped`, `nobs`.
#'
#' @param x A result object.
#' @param conf_level Level of the DeLong interval (`ev_roc`) or of the Wald
#'   intervals (`ev_model`).
#' @param exponentiate For `ev_model`: odds ratios instead of log-odds.
#' @param newdata For `augment()` of an `ev_model`: new samples (as for
#'   [predict.ev_model()]); default the training samples.
#' @param ... Passed to [predict.ev_model()] (e.g. `s`, `covariates`).
#' @return A data.frame.
#' @name evmirna-tidy
#' @examples
#' set.seed(1)
#' x <- matrix(rnorm(60 * 3), 60, 3, dimnames = list(NULL, sprintf("hsa-miR-%d", 1:3)))
#' g <- rep(c("control", "case"), 30)
#' fit <- ev_fit(x, g, positive = "case")
#' tidy(fit)
#' glance(fit)
#' head(augment(fit))
#' glance(ev_roc(g, x[, 1], positive = "case"))
NULL

#' @rdname evmirna-tidy
#' @method tidy ev_roc
#' @export
tidy.ev_roc <- function(x, ...) {
  check_ev_roc(x)
  data.frame(threshold = x$thresholds, sensitivity = x$sensitivities,
             specificity = x$specificities)
}

#' @rdname evmirna-tidy
#' @method glance ev_roc
#' @export
glance.ev_roc <- function(x, conf_level = 0.95, ...) {
  check_ev_roc(x)
  ci <- tryCatch(ev_ci_auc(x, conf_level = conf_level), evmirna_error = function(e) NULL)
  data.frame(auc = x$auc, std.error = if (is.null(ci)) NA_real_ else attr(ci, "se"),
             conf.low = if (is.null(ci)) NA_real_ else unclass(ci)[[1L]],
             conf.high = if (is.null(ci)) NA_real_ else unclass(ci)[[3L]],
             direction = x$direction, n_cases = x$n_cases, n_controls = x$n_controls,
             nobs = x$n_cases + x$n_controls)
}

#' @rdname evmirna-tidy
#' @method tidy ev_roc_list
#' @export
tidy.ev_roc_list <- function(x, ...) roc_list_rows(x, tidy.ev_roc, ...)

#' @rdname evmirna-tidy
#' @method glance ev_roc_list
#' @export
glance.ev_roc_list <- function(x, ...) roc_list_rows(x, glance.ev_roc, ...)

roc_list_rows <- function(x, f, ...) {
  rows <- lapply(names(x), function(nm) data.frame(term = nm, f(x[[nm]], ...)))
  out <- do.call(rbind, rows)
  rownames(out) <- NULL
  out
}

#' @rdname evmirna-tidy
#' @method tidy ev_screen
#' @export
tidy.ev_screen <- function(x, ...) {
  d <- as.data.frame(x)
  data.frame(term = d$feature, estimate = d$auc, conf.low = d$auc_lower,
             conf.high = d$auc_upper, log2_fc = d$log2_fc, statistic = d$w,
             p.value = d$p_wilcoxon, p.adjusted = d$p_wilcoxon_bh)
}

#' @rdname evmirna-tidy
#' @method tidy ev_model
#' @export
tidy.ev_model <- function(x, exponentiate = FALSE, conf_level = 0.95, ...) {
  validate_ev_model(x, "x")
  check_flag(exponentiate, "exponentiate")
  check_conf_level(conf_level)
  if (is.null(x$coefficients) && !is.null(x$path)) {
    beta <- rbind(`(Intercept)` = x$path$a0, x$path$beta)
    nz <- which(beta != 0, arr.ind = TRUE)
    nz <- nz[order(nz[, 2L], nz[, 1L]), , drop = FALSE]
    return(data.frame(term = rownames(beta)[nz[, 1L]], step = unname(nz[, 2L]),
                      estimate = beta[nz], lambda = x$path$lambda[nz[, 2L]],
                      dev.ratio = x$path$dev_ratio[nz[, 2L]]))
  }
  coefs <- x$coefficients
  tab <- x$table
  pick <- function(col) {
    if (is.null(tab) || is.null(tab[[col]])) return(rep(NA_real_, length(coefs)))
    tab[[col]][match(names(coefs), tab$term)]
  }
  est <- unname(coefs)
  se <- pick("std_error")
  z <- stats::qnorm(1 - (1 - conf_level) / 2)
  lo <- est - z * se
  hi <- est + z * se
  if (exponentiate) {
    est <- exp(est)
    lo <- exp(lo)
    hi <- exp(hi)
  }
  data.frame(term = names(coefs), estimate = est, std.error = se,
             statistic = pick("z"), p.value = pick("p_value"), conf.low = lo,
             conf.high = hi)
}

#' @rdname evmirna-tidy
#' @method glance ev_model
#' @export
glance.ev_model <- function(x, ...) {
  validate_ev_model(x, "x")
  data.frame(method = x$method, nobs = if (is.null(x$train)) NA_integer_ else nrow(x$train),
             n_features = length(x$features),
             auc = if (is.null(x$roc)) NA_real_ else x$roc$auc,
             lambda = if (is.null(x$lambda)) NA_real_ else x$lambda)
}

#' @rdname evmirna-tidy
#' @method augment ev_model
#' @export
augment.ev_model <- function(x, newdata = NULL, ...) {
  validate_ev_model(x, "x")
  if (is.null(newdata)) {
    if (is.null(x$train)) {
      ev_abort("`newdata` is needed: this model keeps no training predictions.",
               "evmirna_error_shape", "newdata")
    }
    out <- x$train[c("id", "group")]
    link <- x$train$link
  } else {
    link <- stats::predict(x, newdata, type = "link", ...)
    if (is.matrix(link)) {
      ev_abort("`augment()` takes one penalty `s` at a time.", "evmirna_error_shape", "s")
    }
    out <- if (is_evset(newdata)) newdata$samples else if (is.data.frame(newdata)) newdata
           else data.frame(id = names(link), stringsAsFactors = FALSE)
  }
  out$.fitted <- stats::plogis(unname(link))
  out$.link <- unname(link)
  rownames(out) <- NULL
  out
}

#' @rdname evmirna-tidy
#' @method tidy ev_cv
#' @export
tidy.ev_cv <- function(x, ...) {
  ci <- unclass(x$ci)
  cal <- x$calibration
  data.frame(term = c("auc", "calibration_intercept", "calibration_slope", "brier"),
             estimate = c(ci[[2L]], cal$intercept, cal$slope, cal$brier),
             conf.low = c(ci[[1L]], NA, NA, NA), conf.high = c(ci[[3L]], NA, NA, NA))
}

#' @rdname evmirna-tidy
#' @method glance ev_cv
#' @export
glance.ev_cv <- function(x, ...) {
  ci <- unclass(x$ci)
  data.frame(method = x$method, auc = ci[[2L]], conf.low = ci[[1L]], conf.high = ci[[3L]],
             apparent_auc = x$apparent_auc, n_folds = x$folds, n_repeats = x$repeats,
             nobs = length(x$ids))
}

#' @rdname evmirna-tidy
#' @method augment ev_cv
#' @export
augment.ev_cv <- function(x, ...) {
  p <- x$pooled
  data.frame(id = p$id, group = p$group, .fitted = p$prob, .link = p$link,
             stringsAsFactors = FALSE)
}

#' @rdname evmirna-tidy
#' @method tidy ev_panels
#' @export
tidy.ev_panels <- function(x, ...) {
  data.frame(term = x$panel, size = x$size, estimate = x$auc, std.error = x$se,
             conf.low = x$auc_lower, conf.high = x$auc_upper,
             p.value = if (is.null(x$p_perm)) NA_real_ else x$p_perm,
             stringsAsFactors = FALSE)
}

#' @rdname evmirna-tidy
#' @method glance ev_panels
#' @export
glance.ev_panels <- function(x, ...) {
  t <- tidy.ev_panels(x)
  data.frame(n_panels = nrow(t), best = t$term[1L], auc = t$estimate[1L],
             conf.low = t$conf.low[1L], conf.high = t$conf.high[1L], p.value = t$p.value[1L],
             stringsAsFactors = FALSE)
}

#' @rdname evmirna-tidy
#' @method tidy ev_scores
#' @export
tidy.ev_scores <- function(x, ...) {
  d <- as.data.frame(x)
  risk <- grep("^risk_", names(d), value = TRUE)
  out <- data.frame(id = d$id, status = d$status, scored = d$scored, .fitted = d$prob,
                    .link = d$link, stringsAsFactors = FALSE)
  out[risk] <- d[risk]
  out
}

#' @rdname evmirna-tidy
#' @method tidy ev_validation
#' @export
tidy.ev_validation <- function(x, ...) {
  t <- as.data.frame(x)
  data.frame(term = t$metric, estimate = t$harrell, apparent = t$apparent,
             optimism = t$optimism, estimate_632plus = t$p632plus, stringsAsFactors = FALSE)
}

#' @rdname evmirna-tidy
#' @method glance ev_validation
#' @export
glance.ev_validation <- function(x, ...) {
  data.frame(method = x$method, n_boot = x$n_boot, n_skipped = x$n_skipped,
             nobs = nrow(x$indices))
}
