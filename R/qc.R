# Sample-level quality control: detection, hemolysis (miR-23a-3p vs
# miR-451a), spike-in recovery, outlying global-mean Cq, plate summaries.

# One QC vocabulary for ev_qc() and ev_score(): sample statuses in the
# order the checks run, and the hemolysis levels of a sample.
qc_statuses <- c("pass", "hemolysed", "hemolysis_risk", "spike_in_failure",
                 "too_many_nondetects", "global_mean_outlier")
hemolysis_levels <- c("ok", "hemolysis_risk", "hemolysed")

# The thresholds a QC rule set holds, with their allowed range.
qc_threshold_spec <- list(detection_cq = c(0, Inf), hemolysis_risk = c(-Inf, Inf),
                          hemolysis_cutoff = c(-Inf, Inf), spike_in_cycles = c(0, Inf),
                          outlier_z = c(0, Inf))

# Missing values that mean "not amplified" rather than "not measured".
nondetect_reasons <- c("undetermined", "no_ct", "above_max_cq", "missing",
                       "no_amplification")

# Detected: a Cq at most detection_cq, or a positive count.
detected_matrix <- function(x, detection_cq) {
  v <- x$values
  if (x$scale == "cq") !is.na(v) & v <= detection_cq else !is.na(v) & v > 0
}

#' Quality control of an EV miRNA panel
#'
#' One row per sample: non-detects and detection rate, hemolysis by the
#' miR-451a/miR-23a-3p \eqn{\Delta Cq} (Blondal et al. 2013; Shah et al.
#' 2016), spike-in recovery against the cohort median, and outlying samples by
#' their global-mean Cq. Per-miRNA detection and per-plate summaries are
#' attached as attributes `features` and `plates`.
#'
#' Hemolysis: \eqn{\Delta Cq = Cq(miR-23a-3p) - Cq(miR-451a)}; "hemolysis_risk" above
#' `hemolysis_risk`, "hemolysed" above `hemolysis_cutoff`, `NA` when either
#' miRNA is missing. Spike-in: each spike-in's Cq minus its cohort median
#' (the largest absolute deviation over spike-ins is reported); flagged beyond
#' `spike_in_cycles`. Global mean: the mean Cq of the detected miRNAs (spike-ins
#' excluded); a sample is an outlier when its robust z-score (median and MAD of
#' the cohort) exceeds `outlier_z`. The cohort medians and MAD can be frozen by
#' passing a training QC result as `reference`, so a new patient is judged
#' against the training cohort.
#'
#' @param x An [evset] ("cq" or "counts"; hemolysis and spike-in checks need
#'   Cq values).
#' @param detection_cq A miRNA is detected when its Cq is at most this value
#'   (counts: when positive).
#' @param hemolysis_risk,hemolysis_cutoff \eqn{\Delta Cq} thresholds for
#'   "hemolysis_risk" and "hemolysed".
#' @param spike_in_cycles Allowed deviation of the spike-in Cq from the
#'   cohort median, in cycles.
#' @param outlier_z Robust z-score beyond which a global-mean Cq is outlying.
#' @param plate Name of the `samples` column holding plates (ignored when
#'   absent).
#' @param reference Optional `ev_qc` result of a training cohort whose
#'   spike-in medians and global-mean centre and scale are reused.
#' @param max_replicate_sd,min_wells Technical-replicate rule, for evsets
#'   read from long exports with replicate wells (see [ev_read_qpcr()]): a
#'   miRNA x sample value whose averaged wells have an SD above
#'   `max_replicate_sd` cycles ("replicate_sd"), or that rests on fewer than
#'   `min_wells` wells ("too_few_wells"), is flagged. The flagged cells are
#'   the attribute `replicates` (feature, sample, wells, used, sd, reason);
#'   column `replicate_flags` counts them per sample. They do not change
#'   `pass`: one doubtful miRNA does not fail a sample.
#' @return A data.frame of class `ev_qc` with columns `sample`, `plate`,
#'   `n_nondetect`, `detection_rate`, `global_mean_cq`, `global_mean_z`,
#'   `outlier`, `hemolysis_dcq`, `hemolysis`, `spike_in_deviation`,
#'   `spike_in_flag`, `pass`, `status`, `reason` and `replicate_flags`.
#'   `status` uses the
#'   words of [ev_score()]: the first failing check among "hemolysed",
#'   "hemolysis_risk", "spike_in_failure" and "global_mean_outlier", or
#'   "pass"; `reason` describes every failing check. The same rules decide
#'   both (a frozen model applies its training thresholds).
#' @references
#' Blondal T, Jensby Nielsen S, Baker A, Andreasen D, Mouritzen P, Wrang
#' Teilum M, Dahlsveen IK (2013). Assessing sample and miRNA profile quality
#' in serum and plasma or other biofluids. *Methods* 59(1), S1-S6.
#' \doi{10.1016/j.ymeth.2012.09.015}
#' @export
#' @examples
#' cq <- matrix(c(22, 29, 25, 30, 20, 29.5, 25.5, 31, 21, 27, 24, 29.8), 4,
#'              dimnames = list(c("hsa-miR-451a", "hsa-miR-23a-3p",
#'                                "hsa-miR-21-5p", "cel-miR-39-3p"),
#'                              c("S1", "S2", "S3")))
#' q <- ev_qc(evset(cq))
#' q
#' q$hemolysis
ev_qc <- function(x, detection_cq = 35, hemolysis_risk = 5,
                  hemolysis_cutoff = 7, spike_in_cycles = 2, outlier_z = 3,
                  plate = "plate", reference = NULL,
                  max_replicate_sd = 0.5, min_wells = 2) {
  check_evset(x, "x")
  check_number(detection_cq, "detection_cq", lower = 0)
  check_number(hemolysis_risk, "hemolysis_risk")
  check_number(hemolysis_cutoff, "hemolysis_cutoff", lower = hemolysis_risk)
  check_number(spike_in_cycles, "spike_in_cycles", lower = 0)
  check_number(outlier_z, "outlier_z", lower = 0)
  check_string(plate, "plate")
  if (!is.null(reference) && !inherits(reference, "ev_qc")) {
    ev_abort("`reference` must be an ev_qc result of the training cohort.",
             "evmirna_error_type", "reference")
  }
  if (x$scale == "log2") {
    ev_abort("`x` must hold raw Cq values or counts, not log2 values.",
             "evmirna_error_value", "x")
  }
  frozen <- if (is.null(reference)) list() else attr(reference, "frozen")
  v <- x$values
  det <- detected_matrix(x, detection_cq)
  nondetect <- is.na(v) & x$missing_reason %in% nondetect_reasons
  if (x$scale == "counts") nondetect <- !is.na(v) & v == 0
  ids <- colnames(v)
  out <- data.frame(sample = ids, stringsAsFactors = FALSE)
  out$plate <- if (plate %in% names(x$samples)) as.character(x$samples[[plate]]) else NA_character_
  out$n_nondetect <- colSums(nondetect)
  out$detection_rate <- colMeans(det)
  spike_median <- NULL
  if (x$scale == "cq" && any(x$features$role == "spike_in")) {
    spike_median <- frozen$spike_in_median %||% {
      sv <- v[x$features$role == "spike_in", , drop = FALSE]
      apply(sv, 1L, stats::median, na.rm = TRUE)
    }
  }
  m <- qc_measure(x, detection_cq, spike_median)
  gm <- m$global_mean_cq
  out$global_mean_cq <- gm
  centre <- frozen$global_mean_centre %||% stats::median(gm, na.rm = TRUE)
  scale <- frozen$global_mean_scale %||% stats::mad(gm, na.rm = TRUE)
  th <- list(detection_cq = detection_cq, hemolysis_risk = hemolysis_risk,
             hemolysis_cutoff = hemolysis_cutoff, spike_in_cycles = spike_in_cycles,
             outlier_z = outlier_z)
  rules <- qc_rules(m, th, list(global_mean_centre = centre, global_mean_scale = scale))
  out$global_mean_z <- rules$global_mean_z
  out$outlier <- rules$outlier
  out$hemolysis_dcq <- m$hemolysis_dcq
  out$hemolysis <- rules$hemolysis
  out$spike_in_deviation <- m$spike_in_deviation
  out$spike_in_flag <- rules$spike_in_flag
  out$pass <- rules$status == "pass"
  out$status <- rules$status
  out$reason <- rules$reason
  replicate_cells <- qc_replicate_cells(x, max_replicate_sd, min_wells)
  out$replicate_flags <- tabulate(match(replicate_cells$sample, ids), length(ids))
  rownames(out) <- NULL
  features <- data.frame(feature = rownames(v), role = x$features$role,
                         n_detected = rowSums(det),
                         detection_rate = rowMeans(det),
                         stringsAsFactors = FALSE)
  rownames(features) <- NULL
  plates <- NULL
  if (!all(is.na(out$plate))) {
    split_rows <- split(seq_len(nrow(out)), out$plate)
    plates <- data.frame(
      plate = names(split_rows),
      n_samples = lengths(split_rows),
      detection_rate = vapply(split_rows, function(r) mean(out$detection_rate[r]), numeric(1)),
      median_global_mean_cq = vapply(split_rows, function(r) stats::median(gm[r], na.rm = TRUE), numeric(1)),
      n_flagged = vapply(split_rows, function(r) sum(!out$pass[r]), numeric(1)),
      stringsAsFactors = FALSE)
    rownames(plates) <- NULL
  }
  structure(out, class = c("ev_qc", "data.frame"), features = features,
            plates = plates, replicates = replicate_cells,
            thresholds = th,
            frozen = list(global_mean_centre = centre,
                          global_mean_scale = scale,
                          spike_in_median = spike_median))
}

# Per-sample QC measurements in one C pass (the kernel ev_score() uses too):
# global-mean Cq of the detected non-spike-in miRNAs (NA when none, or on
# counts), missing values among `needed`, the hemolysis dCq
# Cq(miR-23a-3p) - Cq(miR-451a) (NA when either is missing or absent) and,
# for the spike-ins named in `spike_median` that `x` holds, the deviation
# from the median with the largest absolute value (Inf when a spike-in is
# not detected, NA without spike-ins).
qc_measure <- function(x, detection_cq, spike_median = NULL, needed = character()) {
  v <- x$values
  n <- ncol(v)
  cq <- x$scale == "cq"
  endogenous <- if (cq) which(x$features$role != "spike_in") else integer(0)
  hemo <- integer(0)
  spike_rows <- integer(0)
  spike_med <- numeric(0)
  if (cq) {
    pos <- match(hemolysis_pair, x$features$mirna)
    if (!anyNA(pos)) hemo <- pos[c(2L, 1L)] - 1L   # miR-23a-3p - miR-451a
    have <- names(spike_median)[names(spike_median) %in% rownames(v)]
    spike_rows <- match(have, rownames(v)) - 1L
    spike_med <- vapply(have, function(s) as.double(spike_median[[s]]), numeric(1),
                        USE.NAMES = FALSE)
  }
  summ <- .Call(C_score_qc, v, endogenous - 1L, match(needed, rownames(v)) - 1L,
                as.double(detection_cq), hemo, spike_rows, spike_med)
  gm <- summ$global_mean
  gm[is.nan(gm)] <- NA_real_
  list(global_mean_cq = gm, n_missing = summ$n_missing,
       hemolysis_dcq = summ$hemolysis_dcq %||% rep(NA_real_, n),
       spike_in_deviation = summ$spike_worst %||% rep(NA_real_, n),
       spike_in_undetected = summ$spike_undetected %||% logical(n))
}

# The QC rules, once, for ev_qc() and ev_score(). Checks run in the order of
# `qc_statuses`: a sample's status is its first failing check, its reason
# every failing check's text joined by "; " (built for flagged samples only).
# `m` from qc_measure(); `th` the thresholds; `frozen` the global-mean centre
# and scale; the non-detect rule applies when `max_nondetect_rate` is given,
# with `n_nondetect` of `n_needed` miRNAs not detected.
qc_rules <- function(m, th, frozen, n_nondetect = NULL, n_needed = NULL,
                     max_nondetect_rate = NULL) {
  dcq <- m$hemolysis_dcq
  n <- length(dcq)
  status <- rep("pass", n)
  reason <- rep("", n)
  add <- function(flag, code, text) {
    flag <- which(flag)
    if (length(flag)) {
      first <- flag[status[flag] == "pass"]
      status[first] <<- code
      r <- reason[flag]
      txt <- text(flag)
      more <- nzchar(r)
      r[more] <- paste0(r[more], "; ", txt[more])
      r[!more] <- txt[!more]
      reason[flag] <<- r
    }
  }
  hemolysed <- !is.na(dcq) & dcq > th$hemolysis_cutoff
  risk <- !is.na(dcq) & dcq > th$hemolysis_risk & !hemolysed
  add(hemolysed, "hemolysed", function(i) {
    sprintf("hemolysis dCq(miR-23a-3p - miR-451a) %.2f > %s", dcq[i],
            format(th$hemolysis_cutoff))
  })
  add(risk, "hemolysis_risk", function(i) {
    sprintf("hemolysis risk: dCq(miR-23a-3p - miR-451a) %.2f > %s", dcq[i],
            format(th$hemolysis_risk))
  })
  worst <- m$spike_in_deviation
  undetected <- m$spike_in_undetected
  spike_flag <- !is.na(worst) & abs(worst) > th$spike_in_cycles
  add(spike_flag, "spike_in_failure", function(i) {
    ifelse(undetected[i], "spike-in not detected",
           sprintf("spike-in %+.2f cycles from the training median (limit %s)",
                   worst[i], format(th$spike_in_cycles)))
  })
  if (!is.null(max_nondetect_rate)) {
    add(n_nondetect / n_needed > max_nondetect_rate, "too_many_nondetects", function(i) {
      sprintf("%d of %d recipe miRNAs not detected (limit %s)", n_nondetect[i],
              n_needed, format(max_nondetect_rate))
    })
  }
  gm <- m$global_mean_cq
  scale <- frozen$global_mean_scale
  z <- if (is.finite(scale %||% NA_real_) && scale > 0) {
    (gm - frozen$global_mean_centre) / scale
  } else {
    rep(NA_real_, n)
  }
  outlier <- !is.na(z) & abs(z) > th$outlier_z
  add(outlier, "global_mean_outlier", function(i) {
    sprintf("global-mean Cq %.2f, robust z %.2f beyond %s", gm[i], z[i],
            format(th$outlier_z))
  })
  hemolysis <- ifelse(is.na(dcq), NA_character_,
                      hemolysis_levels[1L + risk + 2L * hemolysed])
  list(status = status, reason = reason, hemolysis = hemolysis,
       spike_in_flag = spike_flag, global_mean_z = z, outlier = outlier)
}

#' @export
print.ev_qc <- function(x, ...) {
  th <- attr(x, "thresholds")
  cat(sprintf("<ev_qc> %d samples; %d pass all checks\n", nrow(x), sum(x$pass)))
  cat(sprintf("  detection rate (Cq <= %s): median %.2f, range %.2f-%.2f\n",
              format(th$detection_cq), stats::median(x$detection_rate),
              min(x$detection_rate), max(x$detection_rate)))
  if (any(!is.na(x$hemolysis))) {
    tab <- table(factor(x$hemolysis, hemolysis_levels))
    cat(sprintf("  hemolysis (dCq 23a-451a > %s risk, > %s hemolysed): %s\n",
                format(th$hemolysis_risk), format(th$hemolysis_cutoff),
                paste(names(tab), tab, sep = " = ", collapse = ", ")))
  }
  if (any(!is.na(x$spike_in_deviation))) {
    cat(sprintf("  spike-in beyond %s cycles of the median: %d\n",
                format(th$spike_in_cycles), sum(x$spike_in_flag)))
  }
  cat(sprintf("  outlying global-mean Cq: %d\n", sum(x$outlier)))
  rep <- attr(x, "replicates")
  if (NROW(rep)) {
    cat(sprintf("  replicate wells flagged: %d values (%s)\n", nrow(rep),
                paste(names(table(rep$reason)), table(rep$reason), sep = " = ", collapse = ", ")))
  }
  flagged <- x$sample[!x$pass]
  if (length(flagged)) cat("  flagged:", format_offenders(flagged, 10L), "\n")
  invisible(x)
}

