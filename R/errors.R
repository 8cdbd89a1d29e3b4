# Classed conditions. Every user-facing error carries the class
# "evmirna_error" plus a specific subclass, and names the offending argument in
# its message and in the `arg` field, so callers can catch precisely.

#' Conditions signalled by evmirna
#'
#' All errors raised by evmirna inherit from `evmirna_error` and carry a
#' specific subclass; warnings inherit from `evmirna_warning`. The condition
#' object has an `arg` field naming the offending argument.
#'
#' Subclasses used across the package:
#' * `evmirna_error_type`: wrong type (e.g. character where numbers are needed);
#' * `evmirna_error_value`: NA/NaN/Inf, out-of-range or negative values;
#' * `evmirna_error_shape`: wrong length or dimensions, metadata not lining up;
#' * `evmirna_error_duplicate`: duplicated feature or sample IDs;
#' * `evmirna_error_unknown`: unknown miRNA, feature or sample names;
#' * `evmirna_error_empty`: no data left to work on;
#' * `evmirna_error_one_class`: a binary response with only one class;
#' * `evmirna_error_memory` (also `evmirna_error_value`): a resampling count
#'   (`n_boot`, `n_perm`) whose results would not fit in memory; the limit is
#'   `getOption("evmirna.max_memory")` (bytes) or the available memory;
#' * `evmirna_error_file`: an unreadable or malformed file;
#' * `evmirna_error_corrupt`: an object (evset, ev_roc, ev_model and its
#'   frozen recipe) or a recorded processing step whose fields are not what
#'   the package built, for example edited by hand (`r$cluster <- 5L`) or
#'   read from a damaged model file; the message names the field
#'   (`roc$cluster`, `steps[[2]]$ratio_trim`).
#'
#' @name evmirna-conditions
#' @examples
#' res <- tryCatch(evset(matrix("a")), evmirna_error = function(e) e)
#' class(res)
#' res$arg
NULL

ev_abort <- function(message, class = NULL, arg = NULL, call = sys.call(-1L)) {
  cnd <- structure(
    list(message = message, call = call, arg = arg),
    class = c(class, "evmirna_error", "error", "condition")
  )
  stop(cnd)
}

ev_warn <- function(message, class = NULL, arg = NULL, call = sys.call(-1L)) {
  cnd <- structure(
    list(message = message, call = call, arg = arg),
    class = c(class, "evmirna_warning", "warning", "condition")
  )
  warning(cnd)
}

# "a", "b", "c" and 7 more: keeps messages short on long offender lists.
format_offenders <- function(x, max = 5L) {
  x <- as.character(x)
  shown <- paste0("\"", utils::head(x, max), "\"", collapse = ", ")
  if (length(x) > max) {
    shown <- paste0(shown, " and ", length(x) - max, " more")
  }
  shown
}

# Degenerate results carry one-line caveats (a character vector stored in
# the object); print methods show each on its own line.
print_caveats <- function(caveats) {
  for (cv in caveats) cat(sprintf("  Caveat: %s\n", cv))
  invisible(caveats)
}
