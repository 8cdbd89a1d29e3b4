# Replay validation: a recorded step may come from this session, from a model
# file or from a user's hands, and its frozen parameters reach C kernels, so
# every field is checked against one table before any step is replayed.
#
# step_spec: one row per field a replayed step reads.
#   step, method: the step's `name` and `method` ("*" = every method);
#   field: the list element;
#   type: choice (a single string among `values`, "|"-separated), string,
#         number, flag, ids (unique non-empty strings), chars (any strings),
#         subset (ids among the step's `features`), numvec, sorted (a
#         non-decreasing numvec), named (a numvec with unique names; with
#         values "features", names among the step's `features`), matrix
#         (a numeric matrix with unique column names);
#   length: "1", "features" (one per `step$features`), "rows" (matrix rows
#           per `step$features`), "any" (at least one) or "any0" (may be empty);
#   lower, upper: closed range of the numbers (NA = unbounded); a bound
#           written "(x" or "x)" is open;
#   na: "none", "na" (NA allowed) or "-inf" (-Inf allowed, as DESeq2's log
#       geometric means of features with a zero count).
step_spec_bounds <- function(spec) {
  lo <- spec$lower
  up <- spec$upper
  spec$open_lower <- !is.na(lo) & startsWith(lo, "(")
  spec$open_upper <- !is.na(up) & endsWith(up, ")")
  spec$lower <- as.numeric(sub("(", "", lo, fixed = TRUE))
  spec$upper <- as.numeric(sub(")", "", up, fixed = TRUE))
  spec
}

step_spec <- step_spec_bounds(utils::read.table(header = TRUE, stringsAsFactors = FALSE,
                               colClasses = "character", text = "
step               method          field               type    length   lower  upper  na    values
filter             *               scale               choice  1        NA     NA     none  cq|counts
filter             *               features            ids     any      NA     NA     none  NA
filter             *               min_sample_rate     number  1        0      1      none  NA
filter             *               detection_cq        number  1        0      NA     none  NA
impute_nondetects  *               scale               choice  1        NA     NA     none  cq
impute_nondetects  *               method              choice  1        NA     NA     none  limit|offset|na|em
impute_nondetects  limit           limit               number  1        0      50     none  NA
impute_nondetects  offset          limit               number  1        0      50     none  NA
impute_nondetects  offset          offset              number  1        0      NA     none  NA
impute_nondetects  em              limit               number  1        0      50     none  NA
impute_nondetects  em              offset              number  1        0      NA     none  NA
impute_nondetects  em              mean                named   any      NA     NA     na    NA
impute_nondetects  em              sd                  named   any      0      NA     na    NA
plate_calibration  *               scale               choice  1        NA     NA     none  cq
plate_calibration  *               method              choice  1        NA     NA     none  calibrator|center
plate_calibration  *               plate               string  1        NA     NA     none  NA
plate_calibration  *               features            ids     any      NA     NA     none  NA
plate_calibration  calibrator      level               numvec  features (0     50     none  NA
plate_calibration  calibrator      calibrators         chars   any0     NA     NA     none  NA
plate_calibration  center          offsets             matrix  rows     -50    50     none  NA
normalize          *               scale               choice  1        NA     NA     none  cq|counts
normalize          *               features            ids     any      NA     NA     none  NA
normalize          cq:*            method              choice  1        NA     NA     none  reference|spike_in|global_mean|quantile
normalize          cq:*            efficiency          number  1        (1     2.5    none  NA
normalize          cq:reference    references          subset  any      NA     NA     none  NA
normalize          cq:spike_in     spike_ins           subset  any      NA     NA     none  NA
normalize          cq:global_mean  global_set          choice  1        NA     NA     none  expressed|common
normalize          cq:global_mean  detection_cq        number  1        0      50     none  NA
normalize          cq:global_mean  mean_features       subset  any      NA     NA     none  NA
normalize          cq:quantile     target              sorted  features NA     NA     none  NA
normalize          counts:*        method              choice  1        NA     NA     none  cpm|tmm|upper_quartile|rle|median_ratio|poscounts|quantile
normalize          counts:*        prior_count         number  1        0      NA     none  NA
normalize          counts:*        mean_lib_size       number  1        (0     NA     none  NA
normalize          counts:tmm      reference_profile   numvec  features 0      NA     none  NA
normalize          counts:tmm      reference_lib_size  number  1        (0     NA     none  NA
normalize          counts:tmm      ratio_trim          number  1        0      0.5    none  NA
normalize          counts:tmm      sum_trim            number  1        0      0.5    none  NA
normalize          counts:tmm      weighting           flag    1        NA     NA     none  NA
normalize          counts:tmm      a_cutoff            number  1        NA     NA     none  NA
normalize          counts:tmm      factor_scale        number  1        (0     NA     none  NA
normalize          counts:upper_quartile p             number  1        0      1      none  NA
normalize          counts:upper_quartile quantile_features subset any0   NA     NA     none  NA
normalize          counts:upper_quartile factor_scale  number  1        (0     NA     none  NA
normalize          counts:rle      geometric_means     named   any0     0      NA     none  features
normalize          counts:rle      factor_scale        number  1        (0     NA     none  NA
normalize          counts:median_ratio log_geometric_means numvec features NA   NA     -inf  NA
normalize          counts:poscounts log_geometric_means numvec features NA     NA     -inf  NA
normalize          counts:quantile target              sorted  features NA     NA     none  NA
"))

# Checks a list of recorded steps (as replayed by ev_apply_steps()) and
# returns it with fit-time attributes dropped (a replay never uses them).
validate_steps <- function(steps, arg = "steps") {
  if (!is.list(steps) || !length(steps) || is.object(steps)) {
    ev_abort(sprintf("`%s` must be a non-empty list of recorded steps (the `steps` of a processed evset).", arg),
             "evmirna_error_type", arg)
  }
  for (i in seq_along(steps)) {
    steps[[i]] <- validate_step(steps[[i]], i, arg)
  }
  steps
}

validate_step <- function(step, i, arg = "steps") {
  where <- sprintf("%s[[%d]]", arg, i)
  if (!is.list(step) || is.object(step) || is.null(names(step))) {
    ev_abort(sprintf("`%s` must be a recorded step (a named list).", where),
             "evmirna_error_type", arg)
  }
  name <- step$name
  if (!is.character(name) || length(name) != 1L || is.na(name)) {
    ev_abort(sprintf("`%s$name` must be a single string.", where),
             "evmirna_error_corrupt", arg)
  }
  attr(step, "training") <- NULL
  if (name %in% record_only_steps) return(step)
  if (!name %in% step_spec$step) {
    ev_abort(sprintf("`%s` is an unknown step \"%s\".", where, name),
             "evmirna_error_unknown", arg)
  }
  # fields for every method first: they decide which method rows apply
  rows <- step_spec[step_spec$step == name & step_spec$method == "*", ]
  check_step_fields(step, rows, where, arg)
  key <- if (name == "normalize") step$scale else NULL
  rows <- step_spec[step_spec$step == name & step_spec$method == paste(c(key, "*"), collapse = ":"), ]
  check_step_fields(step, rows, where, arg)
  if (!is.null(step$method)) {
    rows <- step_spec[step_spec$step == name &
                        step_spec$method == paste(c(key, step$method), collapse = ":"), ]
    check_step_fields(step, rows, where, arg)
  }
  if (identical(name, "impute_nondetects") && identical(step$method, "em") &&
      (!identical(names(step$mean), names(step$sd)) ||
       !identical(is.na(step$mean), is.na(step$sd)))) {
    ev_abort(sprintf("`%s`: `mean` and `sd` must name the same miRNAs and be missing together.", where),
             "evmirna_error_corrupt", arg)
  }
  step
}

check_step_fields <- function(step, rows, where, arg) {
  for (k in seq_len(nrow(rows))) {
    spec <- rows[k, ]
    problem <- step_field_problem(step[[spec$field]], spec, step)
    if (!is.null(problem)) {
      ev_abort(sprintf("`%s$%s` %s.", where, spec$field, problem),
               "evmirna_error_corrupt", arg)
    }
  }
}

# NULL when `value` meets the spec, else what is wrong (for the message).
step_field_problem <- function(value, spec, step) {
  n_features <- length(step$features)
  if (is.null(value)) {
    return(if (spec$length == "any0") NULL else "is missing")
  }
  type <- spec$type
  if (type %in% c("choice", "string")) {
    if (!is.character(value) || length(value) != 1L || is.na(value)) {
      return("must be a single string")
    }
    if (type == "choice" && !value %in% strsplit(spec$values, "|", fixed = TRUE)[[1L]]) {
      return(sprintf("must be one of %s, not \"%s\"",
                     format_offenders(strsplit(spec$values, "|", fixed = TRUE)[[1L]], 20L),
                     value))
    }
    return(NULL)
  }
  if (type == "flag") {
    return(if (!is.logical(value) || length(value) != 1L || is.na(value)) "must be TRUE or FALSE")
  }
  if (type %in% c("ids", "chars", "subset")) {
    if (!is.character(value) || !is.null(dim(value))) return("must be a character vector")
    if (spec$length == "any" && !length(value)) return("must not be empty")
    if (type == "chars") return(NULL)
    if (anyNA(value) || any(!nzchar(value))) return("has missing or empty IDs")
    if (anyDuplicated(value)) return("has duplicated IDs")
    if (type == "subset" && !all(value %in% step$features)) {
      return(sprintf("names features outside the step's `features`: %s",
                     format_offenders(setdiff(value, step$features))))
    }
    return(NULL)
  }
  # numbers
  if (!is.numeric(value) || is.object(value)) return("must be numeric")
  if (type == "matrix") {
    if (!is.matrix(value) || nrow(value) != n_features) {
      return(sprintf("must be a numeric matrix with one row per feature (%d)", n_features))
    }
    cn <- colnames(value)
    if (!ncol(value) || is.null(cn) || anyNA(cn) || anyDuplicated(cn)) {
      return("must have unique column names")
    }
  } else if (!is.null(dim(value))) {
    return("must be a plain numeric vector")
  }
  len <- length(value)
  bad_len <- switch(spec$length,
    "1" = len != 1L,
    features = len != n_features,
    any = len < 1L,
    FALSE)
  if (bad_len) {
    return(sprintf("has length %d, not %s", len,
                   switch(spec$length, features = sprintf("%d (one per feature)", n_features),
                          any = "at least 1", spec$length)))
  }
  if (type == "named") {
    nm <- names(value)
    if (is.null(nm) || anyNA(nm) || any(!nzchar(nm)) || anyDuplicated(nm)) {
      return("must have unique names")
    }
    if (identical(spec$values, "features") && !all(nm %in% step$features)) {
      return(sprintf("names features outside the step's `features`: %s",
                     format_offenders(setdiff(nm, step$features))))
    }
  }
  v <- as.double(value)
  allowed <- switch(spec$na, na = is.na(v) & !is.nan(v), "-inf" = v == -Inf & !is.na(v),
                    logical(len))
  check <- v[!allowed]
  if (anyNA(check) || any(is.infinite(check))) {
    return(if (spec$na == "-inf") "must be finite or -Inf" else
      if (spec$na == "na") "must be finite or NA" else "must be finite")
  }
  lo_num <- spec$lower
  up_num <- spec$upper
  open_lo <- spec$open_lower
  open_up <- spec$open_upper
  out <- (!is.na(lo_num) && any(if (open_lo) check <= lo_num else check < lo_num)) ||
    (!is.na(up_num) && any(if (open_up) check >= up_num else check > up_num))
  if (out) {
    return(sprintf("must lie in %s%s, %s%s", if (open_lo) "(" else "[",
                   if (is.na(lo_num)) "-Inf" else format(lo_num),
                   if (is.na(up_num)) "Inf" else format(up_num), if (open_up) ")" else "]"))
  }
  if (type == "sorted" && is.unsorted(v)) return("must be sorted increasingly")
  NULL
}
