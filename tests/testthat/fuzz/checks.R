# Judging one call: a crash or a hang never reaches here (engine.R); an
# error must be a classed evmirna_ error naming an argument; a result must
# be in range: AUCs, probabilities, sensitivities, specificities and
# p-values in [0, 1] (NA allowed, NaN not), and AUC confidence limits
# finite, ordered and in [0, 1].
fuzz_judge <- function(res, call) {
  e <- res$error
  if (!is.null(e)) {
    if (inherits(e, "evmirna_error")) {
      named <- (is.character(e$arg) && length(e$arg) && nzchar(e$arg[1L])) ||
        grepl("`", conditionMessage(e), fixed = TRUE)
      if (named) return(list(outcome = "classed", detail = class(e)[1L]))
      return(list(outcome = "unclassed", detail = paste("evmirna_error naming no argument:",
                                                        conditionMessage(e))))
    }
    msg <- conditionMessage(e)
    # R's own argument matching: the message names the misspelled argument
    if (startsWith(msg, "unused argument")) {
      return(list(outcome = "unused_argument", detail = msg))
    }
    if (grepl("elapsed time limit", msg, fixed = TRUE)) {
      return(list(outcome = "timeout", detail = msg))
    }
    return(list(outcome = "unclassed", detail = paste0("<", class(e)[1L], "> ", msg)))
  }
  # print and plot methods return their (possibly corrupted) input
  returned_input <- any(vapply(call$args, identical, logical(1), res$value))
  problem <- if (returned_input) NULL else fuzz_range_problem(res$value)
  if (!is.null(problem)) return(list(outcome = "out_of_range", detail = problem))
  list(outcome = "ok", detail = "")
}

fuzz_unit_fields <- c("auc", "prob", "p_value", "p.value", "sensitivity", "specificity",
                      "sensitivities", "specificities", "sensitivity_lower",
                      "sensitivity_upper", "specificity_lower", "specificity_upper",
                      "detection_rate", "auc_lower", "auc_upper")

fuzz_range_problem <- function(v, depth = 0L, where = "result") {
  if (depth > 3L || is.null(v) || is.function(v) || is.environment(v)) return(NULL)
  if (inherits(v, "ev_ci_auc")) {
    ci <- unclass(v)
    num <- suppressWarnings(as.numeric(c(ci[["lower"]], ci[["auc"]], ci[["upper"]])))
    # (a percentile bootstrap interval need not contain the estimate)
    if (length(num) == 3L && (anyNA(num) || any(num < 0 | num > 1) ||
                              num[1L] > num[3L])) {
      return(sprintf("%s: AUC CI (%s) not finite, ordered and within [0, 1]", where,
                     paste(format(num), collapse = ", ")))
    }
  }
  if (is.list(v)) {
    nms <- names(v)
    for (k in seq_along(v)) {
      nm <- if (is.null(nms)) "" else nms[k]
      el <- v[[k]]
      if (nm %in% fuzz_unit_fields && is.numeric(el)) {
        x <- as.vector(el)
        if (any(is.nan(x)) || any(!is.na(x) & (x < -1e-12 | x > 1 + 1e-12))) {
          return(sprintf("%s$%s outside [0, 1] or NaN", where, nm))
        }
      }
      p <- fuzz_range_problem(el, depth + 1L, paste0(where, "$", nm))
      if (!is.null(p)) return(p)
    }
  }
  NULL
}
