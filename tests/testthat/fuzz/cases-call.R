# Direct .Call fuzzing of every registered routine. Valid arguments are
# captured from the package itself: in a forked child, every namespace
# function that calls .Call is swapped for a copy whose .Call records its
# arguments, and the base calls of the exported verbs are run. Each fuzzed
# call then changes one captured argument to a wrong type, NA, a wrong
# length or an out-of-range value. Routines no base call reaches get
# arguments drawn from a generic pool, with their registered arity.
fuzz_routines <- function() {
  r <- getDLLRegisteredRoutines("evmirna")$.Call
  stats::setNames(vapply(r, function(x) x$numParameters, integer(1)), names(r))
}

fuzz_capture_args <- function(fx, ns, per_routine = 3L) {
  job <- parallel::mcparallel({
    options(evmirna.threads = 1L)
    grDevices::pdf(NULL)
    store <- new.env()
    rec <- function(.NAME, ...) {
      nm <- deparse(substitute(.NAME))
      args <- list(...)
      have <- store[[nm]]
      if (length(have) < per_routine &&
          !any(vapply(have, identical, logical(1), args))) {
        store[[nm]] <- c(have, list(args))
      }
      .Call(.NAME, ...)
    }
    swap <- function(e) {
      if (is.call(e)) {
        if (identical(e[[1L]], as.name(".Call"))) e[[1L]] <- as.name(".fuzz_record")
        for (k in seq_along(e)[-1L]) if (is.call(e[[k]])) e[[k]] <- swap(e[[k]])
      }
      e
    }
    for (nm in ls(ns, all.names = TRUE)) {
      f <- get(nm, envir = ns)
      if (!is.function(f) || is.primitive(f)) next
      b <- body(f)
      if (!any(grepl(".Call(", deparse(b), fixed = TRUE))) next
      env <- new.env(parent = ns)
      env$.fuzz_record <- rec
      body(f) <- swap(b)
      environment(f) <- env
      utils::assignInNamespace(nm, f, ns = ns)
    }
    for (b in fuzz_base_calls(fx)) {
      try(suppressWarnings(do.call(get(b$fn, envir = ns), b$args, quote = TRUE)),
          silent = TRUE)
    }
    as.list(store)
  }, silent = TRUE)
  out <- parallel::mccollect(job)[[1L]]
  if (!is.list(out)) stop("capturing .Call arguments failed: ", format(out))
  out
}

# Wrong versions of one .Call argument.
fuzz_call_values <- function(v, heavy = FALSE) {
  pool <- list("NULL" = NULL, "NA" = NA, "NA_integer_" = NA_integer_,
               "NA_real_" = NA_real_, "NaN" = NaN, "Inf" = Inf, "-1L" = -1L,
               "0L" = 0L, "-1" = -1, "1e300" = 1e300, "\"a\"" = "a", "TRUE" = TRUE,
               "numeric(0)" = numeric(0), "integer(0)" = integer(0),
               "logical(0)" = logical(0), "list()" = list(), "list(1)" = list(1),
               "matrix(0, 0, 0)" = matrix(0, 0, 0), "matrix(1)" = matrix(1))
  if (heavy) {
    pool <- c(pool, list("1e6L" = 1000000L, ".Machine$integer.max" = .Machine$integer.max))
  }
  if (is.null(v)) return(pool)
  if (is.atomic(v) && length(v)) {
    if (is.double(v)) pool[["as.integer"]] <- suppressWarnings(as.integer(v))
    if (is.integer(v) || is.logical(v)) pool[["as.double"]] <- as.double(v)
    pool[["as.character"]] <- as.character(v)
    pool[["truncated"]] <- v[-length(v)]
    pool[["doubled"]] <- c(v, v)
    w <- v
    w[1L] <- NA
    pool[["first NA"]] <- w
    if (is.numeric(v)) {
      pool[["+ 1000"]] <- v + if (is.integer(v)) 1000L else 1000
      pool[["negated"]] <- -v
    }
    if (is.matrix(v)) {
      pool[["transposed"]] <- t(v)
      pool[["dim dropped"]] <- as.vector(v)
      pool[["one column"]] <- v[, 1L, drop = FALSE]
    }
  }
  if (is.list(v) && length(v)) {
    pool[["element 1 dropped"]] <- v[-1L]
    m <- fuzz_corrupt(v)
    pool[[paste0("corrupted: ", m$label)]] <- m$value
    if (is.list(v[[1L]]) && length(v[[1L]])) {
      w <- v
      m <- fuzz_corrupt(v[[1L]])
      w[[1L]] <- m$value
      pool[[paste0("[[1]] corrupted: ", m$label)]] <- w
    }
  }
  pool
}

fuzz_generic_args <- function(arity) {
  pool <- list(matrix(stats::rnorm(20), 5, 4), 1:5, c(0L, 1L, 0L, 1L, 1L), 0.5,
               1L, TRUE, NA, NULL, "a", list(1, 2), numeric(0), c(1, 2, 3, 4, 5))
  lapply(seq_len(arity), function(i) pool[[sample.int(length(pool), 1L)]])
}

fuzz_call_calls <- function(fx, ns, n, first_id, captured = NULL, heavy = FALSE) {
  routines <- fuzz_routines()
  if (is.null(captured)) captured <- fuzz_capture_args(fx, ns)
  names_r <- names(routines)
  lapply(seq_len(n), function(i) {
    r <- names_r[(i - 1L) %% length(names_r) + 1L]
    have <- captured[[r]]
    if (length(have)) {
      args <- have[[sample.int(length(have), 1L)]]
      source <- "captured"
    } else {
      args <- fuzz_generic_args(routines[[r]])
      source <- "generic"
    }
    label <- sprintf(".Call(%s, <%s args>)", r, source)
    if (length(args) && (source == "captured" || stats::runif(1) < 0.5)) {
      slot <- sample.int(length(args), 1L)
      pool <- fuzz_call_values(args[[slot]], heavy)
      k <- sample.int(length(pool), 1L)
      if (is.null(pool[[k]])) args[slot] <- list(NULL) else args[[slot]] <- pool[[k]]
      label <- sprintf(".Call(%s, <%s args>, argument %d := %s)", r, source, slot,
                       names(pool)[k])
    }
    list(id = first_id + i - 1L, fn = paste0(".Call:", r), kind = "call",
         args = args, label = label)
  })
}
