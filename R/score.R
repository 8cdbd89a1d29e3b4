# ev_score(): scores new patients with a frozen recipe. Every step works per
# sample from frozen parameters only (QC against the training medians,
# replayed normalization, a fixed-order linear predictor), so a patient's
# numbers do not depend on who else is in the batch.

score_statuses <- c(qc_statuses, "missing_mirnas", "not_scorable")

#' Score new patients with a frozen panel
#'
#' Applies the frozen recipe of a model (see [ev_freeze()]) to new patients:
#' QC against the training cohort's rules, the recorded processing steps with
#' their frozen parameters, then the panel classifier and its cut-points.
#' Nothing is estimated from `newdata`, and the linear predictor is summed in
#' a fixed order, so a patient gets bit-for-bit the same numbers alone or in
#' a batch of any size.
#'
#' QC status per patient (the first failing check; `reason` lists every
#' failing check with its numbers): `"hemolysed"` and `"hemolysis_risk"`
#' (miR-23a-3p minus miR-451a \eqn{\Delta Cq} above the training thresholds),
#' `"spike_in_failure"` (spike-in Cq too far from the training median, or not
#' detected), `"too_many_nondetects"` (more than `max_nondetect_rate` of the
#' recipe's miRNAs not detected), `"global_mean_outlier"` (global-mean Cq
#' beyond the training robust z limit), `"missing_mirnas"` (recipe miRNAs
#' absent from `newdata`, under `missing = "not_scored"`), `"not_scorable"`
#' (the frozen processing cannot be applied to this sample, e.g. a reference
#' miRNA not detected; the reason gives the message) or `"pass"`. Only
#' passing patients are scored; the others keep `NA` scores and their reason,
#' never a silent number.
#'
#' @param model A frozen `ev_model` ([ev_freeze()] or [ev_load_model()]).
#' @param newdata The new patients, on the scale the recipe starts from (raw
#'   Cq values or counts): an [evset], or a numeric matrix / data.frame with
#'   one row per patient and one column per miRNA (a data.frame may carry an
#'   `id` column).
#' @param missing What to do when miRNAs the recipe needs are absent from
#'   `newdata`: `"error"` (default; an error of class
#'   `evmirna_error_unknown` naming them) or `"not_scored"` (every patient is
#'   returned with status `"missing_mirnas"` and no score).
#' @param extra What to do with miRNAs in `newdata` that the recipe does not
#'   know: `"drop"` them (default) or `"error"`.
#' @return An `ev_scores` data.frame, one row per patient: `id`, `status`,
#'   `reason`, `scored`, `link` (linear predictor, log-odds), `prob`
#'   (probability of the modelled class), one `risk_<cut-point>` column per
#'   cut-point ("high" when `prob` is at least the threshold, else "low"),
#'   `out_of_range` (a panel value outside the training range) and
#'   `out_of_range_mirnas`. Attributes: `values`, the recipe's miRNAs after the
#'   frozen processing (miRNAs x patients, meaningful for scored patients
#'   only), `provenance` of `newdata`, and `model`, a summary of the recipe. `as.data.frame(x, values = TRUE, contributions = TRUE)`
#'   adds the panel values and each miRNA's contribution to the linear
#'   predictor, \eqn{\beta_j (v_j - \bar v_j)} around the training mean, so
#'   that `link` equals the link at the training-mean profile plus the sum of
#'   contributions.
#' @seealso [ev_freeze()], [ev_save_model()], [ev_qc()]
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
#' frozen <- ev_freeze(fit, x, n_boot = 200)
#' new <- t(cq[, 1:3]) + 0.3
#' s <- ev_score(frozen, new)
#' s
#' as.data.frame(s, contributions = TRUE)
ev_score <- function(model, newdata, missing = c("error", "not_scored"),
                     extra = c("drop", "error")) {
  check_frozen(model, "model")
  missing <- check_choice(missing, c("error", "not_scored"), "missing")
  extra <- check_choice(extra, c("drop", "error"), "extra")
  recipe <- model$recipe
  x <- score_input(newdata, recipe$input_scale)
  required <- recipe$required_features
  have <- rownames(x$values)
  unknown <- setdiff(have, required)
  if (extra == "error" && length(unknown)) {
    ev_abort(sprintf("`newdata` has miRNAs the model does not know: %s.",
                     format_offenders(unknown)),
             "evmirna_error_unknown", "newdata")
  }
  absent <- setdiff(required, have)
  ids <- colnames(x$values)
  n <- length(ids)
  status <- rep("pass", n)
  reason <- rep("", n)
  if (length(absent)) {
    if (missing == "error") {
      ev_abort(sprintf("`newdata` lacks miRNAs the frozen recipe needs: %s (use missing = \"not_scored\" to report them instead).",
                       format_offenders(absent)),
               "evmirna_error_unknown", "newdata")
    }
    status[] <- "missing_mirnas"
    reason[] <- sprintf("recipe miRNAs absent: %s", paste(absent, collapse = ", "))
  } else {
    qc <- frozen_qc(x, recipe)
    status <- qc$status
    reason <- qc$reason
  }
  panel <- recipe$panel
  # one source of truth for the coefficients: the ones predict() uses
  panel$coefficient <- unname(model$coefficients[panel$id])
  values <- NULL
  ok <- status == "pass"
  if (any(ok)) {
    processed <- process_passing(x, which(ok), recipe$steps)
    bad <- processed$failed
    if (length(bad)) {
      status[bad] <- "not_scorable"
      reason[bad] <- processed$message[as.character(bad)]
    }
    values <- processed$values
    if (length(processed$index) < n) {
      values <- matrix(NA_real_, nrow(values), n,
                       dimnames = list(rownames(values), ids))
      values[, processed$index] <- processed$values
    }
  }
  if (is.null(values)) {
    values <- matrix(NA_real_, nrow(panel), n, dimnames = list(panel$id, ids))
  }
  # One pass in C: the linear predictor summed in the panel's order for each
  # patient (identical in any batch) and the values outside the training range.
  rows <- match(panel$id, rownames(values)) - 1L
  res <- .Call(C_score_panel, values, rows, as.double(panel$coefficient),
               as.double(model$intercept_link), as.double(panel$train_min),
               as.double(panel$train_max), status == "pass",
               as.character(panel$id))
  link <- res$link
  na_panel <- which(status == "pass" & is.na(link))
  if (length(na_panel)) {
    status[na_panel] <- "not_scorable"
    reason[na_panel] <- vapply(na_panel, function(j) {
      gone <- panel$id[is.na(values[rows + 1L, j])]
      why <- x$missing_reason[cbind(match(gone, rownames(x$values)), j)]
      sprintf("panel miRNA(s) missing after processing: %s",
              paste0(gone, ifelse(is.na(why), "", paste0(" (", why, ")")), collapse = ", "))
    }, character(1))
  }
  scored <- status == "pass"
  prob <- stats::plogis(link)
  out <- data.frame(id = ids, status = status, reason = reason, scored = scored,
                    link = link, prob = prob, stringsAsFactors = FALSE)
  cuts <- recipe$cutpoints
  for (k in seq_len(nrow(cuts))) {
    risk <- rep(NA_character_, n)
    risk[scored] <- c("low", "high")[(prob[scored] >= cuts$threshold[k]) + 1L]
    out[[paste0("risk_", cuts$name[k])]] <- risk
  }
  out$out_of_range <- res$n_out > 0L
  out$out_of_range_mirnas <- res$out_of_range
  rownames(out) <- NULL
  structure(out, class = c("ev_scores", "data.frame"), values = values,
            provenance = x$provenance,
            model = list(levels = model$levels, method = model$method,
                         panel = panel, cutpoints = cuts,
                         intercept_link = model$intercept_link,
                         package_version = recipe$package_version))
}

# newdata -> evset on the recipe's input scale.
score_input <- function(newdata, scale) {
  if (is_evset(newdata)) {
    validate_evset(newdata, "newdata")
    if (newdata$scale != scale) {
      ev_abort(sprintf("`newdata` is on the \"%s\" scale but the recipe starts from \"%s\" values.",
                       newdata$scale, scale),
               "evmirna_error_value", "newdata")
    }
    return(newdata)
  }
  if (is.data.frame(newdata)) {
    id <- if ("id" %in% names(newdata)) as.character(newdata$id) else NULL
    cols <- setdiff(names(newdata), "id")
    nonnum <- cols[!vapply(newdata[cols], is.numeric, logical(1))]
    if (length(nonnum)) {
      ev_abort(sprintf("`newdata` has non-numeric miRNA columns: %s.", format_offenders(nonnum)),
               "evmirna_error_type", "newdata")
    }
    m <- as.matrix(newdata[cols])
    rownames(m) <- id %||% rownames(newdata)
    newdata <- m
  }
  if (!is.matrix(newdata) || !is.numeric(newdata)) {
    ev_abort("`newdata` must be an evset, or a numeric matrix or data.frame with one row per patient.",
             "evmirna_error_type", "newdata")
  }
  if (is.null(colnames(newdata))) {
    ev_abort("`newdata` needs miRNA names as column names.", "evmirna_error_shape", "newdata")
  }
  if (is.null(rownames(newdata))) rownames(newdata) <- sprintf("patient%d", seq_len(nrow(newdata)))
  check_ids(rownames(newdata), "newdata", "patient IDs")
  check_ids(colnames(newdata), "newdata", "miRNA names")
  evset(t(newdata), scale = scale)
}

# Per-sample QC with the frozen training rules: the measurements and rules
# of ev_qc() (qc_measure(), qc_rules()) with the training thresholds, frozen
# medians and the recipe's non-detect limit.
frozen_qc <- function(x, recipe) {
  th <- recipe$qc$thresholds
  frozen <- recipe$qc$frozen
  needed <- recipe$required_features
  m <- qc_measure(x, th$detection_cq, frozen$spike_in_median, needed)
  # non-detects are among the missing cells only: look at those alone
  n_nd <- integer(ncol(x$values))
  has_missing <- which(m$n_missing > 0L)
  if (length(has_missing)) {
    reasons <- x$missing_reason[needed, has_missing, drop = FALSE]
    n_nd[has_missing] <- colSums(is.na(x$values[needed, has_missing, drop = FALSE]) &
                                   reasons %in% nondetect_reasons)
  }
  qc_rules(m, th, frozen, n_nondetect = n_nd, n_needed = length(needed),
           max_nondetect_rate = recipe$qc$max_nondetect_rate)[c("status", "reason")]
}

# The values of ev_apply_steps(x, steps). A recipe whose only processing is
# one Cq normalization (the usual frozen panel) is replayed straight from its
# step, with the same functions and so the same numbers and errors, but
# without rebuilding the evset around the values: its missing-value
# bookkeeping (two scans of the whole matrix) is not needed for scoring.
replay_values <- function(x, steps) {
  steps <- validate_steps(steps, "steps")
  active <- Filter(function(s) !s$name %in% record_only_steps, steps)
  if (length(active) != 1L || !identical(active[[1L]]$name, "normalize") ||
      !identical(active[[1L]]$scale, "cq")) {
    return(ev_apply_steps(x, steps)$values)
  }
  step <- active[[1L]]
  check_evset(x, "x")
  check_step_scale(x, step)
  x <- align_to_features(x, step$features)
  values <- apply_cq_step(x, step)$values
  if (!identical(dimnames(values), dimnames(x$values))) {
    dimnames(values) <- dimnames(x$values)
  }
  values
}

# Replays the steps on the batch. When the batch fails (some sample cannot be
# processed), each passing sample is replayed alone (the same numbers, as
# every step works per sample) and the failing ones keep the message.
process_passing <- function(x, index, steps) {
  # every step works per sample, so processing the whole batch (QC failures
  # included, their numbers are discarded) avoids copying out a subset
  res <- tryCatch(replay_values(x, steps), evmirna_error = function(e) e)
  if (!inherits(res, "error")) {
    return(list(values = res, index = seq_len(ncol(x$values)), failed = integer(0)))
  }
  if (length(index) < ncol(x$values)) {
    res <- tryCatch(ev_apply_steps(x[, index], steps), evmirna_error = function(e) e)
    if (!inherits(res, "error")) {
      return(list(values = res$values, index = index, failed = integer(0)))
    }
  }
  one <- lapply(index, function(j) {
    tryCatch(ev_apply_steps(x[, j], steps)$values, evmirna_error = function(e) e)
  })
  err <- vapply(one, inherits, logical(1), "error")
  message <- vapply(one[err], conditionMessage, character(1))
  names(message) <- index[err]
  kept <- one[!err]
  values <- if (length(kept)) do.call(cbind, kept) else NULL
  if (is.null(values)) {
    values <- matrix(NA_real_, length(steps[[length(steps)]]$features %||% 0L), 0L,
                     dimnames = list(steps[[length(steps)]]$features, NULL))
  }
  list(values = values, index = index[!err], failed = index[err], message = message)
}

#' @rdname ev_score
#' @param x An `ev_scores` object.
#' @param row.names,optional Unused (for the generic).
#' @param values,contributions Add the processed panel values (`value_` +
#'   miRNA) and each miRNA's contribution to the linear predictor
#'   (`contribution_` + miRNA) as columns.
#' @export
as.data.frame.ev_scores <- function(x, row.names = NULL, optional = FALSE,
                                    values = FALSE, contributions = FALSE, ...) {
  panel <- attr(x, "model")$panel
  v <- attr(x, "values")[panel$id, , drop = FALSE]
  v[, !x$scored] <- NA_real_
  out <- x
  attributes(out) <- attributes(x)[c("names", "row.names")]
  class(out) <- "data.frame"
  if (isTRUE(values)) {
    for (j in seq_len(nrow(panel))) out[[paste0("value_", panel$id[j])]] <- unname(v[j, ])
  }
  if (isTRUE(contributions)) {
    for (j in seq_len(nrow(panel))) {
      out[[paste0("contribution_", panel$id[j])]] <-
        unname(panel$coefficient[j] * (v[j, ] - panel$train_mean[j]))
    }
  }
  out
}

#' @rdname ev_score
#' @param ... Unused.
#' @export
print.ev_scores <- function(x, ...) {
  m <- attr(x, "model")
  if (is.null(m) || !all(c("id", "status", "scored", "link", "prob") %in% names(x)) ||
      ncol(attr(x, "values")) != nrow(x)) {
    # a subset: rows or columns no longer line up with the stored values
    print(as.data.frame(unclass(x), stringsAsFactors = FALSE), ...)
    return(invisible(x))
  }
  cat(sprintf("<ev_scores> %d patient(s): %d scored, %d not scored (QC or processing)\n",
              nrow(x), sum(x$scored), sum(!x$scored)))
  cat(sprintf("  panel: %d miRNA(s); probability of \"%s\"\n", nrow(m$panel), m$levels[2L]))
  for (k in seq_len(nrow(m$cutpoints))) {
    cp <- m$cutpoints[k, ]
    cat(sprintf("  cut-point %s: p >= %.4g (sens %.2f, spec %.2f): %d high risk\n",
                cp$name, cp$threshold, cp$sensitivity, cp$specificity,
                sum(x[[paste0("risk_", cp$name)]] == "high", na.rm = TRUE)))
  }
  if (any(x$out_of_range)) {
    cat(sprintf("  %d patient(s) with panel values outside the training range\n",
                sum(x$out_of_range)))
  }
  tab <- table(factor(x$status, score_statuses))
  tab <- tab[tab > 0 & names(tab) != "pass"]
  if (length(tab)) {
    cat("  not scored:", paste(names(tab), tab, sep = " = ", collapse = ", "), "\n")
  }
  show <- as.data.frame(x)
  show$link <- signif(show$link, 4)
  show$prob <- signif(show$prob, 4)
  print(utils::head(show[setdiff(names(show), c("scored", "out_of_range_mirnas"))], 10L),
        row.names = FALSE)
  if (nrow(x) > 10L) cat(sprintf("  ... %d more\n", nrow(x) - 10L))
  invisible(x)
}
