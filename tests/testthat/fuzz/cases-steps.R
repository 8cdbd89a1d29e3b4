# ev_apply_steps() with fuzzed recorded steps: a step of every kind and
# method, one or two of its frozen parameters corrupted, replayed on data of
# the right scale (and now and then on a frozen model through ev_score()).
fuzz_step_calls <- function(fx, n, first_id) {
  kinds <- names(fx$steps)
  lapply(seq_len(n), function(i) {
    kind <- kinds[(i - 1L) %% length(kinds) + 1L]
    steps <- fx$steps[[kind]]
    j <- length(steps)  # the step this recipe adds (earlier ones: reading)
    step <- steps[[j]]
    labels <- character()
    for (r in seq_len(sample(1:2, 1L))) {
      m <- fuzz_corrupt_step(step)
      step <- m$value
      labels <- c(labels, m$label)
    }
    steps[[j]] <- step
    data <- if (startsWith(kind, "counts_")) fx$xc else if (kind %in% c("filter", "impute_em"))
      fx$x else fx$imputed
    label <- sprintf("ev_apply_steps(<%s data>, steps$%s with %s)",
                     if (startsWith(kind, "counts_")) "counts" else "cq", kind,
                     paste(labels, collapse = ", "))
    if (kind == "cq_reference" && i %% 3L == 0L) {
      model <- fx$frozen
      model$recipe$steps <- Filter(function(s) !s$name %in% c("read_qpcr", "read_counts"),
                                   steps)
      return(list(id = first_id + i - 1L, fn = "ev_score", kind = "steps",
                  args = list(model = model, newdata = fx$x),
                  label = sub("ev_apply_steps", "ev_score(<frozen model>)", label, fixed = TRUE)))
    }
    list(id = first_id + i - 1L, fn = "ev_apply_steps", kind = "steps",
         args = list(x = data, steps = steps), label = label)
  })
}

# One field of a step replaced: by a generic bad value, a type swap, a
# shift, a truncation, or an out-of-range number.
fuzz_corrupt_step <- function(step) {
  field <- names(step)[sample.int(length(step), 1L)]
  old <- step[[field]]
  variants <- c(list(
    "NA" = NA, "NA_real_" = NA_real_, "NaN" = NaN, "Inf" = Inf, "-Inf" = -Inf,
    "-1" = -1, "0" = 0, "1e9" = 1e9, "2" = 2, "\"a\"" = "a", "NULL" = NULL,
    "numeric(0)" = numeric(0), "character(0)" = character(0), "list(1)" = list(1),
    "TRUE" = TRUE, "c(0.3, 0.3)" = c(0.3, 0.3)),
    fuzz_shifted(old))
  k <- sample.int(length(variants), 1L)
  step[[field]] <- variants[[k]]
  list(value = step, label = sprintf("$%s <- %s", field, names(variants)[k]))
}
