# Reproducible parallel resampling: every task (a CV fold of a repeat, a
# bootstrap replicate) gets its own L'Ecuyer-CMRG stream derived from R's RNG,
# so set.seed() reproduces a run and serial and future-based runs give the
# same numbers.

# `n` L'Ecuyer-CMRG seeds (values of .Random.seed), one per task. One integer
# is drawn from the caller's RNG; the caller's RNG kind and state are
# otherwise left as they were after that draw.
rng_streams <- function(n) {
  start <- sample.int(.Machine$integer.max, 1L)
  old <- get0(".Random.seed", envir = globalenv(), inherits = FALSE)
  on.exit(restore_seed(old))
  RNGkind("L'Ecuyer-CMRG")
  set.seed(start)
  seed <- get(".Random.seed", envir = globalenv(), inherits = FALSE)
  out <- vector("list", n)
  for (i in seq_len(n)) {
    out[[i]] <- seed
    seed <- parallel::nextRNGStream(seed)
  }
  out
}

restore_seed <- function(old) {
  if (is.null(old)) {
    if (exists(".Random.seed", envir = globalenv(), inherits = FALSE)) {
      rm(".Random.seed", envir = globalenv())
    }
  } else {
    assign(".Random.seed", old, envir = globalenv())
  }
}

# TRUE when future.apply is installed and the user chose a non-sequential
# plan.
use_future <- function() {
  requireNamespace("future.apply", quietly = TRUE) &&
    requireNamespace("future", quietly = TRUE) &&
    !inherits(future::plan(), "sequential")
}

# lapply(tasks, fun) with task i run under stream seeds[[i]]: through
# future.apply::future_lapply (which installs the given seeds) when a plan is
# set, else serially here, installing the same seeds; either way the
# caller's RNG state is restored afterwards.
stream_lapply <- function(tasks, fun, seeds) {
  # Both paths leave the caller's RNG state as they found it: future.apply
  # would otherwise advance it (and may switch its kind), so the caller's
  # next random number would depend on the plan.
  old <- get0(".Random.seed", envir = globalenv(), inherits = FALSE)
  on.exit(restore_seed(old))
  if (use_future()) {
    return(future.apply::future_lapply(tasks, fun, future.seed = seeds,
                                       future.packages = "evmirna"))
  }
  out <- vector("list", length(tasks))
  for (i in seq_along(tasks)) {
    assign(".Random.seed", seeds[[i]], envir = globalenv())
    out[[i]] <- fun(tasks[[i]])
  }
  out
}
