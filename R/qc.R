# Sample-level quality control: detection, hemolysis (miR-23a-3p vs
# miR-451a), spike-in recovery, outlying global-mean Cq, plate summaries.

# Missing values that mean "not amplified" rather than "not measured".
nondetect_reasons <- c("undetermined", "no_ct", "above_max_cq", "missing")

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
#' Hemolysis: \eqn{\Delta Cq = Cq(miR-23a-3p) - Cq(miR-451a)}; "risk" above
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
#'   "risk" and "hemolysed".
#' @param spike_in_cycles Allowed deviation of the spike-in Cq from the
#'   cohort median, in cycles.
#' @param outlier_z Robust z-score beyond which a global-mean Cq is outlying.
#' @param plate Name of the `samples` column holding plates (ignored when
#'   absent).
#' @param reference Optional `ev_qc` result of a training cohort whose
#'   spike-in medians and global-mean centre and scale are reused.
#' @return A data.frame of class `ev_qc` with columns `sample`, `plate`,
#'   `n_nondetect`, `detection_rate`, `global_mean_cq`, `global_mean_z`,
#'   `outlier`, `hemolysis_dcq`, `hemolysis`, `spike_in_deviation`,
#'   `spike_in_flag`, `pass`.
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
                  plate = "plate", reference = NULL) {
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
  endogenous <- x$features$role != "spike_in"
  gm <- rep(NA_real_, ncol(v))
  if (x$scale == "cq") {
    sub <- v[endogenous, , drop = FALSE]
    sub[!det[endogenous, , drop = FALSE]] <- NA
    has <- colSums(!is.na(sub)) > 0
    gm[has] <- colMeans(sub[, has, drop = FALSE], na.rm = TRUE)
  }
  out$global_mean_cq <- gm
  centre <- frozen$global_mean_centre %||% stats::median(gm, na.rm = TRUE)
  scale <- frozen$global_mean_scale %||% stats::mad(gm, na.rm = TRUE)
  out$global_mean_z <- if (is.finite(scale) && scale > 0) (gm - centre) / scale else NA_real_
  out$outlier <- !is.na(out$global_mean_z) & abs(out$global_mean_z) > outlier_z
  hemo <- hemolysis_dcq(x)
  out$hemolysis_dcq <- hemo
  out$hemolysis <- ifelse(is.na(hemo), NA_character_,
                          ifelse(hemo > hemolysis_cutoff, "hemolysed",
                                 ifelse(hemo > hemolysis_risk, "risk", "ok")))
  spike <- x$scale == "cq" & x$features$role == "spike_in"
  spike_median <- NULL
  dev <- rep(NA_real_, ncol(v))
  if (any(spike)) {
    sv <- v[spike, , drop = FALSE]
    spike_median <- frozen$spike_in_median %||%
      apply(sv, 1L, stats::median, na.rm = TRUE)
    spike_median <- spike_median[rownames(sv)]
    d <- sv - spike_median
    worst <- apply(abs(d), 2L, function(a) if (all(is.na(a))) NA_real_ else max(a, na.rm = TRUE))
    dev <- vapply(seq_along(worst), function(j) {
      if (is.na(worst[j])) return(NA_real_)
      dj <- d[, j]
      dj[which(abs(dj) == worst[j])[1L]]
    }, numeric(1))
    # a spike-in not detected at all is a recovery failure
    dev[colSums(is.na(sv)) > 0] <- Inf
  }
  out$spike_in_deviation <- dev
  out$spike_in_flag <- !is.na(dev) & abs(dev) > spike_in_cycles
  out$pass <- !out$outlier & !out$spike_in_flag &
    (is.na(out$hemolysis) | out$hemolysis == "ok")
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
            plates = plates,
            thresholds = list(detection_cq = detection_cq,
                              hemolysis_risk = hemolysis_risk,
                              hemolysis_cutoff = hemolysis_cutoff,
                              spike_in_cycles = spike_in_cycles,
                              outlier_z = outlier_z),
            frozen = list(global_mean_centre = centre,
                          global_mean_scale = scale,
                          spike_in_median = spike_median))
}

# Cq(miR-23a-3p) - Cq(miR-451a) per sample, NA when either is missing.
hemolysis_dcq <- function(x) {
  if (x$scale != "cq") return(rep(NA_real_, ncol(x$values)))
  pos <- match(hemolysis_pair, x$features$mirna)
  if (anyNA(pos)) return(rep(NA_real_, ncol(x$values)))
  unname(x$values[pos[2L], ] - x$values[pos[1L], ])
}

#' @export
print.ev_qc <- function(x, ...) {
  th <- attr(x, "thresholds")
  cat(sprintf("<ev_qc> %d samples; %d pass all checks\n", nrow(x), sum(x$pass)))
  cat(sprintf("  detection rate (Cq <= %s): median %.2f, range %.2f-%.2f\n",
              format(th$detection_cq), stats::median(x$detection_rate),
              min(x$detection_rate), max(x$detection_rate)))
  if (any(!is.na(x$hemolysis))) {
    tab <- table(factor(x$hemolysis, c("ok", "risk", "hemolysed")))
    cat(sprintf("  hemolysis (dCq 23a-451a > %s risk, > %s hemolysed): %s\n",
                format(th$hemolysis_risk), format(th$hemolysis_cutoff),
                paste(names(tab), tab, sep = " = ", collapse = ", ")))
  }
  if (any(!is.na(x$spike_in_deviation))) {
    cat(sprintf("  spike-in beyond %s cycles of the median: %d\n",
                format(th$spike_in_cycles), sum(x$spike_in_flag)))
  }
  cat(sprintf("  outlying global-mean Cq: %d\n", sum(x$outlier)))
  flagged <- x$sample[!x$pass]
  if (length(flagged)) cat("  flagged:", format_offenders(flagged, 10L), "\n")
  invisible(x)
}

