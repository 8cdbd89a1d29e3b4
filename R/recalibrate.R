# ev_recalibrate(): a new frozen model for a new site. Every preprocessing
# step, the QC rules and the panel stay frozen; only the linear predictor is
# re-mapped, lp' = a + b lp (b = 1 for the intercept update), with a and b
# from glm on the parent's linear predictor in the recalibration cohort.

recalibration_methods <- c("intercept", "logistic")
recalibration_cutpoints <- c("keep", "sensitivity", "specificity")
recalibration_fields <- c("method", "parent_sha256", "intercept", "slope", "cutpoints",
                          "cohort", "package_version")

#' Recalibrate a frozen model to a new site
#'
#' Fits, on the recalibration cohort, the parent model's linear predictor
#' \eqn{lp} against the observed classes and returns a new frozen model whose
#' linear predictor is \eqn{a + b\,lp}{a + b lp}:
#' * `method = "intercept"` (calibration-in-the-large): \eqn{b = 1} and
#'   \eqn{a} is the intercept of `glm(y ~ 1 + offset(lp), binomial)`;
#' * `method = "logistic"` (logistic recalibration, Van Calster et al.
#'   2019): \eqn{a} and \eqn{b} are the coefficients of `glm(y ~ lp,
#'   binomial)`.
#'
#' The QC rules, every processing step with its frozen parameters, the panel
#' and its training ranges are kept: only the intercept (and, for
#' `"logistic"`, the coefficients, all multiplied by \eqn{b}) change, so the
#' ranking of patients is unchanged. The coefficient table's standard errors
#' (which describe the parent fit) are dropped.
#'
#' Cut-points: `"keep"` keeps the parent's probability thresholds;
#' `"sensitivity"` (or `"specificity"`) re-derives each on the recalibrated
#' risks of the recalibration cohort as the operating point that reaches the
#' parent's recorded sensitivity (specificity) with the best specificity
#' (sensitivity). Either way each cut-point's sensitivity and specificity
#' (with bootstrap CIs) are then described on the recalibration cohort.
#'
#' The new recipe records, in `recipe$recalibration`, the method, \eqn{a} and
#' \eqn{b}, the cut-point rule, a summary of the recalibration cohort and the
#' parent's SHA-256: the checksum of the parent's payload as
#' [ev_save_model()] writes it (the `checksum` in the parent's file header),
#' so a chain of model versions can be traced. The model is saved and loaded
#' by [ev_save_model()] and [ev_load_model()].
#'
#' @inheritParams ev_validate
#' @param method `"intercept"` or `"logistic"`.
#' @param cutpoints `"keep"`, `"sensitivity"` or `"specificity"`.
#' @param n_boot Bootstrap replicates of the cut-points' CIs.
#' @return A frozen `ev_model`.
#' @references
#' Van Calster B, McLernon DJ, van Smeden M, Wynants L, Steyerberg EW
#' (2019). Calibration: the Achilles heel of predictive analytics. *BMC
#' Medicine* 17, 230. \doi{10.1186/s12916-019-1466-7}
#'
#' Steyerberg EW (2019). *Clinical Prediction Models*, 2nd ed., chapter 20
#' (updating for a new setting). Springer.
#' @seealso [ev_validate()], [ev_save_model()]
#' @export
#' @examples
#' set.seed(1)
#' ids <- c("hsa-miR-16-5p", "hsa-miR-93-5p", "hsa-miR-21-5p", "hsa-miR-214-3p")
#' sim <- function(n, n_case, site) {
#'   group <- rep(c("control", "case"), c(n - n_case, n_case))
#'   cq <- matrix(rnorm(4 * n, 28, 1), 4, n,
#'                dimnames = list(ids, sprintf("%s%03d", site, seq_len(n))))
#'   cq[4, group == "case"] <- cq[4, group == "case"] - 1.5
#'   list(x = evset(cq, samples = data.frame(id = colnames(cq), group = group)),
#'        group = group)
#' }
#' site1 <- sim(80, 40, "A")
#' n <- ev_normalize(site1$x, "reference", references = ids[1:2])
#' fit <- ev_fit(n, "group", features = ids[3:4])
#' frozen <- ev_freeze(fit, site1$x, n_boot = 200)
#' # SIMULATED second site with fewer cases (another case mix)
#' site2 <- sim(120, 20, "B")
#' ev_validate(frozen, site2$x, "group")$calibration$citl
#' again <- ev_recalibrate(frozen, site2$x, "group", n_boot = 200)
#' ev_validate(again, site2$x, "group")$calibration$citl
ev_recalibrate <- function(frozen, newdata, group, method = c("intercept", "logistic"),
                           cutpoints = c("keep", "sensitivity", "specificity"),
                           conf_level = 0.95, n_boot = 2000) {
  # before the frozen-model checks, which would call such a model corrupt
  il <- if (is.list(frozen)) frozen$intercept_link
  if (inherits(frozen, "ev_model") && is.list(frozen) &&
      (is.null(frozen$coefficients) || !is.numeric(il) || length(il) != 1L || !is.finite(il))) {
    ev_abort("`frozen` has no linear predictor (coefficients and a finite intercept_link) to recalibrate.",
             "evmirna_error_no_link", "frozen")
  }
  check_frozen(frozen, "frozen")
  method <- check_choice(method, recalibration_methods, "method")
  cutpoints <- check_choice(cutpoints, recalibration_cutpoints, "cutpoints")
  check_conf_level(conf_level)
  check_n_boot(n_boot)
  parent_sha <- sha256_hex(charToRaw(model_payload_text(frozen)))
  co <- external_cohort(frozen, newdata, group)
  cal <- calibration_stats(co$y, co$link)
  if (method == "intercept") {
    a <- cal$intercept
    b <- 1
  } else {
    if (!cal$slope_converged || separates(co$link, co$y)) {
      ev_abort("`newdata`: the linear predictor separates the classes in the recalibration cohort; the logistic recalibration slope has no finite estimate (use method = \"intercept\").",
               "evmirna_error_value", "newdata")
    }
    a <- cal$slope_intercept
    b <- cal$slope
  }
  model <- frozen
  cf <- frozen$coefficients
  model$coefficients <- c(cf[1L] * b + a, cf[-1L] * b)
  model$intercept_link <- a + b * il
  if (!is.null(model$standardized)) model$standardized <- model$standardized * b
  # these describe the parent fit, not the recalibrated one
  model[c("table", "vcov", "train", "roc", "fit", "path")] <- list(NULL)
  recipe <- frozen$recipe
  recipe$panel$coefficient <- unname(model$coefficients[recipe$panel$id])
  prob <- stats::plogis(a + b * co$link)
  recipe$cutpoints <- recalibrated_cutpoints(frozen$recipe$cutpoints, cutpoints, co$group, prob,
                                             frozen$levels, conf_level, n_boot)
  s <- co$scores
  recipe$recalibration <- list(
    method = method, parent_sha256 = parent_sha,
    intercept = unname(a), slope = unname(b), cutpoints = cutpoints,
    cohort = list(n_given = nrow(s), n_scored = length(co$y),
                  n_excluded = nrow(co$excluded),
                  classes = stats::setNames(as.integer(table(co$group)), frozen$levels),
                  excluded_status = if (nrow(co$excluded)) {
                    tab <- table(co$excluded$status)
                    stats::setNames(as.integer(tab), names(tab))
                  } else integer(0),
                  provenance = attr(s, "provenance") %||% NA_character_),
    package_version = package_version_string())
  recipe$package_version <- package_version_string()
  model$recipe <- recipe
  model
}

# The parent's cut-points kept or re-derived at the recorded sensitivity or
# specificity, then described on the recalibration cohort.
recalibrated_cutpoints <- function(parent, rule, group, prob, levels, conf_level, n_boot) {
  thr <- parent$threshold
  if (rule != "keep") {
    roc <- ev_roc(group, prob, levels = levels, direction = "<")
    se <- roc$sensitivities
    sp <- roc$specificities
    th <- roc$thresholds
    ok <- is.finite(th) & th > 0 & th < 1
    thr <- vapply(seq_len(nrow(parent)), function(k) {
      target <- parent[[rule]][k]
      hit <- ok & (if (rule == "sensitivity") se else sp) >= target - 1e-12
      if (!any(hit)) {
        ev_abort(sprintf("`cutpoints`: no threshold in (0, 1) reaches the %s %.3g of cut-point \"%s\" in the recalibration cohort.",
                         rule, target, parent$name[k]), "evmirna_error_value", "cutpoints")
      }
      # the best other rate among the points that reach the target
      other <- if (rule == "sensitivity") sp else se
      cand <- which(hit)
      cand <- cand[other[cand] == max(other[cand])]
      th[cand[1L]]
    }, numeric(1))
  }
  out <- freeze_cutpoints(stats::setNames(thr, parent$name),
                          data.frame(group = group, prob = prob), levels, conf_level, n_boot)
  out$rule <- if (rule == "keep") parent$rule else paste0(rule, "_", parent$rule)
  out
}

# Schema of a loaded recalibration record (called by check_payload()).
check_recalibration_record <- function(r) {
  fin <- function(v) is.double(v) && length(v) == 1L && is.finite(v)
  ok <- is.list(r) && identical(names(r), recalibration_fields) &&
    is_string(r$method) && r$method %in% recalibration_methods &&
    is_string(r$parent_sha256) && grepl("^[0-9a-f]{64}$", r$parent_sha256) &&
    fin(r$intercept) && fin(r$slope) &&
    is_string(r$cutpoints) && r$cutpoints %in% recalibration_cutpoints &&
    is.list(r$cohort) && is_string(r$package_version)
  if (!ok) {
    schema_fail("payload$recipe$recalibration",
                sprintf("expected the fields %s with a sha256 parent, a method among %s and finite intercept and slope",
                        format_offenders(recalibration_fields),
                        format_offenders(recalibration_methods)))
  }
  invisible(r)
}
