# Argument checkers shared by every verb. Each returns its (possibly coerced)
# value invisibly or raises a classed error naming `arg`.

check_string <- function(x, arg = deparse(substitute(x))) {
  if (!is.character(x) || length(x) != 1L || is.na(x)) {
    ev_abort(sprintf("`%s` must be a single string.", arg),
             "evmirna_error_type", arg)
  }
  invisible(x)
}

check_flag <- function(x, arg = deparse(substitute(x))) {
  if (!is.logical(x) || length(x) != 1L || is.na(x)) {
    ev_abort(sprintf("`%s` must be TRUE or FALSE.", arg),
             "evmirna_error_type", arg)
  }
  invisible(x)
}

check_number <- function(x, arg = deparse(substitute(x)), lower = -Inf,
                         upper = Inf, integer = FALSE) {
  if (!is.numeric(x) || length(x) != 1L) {
    ev_abort(sprintf("`%s` must be a single number.", arg),
             "evmirna_error_type", arg)
  }
  if (!is.finite(x) || x < lower || x > upper) {
    ev_abort(sprintf("`%s` must be a finite number in [%s, %s], not %s.",
                     arg, format(lower), format(upper), format(x)),
             "evmirna_error_value", arg)
  }
  if (integer && x != round(x)) {
    ev_abort(sprintf("`%s` must be a whole number, not %s.", arg, format(x)),
             "evmirna_error_value", arg)
  }
  invisible(x)
}

# match.arg() with a classed error that names the argument.
check_choice <- function(x, choices, arg = deparse(substitute(x))) {
  if (identical(x, choices)) {
    return(choices[[1L]])
  }
  if (!is.character(x) || length(x) != 1L || is.na(x)) {
    ev_abort(sprintf("`%s` must be one of %s.", arg, format_offenders(choices, 20L)),
             "evmirna_error_type", arg)
  }
  hit <- pmatch(x, choices)
  if (is.na(hit)) {
    ev_abort(sprintf("`%s` must be one of %s, not \"%s\".", arg,
                     format_offenders(choices, 20L), x),
             "evmirna_error_value", arg)
  }
  choices[[hit]]
}

check_ids <- function(x, arg, what = "IDs") {
  if (anyNA(x) || any(!nzchar(x))) {
    ev_abort(sprintf("`%s` has missing or empty %s.", arg, what),
             "evmirna_error_value", arg)
  }
  dup <- unique(x[duplicated(x)])
  if (length(dup)) {
    ev_abort(sprintf("`%s` has duplicated %s: %s.", arg, what,
                     format_offenders(dup)),
             "evmirna_error_duplicate", arg)
  }
  invisible(x)
}
