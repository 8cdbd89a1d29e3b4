# Shared by the bench/*.R scripts (sourced, never run on its own).

# Peak R heap (Ncells + Vcells, MB) reached while evaluating `expr` (an
# expression, or a function called with no arguments), above what was in use
# before it. C scratch from R_alloc is on R's heap and counted; memory a
# reference package allocates outside R's heap is not.
peak_mb <- function(expr) {
  before <- gc(reset = TRUE)
  if (is.function(expr)) expr() else force(expr)
  after <- gc()
  sum(after[, 6L]) - sum(before[, 2L])
}
