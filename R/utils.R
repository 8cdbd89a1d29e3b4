# Small helpers shared across the package; each defined once, here.

`%||%` <- function(x, y) if (is.null(x)) y else x

# Positions of `idx` (names, logical mask or positions) in `ids`.
resolve_index <- function(idx, ids, arg, what) {
  n <- length(ids)
  if (is.character(idx)) {
    pos <- match(idx, ids)
    if (anyNA(pos)) {
      ev_abort(sprintf("`%s`: unknown %s IDs %s.", arg, what,
                       format_offenders(idx[is.na(pos)])),
               "evmirna_error_unknown", arg)
    }
  } else if (is.logical(idx)) {
    if (length(idx) != n || anyNA(idx)) {
      ev_abort(sprintf("`%s`: a logical index must have length %d and no NA.",
                       arg, n),
               "evmirna_error_shape", arg)
    }
    pos <- which(idx)
  } else if (is.numeric(idx)) {
    if (anyNA(idx) || any(idx != round(idx))) {
      ev_abort(sprintf("`%s`: positions must be whole numbers without NA.", arg),
               "evmirna_error_value", arg)
    }
    if (length(idx) == 0L) {
      pos <- integer(0)
    } else if (all(idx <= 0)) {
      if (any(-idx > n)) {
        ev_abort(sprintf("`%s`: positions out of range (1..%d).", arg, n),
                 "evmirna_error_value", arg)
      }
      pos <- setdiff(seq_len(n), -idx)
    } else if (all(idx >= 1 & idx <= n)) {
      pos <- as.integer(idx)
    } else {
      ev_abort(sprintf("`%s`: positions must all lie in 1..%d (or all be negative).",
                       arg, n),
               "evmirna_error_value", arg)
    }
  } else {
    ev_abort(sprintf("`%s` must be positions, a logical vector or IDs.", arg),
             "evmirna_error_type", arg)
  }
  if (anyDuplicated(pos)) {
    ev_abort(sprintf("`%s` selects the same %s twice; IDs must stay unique.",
                     arg, what),
             "evmirna_error_duplicate", arg)
  }
  if (length(pos) == 0L) {
    ev_abort(sprintf("`%s` selects no %ss.", arg, what),
             "evmirna_error_empty", arg)
  }
  pos
}

# Threads for the column-parallel kernels (results do not depend on it).
evmirna_threads <- function() {
  n <- getOption("evmirna.threads", 2L)
  if (!is.numeric(n) || length(n) != 1L || is.na(n) || n < 1) 1L else as.integer(n)
}
