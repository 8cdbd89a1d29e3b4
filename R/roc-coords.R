# ev_coords() and ev_ci_coords(): points of the curve (best cut-point, at
# thresholds, at given specificities/sensitivities) and their bootstrap CIs.

coords_ret_choices <- c("threshold", "specificity", "sensitivity", "accuracy",
                        "tn", "tp", "fn", "fp", "npv", "ppv", "youden",
                        "youden_j", "closest_topleft")

#' Coordinates of a ROC curve: best cut-point and operating points
#'
#' `x = "best"` returns the point(s) maximizing Youden's index
#' (`se + r * sp`) or minimizing the distance to the top-left corner
#' (`(1 - se)^2 + r * (1 - sp)^2`), with ratio
#' \eqn{r = (1 - prevalence) / (cost \times prevalence)}{r = (1 - prevalence) / (cost * prevalence)} from `best_weights = c(cost, prevalence)`, as pROC: all tied
#' points are returned. `x = "all"` (the default, as in `pROC::coords()`)
#' returns every point. Numeric `x` is read
#' as thresholds, specificities or sensitivities (`input`); at a specificity
#' or sensitivity between two points the other coordinate is interpolated
#' linearly and the threshold is `NA`.
#'
#' @param roc An `ev_roc` object.
#' @param x `"all"` (default), `"best"`, `"local_maxima"` (pROC's `"local
#'   maximas"`, also accepted: the upper corners of the curve, the only
#'   points a best cut-point can be) or numeric values of `input`.
#' @param input `"threshold"`, `"specificity"` or `"sensitivity"`.
#' @param best_method `"youden"` or `"closest_topleft"`.
#' @param best_weights `c(cost, prevalence)`: relative cost of a false
#'   negative and the prevalence (in (0, 1)).
#' @param ret Columns to return, among `"threshold"`, `"specificity"`,
#'   `"sensitivity"`, `"accuracy"`, `"tn"`, `"tp"`, `"fn"`, `"fp"`, `"npv"`,
#'   `"ppv"`, `"youden"`, `"youden_j"`, `"closest_topleft"`. Counts are
#'   weighted with weights. `youden` is pROC's criterion `se + r * sp` (so
#'   `se + sp` with the default weights, a number in \[1, 2\] for a curve
#'   above the diagonal; identical to `pROC::coords(ret = "youden")`);
#'   `youden_j` is Youden's J statistic `se + sp - 1` (Youden 1950), in
#'   \[-1, 1\], which ignores `best_weights`.
#' @param thresholds How thresholds are reported: `"midpoint"` (default,
#'   pROC's convention: halfway between adjacent observed values) or
#'   `"observed"` (cutpointr's convention: the observed value at which the
#'   call changes, so "case when x >= 2" reads `2`, not `1.5`; for
#'   `direction = ">"` the largest value still called a case). Both give the
#'   same classification of the observed data. An end threshold that calls
#'   no sample a case stays `Inf` (`-Inf` for `">"`). Numeric `x` with
#'   `input = "threshold"` is returned as given.
#' @return A data.frame, one row per point.
#' @references
#' Youden WJ (1950). Index for rating diagnostic tests. *Cancer* 3(1),
#' 32-35.
#' @examples
#' set.seed(5)
#' y <- rep(0:1, each = 40)
#' x <- rnorm(80, mean = 1.2 * y)
#' r <- ev_roc(y, x)
#' head(ev_coords(r))
#' ev_coords(r, "best", ret = c("threshold", "youden", "youden_j"))
#' ev_coords(r, "best", thresholds = "observed")
#' ev_coords(r, "best", best_method = "closest_topleft")
#' ev_coords(r, 0.9, input = "specificity")
#' ev_coords(r, c(0, 0.5), ret = c("threshold", "sensitivity", "ppv", "npv"))
#' @export
ev_coords <- function(roc, x = "all",
                      input = c("threshold", "specificity", "sensitivity"),
                      best_method = c("youden", "closest_topleft"),
                      best_weights = c(1, 0.5),
                      ret = c("threshold", "specificity", "sensitivity"),
                      thresholds = c("midpoint", "observed")) {
  check_ev_roc(roc)
  thresholds <- check_choice(thresholds, c("midpoint", "observed"), "thresholds")
  input <- check_choice(input, c("threshold", "specificity", "sensitivity"), "input")
  best_method <- check_choice(best_method, c("youden", "closest_topleft"), "best_method")
  r <- best_ratio(best_weights)
  if (!is.character(ret) || !length(ret) || anyNA(ret)) {
    ev_abort("`ret` must name coordinates.", "evmirna_error_type", "ret")
  }
  bad <- setdiff(ret, coords_ret_choices)
  if (length(bad)) {
    ev_abort(sprintf("Unknown `ret` coordinate(s): %s.", format_offenders(bad)),
             "evmirna_error_unknown", "ret")
  }
  se <- roc$sensitivities
  sp <- roc$specificities
  thr <- roc$thresholds
  if (is.character(x)) {
    x <- check_choice(x, c("all", "best", "local_maxima", "local maximas"), "x")
    if (x %in% c("local_maxima", "local maximas")) {
      at <- which(local_maxima(se, sp))
      thr <- thr[at]
      se <- se[at]
      sp <- sp[at]
    } else if (x == "best") {
      crit <- best_criterion(se, sp, r, best_method)
      at <- which(crit == max(crit))
      thr <- thr[at]
      se <- se[at]
      sp <- sp[at]
    }
    if (thresholds == "observed") thr <- observed_cuts(roc, thr)
  } else if (is.numeric(x)) {
    if (!length(x) || anyNA(x)) {
      ev_abort("Numeric `x` must be non-empty without NA.", "evmirna_error_value", "x")
    }
    if (input == "threshold") {
      at <- threshold_points(roc, x)
      thr <- x
      se <- se[at]
      sp <- sp[at]
    } else {
      if (any(x < 0 | x > 1)) {
        ev_abort(sprintf("`x` (%s) must lie within [0, 1].", input),
                 "evmirna_error_value", "x")
      }
      res <- if (input == "specificity") {
        .Call(C_roc_coord_at, sp, se, as.double(x), FALSE)
      } else {
        .Call(C_roc_coord_at, se, sp, as.double(x), TRUE)
      }
      idx <- res$index
      thr <- thr[idx]
      if (thresholds == "observed") thr <- observed_cuts(roc, thr)
      if (input == "specificity") {
        sp <- as.double(x)
        se <- res$value
      } else {
        se <- as.double(x)
        sp <- res$value
      }
    }
  } else {
    ev_abort("`x` must be \"all\", \"best\", \"local_maxima\" or numeric.",
             "evmirna_error_type", "x")
  }
  out <- coords_table(roc, thr, se, sp, r)
  out[, ret, drop = FALSE]
}

# The observed value where the call changes at each midpoint threshold:
# the smallest value called a case for "<", the largest for ">".
observed_cuts <- function(roc, thr) {
  u <- sort(unique(roc$predictor))
  out <- thr
  ok <- !is.na(thr)
  if (roc$direction == "<") {
    i <- findInterval(thr[ok], u, left.open = TRUE) + 1L   # first u >= t
    out[ok] <- ifelse(i <= length(u), u[pmin(i, length(u))], Inf)
  } else {
    i <- findInterval(thr[ok], u)                        # last u <= t
    out[ok] <- ifelse(i >= 1L, u[pmax(i, 1L)], -Inf)
  }
  out
}

# Upper corners of the step curve (points ordered by rising specificity; a
# repeated (sp, se) point counts once, at its first occurrence): a point
# whose specificity rose from the previous one and whose sensitivity drops
# at the next, or that lies on an edge (se = 0 or sp = 1) after a rise.
local_maxima <- function(se, sp) {
  first <- !duplicated(cbind(sp, se))
  s <- se[first]
  p <- sp[first]
  k <- length(s)
  keep <- if (k == 1L) TRUE else {
    prev_sp <- c(-Inf, p[-k])
    prev_se <- c(-Inf, s[-k])
    next_se <- c(s[-1L], -Inf)
    rise_sp <- p > prev_sp
    (rise_sp & s > next_se) | (rise_sp & s == 0) | (s > prev_se & p == 1)
  }
  if (k >= 2L) {
    keep[1L] <- s[1L] > s[2L]
    keep[k] <- p[k] > p[k - 1L]
  }
  out <- logical(length(se))
  out[which(first)] <- keep
  out
}

best_ratio <- function(best_weights) {
  if (!is.numeric(best_weights) || length(best_weights) != 2L || anyNA(best_weights) ||
      best_weights[[1L]] <= 0 || best_weights[[2L]] <= 0 || best_weights[[2L]] >= 1) {
    ev_abort("`best_weights` must be c(cost > 0, prevalence in (0, 1)).",
             "evmirna_error_value", "best_weights")
  }
  (1 - best_weights[[2L]]) / (best_weights[[1L]] * best_weights[[2L]])
}

best_criterion <- function(se, sp, r, method) {
  if (method == "youden") se + r * sp else -((1 - se)^2 + r * (1 - sp)^2)
}

# Curve point (1-based) of each threshold: the rule "x >= t is a case" for
# "<" (x <= t for ">") keeps the groups with oriented value >= oriented t.
threshold_points <- function(roc, t) {
  u <- roc$fit$values
  tz <- if (roc$direction == "<") t else -t
  findInterval(tz, u, left.open = TRUE) + 1L
}

coords_table <- function(roc, thr, se, sp, r) {
  n1 <- if (is.null(roc$weights)) roc$n_cases else roc$weight_cases
  n0 <- if (is.null(roc$weights)) roc$n_controls else roc$weight_controls
  tp <- se * n1
  fn <- n1 - tp
  tn <- sp * n0
  fp <- n0 - tn
  data.frame(threshold = thr, specificity = sp, sensitivity = se,
             accuracy = (tp + tn) / (n1 + n0), tn = tn, tp = tp, fn = fn, fp = fp,
             npv = tn / (tn + fn), ppv = tp / (tp + fp),
             youden = se + r * sp, youden_j = se + sp - 1, closest_topleft = (1 - se)^2 + r * (1 - sp)^2,
             row.names = NULL)
}

#' Bootstrap confidence intervals of ROC coordinates
#'
#' Percentile intervals, from the same resampling as [ev_ci_auc()]
#' (stratified, plain, or by cluster), of the sensitivity at given
#' specificities (`input = "specificity"`), the specificity at given
#' sensitivities (`input = "sensitivity"`), or of the best cut-point
#' (`x = "best"`: its threshold, specificity and sensitivity; in a replicate
#' with tied best points the first along the curve is used).
#'
#' @inheritParams ev_coords
#' @inheritParams ev_ci_auc
#' @param x `"best"` or numeric specificities/sensitivities.
#' @param input For numeric `x`: `"specificity"` or `"sensitivity"`.
#' @return A data.frame with one row per value of `x` (or per coordinate of
#'   the best point): `x`, `coordinate`, `estimate`, `lower`, `upper`.
#' @examples
#' set.seed(6)
#' y <- rep(0:1, each = 50)
#' x <- rnorm(100, mean = y)
#' r <- ev_roc(y, x)
#' ev_ci_coords(r, c(0.8, 0.9), input = "specificity", n_boot = 300)
#' ev_ci_coords(r, "best", n_boot = 300)
#' @export
ev_ci_coords <- function(roc, x = "best", input = c("specificity", "sensitivity"),
                         conf_level = 0.95, n_boot = 2000, stratified = TRUE,
                         best_method = c("youden", "closest_topleft"),
                         best_weights = c(1, 0.5)) {
  check_ev_roc(roc)
  input <- check_choice(input, c("specificity", "sensitivity"), "input")
  best_method <- check_choice(best_method, c("youden", "closest_topleft"), "best_method")
  check_conf_level(conf_level)
  # three coordinates per replicate for "best", else one per requested point
  check_n_boot(n_boot, 16 * if (is.character(x)) 3 else max(1, length(x)))
  check_flag(stratified, "stratified")
  r <- best_ratio(best_weights)
  alpha <- 1 - conf_level
  probs <- c(alpha / 2, 1 - alpha / 2)
  if (is.character(x)) {
    check_choice(x, "best", "x")
    reps <- roc_boot(list(roc), list(code = 4L, par = c(best_method != "youden", r)),
                     n_boot, stratified)
    est <- ev_coords(roc, "best", best_method = best_method, best_weights = best_weights)[1L, ]
    coord <- c("threshold", "specificity", "sensitivity")
    est <- unlist(est[coord])
    xval <- NA_real_
  } else {
    if (!is.numeric(x) || !length(x) || anyNA(x) || any(x < 0 | x > 1)) {
      ev_abort("`x` must be \"best\" or specificities/sensitivities in [0, 1].",
               "evmirna_error_value", "x")
    }
    code <- if (input == "specificity") 2L else 3L
    reps <- roc_boot(list(roc), list(code = code, par = as.double(x)), n_boot, stratified)
    other <- if (input == "specificity") "sensitivity" else "specificity"
    est <- ev_coords(roc, x, input = input, ret = other)[[other]]
    coord <- rep(other, length(x))
    xval <- x
  }
  ok <- stats::complete.cases(reps)
  if (!all(ok)) {
    ev_warn(sprintf("%d bootstrap replicate(s) without both classes were ignored.", sum(!ok)),
            "evmirna_warning_bootstrap", "n_boot")
  }
  reps <- reps[ok, , drop = FALSE]
  if (is.character(x) && roc$direction == ">") reps[, 1L] <- -reps[, 1L]
  q <- apply(reps, 2L, stats::quantile, probs = probs, names = FALSE)
  data.frame(x = xval, coordinate = coord, estimate = unname(est),
             lower = q[1L, ], upper = q[2L, ], row.names = NULL,
             stringsAsFactors = FALSE)
}
