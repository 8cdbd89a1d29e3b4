# Cq normalizations: fit (freeze what the method needs) and apply (per sample,
# from the frozen parameters only).

fit_cq_step <- function(x, method, references, spike_ins, efficiency,
                        detection_cq, global_set) {
  step <- list(name = "normalize", method = method, scale = "cq",
               features = rownames(x$values), efficiency = efficiency)
  switch(method,
    reference = {
      step$references <- pick_features(x, references, "reference",
                                       "references")
    },
    spike_in = {
      step$spike_ins <- pick_features(x, spike_ins, "spike_in", "spike_ins")
    },
    global_mean = {
      eligible <- x$features$role != "spike_in"
      cq <- x$values
      detected <- !is.na(cq) & cq <= detection_cq
      if (global_set == "common") {
        eligible <- eligible & rowSums(detected) == ncol(cq)
        if (!any(eligible)) {
          ev_abort(sprintf("`x`: no miRNA is detected (Cq <= %s) in every sample, so the common global-mean set is empty; use global_set = \"expressed\".",
                           format(detection_cq)),
                   "evmirna_error_empty", "x")
        }
      }
      step$global_set <- global_set
      step$detection_cq <- detection_cq
      step$mean_features <- rownames(cq)[eligible]
    },
    quantile = {
      fit <- quantile_fit(x$values, "x", -log2(efficiency))
      step$target <- fit$target
      attr(step, "training") <- list(values = fit$values, sample_info = NULL)
    }
  )
  step
}

# IDs given by the user, or the features holding a role.
pick_features <- function(x, ids, role, arg) {
  if (is.null(ids)) {
    ids <- x$features$id[x$features$role == role]
    if (!length(ids)) {
      ev_abort(sprintf("`%s` is empty and no feature has role \"%s\"; name them or set `features$role`.",
                       arg, role),
               "evmirna_error_empty", arg)
    }
    return(ids)
  }
  if (!is.character(ids) || !length(ids) || anyNA(ids)) {
    ev_abort(sprintf("`%s` must be a character vector of feature IDs.", arg),
             "evmirna_error_type", arg)
  }
  check_ids(ids, arg, "feature IDs")
  unknown <- !ids %in% rownames(x$values)
  if (any(unknown)) {
    ev_abort(sprintf("`%s` names features not in `x`: %s.", arg,
                     format_offenders(ids[unknown])),
             "evmirna_error_unknown", arg)
  }
  ids
}

# Returns list(normalized values times mult, target).
quantile_fit <- function(values, arg, mult = 1) {
  check_quantile_input(values, arg)
  .Call(C_quantile_normalize, values, as.double(mult))
}

check_quantile_input <- function(values, arg) {
  if (nrow(values) < 2L) {
    ev_abort(sprintf("`%s` needs at least two features for quantile normalization.", arg),
             "evmirna_error_shape", arg)
  }
  short <- .Call(C_margin_stats, values, FALSE)[, "n"] < 2
  if (any(short)) {
    ev_abort(sprintf("`%s` has samples with fewer than two observed values: %s.",
                     arg, format_offenders(colnames(values)[short])),
             "evmirna_error_value", arg)
  }
}

# Mean Cq of the given rows in each sample; every row must be observed.
anchor_mean <- function(cq, rows, arg, what) {
  sub <- cq[rows, , drop = FALSE]
  miss <- is.na(sub)
  if (any(miss)) {
    bad <- colnames(cq)[colSums(miss) > 0]
    ev_abort(sprintf("`%s`: %s %s not detected in samples %s; impute or drop them first (no value is silently subtracted).",
                     arg, what, format_offenders(rownames(sub)[rowSums(miss) > 0]),
                     format_offenders(bad)),
             "evmirna_error_value", arg)
  }
  colMeans(sub)
}

apply_cq_step <- function(x, step) {
  cq <- x$values
  slope <- log2(step$efficiency)
  if (step$method == "quantile") {
    check_quantile_input(cq, "x")
    values <- .Call(C_quantile_apply, cq, step$target, -slope)
    return(list(values = values, sample_info = NULL))
  }
  # anchors that are means of given rows: computed in the same C pass as the
  # delta-Cq (no subset copy); anchor_mean() reports missing anchor values
  rows <- switch(step$method, reference = step$references, spike_in = step$spike_ins,
                 global_mean = if (step$global_set == "common") step$mean_features)
  idx <- if (is.character(rows)) match(rows, rownames(cq)) else NA_integer_
  if (!anyNA(idx)) {
    res <- .Call(C_delta_cq, cq, idx - 1L, slope)
    if (!is.null(res)) {
      anchor <- res$anchor
      names(anchor) <- colnames(cq)
      return(list(values = res$values, sample_info = list(anchor_cq = anchor)))
    }
  }
  anchor <- switch(step$method,
    reference = anchor_mean(cq, step$references, "x", "reference miRNAs"),
    spike_in = anchor_mean(cq, step$spike_ins, "x", "spike-ins"),
    global_mean = global_mean_anchor(cq, step)
  )
  values <- .Call(C_delta_cq, cq, as.double(anchor), slope)
  info <- list(anchor_cq = anchor)
  list(values = values, sample_info = info)
}

global_mean_anchor <- function(cq, step) {
  if (step$global_set == "common") {
    return(anchor_mean(cq, step$mean_features, "x",
                       "global-mean miRNAs (detected in every training sample)"))
  }
  sub <- cq[step$mean_features, , drop = FALSE]
  sub[!is.na(sub) & sub > step$detection_cq] <- NA
  n <- colSums(!is.na(sub))
  if (any(n == 0L)) {
    ev_abort(sprintf("`x`: samples %s have no miRNA detected at Cq <= %s, so the global mean is undefined.",
                     format_offenders(colnames(cq)[n == 0L]),
                     format(step$detection_cq)),
             "evmirna_error_value", "x")
  }
  colMeans(sub, na.rm = TRUE)
}
