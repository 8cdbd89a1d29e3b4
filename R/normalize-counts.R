# Count normalizations with edgeR's and DESeq2's rules. The fit freezes the
# cohort-level quantities (TMM reference profile, upper-quartile feature set,
# RLE and DESeq2 geometric means, the constant scaling training factors to a
# geometric mean of one, the mean effective library size that scales the
# prior count, the quantile target); the apply uses only them.

# A zero prior makes log(0) = -Inf for every zero count.
check_prior_count <- function(prior_count) {
  check_number(prior_count, "prior_count", lower = 0)
  if (prior_count <= 0) {
    ev_abort("`prior_count` must be positive: with 0, zero counts become -Inf on the log scale.",
             "evmirna_error_value", "prior_count")
  }
  invisible(prior_count)
}

# The 0-quantile of a library is its smallest count, zero in practice, and
# a zero factor has no logarithm (NaN factors).
check_quantile_p <- function(p) {
  check_number(p, "p", lower = 0, upper = 1)
  if (p <= 0) {
    ev_abort("`p` must lie in (0, 1]: the 0-quantile is a library's smallest count, whose factor has no logarithm.",
             "evmirna_error_value", "p")
  }
  invisible(p)
}

# Library sizes (as colSums) after refusing missing counts and empty
# libraries; attribute "expressed" flags features with a positive count.
check_counts <- function(counts, arg = "x") {
  summ <- .Call(C_count_summary, counts)
  if (any(summ[[3L]])) {
    bad <- colnames(counts)[summ[[3L]]]
    ev_abort(sprintf("`%s` has missing counts in samples %s; counts must be complete.",
                     arg, format_offenders(bad)),
             "evmirna_error_value", arg)
  }
  lib <- stats::setNames(summ[[1L]], colnames(counts))
  if (any(lib <= 0)) {
    ev_abort(sprintf("`%s` has all-zero libraries: %s.", arg,
                     format_offenders(colnames(counts)[lib <= 0])),
             "evmirna_error_value", arg)
  }
  structure(lib, expressed = summ[[2L]])
}

fit_count_step <- function(x, method, prior_count, ratio_trim, sum_trim,
                           weighting, a_cutoff, reference_sample, p) {
  counts <- x$values
  lib <- check_counts(counts)
  if (ncol(counts) < 2L) {
    ev_abort("`x` needs at least two samples to fit a normalization.",
             "evmirna_error_shape", "x")
  }
  step <- list(name = "normalize", method = method, scale = "counts",
               features = rownames(counts), prior_count = prior_count)
  expressed <- attr(lib, "expressed")
  attr(lib, "expressed") <- NULL
  if (!any(expressed) && method %in% c("tmm", "upper_quartile", "rle")) {
    ev_abort("`x` has no feature with a positive count.",
             "evmirna_error_empty", "x")
  }
  switch(method,
    tmm = {
      ref <- tmm_reference(counts, lib, expressed, reference_sample)
      step$reference_sample <- colnames(counts)[ref]
      step$reference_profile <- counts[, ref]
      step$reference_lib_size <- lib[[ref]]
      step$ratio_trim <- ratio_trim
      step$sum_trim <- sum_trim
      step$weighting <- weighting
      step$a_cutoff <- a_cutoff
      raw <- tmm_raw_factors(counts, lib, step)
    },
    upper_quartile = {
      step$p <- p
      step$quantile_features <- rownames(counts)[expressed]
      raw <- .Call(C_col_quantile, counts, expressed, p) / lib
      if (min(raw) == 0) {
        ev_warn("Upper-quartile factors: one or more quantiles are zero.",
                "evmirna_warning_zero_quantile", "x")
      }
    },
    rle = {
      sub <- counts[expressed, , drop = FALSE]
      step$geometric_means <- exp(rowMeans(log(sub)))
      raw <- rle_raw_factors(sub, step$geometric_means) / lib
    },
    median_ratio = {
      step$log_geometric_means <- deseq_log_geomeans(counts, method)
    },
    poscounts = {
      # DESeq2's estimateSizeFactors(type = "poscounts") rescales the
      # training factors to a geometric mean of one; the constant is frozen.
      step$log_geometric_means <- deseq_log_geomeans(counts, method)
      sf <- deseq_size_factors(counts, step$log_geometric_means)
      step$size_factor_scale <- exp(mean(log(sf)))
    },
    cpm = ,
    quantile = NULL
  )
  if (method %in% c("tmm", "upper_quartile", "rle")) {
    step$factor_scale <- exp(mean(log(raw)))
    nf <- raw / step$factor_scale
  } else {
    nf <- rep(1, ncol(counts))
  }
  step$mean_lib_size <- mean(lib * nf)
  if (method == "quantile") {
    fit <- quantile_fit(log_cpm(counts, lib, step), "x")
    step$target <- fit[[2L]]
    attr(step, "training") <- list(values = fit[[1L]],
                                   sample_info = list(lib_size = lib, norm_factor = nf))
  } else if (method %in% c("tmm", "upper_quartile", "rle")) {
    attr(step, "training") <- list(raw_factors = raw)
  }
  step
}

# edgeR's default TMM reference: the sample whose upper-quartile factor is
# closest to their mean (or the largest sum of square-root counts when the
# upper quartiles vanish).
tmm_reference <- function(counts, lib, expressed, reference_sample) {
  if (!is.null(reference_sample)) {
    if (length(reference_sample) != 1L || is.na(reference_sample) ||
        !(is.character(reference_sample) || is.numeric(reference_sample)) ||
        !is.null(dim(reference_sample))) {
      ev_abort("`reference_sample` must be one sample ID or position.",
               "evmirna_error_type", "reference_sample")
    }
    if (is.numeric(reference_sample)) {
      check_number(reference_sample, "reference_sample", lower = 1,
                   upper = ncol(counts), integer = TRUE)
    }
    return(resolve_index(reference_sample, colnames(counts),
                         "reference_sample", "sample"))
  }
  f75 <- .Call(C_col_quantile, counts, expressed, 0.75) / lib
  if (stats::median(f75) < 1e-20) {
    which.max(colSums(sqrt(counts[expressed, , drop = FALSE])))
  } else {
    which.min(abs(f75 - mean(f75)))
  }
}

tmm_raw_factors <- function(counts, lib, step) {
  .Call(C_tmm_factors, counts, as.double(step$reference_profile),
        as.double(lib), as.double(step$reference_lib_size),
        as.double(step$ratio_trim), as.double(step$sum_trim),
        step$weighting, as.double(step$a_cutoff), evmirna_threads())
}

rle_raw_factors <- function(sub, gm) {
  positive <- gm > 0
  vapply(seq_len(ncol(sub)),
         function(j) stats::median((sub[, j] / gm)[positive]), numeric(1))
}

deseq_log_geomeans <- function(counts, type) {
  if (type == "median_ratio") {
    lgm <- rowMeans(log(counts))
  } else {
    lc <- log(counts)
    lc[!is.finite(lc)] <- 0
    lgm <- rowMeans(lc)
    lgm[rowSums(counts) == 0] <- -Inf
  }
  if (all(is.infinite(lgm))) {
    ev_abort("`x`: every feature has a zero count in some sample, so the median-of-ratios geometric means are undefined; try method = \"poscounts\".",
             "evmirna_error_value", "x")
  }
  lgm
}

# `scale`: the frozen constant dividing the factors (poscounts), 1 otherwise.
deseq_size_factors <- function(counts, lgm, scale = 1) {
  finite <- is.finite(lgm)
  sf <- vapply(seq_len(ncol(counts)), function(j) {
    cnts <- counts[, j]
    use <- finite & cnts > 0
    if (!any(use)) {
      ev_abort(sprintf("`x`: sample \"%s\" has no positive count among the features with a finite geometric mean.",
                       colnames(counts)[j]),
               "evmirna_error_value", "x")
    }
    exp(stats::median((log(cnts) - lgm)[use]))
  }, numeric(1))
  sf / scale
}

# log2 CPM with edgeR's rule: the prior is scaled by each effective library
# size relative to the (frozen) training mean.
log_cpm <- function(counts, eff_lib, step) {
  .Call(C_log_cpm, counts, as.double(eff_lib), as.double(step$prior_count),
        as.double(step$mean_lib_size))
}

apply_count_step <- function(x, step, training = NULL) {
  counts <- x$values
  lib <- check_counts(counts)
  attr(lib, "expressed") <- NULL
  info <- list(lib_size = lib)
  if (step$method %in% c("median_ratio", "poscounts")) {
    sf <- deseq_size_factors(counts, step$log_geometric_means,
                             step$size_factor_scale %||% 1)
    values <- log2(counts / rep(sf, each = nrow(counts)) + step$prior_count)
    return(list(values = values, sample_info = c(info, list(size_factor = sf))))
  }
  raw <- if (!is.null(training$raw_factors)) training$raw_factors else switch(step$method,
    tmm = tmm_raw_factors(counts, lib, step),
    upper_quartile = .Call(C_col_quantile, counts,
                           rownames(counts) %in% step$quantile_features,
                           step$p) / lib,
    rle = rle_raw_factors(counts[names(step$geometric_means), , drop = FALSE],
                          step$geometric_means) / lib,
    NULL
  )
  nf <- if (is.null(raw)) rep(1, ncol(counts)) else raw / step$factor_scale
  values <- log_cpm(counts, lib * nf, step)
  if (step$method == "quantile") {
    values <- .Call(C_quantile_apply, values, step$target, 1)
  }
  list(values = values, sample_info = c(info, list(norm_factor = nf)))
}

#' Normalization factors of a count panel
#'
#' The per-sample factors behind the count normalizations, without
#' transforming the counts: edgeR's `calcNormFactors()` factors ("tmm",
#' "upper_quartile", "rle"; scaled to a geometric mean of one) or DESeq2's
#' size factors ("median_ratio", "poscounts"). The same numbers as
#' `ev_normalize(x, method)$samples$norm_factor` (or `size_factor`).
#'
#' The TMM kernel runs over samples in parallel with
#' `getOption("evmirna.threads", 2)` threads when OpenMP is available; the
#' factors do not depend on the number of threads.
#'
#' @inheritParams ev_normalize
#' @param x An [evset] on the "counts" scale.
#' @param method One of "tmm", "upper_quartile", "rle", "median_ratio",
#'   "poscounts".
#' @return A named numeric vector, one factor per sample.
#' @export
#' @examples
#' set.seed(1)
#' y <- matrix(rpois(200, 50), 50,
#'             dimnames = list(paste0("hsa-miR-", 1:50), paste0("S", 1:4)))
#' ev_norm_factors(evset(y, scale = "counts"), "tmm")
ev_norm_factors <- function(x, method = c("tmm", "upper_quartile", "rle",
                                          "median_ratio", "poscounts"),
                            ratio_trim = 0.3, sum_trim = 0.05,
                            weighting = TRUE, a_cutoff = -1e10,
                            reference_sample = NULL, p = 0.75) {
  check_evset(x, "x")
  method <- check_choice(method, c("tmm", "upper_quartile", "rle",
                                   "median_ratio", "poscounts"), "method")
  if (x$scale != "counts") {
    ev_abort(sprintf("`x` is on the \"%s\" scale; normalization factors are for counts.",
                     x$scale),
             "evmirna_error_value", "x")
  }
  check_number(ratio_trim, "ratio_trim", lower = 0, upper = 0.5)
  check_number(sum_trim, "sum_trim", lower = 0, upper = 0.5)
  check_flag(weighting, "weighting")
  check_number(a_cutoff, "a_cutoff", lower = -Inf)
  check_quantile_p(p)
  step <- fit_count_step(x, method, 1, ratio_trim, sum_trim, weighting,
                         a_cutoff, reference_sample, p)
  f <- if (method %in% c("median_ratio", "poscounts")) {
    deseq_size_factors(x$values, step$log_geometric_means,
                       step$size_factor_scale %||% 1)
  } else {
    attr(step, "training")$raw_factors / step$factor_scale
  }
  stats::setNames(f, colnames(x$values))
}
