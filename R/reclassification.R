# Reclassification measures of a new risk model against an old one on the
# same patients: categorical and continuous net reclassification improvement
# (NRI) and integrated discrimination improvement (IDI), with stratified
# bootstrap percentile CIs drawn from R's RNG.

# Point estimates for 0/1 outcome `y` and risks `p_old`, `p_new`. A risk is
# in category k when it lies in [cutoffs[k-1], cutoffs[k]) (a risk equal to
# a cut-point goes up, as in nricens). "Up" for the continuous NRI is any
# increase of the risk (Hmisc::improveProb).
reclass_stats <- function(y, p_old, p_new, cutoffs) {
  ev <- y == 1
  ne <- !ev
  nri_parts <- function(up, down) {
    events <- mean(up[ev]) - mean(down[ev])
    nonevents <- mean(down[ne]) - mean(up[ne])
    c(events + nonevents, events, nonevents)
  }
  c_old <- findInterval(p_old, cutoffs)
  c_new <- findInterval(p_new, cutoffs)
  d <- p_new - p_old
  out <- c(nri_parts(c_new > c_old, c_new < c_old), nri_parts(d > 0, d < 0),
           mean(d[ev]) - mean(d[ne]),
           mean((p_new - y)^2) - mean((p_old - y)^2))
  names(out) <- reclass_measures
  out
}

reclass_measures <- c("nri_categorical", "nri_categorical_events",
                      "nri_categorical_nonevents", "nri_continuous",
                      "nri_continuous_events", "nri_continuous_nonevents",
                      "idi", "brier_difference")

# Bootstrap resamples drawn within each class (so every replicate keeps both
# classes and the class sizes): an n x n_boot matrix of row indices.
class_boot_indices <- function(y, n_boot) {
  ev <- which(y == 1)
  ne <- which(y == 0)
  vapply(seq_len(n_boot), function(b) {
    c(ev[sample.int(length(ev), replace = TRUE)], ne[sample.int(length(ne), replace = TRUE)])
  }, integer(length(y)))
}

# Percentile interval of each row of `reps` (replicates in columns).
percentile_ci <- function(reps, conf_level) {
  alpha <- (1 - conf_level) / 2
  apply(reps, 1L, stats::quantile, probs = c(alpha, 1 - alpha), names = FALSE,
        type = 7, na.rm = TRUE)
}

# Estimates with percentile CIs over the bootstrap resamples `idx`.
reclass_boot <- function(y, p_old, p_new, cutoffs, idx, conf_level) {
  est <- reclass_stats(y, p_old, p_new, cutoffs)
  reps <- apply(idx, 2L, function(i) reclass_stats(y[i], p_old[i], p_new[i], cutoffs))
  ci <- percentile_ci(reps, conf_level)
  list(table = data.frame(measure = names(est), estimate = unname(est),
                          lower = ci[1L, ], upper = ci[2L, ],
                          stringsAsFactors = FALSE),
       replicates = t(reps))
}

check_cutoffs <- function(cutoffs) {
  if (!is.numeric(cutoffs) || !length(cutoffs) || anyNA(cutoffs) ||
      any(cutoffs <= 0 | cutoffs >= 1)) {
    ev_abort("`cutoffs` must be risk cut-points strictly between 0 and 1.",
             "evmirna_error_value", "cutoffs")
  }
  if (is.unsorted(cutoffs, strictly = TRUE)) {
    ev_abort("`cutoffs` must be increasing without repeats.", "evmirna_error_value",
             "cutoffs")
  }
  invisible(cutoffs)
}
