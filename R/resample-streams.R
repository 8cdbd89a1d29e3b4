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

# The package's one dispatcher to the future framework (resampling, CV,
# bootstrap and panel search all go through stream_lapply()). Rules:
# * tasks run through future.apply::future_lapply() only when future and
#   future.apply are installed and the user chose a non-sequential
#   future::plan(); otherwise serially here with the same results (no
#   future overhead under the default sequential plan);
# * `seeds`: NULL for tasks that draw no random numbers (future.seed = FALSE),
#   or one L'Ecuyer-CMRG .Random.seed per task (from rng_streams()),
#   installed before task i on either path, so results do not depend on the
#   plan; the serial path restores the caller's RNG state afterwards;
# * `progress`: NULL, or a function called with no argument after each task
#   (for example a progressr progressor, which relays from workers);
# * the package is loaded on workers (future.packages = "evmirna").
use_future <- function() {
  requireNamespace("future.apply", quietly = TRUE) &&
    requireNamespace("future", quietly = TRUE) &&
    !inherits(future::plan(), "sequential")
}

stream_lapply <- function(tasks, fun, seeds = NULL, progress = NULL) {
  if (!is.null(seeds) && length(seeds) != length(tasks)) {
    ev_abort("stream_lapply(): `seeds` must hold one seed per task.",
             "evmirna_error_shape", "seeds")
  }
  run <- if (is.null(progress)) fun else function(task) {
    out <- fun(task)
    progress()
    out
  }
  # Both paths leave the caller's RNG state as they found it: future.apply
  # would otherwise advance it (and may switch its kind), so the caller's
  # next random number would depend on the plan.
  old <- get0(".Random.seed", envir = globalenv(), inherits = FALSE)
  on.exit(restore_seed(old))
  if (use_future()) {
    return(future.apply::future_lapply(tasks, run,
                                       future.seed = if (is.null(seeds)) FALSE else seeds,
                                       future.packages = "evmirna"))
  }
  if (is.null(seeds)) return(lapply(tasks, run))
  out <- vector("list", length(tasks))
  for (i in seq_along(tasks)) {
    assign(".Random.seed", seeds[[i]], envir = globalenv())
    out[[i]] <- run(tasks[[i]])
  }
  out
}
