# The pool of malformed values. Generic ones (NA/NaN/Inf, empty and 1x1
# inputs, wrong types, non-UTF-8 strings, lists, functions, ...) and ones
# derived from the valid value (truncated, extended, reversed = mismatched
# IDs, an NA inserted, type-swapped, one class, a corrupted field of an
# object). `heavy` adds huge sizes (run by `make fuzz` under a memory limit,
# not in the test suite).
fuzz_bad_values <- function(valid, heavy = FALSE) {
  bad_utf8 <- "P\xff\xfe"
  Encoding(bad_utf8) <- "unknown"
  pool <- list(
    "NULL" = NULL, "NA" = NA, "NA_real_" = NA_real_, "NaN" = NaN, "Inf" = Inf,
    "-Inf" = -Inf, "0" = 0, "-1" = -1, "0.5" = 0.5, "1e308" = 1e308, "1e-320" = 1e-320,
    "2^31" = 2^31, "TRUE" = TRUE, "\"a\"" = "a", "\"\"" = "", "non-UTF-8 string" = bad_utf8,
    "character(0)" = character(0), "numeric(0)" = numeric(0), "integer(0)" = integer(0),
    "logical(0)" = logical(0), "matrix(1)" = matrix(1), "matrix(NA)" = matrix(NA_real_),
    "matrix(0, 0, 0)" = matrix(0, 0, 0), "data.frame()" = data.frame(), "list()" = list(),
    "list(1, \"a\")" = list(1, "a"), "function" = function(x) x, "environment" = new.env(),
    "factor(\"a\")" = factor("a"), "1i" = 1i, "raw" = as.raw(1), "symbol" = quote(x),
    "c(1, NA)" = c(1, NA), "1:3" = 1:3, "c(\"a\", \"a\")" = c("a", "a"),
    "rnorm(1000)" = stats::rnorm(1000), "\"/dev/null\"" = "/dev/null",
    "tempdir()" = tempdir()
  )
  if (heavy) {
    pool <- c(pool, list("1e9" = 1e9, ".Machine$integer.max" = .Machine$integer.max,
                         "\"/dev/zero\"" = "/dev/zero"))
  }
  c(pool, fuzz_derived_values(valid))
}

# Variants of a valid value; several each, as they are the plausible mistakes.
fuzz_derived_values <- function(v) {
  out <- list()
  if (is.null(v) || is.function(v) || is.environment(v)) return(out)
  if (is.atomic(v) && is.null(dim(v))) {
    n <- length(v)
    if (n > 1L) {
      out[["first element only"]] <- v[1L]
      out[["last element dropped"]] <- v[-n]
      out[["reversed (mismatched ids)"]] <- rev(v)
      out[["one value repeated (one class)"]] <- rep(v[1L], n)
    }
    if (n >= 1L) {
      w <- v
      w[1L] <- NA
      out[["first element NA"]] <- w
      out[["doubled"]] <- c(v, v)
      out[["as.character"]] <- as.character(v)
      out[["as.list"]] <- as.list(v)
      if (is.numeric(v)) {
        out[["negated"]] <- -v
        out[["times 1e300"]] <- v * 1e300
        w <- v
        w[1L] <- Inf
        out[["first element Inf"]] <- w
      }
      if (is.character(v)) out[["upper case"]] <- toupper(v)
    }
    return(out)
  }
  if (is.matrix(v)) {
    out[["transposed"]] <- t(v)
    out[["one row"]] <- v[1L, , drop = FALSE]
    out[["one column"]] <- v[, 1L, drop = FALSE]
    out[["no dimnames"]] <- unname(v)
    w <- v
    w[1L] <- NA
    out[["first cell NA"]] <- w
    if (is.numeric(v)) {
      w <- v
      w[1L] <- Inf
      out[["first cell Inf"]] <- w
    }
    if (nrow(v) > 1L) {
      w <- v
      rownames(w)[2L] <- rownames(w)[1L]
      out[["duplicated row names"]] <- w
    }
    return(out)
  }
  if (is.data.frame(v)) {
    out[["zero rows"]] <- v[0L, , drop = FALSE]
    out[["one row"]] <- v[1L, , drop = FALSE]
    out[["as.list"]] <- as.list(v)
    out[["rows reversed"]] <- v[rev(seq_len(nrow(v))), , drop = FALSE]
    return(out)
  }
  if (is.list(v)) {
    # a corrupted field (the objects: evset, ev_roc, ev_model, steps)
    for (k in seq_len(4L)) {
      m <- fuzz_corrupt(v)
      out[[paste0("corrupted: ", m$label)]] <- m$value
    }
    out[["class dropped"]] <- unclass(v)
  }
  out
}

# An object with one field (at depth one or two) replaced by a malformed or
# shifted version of itself.
fuzz_corrupt <- function(v) {
  path <- fuzz_pick_field(v)
  if (is.null(path)) return(list(value = v, label = "(no field)"))
  old <- v[[path]]
  variants <- c(list(
    "NULL" = NULL, "NA" = NA, "NA_real_" = NA_real_, "\"a\"" = "a", "5L" = 5L,
    "-1L" = -1L, "0L" = 0L, "list()" = list(), "1e9" = 1e9, "numeric(0)" = numeric(0),
    "matrix(1)" = matrix(1)),
    fuzz_shifted(old))
  k <- sample.int(length(variants), 1L)
  if (is.null(variants[[k]])) v[[path]] <- list(NULL)[[1L]] else v[[path]] <- variants[[k]]
  list(value = v, label = sprintf("$%s <- %s", paste(path, collapse = "$"), names(variants)[k]))
}

fuzz_pick_field <- function(v) {
  nms <- names(v)
  if (is.null(nms) || !length(nms)) {
    if (!length(v)) return(NULL)
    i <- sample.int(length(v), 1L)
    return(i)
  }
  top <- nms[sample.int(length(nms), 1L)]
  sub <- v[[top]]
  if (is.list(sub) && !is.data.frame(sub) && length(sub) && !is.null(names(sub)) &&
      stats::runif(1) < 0.5) {
    return(c(top, names(sub)[sample.int(length(sub), 1L)]))
  }
  top
}

# Values a field could plausibly be edited to: off by one, shifted,
# truncated, with an NA, of the other type.
fuzz_shifted <- function(old) {
  out <- list()
  if (is.numeric(old) && length(old)) {
    out[["+ 1"]] <- old + 1L
    out[["* -1"]] <- -old
    out[["truncated"]] <- old[-1L]
    w <- old
    w[1L] <- NA
    out[["first NA"]] <- w
    out[["max + 1"]] <- rep_len(max(old, na.rm = TRUE) + 1, length(old))
  }
  if (is.character(old) && length(old)) {
    out[["reversed"]] <- rev(old)
    out[["truncated"]] <- old[-1L]
    out[["\"\""]] <- rep("", length(old))
  }
  if (is.logical(old) && length(old)) out[["negated"]] <- !old
  out
}
