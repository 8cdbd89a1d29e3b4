# Fold assignment shared by cross-validation and panel search. Folds come
# from R's RNG, so set.seed() reproduces them; stratification keeps the class
# balance of small clinical cohorts in every fold.

#' Assign samples to cross-validation folds
#'
#' @param group Binary outcome (factor, character, logical or 0/1); only its
#'   classes are used, for stratification.
#' @param n_folds Number of folds (2 to the number of samples).
#' @param n_repeats Number of independent fold assignments.
#' @param stratified If `TRUE`, each class is spread evenly over the folds.
#' @param folds,repeats,y Deprecated spellings of `n_folds`, `n_repeats` and
#'   `group`.
#' @return An integer matrix with one row per sample and one column per
#'   repeat, holding fold numbers 1..`n_folds`.
#' @export
#' @examples
#' set.seed(1)
#' f <- ev_folds(rep(c("control", "case"), c(12, 8)), n_folds = 4)
#' table(f[, 1], rep(c("control", "case"), c(12, 8)))
ev_folds <- function(group, n_folds = 10, n_repeats = 1, stratified = TRUE,
                     folds = NULL, repeats = NULL, y = NULL) {
  y <- deprecated_arg(y, if (!missing(group)) group, "y", "group", !missing(group))
  folds <- deprecated_arg(folds, n_folds, "folds", "n_folds", !missing(n_folds))
  repeats <- deprecated_arg(repeats, n_repeats, "repeats", "n_repeats", !missing(n_repeats))
  if (is.factor(y)) y <- as.character(y)
  if (!is.atomic(y) || length(y) == 0L) {
    ev_abort("`group` must be a non-empty vector of class labels.",
             "evmirna_error_type", "group")
  }
  if (anyNA(y)) {
    ev_abort("`group` has missing class labels.", "evmirna_error_value", "group")
  }
  n <- length(y)
  check_number(folds, "n_folds", lower = 2, upper = n, integer = TRUE)
  check_number(repeats, "n_repeats", lower = 1, integer = TRUE)
  check_resample_count(repeats, "n_repeats", bytes_each = 8 * n)  # an n x n_repeats fold matrix
  check_flag(stratified, "stratified")
  strata <- if (stratified) split(seq_len(n), y) else list(seq_len(n))
  out <- matrix(0L, n, repeats)
  for (r in seq_len(repeats)) {
    # Deal each stratum's shuffled members round-robin, starting where the
    # previous stratum stopped, so fold sizes differ by at most one.
    offset <- 0L
    for (members in strata) {
      shuffled <- members[sample.int(length(members))]
      out[shuffled, r] <- as.integer((seq_along(shuffled) + offset - 1L) %% folds + 1L)
      offset <- (offset + length(shuffled)) %% folds
    }
  }
  out
}
