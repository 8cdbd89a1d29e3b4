# The TRIPOD items (Collins et al. 2015) a report can answer from the result
# objects alone; items the objects cannot answer say what to add by hand.

report_tripod <- function(parts) {
  model <- parts$model
  cv <- parts$cv
  qc <- parts$qc
  recipe <- model$recipe
  unknown <- "not in the objects given; state it by hand"
  prov <- recipe$provenance %||% parts$data$provenance
  n <- cv$n %||% model$n
  levels <- cv$levels %||% model$levels
  steps <- recipe$steps %||% model$steps
  step_names <- vapply(steps, function(s) s$name, "")
  n_candidates <- if (!is.null(parts$screen)) nrow(parts$screen) else length(model$features)

  source <- if (is.null(prov)) unknown else prov
  participants <- if (is.null(qc)) unknown else
    sprintf("%d samples measured; %d passed QC (hemolysis, spike-in recovery, global-mean outliers) and were analysed; excluded samples are listed in the QC section.",
            nrow(qc), sum(qc$pass))
  outcome <- if (is.null(levels)) unknown else
    sprintf("%s (modelled class, n = %d) versus %s (n = %d).", levels[2L], n[[2L]],
            levels[1L], n[[1L]])
  predictors <- if (is.null(model)) unknown else
    sprintf("%d miRNA(s) in the final panel (%s), from %d candidate(s) screened; scale after processing: %s.",
            length(model$features), paste(model$features, collapse = ", "), n_candidates,
            model$scale %||% "log2")
  sample_size <- if (is.null(n)) unknown else {
    events <- min(n)
    sprintf("%d samples, %d in the smaller class; events per candidate predictor %.1f, per panel predictor %.1f.",
            sum(n), events, events / n_candidates,
            events / max(1L, length(model$features %||% n_candidates)))
  }
  missing <- report_tripod_missing(parts, steps, step_names)
  resampling <- c(
    if (!is.null(cv)) sprintf("%d-fold cross-validation x %d repeat(s)%s; %s; out-of-fold predictions pooled for the AUC, calibration and Brier score.",
                              cv$folds, cv$repeats, if (isTRUE(cv$stratified)) ", stratified" else "",
                              if (is.null(cv$screen) && !isTRUE(cv$preprocessed))
                                "no data-driven step inside the folds" else
                                "screening and preprocessing re-learned in every training fold"),
    if (!is.null(parts$panels)) {
      st <- attr(parts$panels, "settings")
      sprintf("panel search: %d-fold CV AUC per panel%s.", st$folds,
              if (is.null(attr(parts$panels, "null"))) "" else
                sprintf(", permutation null of the whole search (%d permutations)", st$n_perm))
    },
    if (!is.null(recipe$cutpoints)) "cut-point sensitivity and specificity: stratified bootstrap CIs.")
  if (!length(resampling)) resampling <- "no resampling result given (the numbers are apparent)."
  performance <- report_tripod_performance(parts)
  spec <- report_model_formula(model)
  data.frame(
    item = c("4a", "5a", "6a", "7a", "8", "9", "10b", "10d, 16", "15a"),
    topic = c("data source", "participants", "outcome", "predictors",
              "sample size and events per predictor", "missing data and non-detects",
              "resampling (internal validation)", "performance measures with CIs",
              "full model specification"),
    answer = c(source, participants, outcome, predictors, sample_size, missing,
               paste(capitalize(resampling), collapse = " "), performance, spec),
    stringsAsFactors = FALSE)
}

report_tripod_missing <- function(parts, steps, step_names) {
  out <- character(0)
  x <- parts$data
  if (!is.null(x) && !is.null(x$missing_reason)) {
    r <- x$missing_reason[!is.na(x$missing_reason)]
    if (length(r)) {
      tab <- table(r)
      out <- c(out, sprintf("missing cells as read: %s.",
                            paste(sprintf("%s %d", names(tab), tab), collapse = ", ")))
    } else {
      out <- c(out, "no missing cells as read.")
    }
  }
  imp <- steps[step_names == "impute_nondetects"]
  if (length(imp)) {
    s <- imp[[1L]]
    out <- c(out, sprintf("non-detects imputed by \"%s\"%s; empty cells left missing.", s$method,
                          if (is.null(s$limit)) "" else sprintf(" at Cq %s", format(s$limit))))
  }
  th <- parts$model$recipe$qc$max_nondetect_rate
  if (!is.null(th)) {
    out <- c(out, sprintf("new patients with more than %g%% of the recipe miRNAs not detected, or a panel value missing, are not scored (reason given).",
                          100 * th))
  }
  if (!length(out)) return("not in the objects given; state it by hand")
  paste(capitalize(out), collapse = " ")
}

report_tripod_performance <- function(parts) {
  cv <- parts$cv
  out <- character(0)
  if (!is.null(cv)) {
    out <- c(out, sprintf("out-of-fold AUC %s (DeLong); calibration slope %.2f, intercept %.2f; Brier score %.3f.",
                          format_ci(cv$ci[["auc"]], cv$ci[["lower"]], cv$ci[["upper"]],
                                    attr(cv$ci, "conf_level")),
                          cv$calibration$slope, cv$calibration$intercept,
                          cv$calibration$brier))
  }
  if (!is.null(parts$held_out)) {
    ci <- ev_ci_auc(parts$held_out)
    out <- c(out, sprintf("held-out AUC %s.", format_ci(ci[["auc"]], ci[["lower"]], ci[["upper"]],
                                                        attr(ci, "conf_level"))))
  }
  cp <- parts$model$recipe$cutpoints
  if (!is.null(cp) && nrow(cp)) {
    out <- c(out, sprintf("cut-point %s (risk >= %.3f): sensitivity %.2f (%.2f-%.2f), specificity %.2f (%.2f-%.2f), on %s.",
                          cp$name, cp$threshold, cp$sensitivity, cp$sensitivity_lower,
                          cp$sensitivity_upper, cp$specificity, cp$specificity_lower,
                          cp$specificity_upper,
                          parts$model$recipe$training$cutpoint_source %||% "training predictions"))
  }
  if (!length(out)) return("no validated performance in the objects given.")
  paste(capitalize(out), collapse = " ")
}

# "logit P(osteoporosis) = -3.29 + 2.24 * hsa-miR-214-3p - ..."
report_model_formula <- function(model) {
  if (is.null(model)) return("not in the objects given; state it by hand")
  b <- model$coefficients
  if (is.null(b) || !length(b)) {
    return(sprintf("%s; coefficients in the model table.", method_label(model$method)))
  }
  terms <- names(b)[-1L]
  body <- paste0(sprintf("%.4g", b[[1L]]),
                 paste0(ifelse(b[-1L] < 0, " - ", " + "), sprintf("%.4g", abs(b[-1L])),
                        " x ", terms, collapse = ""))
  lhs <- if (model$method %in% c("logistic", "firth", "elastic_net"))
    sprintf("logit P(%s)", model$levels[2L]) else "discriminant score"
  sprintf("%s: %s = %s, on the processed scale (%s) after the frozen steps listed under Model.",
          method_label(model$method), lhs, body, model$scale %||% "log2")
}

capitalize <- function(x) paste0(toupper(substring(x, 1L, 1L)), substring(x, 2L))
