# Inter-plate calibration of Cq values, recorded as a step with frozen
# per-feature levels.

#' Calibrate Cq values between plates
#'
#' Removes plate effects per miRNA, before normalization.
#'
#' * `"calibrator"`: inter-run calibrators (the same sample measured on every
#'   plate). For each plate and miRNA, the offset is the mean Cq of that
#'   plate's calibrators minus the mean over all training calibrators (the
#'   frozen level); every sample on the plate is shifted by it. New plates are
#'   calibrated against the frozen level from their own calibrators.
#' * `"center"`: each plate's per-miRNA mean is shifted to the mean over the
#'   training cohort. The plate offsets are frozen; new data may only come
#'   from plates seen in training.
#'
#' @param x An [evset] on the "cq" scale.
#' @param method "calibrator" or "center".
#' @param plate Name of the `samples` column holding plates.
#' @param calibrators Sample IDs of the calibrator wells (method
#'   "calibrator"); default: the samples flagged `TRUE` in a `calibrator`
#'   column of `samples`.
#' @return The calibrated [evset] with a "plate_calibration" step appended.
#' @references
#' Hellemans J, Mortier G, De Paepe A, Speleman F, Vandesompele J (2007).
#' qBase relative quantification framework and software for management and
#' automated analysis of real-time quantitative PCR data. *Genome Biology*
#' 8(2), R19. \doi{10.1186/gb-2007-8-2-r19}
#' @export
#' @examples
#' cq <- matrix(c(25, 30, 26, 31, 24, 29, 27, 32), 2,
#'              dimnames = list(c("hsa-miR-21-5p", "hsa-miR-16-5p"),
#'                              c("C1", "S1", "C2", "S2")))
#' s <- data.frame(id = colnames(cq), plate = c("p1", "p1", "p2", "p2"),
#'                 calibrator = c(TRUE, FALSE, TRUE, FALSE))
#' ev_calibrate_plates(evset(cq, samples = s), "calibrator")$values
ev_calibrate_plates <- function(x, method = c("calibrator", "center"),
                                plate = "plate", calibrators = NULL) {
  check_evset(x, "x")
  method <- check_choice(method, c("calibrator", "center"), "method")
  check_string(plate, "plate")
  if (x$scale != "cq") {
    ev_abort("`x` must hold Cq values; calibrate plates before normalizing.",
             "evmirna_error_value", "x")
  }
  plates <- sample_plates(x, plate)
  v <- x$values
  step <- list(name = "plate_calibration", scale = "cq", method = method,
               plate = plate, features = rownames(v))
  if (method == "calibrator") {
    cal <- calibrator_flags(x, calibrators)
    level <- rowMeans(v[, cal, drop = FALSE], na.rm = TRUE)
    if (anyNA(level)) {
      ev_abort(sprintf("`calibrators` have no detected value for %s.",
                       format_offenders(names(level)[is.na(level)])),
                       "evmirna_error_value", "calibrators")
    }
    step$level <- level
    step$calibrators <- colnames(v)[cal]
  } else {
    level <- rowMeans(v, na.rm = TRUE)
    offsets <- vapply(split(seq_len(ncol(v)), plates), function(cols) {
      rowMeans(v[, cols, drop = FALSE], na.rm = TRUE) - level
    }, numeric(nrow(v)))
    offsets <- matrix(offsets, nrow(v), dimnames = list(rownames(v), sort(unique(plates))))
    offsets[is.na(offsets)] <- 0
    step$offsets <- offsets
  }
  apply_plate_step(x, step, calibrators)
}

sample_plates <- function(x, plate) {
  if (!plate %in% names(x$samples)) {
    ev_abort(sprintf("`plate`: `samples` has no column \"%s\".", plate),
             "evmirna_error_unknown", "plate")
  }
  p <- as.character(x$samples[[plate]])
  if (anyNA(p)) {
    ev_abort(sprintf("`plate`: samples %s have no plate.",
                     format_offenders(x$samples$id[is.na(p)])),
             "evmirna_error_value", "plate")
  }
  p
}

calibrator_flags <- function(x, calibrators) {
  ids <- colnames(x$values)
  if (is.null(calibrators)) {
    flag <- x$samples$calibrator
    if (is.null(flag) || !is.logical(flag) || anyNA(flag) || !any(flag)) {
      ev_abort("`calibrators` not given and `samples$calibrator` does not flag any sample.",
               "evmirna_error_value", "calibrators")
    }
    return(flag)
  }
  if (!is.character(calibrators) || any(!calibrators %in% ids)) {
    ev_abort(sprintf("`calibrators` must be sample IDs of `x`; unknown: %s.",
                     format_offenders(setdiff(as.character(calibrators), ids))),
             "evmirna_error_unknown", "calibrators")
  }
  ids %in% calibrators
}

apply_plate_step <- function(x, step, calibrators = NULL) {
  check_step_scale(x, step)
  x <- align_to_features(x, step$features)
  plates <- sample_plates(x, step$plate)
  v <- x$values
  if (step$method == "center") {
    unknown <- !plates %in% colnames(step$offsets)
    if (any(unknown)) {
      ev_abort(sprintf("`x` has plates the frozen centering never saw: %s; use calibrators instead.",
                       format_offenders(unique(plates[unknown]))),
               "evmirna_error_unknown", "x")
    }
    shift <- step$offsets[, plates, drop = FALSE]
  } else {
    if (is.null(calibrators) && is.null(x$samples$calibrator)) {
      calibrators <- intersect(step$calibrators, colnames(v))
    }
    cal <- calibrator_flags(x, calibrators)
    shift <- matrix(0, nrow(v), ncol(v))
    for (p in unique(plates)) {
      on_plate <- plates == p
      here <- on_plate & cal
      if (!any(here)) {
        ev_abort(sprintf("`x`: plate \"%s\" has no calibrator sample.", p),
                 "evmirna_error_value", "x")
      }
      off <- rowMeans(v[, here, drop = FALSE], na.rm = TRUE) - step$level
      off[is.na(off)] <- 0
      shift[, on_plate] <- off
    }
  }
  v <- v - shift
  bad <- !is.na(v) & (v <= 0 | v > 50)
  if (any(bad)) {
    ev_abort(sprintf("Plate calibration moved Cq values out of (0, 50] at %s.",
                     format_cells(v, bad)),
             "evmirna_error_value", "x")
  }
  x$values <- v
  x$steps <- c(x$steps, list(step))
  x
}
