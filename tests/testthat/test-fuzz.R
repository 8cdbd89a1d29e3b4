# A 2,000-call subset of `make fuzz` (tools/fuzz.R): exported functions,
# replayed steps and registered .Call routines with malformed arguments, in
# forked child processes (so a crash is caught and blamed on its call).
#
# The contract:
# * exported functions and ev_apply_steps()/ev_score() with fuzzed steps:
#   no crash, no hang, inputs unchanged, and either a valid in-range result
#   or a classed evmirna_ error naming an argument (R's own "unused
#   argument" error for a misspelled argument name counts as naming it);
# * direct .Call of the registered routines (not exported, so no argument
#   checking in R): no crash, no hang, inputs unchanged; a failure must be
#   an R error, classed or not, and results are not range-checked (the
#   routines trust their R callers for meaning, not for memory safety).

fuzz_env <- new.env()
for (f in list.files(test_path("fuzz"), pattern = "[.]R$", full.names = TRUE)) {
  sys.source(f, envir = fuzz_env)
}

test_that("2,000 fuzzed calls: no crash, classed errors, inputs unchanged, results in range", {
  skip_on_os("windows")  # forked children
  skip_on_cran()
  ns <- asNamespace("evmirna")
  fx <- fuzz_env$fuzz_fixtures()
  on.exit(unlink(fx$dir, recursive = TRUE), add = TRUE)
  calls <- fuzz_env$fuzz_plan(fx, ns, 2000L, seed = 7L)
  expect_length(calls, 2000L)
  res <- fuzz_env$fuzz_run(calls, ns)
  expect_true(all(res$outcome %in% fuzz_env$fuzz_outcomes))
  show <- function(rows) {
    paste(utils::head(sprintf("%s: %s -> %s", rows$outcome, rows$label, rows$detail), 10L),
          collapse = "\n")
  }
  bad_any <- res[res$outcome %in% c("crash", "timeout", "modified_input"), ]
  expect(nrow(bad_any) == 0L, paste0(nrow(bad_any), " calls crashed, hung or modified an input:\n",
                                      show(bad_any)))
  verbs <- res[res$kind != "call", ]
  bad_verbs <- verbs[!verbs$outcome %in% fuzz_env$fuzz_good, ]
  expect(nrow(bad_verbs) == 0L,
         paste0(nrow(bad_verbs), " calls of exported functions gave an unclassed error or an out-of-range result:\n",
                show(bad_verbs)))
  # the fuzzer reaches the code: most malformed calls are refused, some succeed
  expect_gt(mean(verbs$outcome == "classed"), 0.5)
  expect_gt(sum(verbs$outcome == "ok"), 50L)
  expect_setequal(unique(sub(".Call:", "", res$fn[res$kind == "call"], fixed = TRUE)),
                  names(fuzz_env$fuzz_routines()))
})

test_that("the harness catches a crash and blames its call", {
  skip_on_os("windows")
  ns <- asNamespace("evmirna")
  calls <- list(
    list(id = 1L, fn = "is_evset", args = list(x = 1), kind = "export", label = "fine"),
    list(id = 2L, fn = "pskill", args = list(Sys.getpid(), 11L), kind = "export",
         label = "segfault"),
    list(id = 3L, fn = "is_evset", args = list(x = 2), kind = "export", label = "after"))
  crash_ns <- new.env(parent = ns)
  # the child kills itself with SIGSEGV, as a crashing kernel would
  crash_ns$pskill <- function(pid, sig) tools::pskill(Sys.getpid(), sig)
  res <- fuzz_env$fuzz_run(calls, crash_ns, batch = 10L)
  expect_identical(res$outcome, c("ok", "crash", "ok"))
  expect_true(dir.exists(tempdir()))
})
