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

# With `integer = TRUE` the value must also fit an R integer, since it is
# passed on with as.integer(). A 1x1 matrix is not a number: it would carry
# its dim into results.
check_number <- function(x, arg = deparse(substitute(x)), lower = -Inf,
                         upper = Inf, integer = FALSE) {
  if (!is.numeric(x) || length(x) != 1L || !is.null(dim(x))) {
    ev_abort(sprintf("`%s` must be a single number%s.", arg,
                     if (is.null(dim(x))) "" else ", not a matrix or array"),
             "evmirna_error_type", arg)
  }
  if (integer) upper <- min(upper, .Machine$integer.max)
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
  check_no_duplicates(x, arg, what)
}

# Duplicated names make "the column called a" ambiguous: lookups by name
# would silently take the first. `x` is a character vector of names.
check_no_duplicates <- function(x, arg, what = "feature names") {
  if (!anyDuplicated(x)) return(invisible(x))
  dup <- unique(x[duplicated(x)])
  ev_abort(sprintf("`%s` has duplicated %s: %s.", arg, what,
                   format_offenders(dup)),
           "evmirna_error_duplicate", arg)
}

check_conf_level <- function(conf_level, arg = "conf_level") {
  if (!is.numeric(conf_level) || length(conf_level) != 1L || is.na(conf_level) ||
      !is.null(dim(conf_level)) || conf_level <= 0 || conf_level >= 1) {
    ev_abort(sprintf("`%s` must be a single number in (0, 1).", arg),
             "evmirna_error_value", arg)
  }
  invisible(conf_level)
}

# A vector to classify by: atomic (a factor, character, logical or numeric
# vector), not a list or data.frame whose elements as.factor() cannot take.
check_atomic_vector <- function(x, arg) {
  if (!is.atomic(x)) {
    ev_abort(sprintf("`%s` must be a vector (factor, character, logical or numeric), not %s.",
                     arg, if (is.data.frame(x)) "a data.frame" else paste("a", class(x)[1L])),
             "evmirna_error_type", arg)
  }
  invisible(x)
}

# A factor covariate needs two levels for a contrast column; with one level
# (or only NA) it has none and would silently vanish from the model.
check_covariate_levels <- function(covariates, levels) {
  one <- vapply(seq_along(covariates), function(j) {
    !is.null(levels[[j]]) && length(unique(covariates[[j]][!is.na(covariates[[j]])])) < 2L
  }, logical(1))
  if (any(one)) {
    ev_abort(sprintf("`covariates` %s a single level: %s; a covariate needs two levels (drop it).",
                     if (sum(one) == 1L) "column has" else "columns have",
                     format_offenders(names(covariates)[one])),
             "evmirna_error_value", "covariates")
  }
  invisible(covariates)
}

# A resampling count (`n_boot`, `n_perm`) whose results need `bytes_each`
# bytes per replicate is refused up front when the total exceeds the memory
# limit: getOption("evmirna.max_memory") in bytes, else the memory the
# system reports available. Checked before the integer range, so a huge
# count is told what it would need.
check_resample_count <- function(n, arg, bytes_each, lower = 1) {
  if (!is.numeric(n) || length(n) != 1L || !is.null(dim(n)) || !is.finite(n) ||
      n < lower || n != round(n)) {
    ev_abort(sprintf("`%s` must be a whole number >= %s.", arg, format(lower)),
             "evmirna_error_value", arg)
  }
  need <- n * bytes_each
  limit <- memory_limit()
  if (need > limit) {
    ev_abort(sprintf("`%s` = %s would need about %s of memory for its replicates, more than the %s available; use fewer (or set options(evmirna.max_memory = bytes)).",
                     arg, format(n, big.mark = ",", scientific = FALSE), format_bytes(need),
                     format_bytes(limit)),
             c("evmirna_error_memory", "evmirna_error_value"), arg)
  }
  if (n > .Machine$integer.max) {
    ev_abort(sprintf("`%s` must be at most %d.", arg, .Machine$integer.max),
             "evmirna_error_value", arg)
  }
  invisible(n)
}

# Bootstrap replicates of one statistic per curve are kept as doubles.
check_n_boot <- function(n_boot, bytes_each = 8) {
  check_resample_count(n_boot, "n_boot", bytes_each)
}

memory_limit <- function() {
  opt <- getOption("evmirna.max_memory")
  if (is.numeric(opt) && length(opt) == 1L && !is.na(opt) && opt > 0) return(opt)
  avail <- tryCatch({
    info <- readLines("/proc/meminfo", n = 5L, warn = FALSE)
    line <- grep("^MemAvailable:", info, value = TRUE)
    as.numeric(sub("^MemAvailable:\\s*([0-9]+) kB.*$", "\\1", line)) * 1024
  }, error = function(e) NA_real_, warning = function(w) NA_real_)
  if (length(avail) == 1L && is.finite(avail) && avail > 0) avail else Inf
}

format_bytes <- function(b) {
  units <- c("bytes", "KB", "MB", "GB", "TB", "PB")
  k <- max(1L, min(length(units), floor(log(max(b, 1), 1024)) + 1L))
  sprintf("%.1f %s", b / 1024^(k - 1L), units[k])
}
