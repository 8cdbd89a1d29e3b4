# ev_validate(): external validation of a frozen model on a new cohort:
# discrimination, calibration (CITL, slope, flexible curve), Brier, decision
# curve and the case mix against the training cohort.

#' Validate a frozen model on an external cohort
#'
#' Scores `newdata` with the frozen recipe ([ev_score()]: training QC rules,
#' frozen processing, fixed panel) and compares the predicted risks with the
#' observed classes. Patients failing QC or processing are excluded and
#' reported (how many, which and why in `excluded`), never kept with a
#' number.
#'
#' Definitions, with \eqn{lp} the frozen linear predictor (log-odds) and
#' \eqn{p = \mathrm{plogis}(lp)}{p = plogis(lp)}:
#' * **AUC** with its DeLong CI ([ev_roc()], [ev_ci_auc()]).
#' * **Calibration-in-the-large** (CITL): the intercept \eqn{a} of
#'   `glm(y ~ 1 + offset(lp), binomial)`; 0 when the mean predicted risk
#'   matches the event rate in the logistic sense.
#' * **Calibration slope**: the coefficient \eqn{b} of `glm(y ~ lp,
#'   binomial)`; 1 when the spread of the risks is right, below 1 when
#'   predictions are too extreme. Both CIs are Wald intervals from the
#'   observed information (as `confint.default()` on the `glm`).
#' * **Flexible calibration curve** (Austin & Steyerberg 2019): the observed
#'   risk smoothed against \eqn{p} by `loess(y ~ p, degree = 2, span =
#'   span)`, with a pointwise normal CI; ICI is the mean, E50 the median,
#'   E90 the 90th percentile and Emax the maximum of \eqn{|p - \hat
#'   p_{obs}|}{|p - smoothed observed risk|} over the patients.
#' * **Brier score** \eqn{\mathrm{mean}((p - y)^2)}{mean((p - y)^2)} and the
#'   **scaled Brier** \eqn{1 - \mathrm{Brier} / (\bar y (1 - \bar y))}{1 -
#'   Brier / (ybar (1 - ybar))}, the Brier score of the event rate alone.
#' * **Decision curve**: net benefit of treating when \eqn{p \ge t}, against
#'   treat-all and treat-none (as [ev_cv()]; `prevalence` moves the risks to
#'   another prevalence first).
#' * **Case mix**: the cohort's class sizes against the training cohort's,
#'   and per panel miRNA the mean and SD after processing against training,
#'   and the patients below or above the training range.
#'
#' @section Differences from rms::val.prob():
#' On the same \eqn{p} and \eqn{y}, `val.prob()`'s `C` (= Dxy / 2 + 0.5) is
#' the AUC, `Brier` the Brier score and `Slope` the calibration slope here.
#' Its `Intercept` is the intercept of the slope model `y ~ lp`
#' (`calibration$slope_intercept` here), not the CITL with the slope fixed
#' at 1. Its `Eavg`, `E90` and `Emax` come from `lowess(p, y, iter = 0)`
#' interpolated at \eqn{p}, which `smoother = "lowess"` reproduces; the
#' default `"loess"` (Austin & Steyerberg's choice, with a CI) gives
#' somewhat different numbers. `val.prob()`'s "Emax" is the maximum over
#' the patients' predicted risks, as here.
#'
#' @param frozen A frozen `ev_model` ([ev_freeze()], [ev_load_model()] or
#'   [ev_recalibrate()]).
#' @param newdata The validation cohort, as for [ev_score()].
#' @param group The observed classes, one per patient of `newdata` (in its
#'   order), holding the model's two levels; or, when `newdata` is an
#'   evset, the name of a column of its samples.
#' @param thresholds Risk thresholds of the decision curve.
#' @param prevalence `NULL` (the cohort's event rate) or a prevalence for
#'   the decision curve.
#' @param smoother `"loess"` or `"lowess"` (as `rms::val.prob()`).
#' @param span Span of the loess smoother.
#' @param conf_level Confidence level of the CIs.
#' @return An object of class `ev_external_validation`: a list with
#'   `levels`, `n` (patients given, scored, excluded), `excluded` (id,
#'   status, reason of the patients not scored), `predictions` (id, group,
#'   link, prob of the scored patients), `roc`, `auc` (estimate, lower,
#'   upper), `calibration` (CITL and slope with SEs and CIs, the slope
#'   model's intercept), `curve` (the flexible calibration curve with ICI,
#'   E50, E90, Emax), `brier`, `scaled_brier`, `decision`, `case_mix`,
#'   `training` (the recipe's training summary), `caveats`, `conf_level`.
#' @references
#' Austin PC, Steyerberg EW (2019). The Integrated Calibration Index (ICI)
#' and related metrics for quantifying the calibration of logistic
#' regression models. *Statistics in Medicine* 38(21), 4051-4065.
#' \doi{10.1002/sim.8281}
#'
#' Van Calster B, McLernon DJ, van Smeden M, Wynants L, Steyerberg EW
#' (2019). Calibration: the Achilles heel of predictive analytics. *BMC
#' Medicine* 17, 230. \doi{10.1186/s12916-019-1466-7}
#' @seealso [ev_recalibrate()], [ev_score()]
#' @export
#' @examples
#' set.seed(1)
#' ids <- c("hsa-miR-16-5p", "hsa-miR-93-5p", "hsa-miR-21-5p", "hsa-miR-214-3p")
#' sim <- function(n, shift) {
#'   group <- rep(c("control", "case"), each = n / 2)
#'   cq <- matrix(rnorm(4 * n, 28, 1), 4, n,
#'                dimnames = list(ids, sprintf("S%03d", seq_len(n) + shift * 1000)))
#'   cq[4, group == "case"] <- cq[4, group == "case"] - 1 - shift
#'   list(x = evset(cq, samples = data.frame(id = colnames(cq), group = group)),
#'        group = group)
#' }
#' site1 <- sim(80, 0)
#' n <- ev_normalize(site1$x, "reference", references = ids[1:2])
#' fit <- ev_fit(n, "group", features = ids[3:4])
#' frozen <- ev_freeze(fit, site1$x, n_boot = 200)
#' # SIMULATED second site: a stronger miR-214-3p effect
#' site2 <- sim(80, 1)
#' v <- ev_validate(frozen, site2$x, "group")
#' v
#' as.data.frame(v)
ev_validate <- function(frozen, newdata, group, thresholds = seq(0.01, 0.99, by = 0.01),
                        prevalence = NULL, smoother = c("loess", "lowess"), span = 0.75,
                        conf_level = 0.95) {
  check_frozen(frozen, "frozen")
  smoother <- check_choice(smoother, c("loess", "lowess"), "smoother")
  check_number(span, "span", lower = 0)
  if (span <= 0) ev_abort("`span` must be positive.", "evmirna_error_value", "span")
  check_thresholds(thresholds)
  check_prevalence(prevalence)
  check_conf_level(conf_level)
  co <- external_cohort(frozen, newdata, group)
  y <- co$y
  lp <- co$link
  p <- co$prob
  lv <- frozen$levels
  roc <- ev_roc(co$group, p, levels = lv, direction = "<")
  ci <- ev_ci_auc(roc, conf_level = conf_level)
  cal <- calibration_with_ci(y, lp, conf_level)
  curve <- tryCatch(flexible_calibration(y, p, smoother, span, conf_level),
                    error = function(e) e, warning = function(w) w)
  caveats <- attr(ci, "caveat")
  if (inherits(curve, "condition")) {
    caveats <- c(caveats, sprintf("flexible calibration curve not estimable: %s",
                                  conditionMessage(curve)))
    curve <- NULL
  } else if (any(curve$observed < 0 | curve$observed > 1)) {
    caveats <- c(caveats, sprintf("the smoothed calibration curve leaves [0, 1] (%d patients, %d events): too few for a flexible curve; read ICI, E50, E90 and Emax with care.",
                                  length(y), as.integer(sum(y))))
  }
  if (!cal$converged || separates(lp, y)) {
    caveats <- c(caveats, "the linear predictor (nearly) separates the classes: the calibration slope is not a finite estimate.")
  }
  brier <- cal$brier
  ybar <- mean(y)
  out <- list(
    levels = lv,
    n = c(given = nrow(co$scores), scored = length(y), excluded = nrow(co$excluded)),
    excluded = co$excluded,
    predictions = data.frame(id = co$scores$id[co$scores$scored], group = co$group,
                             link = lp, prob = p, stringsAsFactors = FALSE),
    roc = roc,
    auc = c(auc = ci[["auc"]], lower = ci[["lower"]], upper = ci[["upper"]]),
    calibration = cal[setdiff(names(cal), "brier")],
    curve = curve,
    brier = brier,
    scaled_brier = 1 - brier / (ybar * (1 - ybar)),
    decision = decision_curve(y, lp, thresholds, prevalence),
    prevalence = prevalence,
    case_mix = case_mix(frozen, co),
    training = frozen$recipe$training,
    recalibration = frozen$recipe$recalibration,
    caveats = caveats,
    conf_level = conf_level)
  structure(out, class = "ev_external_validation")
}

# Scores the cohort and lines up the classes with the scored patients.
external_cohort <- function(model, newdata, group) {
  s <- ev_score(model, newdata)
  n <- nrow(s)
  if (is_evset(newdata) && is.character(group) && length(group) == 1L && n != 1L) {
    if (!group %in% names(newdata$samples)) {
      ev_abort(sprintf("`group`: \"%s\" is not a column of the samples of `newdata`.", group),
               "evmirna_error_unknown", "group")
    }
    group <- newdata$samples[[group]]
  }
  if (is.factor(group)) group <- as.character(group)
  if (!is.atomic(group) || is.null(group)) {
    ev_abort("`group` must be a vector of class labels.", "evmirna_error_type", "group")
  }
  if (length(group) != n) {
    ev_abort(sprintf("`group` has %d label(s) for %d patient(s) in `newdata`.",
                     length(group), n), "evmirna_error_shape", "group")
  }
  group <- as.character(group)
  bad <- is.na(group) | !group %in% model$levels
  if (any(bad)) {
    ev_abort(sprintf("`group` must hold the model's classes %s; found %s.",
                     format_offenders(model$levels), format_offenders(unique(group[bad]))),
             "evmirna_error_value", "group")
  }
  keep <- s$scored
  if (!any(keep)) {
    ev_abort("`newdata`: no patient passed QC and processing, nothing to validate.",
             "evmirna_error_value", "newdata")
  }
  g <- factor(group[keep], model$levels)
  if (any(table(g) == 0L)) {
    ev_abort(sprintf("`group`: the scored patients are all \"%s\"; validation needs both classes.",
                     as.character(g[1L])), "evmirna_error_one_class", "group")
  }
  list(scores = s, group = g, y = as.integer(g == model$levels[2L]),
       link = s$link[keep], prob = s$prob[keep],
       excluded = data.frame(id = s$id[!keep], status = s$status[!keep],
                             reason = s$reason[!keep], stringsAsFactors = FALSE))
}

# Class sizes and panel values of the scored patients against training.
case_mix <- function(model, co) {
  panel <- model$recipe$panel
  keep <- co$scores$scored
  v <- attr(co$scores, "values")[panel$id, keep, drop = FALSE]
  tr <- model$recipe$training
  n_train <- stats::setNames(as.integer(model$n), model$levels)
  mirnas <- data.frame(
    id = panel$id, train_mean = panel$train_mean, train_sd = panel$train_sd,
    mean = rowMeans(v), sd = apply(v, 1L, stats::sd),
    train_min = panel$train_min, train_max = panel$train_max,
    n_below = as.integer(rowSums(v < panel$train_min)),
    n_above = as.integer(rowSums(v > panel$train_max)),
    stringsAsFactors = FALSE, row.names = NULL)
  mirnas$n_out_of_range <- mirnas$n_below + mirnas$n_above
  list(classes = data.frame(class = model$levels, training = n_train,
                            validation = as.integer(table(co$group)),
                            row.names = NULL, stringsAsFactors = FALSE),
       prevalence = c(training = n_train[[2L]] / sum(n_train), validation = mean(co$y)),
       mirnas = mirnas,
       n_out_of_range = sum(co$scores$out_of_range[keep]),
       training_auc = tr$auc)
}

#' @rdname ev_validate
#' @param x,object An `ev_external_validation` object.
#' @param ... Unused (print, summary, as.data.frame) or passed to the
#'   plotting functions.
#' @export
print.ev_external_validation <- function(x, ...) {
  cat(sprintf("<ev_external_validation> %d patient(s): %d scored, %d excluded (QC or processing)\n",
              x$n[["given"]], x$n[["scored"]], x$n[["excluded"]]))
  if (nrow(x$excluded)) {
    tab <- table(x$excluded$status)
    cat("  excluded:", paste(names(tab), tab, sep = " = ", collapse = ", "), "\n")
  }
  cm <- x$case_mix
  cat(sprintf("  \"%s\": %d of %d (%.0f%%; training %.0f%%)\n", x$levels[2L],
              sum(x$predictions$group == x$levels[2L]), x$n[["scored"]],
              100 * cm$prevalence[["validation"]], 100 * cm$prevalence[["training"]]))
  print(as.data.frame(x), row.names = FALSE, digits = 4)
  if (cm$n_out_of_range) {
    cat(sprintf("  %d scored patient(s) with panel values outside the training range\n",
                cm$n_out_of_range))
  }
  if (!is.null(x$recalibration)) {
    cat(sprintf("  model recalibrated (%s) from parent sha256:%s\n", x$recalibration$method,
                substr(x$recalibration$parent_sha256, 1L, 12L)))
  }
  for (cv in x$caveats) cat("  caveat:", cv, "\n")
  invisible(x)
}

#' @rdname ev_validate
#' @export
summary.ev_external_validation <- function(object, ...) {
  structure(list(statistics = as.data.frame(object), case_mix = object$case_mix,
                 excluded = object$excluded, n = object$n, caveats = object$caveats),
            class = "summary_ev_external_validation")
}

#' @rdname ev_validate
#' @export
print.summary_ev_external_validation <- function(x, ...) {
  cat(sprintf("External validation: %d scored, %d excluded\n", x$n[["scored"]],
              x$n[["excluded"]]))
  print(x$statistics, row.names = FALSE, digits = 4)
  cat("\nCase mix (classes):\n")
  print(x$case_mix$classes, row.names = FALSE)
  cat("\nCase mix (panel miRNAs after processing):\n")
  print(x$case_mix$mirnas, row.names = FALSE, digits = 3)
  if (nrow(x$excluded)) {
    cat("\nExcluded patients:\n")
    print(x$excluded, row.names = FALSE)
  }
  for (cv in x$caveats) cat("caveat:", cv, "\n")
  invisible(x)
}

#' @rdname ev_validate
#' @param row.names,optional Unused (for the generic).
#' @param what `"statistics"` (one row per statistic: estimate and CI),
#'   `"calibration"` (the flexible curve on a grid), `"decision"`,
#'   `"case_mix"` (per panel miRNA) or `"predictions"`.
#' @export
as.data.frame.ev_external_validation <- function(x, row.names = NULL, optional = FALSE,
                                                 what = c("statistics", "calibration",
                                                          "decision", "case_mix",
                                                          "predictions"), ...) {
  what <- check_choice(what, c("statistics", "calibration", "decision", "case_mix",
                               "predictions"), "what")
  switch(what,
         calibration = x$curve$curve %||%
           data.frame(predicted = numeric(0), observed = numeric(0), lower = numeric(0),
                      upper = numeric(0)),
         decision = x$decision,
         case_mix = x$case_mix$mirnas,
         predictions = x$predictions,
         statistics = {
           cal <- x$calibration
           cu <- x$curve
           na <- NA_real_
           data.frame(
             statistic = c("auc", "citl", "slope", "brier", "scaled_brier", "ici", "e50",
                           "e90", "emax"),
             estimate = c(x$auc[["auc"]], cal$citl, cal$slope, x$brier, x$scaled_brier,
                          cu$ici %||% na, cu$e50 %||% na, cu$e90 %||% na, cu$emax %||% na),
             lower = c(x$auc[["lower"]], cal$citl_ci[1L], cal$slope_ci[1L], rep(na, 6L)),
             upper = c(x$auc[["upper"]], cal$citl_ci[2L], cal$slope_ci[2L], rep(na, 6L)),
             stringsAsFactors = FALSE)
         })
}

#' @rdname ev_validate
#' @param which `"calibration"` (the flexible curve with its CI, the
#'   logistic recalibration line and the risk distribution) or
#'   `"decision"`.
#' @export
plot.ev_external_validation <- function(x, which = c("calibration", "decision"), ...) {
  which <- check_choice(which, c("calibration", "decision"), "which")
  if (which == "decision") {
    d <- x$decision
    lim <- range(c(d$net_benefit, 0, max(d$treat_all)), finite = TRUE)
    graphics::plot(d$threshold, d$net_benefit, type = "l", lwd = 2, ylim = lim,
                   xlab = "Risk threshold", ylab = "Net benefit",
                   main = "Decision curve (external cohort)", ...)
    graphics::lines(d$threshold, d$treat_all, lty = 2, col = "grey30")
    graphics::abline(h = 0, lty = 3)
    graphics::legend("topright", bty = "n", lty = c(1, 2, 3), lwd = c(2, 1, 1),
                     col = c("black", "grey30", "black"), cex = 0.85,
                     legend = c("frozen model", "treat all", "treat none"))
    return(invisible(x))
  }
  p <- x$predictions$prob
  graphics::plot(NA, xlim = c(0, 1), ylim = c(0, 1), xlab = "Predicted risk",
                 ylab = "Observed risk", main = "Calibration (external cohort)", asp = 1, ...)
  graphics::abline(0, 1, col = "grey60", lty = 2)
  cu <- x$curve$curve
  if (!is.null(cu)) {
    if (!all(is.na(cu$lower))) {
      graphics::polygon(c(cu$predicted, rev(cu$predicted)), c(cu$lower, rev(cu$upper)),
                        col = grDevices::adjustcolor("steelblue", 0.25), border = NA)
    }
    graphics::lines(cu$predicted, cu$observed, lwd = 2, col = "steelblue")
  }
  cal <- x$calibration
  grid <- seq(0.005, 0.995, length.out = 199)
  graphics::lines(grid, stats::plogis(cal$slope_intercept + cal$slope * stats::qlogis(grid)))
  graphics::rug(p[x$predictions$group == x$levels[2L]], side = 3, col = "grey30")
  graphics::rug(p[x$predictions$group == x$levels[1L]], side = 1, col = "grey30")
  graphics::legend("topleft", bty = "n", cex = 0.85,
                   lty = c(1, 1, 2), lwd = c(2, 1, 1),
                   col = c("steelblue", "black", "grey60"),
                   legend = c(sprintf("%s (ICI %.3f, Emax %.3f)", x$curve$smoother %||% "smoother",
                                      x$curve$ici %||% NA, x$curve$emax %||% NA),
                              sprintf("logistic recalibration (CITL %.2f, slope %.2f)", cal$citl, cal$slope),
                              "perfect calibration"))
  invisible(x)
}
