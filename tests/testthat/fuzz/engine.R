# Fuzz engine: runs batches of calls in forked child R processes
# (parallel::mcparallel), so a crash (segfault, abort) kills a child and not
# the run; the child logs each call's outcome as it completes, so the call
# during which it died or hung is known exactly. Every call is judged by fuzz_judge() (checks.R).
#
# A call is list(id, fn, args, label, kind): `fn` the name of an exported
# function, or ".Call:<routine>" for a registered native routine; `args` the
# argument list; `label` a readable reproducer; `kind` "export", "call" or
# "steps". Calls are generated deterministically from a seed and each runs
# under set.seed(id), so any result can be replayed alone.

fuzz_outcomes <- c("ok", "classed", "unused_argument", "unclassed", "crash", "timeout",
                   "modified_input", "out_of_range")
fuzz_good <- c("ok", "classed", "unused_argument")

# Runs one call in this process and returns its outcome (a one-row list).
fuzz_run_one <- function(call, ns, per_call = 5) {
  set.seed(call$id)
  # a kernel that checks for interrupts stops at the limit (a "timeout")
  setTimeLimit(elapsed = per_call, transient = TRUE)
  on.exit(setTimeLimit())
  # a deep copy to compare with afterwards (identical() compares values, not
  # the memory representation R may change, e.g. expanding 1:3)
  before <- unserialize(serialize(call$args, NULL))
  f <- if (startsWith(call$fn, ".Call:")) {
    sym <- get(sub(".Call:", "", call$fn, fixed = TRUE), envir = ns)
    function(...) .Call(sym, ...)
  } else {
    get(call$fn, envir = ns)
  }
  res <- tryCatch(
    withCallingHandlers(
      list(value = do.call(f, call$args, quote = TRUE)),
      warning = function(w) invokeRestart("muffleWarning")),
    error = function(e) list(error = e))
  # graphics devices opened by plot methods must not pile up
  if (length(grDevices::dev.list())) grDevices::graphics.off()
  outcome <- fuzz_judge(res, call)
  if (!identical(before, call$args)) outcome <- list(outcome = "modified_input",
                                                 detail = "an argument changed")
  outcome
}

# Runs calls in a forked child that appends each outcome to `log` as it
# completes, so when the child dies or hangs the parent knows which call
# was running. Returns the outcomes read back, and whether the child
# finished ("done"), died ("crash") or stalled ("timeout": no call finished
# for `stall` seconds).
fuzz_run_child <- function(calls, ns, log, stall) {
  file.create(log)
  job <- parallel::mcparallel({
    options(evmirna.threads = 1L, warn = 1)
    grDevices::pdf(NULL)
    con <- file(log, open = "a")
    for (cl in calls) {
      o <- tryCatch(fuzz_run_one(cl, ns),
                    error = function(e) list(outcome = "unclassed",
                                             detail = paste("harness:", conditionMessage(e))))
      writeLines(paste(cl$id, o$outcome, gsub("[\t\n\r]", " ", o$detail %||% ""),
                       sep = "\t"), con)
      flush(con)
    }
    close(con)
    "done"
  }, silent = TRUE)
  state <- NULL
  seen <- 0L
  last <- proc.time()[["elapsed"]]
  repeat {
    res <- suppressWarnings(parallel::mccollect(job, wait = FALSE, timeout = 0.2))
    if (!is.null(res)) {
      state <- if (identical(res[[1L]], "done")) "done" else "crash"
      break
    }
    n_now <- length(readLines(log, warn = FALSE))
    if (n_now > seen) {
      seen <- n_now
      last <- proc.time()[["elapsed"]]
    } else if (proc.time()[["elapsed"]] - last > stall) {
      tools::pskill(job$pid, 9L)
      suppressWarnings(parallel::mccollect(job, wait = TRUE))
      state <- "timeout"
      break
    }
  }
  lines <- readLines(log, warn = FALSE)
  parts <- strsplit(lines, "\t", fixed = TRUE)
  list(state = state,
       outcomes = lapply(parts, function(p) list(outcome = p[2L], detail = p[3L] %||% "")))
}

# Runs the calls, `batch` per child; a call during which the child died or
# stalled is blamed for it and the run resumes after it.
fuzz_run <- function(calls, ns, batch = 100L, stall = 10, progress = FALSE) {
  results <- vector("list", length(calls))
  # outside R's session temporary directory: a child that crashes runs R's
  # abort clean-up, which deletes that directory (recreated after each child)
  log <- tempfile("evmirna-fuzz-log", tmpdir = dirname(tempdir()))
  on.exit(unlink(log))
  i <- 1L
  n_done <- 0L
  while (i <= length(calls)) {
    idx <- i:min(length(calls), i + batch - 1L)
    out <- fuzz_run_child(calls[idx], ns, log, stall)
    tempdir(check = TRUE)
    k <- length(out$outcomes)
    if (k) results[idx[seq_len(k)]] <- out$outcomes
    if (out$state != "done" || k < length(idx)) {
      blame <- idx[k + 1L]
      results[[blame]] <- list(outcome = if (identical(out$state, "timeout")) "timeout" else "crash",
                               detail = if (identical(out$state, "timeout"))
                                 sprintf("no answer in %g s", stall) else "the child R process died")
      i <- blame + 1L
    } else {
      i <- max(idx) + 1L
    }
    if (progress && (i - 1L) %/% 500L > n_done) {
      n_done <- (i - 1L) %/% 500L
      message(sprintf("  %d / %d calls", i - 1L, length(calls)))
    }
  }
  data.frame(
    id = vapply(calls, `[[`, integer(1), "id"),
    kind = vapply(calls, `[[`, "", "kind"),
    fn = vapply(calls, `[[`, "", "fn"),
    label = vapply(calls, `[[`, "", "label"),
    outcome = vapply(results, `[[`, "", "outcome"),
    detail = vapply(results, function(r) substr(r$detail %||% "", 1L, 300L), ""),
    stringsAsFactors = FALSE)
}

`%||%` <- function(x, y) if (is.null(x)) y else x

# Counts by outcome (all kinds, and per kind) and the top offenders.
fuzz_report <- function(res, top = 15L) {
  cat(sprintf("fuzz: %d calls\n", nrow(res)))
  tab <- table(factor(res$kind, c("export", "steps", "call")),
               factor(res$outcome, fuzz_outcomes))
  print(addmargins(tab))
  bad <- res[!res$outcome %in% fuzz_good, ]
  if (nrow(bad)) {
    key <- paste(bad$outcome, bad$fn)
    cnt <- sort(table(key), decreasing = TRUE)
    cat("\ntop offenders (outcome, function: calls):\n")
    for (k in utils::head(names(cnt), top)) {
      ex <- bad[key == k, ][1L, ]
      cat(sprintf("  %-44s %4d  e.g. %s\n      -> %s\n", k, cnt[[k]],
                  substr(ex$label, 1L, 160L), substr(ex$detail, 1L, 160L)))
    }
  }
  invisible(tab)
}
