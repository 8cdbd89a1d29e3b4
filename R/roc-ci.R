# ev_ci_auc(): DeLong, Hanley-McNeil and bootstrap confidence intervals of
# the (partial) AUC, plus the helpers shared with the tests and coords CIs.

#' Confidence interval of the AUC
#'
#' * `"delong"`: DeLong's nonparametric variance from the placement values
#'   (computed in O(n log n) by [ev_roc()]); normal interval clipped to
#'   \[0, 1\], as pROC. Full AUC only. With weights, the variance treats them
#'   as frequency weights (see [ev_roc()]); refused with clusters.
#' * `"hanley_mcneil"`: Hanley & McNeil (1982) variance from the AUC and the
#'   class sizes; full AUC only.
#' * `"bootstrap"`: percentile (or BCa) interval over `n_boot` replicates,
#'   stratified by class (controls drawn first, then cases), or resampling
#'   whole clusters when the curve has a `cluster`. Works for partial AUC.
#'   Replicates are computed in C without re-sorting, from R's RNG, so
#'   `set.seed()` reproduces a run. By default each draw uses one uniform
#'   (an unbiased multiply-and-reject map); with
#'   `options(evmirna.sample_draws = TRUE)` the draws are exactly those of
#'   `sample()`, as pROC makes them, so with the same seed the replicates
#'   equal pROC's (about twice slower).
#'
#' @param roc An `ev_roc` object.
#' @param method `"delong"`, `"bootstrap"` or `"hanley_mcneil"`.
#' @param conf_level Confidence level in (0, 1).
#' @param n_boot Number of bootstrap replicates (>= 1).
#' @param stratified Resample controls and cases separately (bootstrap).
#' @param partial,focus,correct Which area: see [ev_auc()].
#' @param boot_ci `"percentile"` or `"bca"` (bias-corrected and accelerated,
#'   full AUC without clusters; jackknife from the placement values).
#' @return A named numeric vector `c(lower, auc, upper)` of class `ev_ci_auc`
#'   with attributes `method`, `conf_level`, `se` (DeLong and Hanley-McNeil),
#'   `n_boot` and `replicates` (bootstrap), and `caveat`: a one-line note,
#'   printed with the interval, when it has zero width (an AUC of 1 or 0,
#'   whose DeLong interval is \[1, 1\]; pROC warns in this case), else `NULL`.
#'   `n_boot` whose replicates would not fit in memory is refused (class
#'   `evmirna_error_memory`).
#' @references
#' DeLong ER, DeLong DM, Clarke-Pearson DL (1988). Comparing the areas under
#' two or more correlated receiver operating characteristic curves: a
#' nonparametric approach. *Biometrics* 44(3), 837-845. \doi{10.2307/2531595}
#'
#' Hanley JA, McNeil BJ (1982). The meaning and use of the area under a
#' receiver operating characteristic (ROC) curve. *Radiology* 143(1), 29-36.
#' \doi{10.1148/radiology.143.1.7063747}
#'
#' McClish DK (1989). Analyzing a portion of the ROC curve. *Medical
#' Decision Making* 9(3), 190-195. \doi{10.1177/0272989X8900900307}
#' @examples
#' set.seed(3)
#' y <- rep(0:1, each = 50)
#' x <- rnorm(100, mean = y)
#' r <- ev_roc(y, x)
#' ev_ci_auc(r)
#' ev_ci_auc(r, method = "bootstrap", n_boot = 500)
#' ev_ci_auc(r, method = "bootstrap", n_boot = 500, partial = c(0.9, 1))
#' @export
ev_ci_auc <- function(roc, method = c("delong", "bootstrap", "hanley_mcneil"),
                      conf_level = 0.95, n_boot = 2000, stratified = TRUE,
                      partial = NULL, focus = c("specificity", "sensitivity"),
                      correct = FALSE, boot_ci = c("percentile", "bca")) {
  check_ev_roc(roc)
  method <- check_choice(method, c("delong", "bootstrap", "hanley_mcneil"), "method")
  check_conf_level(conf_level)
  boot_ci <- check_choice(boot_ci, c("percentile", "bca"), "boot_ci")
  spec <- auc_spec(partial, focus, correct)
  est <- auc_of(roc, spec)
  alpha <- 1 - conf_level
  se <- NULL
  reps <- NULL
  if (method != "bootstrap") {
    if (!is.null(spec$partial)) {
      ev_abort(sprintf("method = \"%s\" is for the full AUC; use method = \"bootstrap\" for a partial AUC.",
                       method), "evmirna_error_value", "method")
    }
    if (method == "delong") {
      refuse_delong_cluster(roc)
      se <- sqrt(delong_var(roc))
    } else {
      se <- sqrt(hanley_mcneil_var(roc))
    }
    ci <- stats::qnorm(c(alpha / 2, 1 - alpha / 2), mean = est, sd = se)
    ci <- pmin(pmax(ci, 0), 1)
  } else {
    # the replicates and their sorted copy for the quantiles
    check_n_boot(n_boot, 16)
    check_flag(stratified, "stratified")
    reps <- roc_boot(list(roc), spec, n_boot, stratified)[, 1L]
    reps <- drop_na_replicates(reps)
    if (boot_ci == "bca") {
      if (!is.null(spec$partial) || !is.null(roc$cluster)) {
        ev_abort("boot_ci = \"bca\" needs the full AUC and no clusters.",
                 "evmirna_error_value", "boot_ci")
      }
      ci <- bca_interval(reps, est, auc_jackknife(roc), conf_level)
    } else {
      ci <- unname(stats::quantile(reps, c(alpha / 2, 1 - alpha / 2)))
    }
  }
  structure(c(lower = ci[[1L]], auc = est, upper = ci[[2L]]),
            class = "ev_ci_auc", caveat = ci_caveat(ci, est),
            method = method, conf_level = conf_level,
            se = se, n_boot = if (method == "bootstrap") n_boot else NULL,
            boot_ci = if (method == "bootstrap") boot_ci else NULL,
            what = auc_label(spec), replicates = reps)
}

#' @export
print.ev_ci_auc <- function(x, digits = 4L, ...) {
  m <- attr(x, "method")
  how <- switch(m, delong = "DeLong", hanley_mcneil = "Hanley-McNeil",
                bootstrap = sprintf("%s bootstrap, %d replicates",
                                    attr(x, "boot_ci"), attr(x, "n_boot")))
  cat(sprintf("%s%% CI of the %s (%s): %s [%s, %s]\n",
              format(100 * attr(x, "conf_level")), attr(x, "what"), how,
              format(x[["auc"]], digits = digits), format(x[["lower"]], digits = digits),
              format(x[["upper"]], digits = digits)))
  print_caveats(attr(x, "caveat"))
  invisible(x)
}

# A zero-width interval (AUC 1 or 0 with no spread: the classes are
# separated) is no evidence of certainty; pROC warns about the same case.
ci_caveat <- function(ci, est) {
  if (!all(is.finite(ci)) || ci[[1L]] != ci[[2L]]) return(NULL)
  sprintf("the interval has zero width because the AUC is %s (%s); it reflects the sample, not certainty.",
          format(est), if (est %in% c(0, 1)) "the classes are perfectly separated"
          else "every replicate gave the same value")
}

refuse_delong_cluster <- function(roc) {
  if (!is.null(roc$cluster)) {
    ev_abort("DeLong's method assumes independent observations; with `cluster` use method = \"bootstrap\".",
             "evmirna_error_value", "method")
  }
}

# DeLong covariance matrix of the AUCs of curves on the same observations,
# computed in C (src/delong.c, the one implementation): frequency-weighted
# placements with divisor W - 1 (pROC's formula when unweighted).
delong_cov_matrix <- function(rocs) {
  r1 <- rocs[[1L]]
  w <- r1$weights
  .Call(C_delong_cov,
        lapply(rocs, function(r) as.double(r$fit$placements_cases)),
        lapply(rocs, function(r) as.double(r$fit$placements_controls)),
        vapply(rocs, function(r) as.double(r$auc), numeric(1)),
        if (is.null(w)) NULL else as.double(w[r1$response == 1L]),
        if (is.null(w)) NULL else as.double(w[r1$response == 0L]))
}

delong_var <- function(roc) {
  if (!is.na(roc$fit$delong_var)) return(roc$fit$delong_var)
  v <- delong_cov_matrix(list(roc))[1L, 1L]
  if (is.na(v)) {
    ev_warn("DeLong's variance needs more than one case and one control (total weight > 1); returning NA.",
            "evmirna_warning_delong", "roc")
  }
  v
}

hanley_mcneil_var <- function(roc) {
  a <- roc$auc
  m <- if (is.null(roc$weights)) roc$n_cases else roc$weight_cases
  n <- if (is.null(roc$weights)) roc$n_controls else roc$weight_controls
  q1 <- a / (2 - a)
  q2 <- 2 * a^2 / (1 + a)
  (a * (1 - a) + (m - 1) * (q1 - a^2) + (n - 1) * (q2 - a^2)) / (m * n)
}

# Leave-one-out AUCs from the placements: dropping case i gives
# (W1 * theta - w_i X_i) / (W1 - w_i), and likewise for controls.
auc_jackknife <- function(roc) {
  f <- roc$fit
  w <- roc$weights
  w1 <- if (is.null(w)) rep(1, roc$n_cases) else w[roc$response == 1L]
  w0 <- if (is.null(w)) rep(1, roc$n_controls) else w[roc$response == 0L]
  W1 <- sum(w1)
  W0 <- sum(w0)
  c((W1 * roc$auc - w1 * f$placements_cases) / (W1 - w1),
    (W0 * roc$auc - w0 * f$placements_controls) / (W0 - w0))
}

bca_interval <- function(reps, est, jack, conf_level) {
  alpha <- 1 - conf_level
  z0 <- stats::qnorm((sum(reps < est) + 0.5 * sum(reps == est)) / length(reps))
  d <- mean(jack) - jack
  acc <- sum(d^3) / (6 * sum(d^2)^1.5)
  if (!is.finite(acc)) acc <- 0
  zq <- stats::qnorm(c(alpha / 2, 1 - alpha / 2))
  probs <- stats::pnorm(z0 + (z0 + zq) / (1 - acc * (z0 + zq)))
  if (anyNA(probs)) probs <- c(alpha / 2, 1 - alpha / 2)
  unname(stats::quantile(reps, probs))
}

drop_na_replicates <- function(reps) {
  bad <- is.na(reps)
  if (any(bad)) {
    ev_warn(sprintf("%d bootstrap replicate(s) without both classes were ignored.", sum(bad)),
            "evmirna_warning_bootstrap", "n_boot")
  }
  reps[!bad]
}

# Bootstrap statistics of one curve or of paired curves (same observations,
# same draws). stat: an auc_spec, or a list(code =, par =) for coordinates.
roc_boot <- function(rocs, stat, n_boot, stratified) {
  r1 <- rocs[[1L]]
  if (!is.null(stat$code)) {
    code <- stat$code
    par <- stat$par
  } else if (is.null(stat$partial)) {
    code <- 0L
    par <- numeric(0)
  } else {
    code <- 1L
    par <- c(stat$partial, as.numeric(stat$focus == "sensitivity"),
             as.numeric(stat$correct))
  }
  .Call(C_roc_boot, lapply(rocs, roc_fit_with_groups), r1$response, r1$weights,
        r1$cluster, as.integer(n_boot), stratified, as.integer(code),
        as.double(par), boot_sampler())
}

# The fit with each observation's group (0-based index of its value among
# the distinct oriented values), which ev_roc() does not store: only the
# bootstrap needs it.
roc_fit_with_groups <- function(roc) {
  f <- roc$fit
  if (is.null(f$group)) {
    z <- if (roc$direction == "<") roc$predictor else -roc$predictor
    f[["group"]] <- findInterval(z, f$values) - 1L
  }
  f
}

# 0: fast unbiased sampler (one uniform per draw); 1/2: the draws of
# sample() under sample.kind "Rejection"/"Rounding", which reproduce pROC's
# replicates (option evmirna.sample_draws = TRUE).
boot_sampler <- function() {
  if (!isTRUE(getOption("evmirna.sample_draws", FALSE))) return(0L)
  if (identical(RNGkind()[[3L]], "Rounding")) 2L else 1L
}
