# make fuzz: calls every exported function, every registered .Call routine
# and ev_apply_steps() with malformed arguments in forked child R processes
# and prints the counts by outcome and the top offenders.
#   Rscript tools/fuzz.R [--calls=10000] [--seed=1] [--batch=100] [--heavy]
#                        [--out=check/fuzz]
# Needs evmirna installed (make fuzz installs it into check/fuzz-lib).
# Exits 1 when a call crashed, hung, modified its input or returned an
# out-of-range result, or an exported function or a replayed step gave an
# unclassed error.
args <- commandArgs(trailingOnly = TRUE)
opt <- function(name, default) {
  hit <- grep(paste0("^--", name, "="), args, value = TRUE)
  if (length(hit)) sub("^--[^=]+=", "", hit[1L]) else default
}
n <- as.integer(opt("calls", "10000"))
seed <- as.integer(opt("seed", "1"))
batch <- as.integer(opt("batch", "100"))
heavy <- "--heavy" %in% args
out <- opt("out", "check/fuzz")
suppressPackageStartupMessages(library(evmirna))
fuzz_dir <- file.path("tests", "testthat", "fuzz")
env <- environment()
for (f in list.files(fuzz_dir, pattern = "[.]R$", full.names = TRUE)) sys.source(f, envir = env)
ns <- asNamespace("evmirna")
t0 <- proc.time()[["elapsed"]]
fx <- fuzz_fixtures()
calls <- fuzz_plan(fx, ns, n, seed = seed, heavy = heavy)
cat(sprintf("fuzz: seed %d, %d calls planned (%s)\n", seed, length(calls),
            if (heavy) "with huge sizes" else "no huge sizes"))
res <- fuzz_run(calls, ns, batch = batch, progress = TRUE)
dir.create(out, showWarnings = FALSE, recursive = TRUE)
utils::write.csv(res, file.path(out, "fuzz-results.csv"), row.names = FALSE)
bad <- which(!res$outcome %in% fuzz_good)
saveRDS(calls[bad], file.path(out, "fuzz-offenders.rds"))
fuzz_report(res)
cat(sprintf("\n%.0f s; results in %s (offending calls: fuzz-offenders.rds; replay one with\n  x <- readRDS(f)[[i]]; set.seed(x$id); do.call(x$fn, x$args))\n",
            proc.time()[["elapsed"]] - t0, out))
fail <- res$outcome %in% c("crash", "timeout", "modified_input", "out_of_range") |
  (res$outcome == "unclassed" & res$kind != "call")
quit(status = if (any(fail)) 1L else 0L)
