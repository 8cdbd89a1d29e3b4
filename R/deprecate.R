# Deprecated argument spellings. An old spelling keeps working for one
# release: its value is used and one warning of class
# `evmirna_warning_deprecated` names the new spelling. Giving both the old
# and the new spelling is an error, since we cannot tell which one is meant.

# `old_value`: what the caller passed under the old name (NULL when absent);
# `new_value`: the value of the new argument; `new_given`: !missing(new).
deprecated_arg <- function(old_value, new_value, old, new, new_given = FALSE,
                           call = sys.call(-1L)) {
  if (is.null(old_value)) return(new_value)
  if (isTRUE(new_given)) {
    ev_abort(sprintf("give `%s` only; `%s` is its deprecated spelling.", new, old),
             "evmirna_error_value", old, call = call)
  }
  ev_warn(sprintf("`%s` is deprecated; use `%s` instead.", old, new),
          "evmirna_warning_deprecated", old, call = call)
  old_value
}

# Same, for an option travelling in `...` (a list): renames `old` to `new`.
deprecated_dots <- function(dots, old, new, call = sys.call(-1L)) {
  if (!old %in% names(dots)) return(dots)
  dots[[new]] <- deprecated_arg(dots[[old]], dots[[new]], old, new,
                                new_given = new %in% names(dots), call = call)
  dots[[old]] <- NULL
  dots
}
