# The fuzz plan: how many calls of each kind, generated from one seed.
# Shares: exported verbs 50 %, replayed steps 25 %, direct .Call 25 %.
fuzz_plan <- function(fx, ns, n, seed = 1L, heavy = FALSE, captured = NULL) {
  old <- get0(".Random.seed", envir = globalenv(), inherits = FALSE)
  on.exit(if (is.null(old)) rm(".Random.seed", envir = globalenv())
          else assign(".Random.seed", old, envir = globalenv()))
  set.seed(seed)
  n_export <- round(n * 0.5)
  n_steps <- round(n * 0.25)
  n_call <- n - n_export - n_steps
  suppressWarnings(c(
    fuzz_export_calls(fx, n_export, heavy, first_id = as.integer(seed * 1e6)),
    fuzz_step_calls(fx, n_steps, first_id = as.integer(seed * 1e6 + n_export)),
    fuzz_call_calls(fx, ns, n_call, first_id = as.integer(seed * 1e6 + n_export + n_steps),
                    captured = captured, heavy = heavy)
  ))
}
