# ev_roc_multiclass(): a response with k > 2 classes (e.g. normal /
# osteopenia / osteoporosis). Every number is built from the two-class AUC
# of the C core (roc_auc_matrix), one call per pair of classes.

#' Multi-class AUC and ordinal concordance
#'
#' For a numeric predictor and a response with \eqn{k \ge 2} classes,
#' computes every pairwise AUC, Hand and Till's (2001) multi-class AUC (the
#' mean of the \eqn{k(k-1)/2} pairwise AUCs, as `pROC::multiclass.roc()`
#' for a single predictor) and, when the classes are ordered, the ordinal
#' concordance: the probability that a patient from a higher class scores
#' higher than one from a lower class, ties counting one half, over all
#' pairs of patients in different classes. With two classes the
#' concordance is the AUC with `direction = "<"`.
#'
#' Each pairwise AUC is the AUC of the curve with `levels = c(lower,
#' higher)`; with `direction = "auto"` its direction is chosen per pair
#' from the class medians, as pROC does, so each pairwise AUC is usually at
#' least 0.5. The concordance always takes "higher class scores higher"
#' (flip the predictor's sign for a marker that falls with the class).
#'
#' Confidence intervals come from a bootstrap stratified by class
#' (`n_boot` resamples drawn with R's RNG, so `set.seed()` reproduces
#' them), with every pairwise direction kept at its value in the data:
#' percentile intervals for the multi-class AUC, the concordance and each
#' pairwise AUC. `n_boot = 0` skips them.
#'
#' @param response Class of each patient: a factor (its level order is the
#'   class order), character or numeric vector. `NA` responses, `NA`
#'   predictor values and classes not in `levels` are dropped.
#' @param predictor Numeric vector of the same length.
#' @param levels Classes to use, in order (lowest first). Default: the
#'   factor's levels present in the data, else the sorted unique values.
#' @param direction `"auto"`, `"<"` or `">"` for the pairwise AUCs (see
#'   [ev_roc()]).
#' @param ordinal Compute the ordinal concordance? Default `TRUE` for an
#'   ordered factor, a numeric response, or when `levels` is given; an unordered factor or
#'   character response with `ordinal = TRUE` needs `levels`. Numeric
#'   classes are ordered by value.
#' @param n_boot Number of bootstrap resamples (0: no intervals).
#' @param conf_level Confidence level of the intervals.
#' @return An object of class `ev_roc_multiclass`: a list with `auc`
#'   (Hand and Till), `auc_ci`, `concordance` and `concordance_ci` (`NA`
#'   unless ordinal), `pairwise` (a data frame: `control`, `case`, `n_control`,
#'   `n_case`, `auc`, `direction`, `lower`, `upper`), `levels`, `n` (per
#'   class), `n_dropped`, `n_boot`, `conf_level` and `replicates` (the
#'   bootstrap values, a matrix with columns `auc` and `concordance`).
#' @references
#' Hand DJ, Till RJ (2001). A simple generalisation of the area under the
#' ROC curve for multiple class classification problems. *Machine
#' Learning* 45, 171-186. \doi{10.1023/A:1010920819831}
#' @examples
#' # SIMULATED: a miRNA rising with bone loss
#' set.seed(3)
#' status <- factor(rep(c("normal", "osteopenia", "osteoporosis"), c(30, 25, 20)),
#'                  levels = c("normal", "osteopenia", "osteoporosis"),
#'                  ordered = TRUE)
#' mir <- rnorm(75, mean = as.integer(status) / 2)
#' ev_roc_multiclass(status, mir, n_boot = 200)
#' @export
ev_roc_multiclass <- function(response, predictor, levels = NULL,
                              direction = c("auto", "<", ">"),
                              ordinal = NULL, n_boot = 2000,
                              conf_level = 0.95) {
  direction <- check_choice(direction, c("auto", "<", ">"), "direction")
  check_conf_level(conf_level)
  if (is.null(ordinal)) {
    ordinal <- is.ordered(response) || is.numeric(response) || !is.null(levels)
  }
  check_flag(ordinal, "ordinal")
  prep <- multiclass_prepare(response, predictor, levels, ordinal)
  k <- length(prep$levels)
  # a resample holds the data once per pair it enters
  if (!identical(n_boot, 0) && !identical(n_boot, 0L)) {
    check_n_boot(n_boot, 8 * (k - 1) * length(prep$x))
  }
  pairs <- utils::combn(k, 2L)
  # Each class's values; pair (i, j) stacks class i (control) over class j.
  by_class <- split(prep$x, prep$class)
  pair_auc <- function(cols_i, cols_j, dir) {
    y <- rep(0:1, c(NROW(cols_i), NROW(cols_j)))
    roc_auc_matrix(y, rbind(as.matrix(cols_i), as.matrix(cols_j)), dir)
  }
  fits <- lapply(seq_len(ncol(pairs)), function(p) {
    pair_auc(by_class[[pairs[1L, p]]], by_class[[pairs[2L, p]]], direction)
  })
  dirs <- vapply(fits, function(f) f$direction, character(1))
  aucs <- vapply(fits, function(f) f$auc, numeric(1))
  n_class <- lengths(by_class)
  weight <- n_class[pairs[1L, ]] * n_class[pairs[2L, ]]
  # concordance: pairwise AUCs with "higher class higher", weighted by pairs
  concordance_of <- function(a_up) sum(weight * a_up) / sum(weight)
  concordance <- NA_real_
  if (ordinal) {
    up <- vapply(seq_len(ncol(pairs)), function(p) {
      if (dirs[p] == "<") aucs[p] else 1 - aucs[p]
    }, numeric(1))
    concordance <- concordance_of(up)
  }
  pairwise <- data.frame(control = prep$levels[pairs[1L, ]],
                         case = prep$levels[pairs[2L, ]],
                         n_control = unname(n_class[pairs[1L, ]]),
                         n_case = unname(n_class[pairs[2L, ]]),
                         auc = aucs, direction = dirs,
                         lower = NA_real_, upper = NA_real_,
                         stringsAsFactors = FALSE)
  res <- list(auc = mean(aucs), auc_ci = c(NA_real_, NA_real_),
              concordance = concordance, concordance_ci = c(NA_real_, NA_real_),
              pairwise = pairwise, levels = prep$levels, ordinal = ordinal,
              n = stats::setNames(unname(n_class), prep$levels),
              n_dropped = prep$n_dropped, n_boot = n_boot,
              conf_level = conf_level, replicates = NULL)
  if (n_boot > 0) {
    res <- multiclass_bootstrap(res, by_class, pairs, dirs, weight, pair_auc,
                                n_boot, conf_level)
  }
  class(res) <- "ev_roc_multiclass"
  res
}

# Classes as integers 1..k in order, the kept predictor, and checks.
multiclass_prepare <- function(response, predictor, levels, ordinal) {
  check_atomic_vector(response, "response")
  if (is.factor(predictor) || !is.numeric(predictor) || !is.null(dim(predictor))) {
    ev_abort("`predictor` must be a numeric vector.", "evmirna_error_type", "predictor")
  }
  if (length(response) != length(predictor)) {
    ev_abort(sprintf("`predictor` has %d observations but `response` has %d.",
                     length(predictor), length(response)),
             "evmirna_error_shape", "predictor")
  }
  if (ordinal && is.null(levels) && !is.ordered(response) && !is.numeric(response)) {
    ev_abort(paste("`response` has unordered classes; the ordinal concordance needs",
                   "their order: give an ordered factor or `levels` (lowest first),",
                   "or set `ordinal = FALSE`."),
             "evmirna_error_value", "response")
  }
  present <- if (is.factor(response)) {
    base::levels(response)[tabulate(as.integer(response), nlevels(response)) > 0L]
  } else {
    sort(unique(response[!is.na(response)]))
  }
  lv <- if (is.null(levels)) present else levels
  lv_chr <- as.character(lv)
  if (anyNA(lv) || anyDuplicated(lv_chr)) {
    ev_abort("`levels` must hold distinct, non-missing classes.",
             "evmirna_error_value", "levels")
  }
  unknown <- setdiff(lv_chr, as.character(present))
  if (length(unknown)) {
    ev_abort(sprintf("`levels` not found in `response`: %s.", format_offenders(unknown)),
             "evmirna_error_unknown", "levels")
  }
  if (length(lv) < 2L) {
    ev_abort("`response` must have at least two classes.", "evmirna_error_one_class",
             "response")
  }
  cls <- match(as.character(response), lv_chr)
  keep <- !is.na(cls) & !is.na(predictor)
  counts <- tabulate(cls[keep], length(lv))
  if (any(counts < 2L)) {
    small <- lv_chr[counts < 2L]
    ev_abort(sprintf("Every class of `response` needs at least 2 patients with a value; %s %s.",
                     format_offenders(small),
                     if (length(small) == 1L) "has fewer" else "have fewer"),
             "evmirna_error_value", "response")
  }
  list(levels = lv_chr, class = factor(cls[keep], levels = seq_along(lv)),
       x = as.double(predictor[keep]),
       n_dropped = sum(is.na(response) | is.na(predictor)))
}

# Stratified bootstrap: one index matrix per class (rows = resamples), the
# same resample for every pair, each pair's AUCs in one C call.
multiclass_bootstrap <- function(res, by_class, pairs, dirs, weight, pair_auc,
                                 n_boot, conf_level) {
  boot_cols <- lapply(by_class, function(v) {
    matrix(v[sample.int(length(v), length(v) * n_boot, replace = TRUE)],
           nrow = length(v))
  })
  reps <- vapply(seq_len(ncol(pairs)), function(p) {
    pair_auc(boot_cols[[pairs[1L, p]]], boot_cols[[pairs[2L, p]]], dirs[p])$auc
  }, numeric(n_boot))
  reps <- matrix(reps, nrow = n_boot)
  probs <- c((1 - conf_level) / 2, 1 - (1 - conf_level) / 2)
  q <- function(v) unname(stats::quantile(v, probs, na.rm = TRUE))
  boot_auc <- rowMeans(reps)
  boot_conc <- rep(NA_real_, n_boot)
  if (res$ordinal) {
    up <- sweep(reps, 2L, dirs == "<", function(a, keep) ifelse(keep, a, 1 - a))
    boot_conc <- as.vector(up %*% weight) / sum(weight)
    res$concordance_ci <- q(boot_conc)
  }
  res$auc_ci <- q(boot_auc)
  ci <- apply(reps, 2L, q)
  res$pairwise$lower <- ci[1L, ]
  res$pairwise$upper <- ci[2L, ]
  res$replicates <- cbind(auc = boot_auc, concordance = boot_conc)
  res
}

#' @export
print.ev_roc_multiclass <- function(x, digits = 4L, ...) {
  ci <- function(v) {
    if (anyNA(v)) "" else sprintf(" (%s%% CI %s-%s, %d bootstrap resamples)",
                                  format(100 * x$conf_level),
                                  format(round(v[1L], digits)), format(round(v[2L], digits)),
                                  as.integer(x$n_boot))
  }
  cat(sprintf("<ev_roc_multiclass: %d classes, %s>\n", length(x$levels),
              paste(sprintf("%s (n = %d)", x$levels, x$n), collapse = " < ")))
  cat(sprintf("  Multi-class AUC (Hand & Till): %s%s\n",
              format(round(x$auc, digits)), ci(x$auc_ci)))
  if (x$ordinal) {
    cat(sprintf("  Ordinal concordance (higher class scores higher): %s%s\n",
                format(round(x$concordance, digits)), ci(x$concordance_ci)))
  }
  cat("  Pairwise AUCs:\n")
  pw <- x$pairwise
  for (i in seq_len(nrow(pw))) {
    cat(sprintf("    %s vs %s: %s (direction %s)\n", pw$control[i], pw$case[i],
                format(round(pw$auc[i], digits)), pw$direction[i]))
  }
  invisible(x)
}

#' @export
as.data.frame.ev_roc_multiclass <- function(x, row.names = NULL, optional = FALSE, ...) {
  x$pairwise
}
