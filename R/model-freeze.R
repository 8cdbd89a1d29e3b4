# ev_freeze(): turns a fitted panel model into a frozen scoring recipe (QC
# rules, replayable processing steps, panel, coefficients, cut-points with
# their operating characteristics, training summary, package version).

# Steps that only record how data were read; they are not replayed on new data.
record_only_steps <- c("read_qpcr", "read_counts")

#' Freeze a panel model into a scoring recipe
#'
#' Attaches to a fitted model everything needed to score new patients the way
#' the training cohort was processed, so that [ev_score()] (in this session,
#' from a saved file or from the command line) never re-estimates anything
#' from new data:
#' * the QC rules: the thresholds of `qc` (see [ev_qc()]), its frozen
#'   training spike-in medians and global-mean centre and scale, and
#'   `max_nondetect_rate`;
#' * the processing steps the model was trained on (`model$steps`: filtering,
#'   non-detect imputation, plate calibration, normalization, each with its
#'   frozen parameters; steps that only record file reading are kept as
#'   provenance, not replayed);
#' * the panel miRNAs (IDs and harmonized names) and the coefficients;
#' * the cut-points on the predicted probability, each with the sensitivity
#'   and specificity it gives on `cutpoint_data` and their stratified
#'   percentile bootstrap CIs (the threshold is held fixed; a patient is
#'   "high" risk when the probability is at least the threshold);
#' * a training summary: class sizes, the range, mean and SD of each panel
#'   miRNA after processing (used to flag new values outside the training
#'   range), the AUC with its DeLong CI, and the data provenance;
#' * the evmirna version.
#'
#' @param model An `ev_model` from [ev_fit()] with coefficients (an
#'   elastic-net model needs a chosen `lambda`) and no clinical covariates.
#' @param x The training cohort as it was before processing (the evset the
#'   model's `steps` start from), holding at least the training samples.
#' @param qc The `ev_qc` result of the training cohort, whose thresholds and
#'   frozen medians become the QC rules; by default `ev_qc(x)`.
#' @param cutpoints Cut-points on the predicted probability: any of
#'   `"youden"` and `"closest_topleft"` (the best threshold on
#'   `cutpoint_data`, see [ev_coords()]) and/or numbers in (0, 1). Names, when
#'   given, label the risk-class columns of the scores.
#' @param cutpoint_data A data.frame with columns `group` (the two classes)
#'   and `prob` (predicted probability of the second class) on which
#'   cut-points are chosen and described, for example out-of-fold predictions
#'   of a cross-validation; by default the model's training predictions.
#' @param max_nondetect_rate Largest fraction of the recipe's miRNAs that may
#'   be non-detects in a sample to be scored.
#' @param conf_level Confidence level of the CIs.
#' @param n_boot Bootstrap replicates for the sensitivity and specificity
#'   CIs.
#' @return The model with an added element `recipe` (a list: `input_scale`,
#'   `qc`, `steps`, `provenance`, `required_features`, `panel`, `cutpoints`,
#'   `training`, `package_version`), ready for [ev_score()] and
#'   [ev_save_model()].
#' @seealso [ev_score()], [ev_save_model()]
#' @references
#' Youden WJ (1950). Index for rating diagnostic tests. *Cancer* 3(1),
#' 32-35.
#' @export
#' @examples
#' set.seed(1)
#' cq <- matrix(rnorm(4 * 40, 28, 1), 4, 40,
#'              dimnames = list(c("hsa-miR-16-5p", "hsa-miR-93-5p",
#'                                "hsa-miR-21-5p", "hsa-miR-214-3p"),
#'                              sprintf("S%02d", 1:40)))
#' group <- rep(c("control", "case"), each = 20)
#' cq[4, group == "case"] <- cq[4, group == "case"] - 1
#' x <- evset(cq, samples = data.frame(id = colnames(cq), group = group))
#' n <- ev_normalize(x, "reference",
#'                   references = c("hsa-miR-16-5p", "hsa-miR-93-5p"))
#' fit <- ev_fit(n, "group", features = c("hsa-miR-21-5p", "hsa-miR-214-3p"))
#' frozen <- ev_freeze(fit, x, cutpoints = c("youden", rule_in = 0.8),
#'                     n_boot = 200)
#' frozen$recipe$cutpoints
ev_freeze <- function(model, x, qc = NULL, cutpoints = "youden",
                      cutpoint_data = NULL, max_nondetect_rate = 0.2,
                      conf_level = 0.95, n_boot = 2000) {
  validate_ev_model(model, "model")
  if (is.null(model$coefficients)) {
    ev_abort("`model` keeps a whole elastic-net path; refit with a chosen `lambda` before freezing.",
             "evmirna_error_value", "model")
  }
  if (!is.null(model$covariates)) {
    ev_abort("`model` uses clinical covariates; the frozen scoring recipe covers miRNA panels only.",
             "evmirna_error_value", "model")
  }
  check_evset(x, "x")
  if (x$scale == "log2") {
    ev_abort("`x` must be the training cohort before processing (Cq values or counts), not log2 values.",
             "evmirna_error_value", "x")
  }
  if (is.null(qc)) qc <- ev_qc(x)
  if (!inherits(qc, "ev_qc")) {
    ev_abort("`qc` must be an ev_qc result of the training cohort.", "evmirna_error_type", "qc")
  }
  check_number(max_nondetect_rate, "max_nondetect_rate", lower = 0, upper = 1)
  check_conf_level(conf_level)
  check_n_boot(n_boot)
  ids <- model$train$id
  absent <- setdiff(ids, colnames(x$values))
  if (length(absent)) {
    ev_abort(sprintf("`x` lacks training samples of `model`: %s.", format_offenders(absent)),
             "evmirna_error_unknown", "x")
  }
  replay <- model$steps[!vapply(model$steps, function(s) s$name %in% record_only_steps,
                                logical(1))]
  if (!length(replay)) {
    ev_abort("`model` has no recorded processing steps to replay (fit it on a normalized evset).",
             "evmirna_error_value", "model")
  }
  processed <- ev_apply_steps(x[, ids], replay)
  panel_values <- processed$values[model$features, , drop = FALSE]
  if (anyNA(panel_values)) {
    ev_abort("`x`: the recipe leaves missing panel values in training samples; impute non-detects before fitting.",
             "evmirna_error_value", "x")
  }
  link <- drop(model$intercept_link + crossprod(model$coefficients[-1L], panel_values))
  if (!isTRUE(all.equal(unname(link), model$train$link, tolerance = 1e-8))) {
    ev_abort("`x` processed with the model's steps does not reproduce the training predictions; give the unprocessed training cohort the model was fitted on.",
             "evmirna_error_value", "x")
  }
  cutpoint_data <- cutpoint_input(cutpoint_data, model)
  cuts <- freeze_cutpoints(cutpoints, cutpoint_data, model$levels, conf_level, n_boot)
  roc <- ev_roc(model$train$group, model$train$prob, levels = model$levels,
                direction = "<")
  auc_ci <- ev_ci_auc(roc, conf_level = conf_level)
  mirna <- x$features$mirna[match(model$features, x$features$id)]
  model$recipe <- list(
    input_scale = x$scale,
    qc = list(thresholds = attr(qc, "thresholds"), frozen = attr(qc, "frozen"),
              max_nondetect_rate = max_nondetect_rate),
    steps = replay,
    provenance = x$provenance %||% NA_character_,
    required_features = step_features(replay, model$features),
    panel = data.frame(id = model$features, mirna = mirna,
                       coefficient = unname(model$coefficients[model$features]),
                       train_min = apply(panel_values, 1L, min),
                       train_max = apply(panel_values, 1L, max),
                       train_mean = rowMeans(panel_values),
                       train_sd = apply(panel_values, 1L, stats::sd),
                       stringsAsFactors = FALSE, row.names = NULL),
    cutpoints = cuts,
    training = list(n = as.integer(model$n), levels = model$levels,
                    n_samples = length(ids),
                    auc = unname(c(auc_ci[["auc"]], auc_ci[["lower"]], auc_ci[["upper"]])),
                    conf_level = conf_level,
                    cutpoint_source = attr(cutpoint_data, "source")),
    package_version = package_version_string()
  )
  model
}

# The features the replayed steps need from new data, in their order.
step_features <- function(steps, panel) {
  ids <- unlist(lapply(steps, function(s) s$features %||% s$keep), use.names = FALSE)
  unique(c(ids, panel))
}

cutpoint_input <- function(data, model) {
  if (is.null(data)) {
    out <- data.frame(group = model$train$group, prob = model$train$prob)
    attr(out, "source") <- "training predictions"
    return(out)
  }
  if (!is.data.frame(data) || !all(c("group", "prob") %in% names(data))) {
    ev_abort("`cutpoint_data` must be a data.frame with columns `group` and `prob`.",
             "evmirna_error_shape", "cutpoint_data")
  }
  if (!is.numeric(data$prob) || anyNA(data$prob) || any(data$prob < 0 | data$prob > 1)) {
    ev_abort("`cutpoint_data$prob` must hold probabilities in [0, 1] without NA.",
             "evmirna_error_value", "cutpoint_data")
  }
  group <- as.character(data$group)
  if (anyNA(group) || !all(group %in% model$levels)) {
    ev_abort(sprintf("`cutpoint_data$group` must hold the model's classes %s.",
                     format_offenders(model$levels)),
             "evmirna_error_value", "cutpoint_data")
  }
  if (length(unique(group)) < 2L) {
    ev_abort("`cutpoint_data$group` holds one class only.", "evmirna_error_one_class",
             "cutpoint_data")
  }
  out <- data.frame(group = factor(group, model$levels), prob = data$prob)
  attr(out, "source") <- attr(data, "source") %||% "supplied predictions"
  out
}

# One row per cut-point: threshold, sensitivity, specificity with fixed-
# threshold stratified bootstrap CIs.
freeze_cutpoints <- function(cutpoints, data, levels, conf_level, n_boot) {
  if (!length(cutpoints) || !(is.character(cutpoints) || is.numeric(cutpoints)) ||
      anyNA(cutpoints)) {
    ev_abort("`cutpoints` must name \"youden\"/\"closest_topleft\" or give probabilities in (0, 1).",
             "evmirna_error_type", "cutpoints")
  }
  labels <- names(cutpoints) %||% rep("", length(cutpoints))
  roc <- ev_roc(data$group, data$prob, levels = levels, direction = "<")
  rows <- lapply(seq_along(cutpoints), function(i) {
    cp <- cutpoints[[i]]
    num <- suppressWarnings(as.numeric(cp))
    if (!is.na(num)) {
      if (!(num > 0 && num < 1)) {
        ev_abort(sprintf("`cutpoints`: %s is not a probability in (0, 1).", cp),
                 "evmirna_error_value", "cutpoints")
      }
      return(list(rule = "fixed", threshold = num,
                  label = if (nzchar(labels[i])) labels[i] else format(num)))
    }
    rule <- check_choice(cp, c("youden", "closest_topleft"), "cutpoints")
    best <- ev_coords(roc, "best", best_method = rule)
    list(rule = rule, threshold = best$threshold[1L],
         label = if (nzchar(labels[i])) labels[i] else rule)
  })
  label <- vapply(rows, `[[`, "", "label")
  check_ids(label, "cutpoints", "cut-point labels")
  threshold <- vapply(rows, `[[`, numeric(1), "threshold")
  pos <- data$prob[data$group == levels[2L]]
  neg <- data$prob[data$group == levels[1L]]
  alpha <- (1 - conf_level) / 2
  boot_rate <- function(v, t, above) {
    idx <- matrix(sample.int(length(v), length(v) * n_boot, replace = TRUE), length(v))
    hit <- if (above) v[idx] >= t else v[idx] < t
    rates <- colMeans(matrix(hit, length(v)))
    unname(stats::quantile(rates, c(alpha, 1 - alpha), type = 7))
  }
  out <- data.frame(name = label, rule = vapply(rows, `[[`, "", "rule"),
                    threshold = threshold, stringsAsFactors = FALSE)
  out$sensitivity <- vapply(threshold, function(t) mean(pos >= t), numeric(1))
  out$specificity <- vapply(threshold, function(t) mean(neg < t), numeric(1))
  sens_ci <- vapply(threshold, boot_rate, numeric(2), v = pos, above = TRUE)
  spec_ci <- vapply(threshold, boot_rate, numeric(2), v = neg, above = FALSE)
  out$sensitivity_lower <- sens_ci[1L, ]
  out$sensitivity_upper <- sens_ci[2L, ]
  out$specificity_lower <- spec_ci[1L, ]
  out$specificity_upper <- spec_ci[2L, ]
  out$conf_level <- conf_level
  out
}

check_frozen <- function(model, arg) {
  if (!inherits(model, "ev_model") || !is.list(model) || is.null(model$recipe)) {
    ev_abort(sprintf("`%s` must be a frozen ev_model (see ev_freeze() or ev_load_model()).", arg),
             "evmirna_error_type", arg)
  }
  validate_ev_model(model, arg)
}
