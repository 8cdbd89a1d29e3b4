# Developer script: direct .Call robustness of every registered routine.
#
#   Rscript tools/fuzz-call.R record OUT.rds   # capture real arguments
#   Rscript tools/fuzz-call.R fuzz   OUT.rds [LOG.csv]
#
# "record" runs the test suite against the installed package with .Call
# wrapped, keeping a few real argument lists per routine (small ones).
# "fuzz" then calls each routine with one argument at a time replaced by a
# malformed value (wrong type, NA, empty, wrong length, out of range, huge),
# each call in a forked child (parallel::mcparallel) so a crash is caught
# and attributed. A call "passes" when it returns or raises an R error; a
# child that dies or times out is a failure. Children run one thread so a
# fork never inherits a live OpenMP pool.
args <- commandArgs(trailingOnly = TRUE)
mode <- args[1L]
file <- args[2L]
suppressPackageStartupMessages(library(evmirna))
ns <- asNamespace("evmirna")
routines <- names(getDLLRegisteredRoutines("evmirna")$.Call)

if (identical(mode, "record")) {
  store <- new.env()
  real_call <- .Primitive(".Call")
  recorder <- function(.NAME, ...) {
    nm <- if (inherits(.NAME, "NativeSymbolInfo")) .NAME$name else ""
    if (nm %in% routines) {
      have <- store[[nm]]
      if (length(have) < 4L) {
        a <- list(...)
        if (utils::object.size(a) < 2e5) store[[nm]] <- c(have, list(a))
      }
    }
    real_call(.NAME, ...)
  }
  unlockBinding(".Call", baseenv())
  assign(".Call", recorder, envir = baseenv())
  # byte-compiled code calls the primitive directly: swap in uncompiled
  # copies of the package functions that call .Call
  for (nm in ls(ns, all.names = TRUE)) {
    f <- get(nm, envir = ns)
    if (!is.function(f) || is.primitive(f)) next
    if (!any(grepl(".Call", deparse(body(f)), fixed = TRUE))) next
    g <- f
    body(g) <- body(f)
    unlockBinding(nm, ns)
    assign(nm, g, envir = ns)
  }
  options(evmirna.threads = 1L)
  tryCatch(testthat::test_local(".", load_package = "installed",
                                reporter = "silent", stop_on_failure = FALSE),
           error = function(e) message("tests: ", conditionMessage(e)))
  assign(".Call", real_call, envir = baseenv())
  out <- as.list(store)
  message("recorded ", length(out), " of ", length(routines), " routines; missing: ",
          paste(setdiff(routines, names(out)), collapse = ", "))
  saveRDS(out, file)
  quit(save = "no")
}

recorded <- readRDS(file)
log_file <- if (length(args) >= 3L) args[3L] else ""
# Hand-made valid calls for routines the test suite may not reach.
defaults <- list(
  C_quantile_apply = list(matrix(c(3, 1, 2, 5, 4, 2, 8, 1, 6, 7), 5), c(1, 2, 3, 4, 5), 1),
  C_roc_distinct3 = list(c(0L, 1L, 1L, 0L)),
  C_roc_coord_at = list(c(0, 0.5, 1), c(1, 0.5, 0), c(0.2, 0.5), FALSE),
  C_delong_cov = list(list(c(0.2, 0.8, 0.5)), list(c(0.1, 0.6, 0.4, 0.3)), 0.55, NULL, NULL),
  C_elnet_interp = list(c(1, 0.5, 0.1), c(0.7, 0.05)),
  C_thread_count = list(2L))
for (nm in names(defaults)) if (is.null(recorded[[nm]])) recorded[[nm]] <- list(defaults[[nm]])
only <- strsplit(Sys.getenv("FUZZ_ONLY"), ",")[[1L]]
if (length(only)) routines <- intersect(routines, only)

# Malformed replacements for one argument whose real value is v.
mutations <- function(v) {
  n <- length(v)
  m <- list(NULL = NULL, na_lgl = NA, na_int = NA_integer_, na_real = NA_real_,
            nan = NaN, inf = Inf, neg_inf = -Inf, chr = "a", list0 = list(),
            int0 = integer(0), real0 = numeric(0), neg1 = -1L, zero = 0L,
            big_int = .Machine$integer.max, big_real = 1e300, neg_real = -1e9,
            fn = sum, env = globalenv())
  if (is.numeric(v) || is.logical(v)) {
    m$flip_type <- if (is.integer(v) || is.logical(v)) as.double(v) + 0.5 else as.integer(v)
    if (n > 0) {
      m$half <- v[seq_len(n %/% 2)]
      m$first_na <- replace(v, 1L, NA)
      m$all_na <- v
      m$all_na[] <- NA
      m$negated <- -v
      m$shift_big <- v + if (is.integer(v)) 1000000L else 1e6
      m$plus1 <- v + 1L
      m$minus2 <- v - 2L
    }
    m$doubled <- c(v, v)
    m$logical <- rep(TRUE, max(1L, n))
    if (!is.null(dim(v))) m$no_dim <- as.vector(v)
  }
  if (is.list(v) && n > 0) {
    m$list_half <- v[seq_len(n %/% 2)]
    m$list_elem_null <- replace(v, 1L, list(NULL))
    m$list_elem_chr <- replace(v, 1L, list("a"))
    m$list_elem_short <- lapply(v, function(e) if (is.atomic(e) && length(e)) e[1L] else e)
  }
  m
}

run_one <- function(fun, a, timeout = 20) {
  job <- parallel::mcparallel({
    options(evmirna.threads = 1L)
    r <- tryCatch({
      do.call(.Call, c(list(fun), a))
      "ok"
    }, error = function(e) "error", warning = function(w) "warning")
    r
  }, silent = TRUE)
  res <- parallel::mccollect(job, wait = FALSE, timeout = timeout)
  if (is.null(res)) {
    tools::pskill(job$pid, tools::SIGKILL)
    parallel::mccollect(job, wait = TRUE)
    return("timeout")
  }
  v <- res[[1L]]
  if (is.character(v) && length(v) == 1L && v %in% c("ok", "error", "warning")) v else "crash"
}

rows <- list()
counts <- c(ok = 0, error = 0, warning = 0, crash = 0, timeout = 0)
for (nm in routines) {
  fun <- get(nm, envir = ns)
  calls <- recorded[[nm]]
  if (!length(calls)) {
    message("no recorded call for ", nm)
    next
  }
  for (ci in seq_along(calls)[seq_len(min(2L, length(calls)))]) {
    a <- calls[[ci]]
    for (k in seq_along(a)) {
      ms <- mutations(a[[k]])
      for (mn in names(ms)) {
        b <- a
        if (is.null(ms[[mn]])) b[k] <- list(NULL) else b[[k]] <- ms[[mn]]
        out <- run_one(fun, b)
        counts[out] <- counts[out] + 1
        if (out %in% c("crash", "timeout")) {
          message(sprintf("%s: %s arg %d <- %s (call %d)", toupper(out), nm, k, mn, ci))
          rows[[length(rows) + 1L]] <- data.frame(routine = nm, call = ci, arg = k,
                                                  mutation = mn, outcome = out)
        }
      }
    }
  }
}
cat(sprintf("calls: %d  ok: %d  error: %d  warning: %d  crash: %d  timeout: %d\n",
            sum(counts), counts[["ok"]], counts[["error"]], counts[["warning"]],
            counts[["crash"]], counts[["timeout"]]))
if (nzchar(log_file) && length(rows)) utils::write.csv(do.call(rbind, rows), log_file, row.names = FALSE)
