# ev_normalize(): every method is split into a fit (estimate the frozen
# parameters from the training cohort) and an apply (use only those
# parameters and the sample's own values). Training values are the apply of
# the fit, so a new patient is processed exactly like the training cohort and
# independently of whoever else is in the batch.

cq_methods <- c("reference", "spike_in", "global_mean", "quantile")
count_methods <- c("cpm", "tmm", "upper_quartile", "rle", "median_ratio",
                   "poscounts", "quantile")

#' Normalize an EV miRNA panel with frozen parameters
#'
#' Normalizes Cq values or counts to a log2 scale and records the method and
#' every parameter estimated from the data in `x$steps`, so the same recipe can
#' be applied to new patients with `ev_normalize(newdata, steps = x$steps)`
#' (or [ev_apply_steps()]). Nothing is re-estimated from new data: a sample
#' normalized alone equals the same sample normalized in a batch.
#'
#' Cq methods (values come out as \eqn{-\Delta Cq \log_2 E}, higher meaning
#' more abundant, where \eqn{E} is `efficiency`):
#' * `"reference"`: \eqn{\Delta Cq} to the mean Cq of the reference miRNAs
#'   (`references`, or the features whose role is "reference"). A reference
#'   not detected in a sample is an error naming the samples.
#' * `"spike_in"`: \eqn{\Delta Cq} to the mean Cq of the spike-ins.
#' * `"global_mean"` (Mestdagh et al. 2009): \eqn{\Delta Cq} to the mean Cq of
#'   the miRNAs expressed in the sample (`global_set = "expressed"`: detected
#'   with Cq at most `detection_cq`, among the training features that are not
#'   spike-ins) or of the miRNAs detected in every training sample
#'   (`global_set = "common"`; the set is frozen).
#' * `"quantile"`: quantile normalization of the Cq values (preprocessCore's
#'   rules for ties and non-detects); the target distribution is frozen.
#'
#' Count methods (log2 counts per million with edgeR's prior-count rule: the
#' prior is scaled by each library's effective size relative to the training
#' mean, which is frozen):
#' * `"cpm"`: library sizes are column sums;
#' * `"tmm"`, `"upper_quartile"`, `"rle"`: edgeR's `calcNormFactors()` rules;
#'   the TMM reference sample, the upper-quartile feature set and the RLE
#'   geometric means come from training, as does the constant that scales the
#'   training factors to a geometric mean of one;
#' * `"median_ratio"`, `"poscounts"`: DESeq2's size factors
#'   (`estimateSizeFactors(dds, type = "ratio")` or `type = "poscounts"`)
#'   against the frozen training geometric means; like DESeq2, poscounts
#'   factors are rescaled to a geometric mean of one over training (the
#'   constant is frozen). Values are \eqn{\log_2(count / s + prior)} with
#'   prior 1 by default;
#' * `"quantile"`: quantile normalization of the log-CPM values.
#'
#' @param x An [evset] on the "cq" or "counts" scale.
#' @param method Normalization method (see Details); not used with `steps`.
#' @param ... Must be empty; catches misspelled argument names.
#' @param references Feature IDs of the reference miRNAs (method
#'   "reference"); default: features with role "reference".
#' @param spike_ins Feature IDs of the spike-ins (method "spike_in");
#'   default: features with role "spike_in".
#' @param efficiency Amplification factor per cycle, in (1, 2.5]; 2 means
#'   perfect doubling (100 % efficiency).
#' @param detection_cq Global-mean detection rule: a miRNA counts as
#'   expressed in a sample when its Cq is at most this value.
#' @param global_set "expressed" or "common" (see Details).
#' @param prior_count Prior count for log values of count data, positive;
#'   default 2 (edgeR's `cpm()`), or 1 for the DESeq2 methods.
#' @param ratio_trim,sum_trim,weighting,a_cutoff TMM settings, as edgeR's
#'   `logratioTrim`, `sumTrim`, `doWeighting` and `Acutoff`.
#' @param reference_sample TMM reference sample (ID or position in
#'   `1..ncol`); by default
#'   edgeR's choice (the sample whose upper quartile is closest to the mean).
#' @param p Quantile for `"upper_quartile"`, in (0, 1].
#' @param steps A list of recorded steps (from a training evset's `steps`) to
#'   apply instead of fitting a method.
#' @return An [evset] on the "log2" scale, with the step appended to `steps`
#'   and per-sample factors (`lib_size`, `norm_factor`, `size_factor`) added
#'   to `samples` where the method has them.
#' @seealso [ev_apply_steps()], [ev_reference_stability()], [ev_qc()]
#' @references
#' Livak KJ, Schmittgen TD (2001). Analysis of relative gene expression data
#' using real-time quantitative PCR and the 2^(-Delta Delta C(T)) method.
#' *Methods* 25(4), 402-408. \doi{10.1006/meth.2001.1262}
#'
#' Pfaffl MW (2001). A new mathematical model for relative quantification in
#' real-time RT-PCR. *Nucleic Acids Research* 29(9), e45.
#' \doi{10.1093/nar/29.9.e45}
#'
#' Mestdagh P, Van Vlierberghe P, De Weer A, Muth D, Westermann F, Speleman
#' F, Vandesompele J (2009). A novel and universal method for microRNA
#' RT-qPCR data normalization. *Genome Biology* 10(6), R64.
#' \doi{10.1186/gb-2009-10-6-r64}
#'
#' Bolstad BM, Irizarry RA, Astrand M, Speed TP (2003). A comparison of
#' normalization methods for high density oligonucleotide array data based
#' on variance and bias. *Bioinformatics* 19(2), 185-193.
#' \doi{10.1093/bioinformatics/19.2.185}
#'
#' Robinson MD, Oshlack A (2010). A scaling normalization method for
#' differential expression analysis of RNA-seq data. *Genome Biology* 11(3),
#' R25. \doi{10.1186/gb-2010-11-3-r25}
#'
#' Bullard JH, Purdom E, Hansen KD, Dudoit S (2010). Evaluation of
#' statistical methods for normalization and differential expression in
#' mRNA-Seq experiments. *BMC Bioinformatics* 11, 94.
#' \doi{10.1186/1471-2105-11-94}
#'
#' Anders S, Huber W (2010). Differential expression analysis for sequence
#' count data. *Genome Biology* 11(10), R106. \doi{10.1186/gb-2010-11-10-r106}
#' @export
#' @examples
#' set.seed(1)
#' cq <- matrix(rnorm(5 * 6, 28, 2), 5, 6,
#'              dimnames = list(c("hsa-miR-16-5p", "hsa-miR-93-5p",
#'                                "hsa-miR-21-5p", "hsa-miR-214-3p",
#'                                "cel-miR-39-3p"), paste0("P", 1:6)))
#' x <- evset(cq)
#' n <- ev_normalize(x, "reference",
#'                   references = c("hsa-miR-16-5p", "hsa-miR-93-5p"))
#' n$steps[[1]]$references
#' # a new patient processed with the frozen recipe
#' new <- evset(cq[, 1, drop = FALSE] + 0.5)
#' ev_normalize(new, steps = n$steps)$values
ev_normalize <- function(x, method = NULL, ..., references = NULL,
                         spike_ins = NULL, efficiency = 2,
                         detection_cq = 35,
                         global_set = c("expressed", "common"),
                         prior_count = NULL, ratio_trim = 0.3,
                         sum_trim = 0.05, weighting = TRUE, a_cutoff = -1e10,
                         reference_sample = NULL, p = 0.75, steps = NULL) {
  check_evset(x, "x")
  check_dots_empty(...)
  if (!is.null(steps)) {
    if (!is.null(method)) {
      ev_abort("Give either `method` (to fit) or `steps` (to apply), not both.",
               "evmirna_error_value", "steps")
    }
    return(ev_apply_steps(x, steps))
  }
  if (is.null(method)) {
    ev_abort("`method` is required (or give `steps` to apply a frozen recipe).",
             "evmirna_error_value", "method")
  }
  if (!is.character(method) || length(method) != 1L || is.na(method)) {
    ev_abort(sprintf("`method` must be one method name (a single string), one of %s.",
                     format_offenders(if (x$scale == "counts") count_methods else cq_methods, 20L)),
             "evmirna_error_type", "method")
  }
  if (x$scale == "log2") {
    ev_abort("`x` is already on the log2 scale; normalize Cq values or counts.",
             "evmirna_error_value", "x")
  }
  if (x$scale == "cq") {
    if (method %in% setdiff(count_methods, cq_methods)) {
      ev_abort(sprintf("`method` \"%s\" is for counts but `x` holds Cq values; use one of %s.",
                       method, format_offenders(cq_methods)),
               "evmirna_error_value", "method")
    }
    method <- check_choice(method, cq_methods, "method")
    check_number(efficiency, "efficiency", lower = 1 + 1e-8, upper = 2.5)
    check_number(detection_cq, "detection_cq", lower = 0, upper = 50)
    global_set <- check_choice(global_set, c("expressed", "common"),
                               "global_set")
    step <- fit_cq_step(x, method, references, spike_ins, efficiency,
                        detection_cq, global_set)
  } else {
    if (method %in% setdiff(cq_methods, count_methods)) {
      ev_abort(sprintf("`method` \"%s\" is for Cq values but `x` holds counts; use one of %s.",
                       method, format_offenders(count_methods)),
               "evmirna_error_value", "method")
    }
    method <- check_choice(method, count_methods, "method")
    if (is.null(prior_count)) {
      prior_count <- if (method %in% c("median_ratio", "poscounts")) 1 else 2
    }
    check_prior_count(prior_count)
    check_number(ratio_trim, "ratio_trim", lower = 0, upper = 0.5)
    check_number(sum_trim, "sum_trim", lower = 0, upper = 0.5)
    check_flag(weighting, "weighting")
    check_number(a_cutoff, "a_cutoff", lower = -Inf)
    check_quantile_p(p)
    step <- fit_count_step(x, method, prior_count, ratio_trim, sum_trim,
                           weighting, a_cutoff, reference_sample, p)
  }
  apply_normalize_step(x, step)
}

check_dots_empty <- function(...) {
  if (...length()) {
    nms <- names(list(...))
    ev_abort(sprintf("Unknown arguments: %s.",
                     format_offenders(if (is.null(nms)) "(unnamed)" else nms)),
             "evmirna_error_value", "...")
  }
}

#' Apply a frozen processing recipe to new samples
#'
#' Replays the recorded steps of a training evset (filtering, imputation,
#' plate calibration, normalization) on new data using only the frozen
#' parameters. Features are matched by ID; features the recipe needs but the
#' new data lack are an error.
#'
#' @param x An [evset] with new samples, on the scale the recipe started from.
#' @param steps The `steps` list of a processed training evset.
#' @return The processed [evset], with `steps` equal to the recipe.
#' @export
#' @examples
#' cq <- matrix(c(20, 25, 30, 21, 26, 29, 19.5, 24, 31), 3,
#'              dimnames = list(c("hsa-miR-16-5p", "hsa-miR-21-5p",
#'                                "hsa-miR-214-3p"), c("A", "B", "C")))
#' train <- ev_normalize(evset(cq), "quantile")
#' ev_apply_steps(evset(cq[, "B", drop = FALSE]), train$steps)$values
ev_apply_steps <- function(x, steps) {
  check_evset(x, "x")
  # every frozen parameter is checked before any kernel sees it (a step may
  # come from a model file or an edited object)
  steps <- validate_steps(steps, "steps")
  for (step in steps) {
    x <- switch(step$name,
      # steps that record how data were read: nothing to replay
      read_qpcr = , read_counts = x,
      filter = apply_filter_step(x, step),
      impute_nondetects = apply_impute_step(x, step),
      plate_calibration = apply_plate_step(x, step),
      normalize = apply_normalize_step(x, step)
    )
  }
  x
}

# Puts the new data's features in the recipe's order (extra features dropped).
align_to_features <- function(x, ids, arg = "x") {
  pos <- match(ids, rownames(x$values))
  if (anyNA(pos)) {
    ev_abort(sprintf("`%s` lacks features the frozen recipe needs: %s.", arg,
                     format_offenders(ids[is.na(pos)])),
             "evmirna_error_unknown", arg)
  }
  if (identical(pos, seq_len(nrow(x$values)))) x else x[pos, ]
}

check_step_scale <- function(x, step) {
  if (x$scale != step$scale) {
    ev_abort(sprintf("`x` is on the \"%s\" scale but the recorded step \"%s\" expects \"%s\".",
                     x$scale, step$method %||% step$name, step$scale),
             "evmirna_error_value", "x")
  }
}

# A step fresh from a fit may carry the training results (attribute
# "training"), computed by the very same kernels, to avoid doing the work
# twice; the recorded step never carries them.
apply_normalize_step <- function(x, step) {
  training <- attr(step, "training")
  attr(step, "training") <- NULL
  check_step_scale(x, step)
  x <- align_to_features(x, step$features)
  res <- if (!is.null(training$values)) training else
    if (step$scale == "cq") apply_cq_step(x, step) else
      apply_count_step(x, step, training)
  values <- res$values
  if (!identical(dimnames(values), dimnames(x$values))) {
    dimnames(values) <- dimnames(x$values)
  }
  samples <- x$samples
  for (nm in names(res$sample_info)) samples[[nm]] <- unname(res$sample_info[[nm]])
  reason <- x$missing_reason
  if (anyNA(values) || anyNA(x$values)) {
    now_na <- is.na(values)
    if (!identical(now_na, is.na(x$values))) {
      reason[!now_na] <- NA_character_
      reason[now_na & is.na(reason)] <- "missing"
    }
  }
  new_evset(values, x$features, samples, "log2", reason, c(x$steps, list(step)),
            x$provenance)
}
