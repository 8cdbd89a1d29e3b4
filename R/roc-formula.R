# The pROC-shaped ways into ev_roc(): a formula with one curve per
# right-hand term, a pROC::roc object, and `positive` in place of `levels`.

# levels = c(control, case) from the case class: the other class present is
# the control, so a response with more than two classes needs `levels`.
roc_positive_levels <- function(response, levels, positive) {
  if (!is.null(levels)) {
    ev_abort("give `levels` or `positive`, not both.", "evmirna_error_value", "positive")
  }
  if (length(positive) != 1L || is.na(positive)) {
    ev_abort("`positive` must be one class label.", "evmirna_error_shape", "positive")
  }
  present <- roc_levels(response, NULL)$values
  m <- match(as.character(positive), as.character(present))
  if (is.na(m)) {
    ev_abort(sprintf("`positive` (%s) is not a class of `response` (%s).",
                     format_offenders(positive), format_offenders(present)),
             "evmirna_error_unknown", "positive")
  }
  present[c(3L - m, m)]
}

roc_formula <- function(formula, data, levels, direction, weights, cluster,
                        positive, call) {
  if (!is.data.frame(data)) {
    ev_abort("with a formula, `data` must be a data.frame holding its columns.",
             "evmirna_error_type", "data")
  }
  if (length(formula) != 3L) {
    ev_abort("the formula must have a response: `outcome ~ predictor`.",
             "evmirna_error_value", "response")
  }
  terms <- attr(stats::terms(formula, data = data), "term.labels")
  if (!length(terms)) {
    ev_abort("the formula has no predictor on its right-hand side.",
             "evmirna_error_empty", "response")
  }
  outcome <- eval(formula[[2L]], data, environment(formula))
  curves <- lapply(terms, function(term) {
    x <- eval(str2lang(term), data, environment(formula))
    r <- ev_roc(outcome, x, levels = levels, direction = direction,
                weights = weights, cluster = cluster, positive = positive)
    r$call <- call
    r
  })
  if (length(curves) == 1L) return(curves[[1L]])
  structure(stats::setNames(curves, terms), class = "ev_roc_list")
}

# pROC keeps the response and predictor of the pairs it used, its levels
# (control, case) and the direction it settled on.
roc_from_proc <- function(r, call) {
  if (!is.numeric(r$predictor) || is.null(r$response) || length(r$levels) != 2L ||
      !r$direction %in% c("<", ">")) {
    ev_abort("`response` is a pROC roc object without its data (was it built with smooth = TRUE or auc-only?).",
             "evmirna_error_type", "response")
  }
  out <- ev_roc(r$response, r$predictor, levels = r$levels, direction = r$direction)
  out$call <- call
  out
}
