# ev_roc(): checks the response, levels, direction, weights and clusters,
# then hands the oriented predictor to the C core (src/roc.c) in one call.

#' Build a ROC curve
#'
#' Computes the empirical ROC curve of a numeric predictor against a binary
#' response, with pROC's conventions: thresholds are the midpoints between
#' adjacent distinct predictor values with `-Inf` and `Inf` at the ends, and
#' `direction = "<"` means that controls have lower values than cases (a
#' value `>=` the threshold is called a case). With `direction = "auto"` the
#' direction is chosen by comparing the median of the controls with the median
#' of the cases, as pROC does. The curve, its AUC (the Mann-Whitney statistic,
#' ties counting one half) and the DeLong placement values come from one sort
#' in C.
#'
#' Pairs where the response or the predictor is `NA`/`NaN` are dropped and
#' counted; observations whose response is not one of `levels` are left out.
#' `Inf` and `-Inf` are legal predictor values (they rank above or below all
#' others; the end thresholds stay `-Inf`/`Inf`).
#'
#' **Weights** are case weights: every observation counts `weights[i]` times
#' in the sensitivities, specificities and AUC, and `direction = "auto"`
#' compares weighted medians. Integer weights give exactly the curve of the
#' replicated rows. The DeLong variance treats the weights as frequency
#' weights (it equals the variance of the replicated data), so it needs a
#' total weight above 1 in each class; with sampling weights prefer the
#' bootstrap. Observations with weight 0 are left out. Positive weights
#' must lie in \[1e-100, 1e100\] (beyond, the sums of weight products over-
#' or underflow); rescale them otherwise.
#'
#' **Clusters** (several samples per patient) only change resampling:
#' [ev_ci_auc()], [ev_roc_test()] and [ev_ci_coords()] then resample whole
#' clusters, and DeLong methods are refused because they assume independent
#' observations.
#'
#' @param predictor Numeric vector of the same length as `response`, or a
#'   numeric matrix or data.frame: one curve per column, all sharing the
#'   response (an `ev_roc_list`). Ordered factors are not accepted; convert
#'   them explicitly.
#' @param response Binary response (factor, character, logical or numeric,
#'   e.g. 0/1); or a formula `outcome ~ a + b` evaluated in `data` (one curve
#'   per right-hand term, as `pROC::roc(outcome ~ a + b, data)`: a single
#'   `ev_roc` for one term, an `ev_roc_list` for several); or a `pROC::roc`
#'   object, whose response, predictor, levels and direction are reused.
#' @param levels `c(control, case)`, pROC's spelling. Default: the factor's
#'   level order (levels present in the data), `c(FALSE, TRUE)` for logicals,
#'   else the sorted unique values. Required when the response has more than
#'   two classes. `positive` is the package-wide alternative.
#' @param positive The case class (as in the other verbs); the other class
#'   present is the control. Give `levels` or `positive`, not both.
#' @param direction `"auto"`, `"<"` (controls lower) or `">"` (controls
#'   higher). For a matrix predictor `"auto"` is decided column by column.
#' @param weights Optional non-negative finite case weights.
#' @param cluster Optional cluster (patient) identifiers, one per observation,
#'   for a clustered bootstrap.
#' @param data With a formula `response`: the data.frame holding its columns.
#' @return An object of class `ev_roc`: a list with `thresholds`,
#'   `sensitivities`, `specificities` (ordered by rising specificity, as in
#'   pROC), `auc`, `direction`, `direction_auto`, `levels`, `n_cases`,
#'   `n_controls`, `n_dropped` (pairs with `NA`), `n_outside` (response not in
#'   `levels`), the kept `predictor`, `response` (1 = case), `weights`,
#'   `cluster`, and internals used by the other verbs. For a matrix or
#'   data.frame predictor, an `ev_roc_list` of such objects named by column.
#' @seealso [ev_auc()], [ev_ci_auc()], [ev_roc_test()], [ev_coords()],
#'   [ev_ci_coords()]
#' @references
#' Hanley JA, McNeil BJ (1982). The meaning and use of the area under a
#' receiver operating characteristic (ROC) curve. *Radiology* 143(1), 29-36.
#' \doi{10.1148/radiology.143.1.7063747}
#'
#' Robin X, Turck N, Hainard A, Tiberti N, Lisacek F, Sanchez JC, Mueller M
#' (2011). pROC: an open-source package for R and S+ to analyze and compare
#' ROC curves. *BMC Bioinformatics* 12, 77. \doi{10.1186/1471-2105-12-77}
#' @examples
#' set.seed(1)
#' status <- factor(rep(c("control", "case"), each = 30),
#'                  levels = c("control", "case"))
#' mir <- c(rnorm(30, 0), rnorm(30, 1))
#' r <- ev_roc(status, mir)
#' r
#' head(as.data.frame(r))
#' @export
ev_roc <- function(response, predictor, levels = NULL,
                   direction = c("auto", "<", ">"), weights = NULL,
                   cluster = NULL, positive = NULL, data = NULL) {
  if (inherits(response, "formula")) {
    if (is.null(data) && !missing(predictor)) data <- predictor
    return(roc_formula(response, data, levels, direction, weights, cluster,
                       positive, match.call()))
  }
  if (inherits(response, "roc")) return(roc_from_proc(response, match.call()))
  direction <- check_choice(direction, c("auto", "<", ">"), "direction")
  if (!is.null(positive)) levels <- roc_positive_levels(response, levels, positive)
  if (is.data.frame(predictor) || is.matrix(predictor)) {
    return(roc_fit_columns(response, predictor, levels, direction, weights,
                           cluster, match.call()))
  }
  prep <- roc_prepare(response, predictor, levels, weights, cluster)
  x <- prep$predictor
  fit <- .Call(C_roc_fit, x, prep$y, prep$weights, direction_code(direction))
  new_ev_roc(fit, direction == "auto", prep, x, match.call())
}

direction_code <- function(direction) {
  match(direction, c("auto", "<", ">")) - 1L
}

new_ev_roc <- function(fit, dir_auto, prep, x, call) {
  direction <- c("<", ">")[fit$direction]
  thresholds <- if (direction == "<") fit$thresholds else -fit$thresholds
  y <- prep$y
  w <- prep$weights
  structure(list(
    thresholds = thresholds,
    sensitivities = fit$sensitivities,
    specificities = fit$specificities,
    auc = fit$auc,
    direction = direction,
    direction_auto = dir_auto,
    levels = prep$levels,
    n_cases = length(fit$placements_cases),
    n_controls = length(fit$placements_controls),
    weight_cases = if (is.null(w)) NULL else sum(w[y == 1L]),
    weight_controls = if (is.null(w)) NULL else sum(w[y == 0L]),
    n_dropped = prep$n_dropped,
    n_outside = prep$n_outside,
    n_input = prep$n_input,
    kept = if (prep$all_kept) NULL else which(prep$keep),
    predictor = x,
    response = y,
    weights = w,
    cluster = prep$cluster,
    fit = fit,
    call = call
  ), class = "ev_roc")
}

# Shared input checks: returns the 0/1 response of the kept rows, the levels,
# the keep mask over the input, weights/cluster of the kept rows and counts.
roc_prepare <- function(response, predictor, levels, weights, cluster,
                        predictor_na = NULL) {
  if (is.factor(predictor) || !(is.numeric(predictor) || is.logical(predictor))) {
    ev_abort("`predictor` must be numeric.", "evmirna_error_type", "predictor")
  }
  if (!is.null(predictor_na)) {
    n <- length(predictor_na)
  } else {
    n <- length(predictor)
    predictor <- as.double(predictor)
  }
  if (!(is.factor(response) || is.character(response) ||
        is.logical(response) || is.numeric(response)) ||
      !is.null(dim(response))) {
    ev_abort("`response` must be a factor, character, logical or numeric vector.",
             "evmirna_error_type", "response")
  }
  if (length(response) == 0L || n == 0L) {
    ev_abort("`response` and `predictor` must not be empty.",
             "evmirna_error_empty", if (length(response) == 0L) "response" else "predictor")
  }
  if (length(response) != n) {
    ev_abort(sprintf("`predictor` has %d observations but `response` has %d.",
                     n, length(response)), "evmirna_error_shape", "predictor")
  }
  if (!is.null(weights)) {
    if (!is.numeric(weights) || length(weights) != n) {
      ev_abort(sprintf("`weights` must be a numeric vector of length %d.", n),
               "evmirna_error_shape", "weights")
    }
    if (anyNA(weights) || any(!is.finite(weights)) || any(weights < 0)) {
      ev_abort("`weights` must be finite and non-negative (no NA).",
               "evmirna_error_value", "weights")
    }
    check_weight_range(weights)
    weights <- as.double(weights)
  }
  if (!is.null(cluster)) {
    if (length(cluster) != n || !is.null(dim(cluster))) {
      ev_abort(sprintf("`cluster` must be a vector of length %d.", n),
               "evmirna_error_shape", "cluster")
    }
    if (anyNA(cluster)) {
      ev_abort("`cluster` has missing values.", "evmirna_error_value", "cluster")
    }
  }
  lvs <- roc_levels(response, levels)
  lv <- lvs$labels
  if (is.null(predictor_na) && !is.character(response)) {
    # fast path: one C pass codes the response and drops NA pairs
    if (is.factor(response)) {
      r <- as.integer(response)
      lvnum <- as.double(match(lv, base::levels(response)))
    } else {
      r <- response
      lvnum <- as.double(lvs$values)
    }
    cd <- .Call(C_roc_code, r, predictor, weights, lvnum)
    y <- cd$y
    keep <- cd$keep
    all_kept <- is.null(keep)
    n_dropped <- cd$n_dropped
    n_outside <- cd$n_outside
    if (all_kept) keep <- TRUE
    if (!length(y)) {
      ev_abort("No observations left after dropping NA pairs and responses outside `levels`.",
               "evmirna_error_empty", "response")
    }
    predictor <- cd$x
  } else {
    code <- roc_code_response(response, lvs$values)  # 0 control, 1 case, NA otherwise
    pred_na <- if (is.null(predictor_na)) is.na(predictor) else predictor_na
    na_pair <- is.na(response) | pred_na
    keep <- !is.na(code) & !pred_na
    if (!is.null(weights)) keep <- keep & weights > 0
    all_kept <- all(keep)
    if (!any(keep)) {
      ev_abort("No observations left after dropping NA pairs and responses outside `levels`.",
               "evmirna_error_empty", "response")
    }
    y <- if (all_kept) code else code[keep]
    if (is.null(predictor_na) && !all_kept) predictor <- predictor[keep]
    n_dropped <- sum(na_pair)
    n_outside <- sum(!na_pair & is.na(code))
  }
  n1 <- sum(y)
  if (n1 == 0L || n1 == length(y)) {
    missing_level <- if (n1 == 0L) lv[[2L]] else lv[[1L]]
    ev_abort(sprintf("`response` has only one class among the usable observations: no \"%s\".",
                     missing_level), "evmirna_error_one_class", "response")
  }
  cl <- NULL
  if (!is.null(cluster)) {
    ck <- if (all_kept) cluster else cluster[keep]
    cl <- match(ck, unique(ck))
  }
  # predictor: the kept values for a vector predictor (the input for a matrix)
  list(y = y, levels = lv, keep = keep, all_kept = all_kept, predictor = predictor,
       weights = if (is.null(weights) || all_kept) weights else weights[keep],
       cluster = cl, n_input = n,
       n_dropped = as.integer(n_dropped), n_outside = as.integer(n_outside))
}

# The curve sums products of weights: beyond about 1e154 they overflow and
# below 1e-154 they vanish, and the AUC becomes NaN. Positive weights are
# therefore held to [1e-100, 1e100], far inside both limits for any n.
check_weight_range <- function(weights) {
  pos <- weights[weights > 0]
  if (length(pos) && (min(pos) < 1e-100 || max(pos) > 1e100)) {
    ev_abort(sprintf("`weights` must lie in [1e-100, 1e100] where positive, not %s; rescale them (e.g. divide by their mean: the curve and AUC do not depend on their scale).",
                     format(if (min(pos) < 1e-100) min(pos) else max(pos), digits = 3)),
             "evmirna_error_value", "weights")
  }
  invisible(weights)
}

# Levels as list(values = c(control, case) in the response's own type,
# labels = as character). For a numeric response the classes are found in
# one C pass that stops at a third distinct value.
roc_levels <- function(response, levels) {
  present <- if (is.factor(response)) {
    lv <- base::levels(response)
    lv[tabulate(as.integer(response), length(lv)) > 0L]
  } else if (is.logical(response)) {
    c(FALSE, TRUE)[c(any(!response, na.rm = TRUE), any(response, na.rm = TRUE))]
  } else if (is.numeric(response)) {
    d3 <- .Call(C_roc_distinct3, response)
    if (length(d3) <= 2L) sort(if (is.integer(response)) as.integer(d3) else d3)
    else sort(unique(response))
  } else {
    sort(unique(response))  # drops NA
  }
  if (is.null(levels)) {
    if (length(present) > 2L) {
      ev_abort(sprintf("`response` has %d classes (%s); give `levels = c(control, case)`.",
                       length(present), format_offenders(present)),
               "evmirna_error_value", "levels")
    }
    if (length(present) < 2L) {
      ev_abort("`response` has only one class.", "evmirna_error_one_class",
               "response")
    }
    return(list(values = present, labels = as.character(present)))
  }
  if (length(levels) != 2L || anyNA(levels) ||
      as.character(levels[[1L]]) == as.character(levels[[2L]])) {
    ev_abort("`levels` must hold two distinct values: c(control, case).",
             "evmirna_error_shape", "levels")
  }
  values <- if (is.numeric(response) && is.numeric(levels)) levels else {
    m <- match(as.character(levels), as.character(present))
    if (anyNA(m)) {
      ev_abort(sprintf("`levels` not found in `response`: %s.",
                       format_offenders(levels[is.na(m)])),
               "evmirna_error_unknown", "levels")
    }
    present[m]
  }
  if (is.numeric(response) && !all(values %in% present)) {
    ev_abort(sprintf("`levels` not found in `response`: %s.",
                     format_offenders(values[!values %in% present])),
             "evmirna_error_unknown", "levels")
  }
  list(values = values, labels = as.character(levels))
}

# Integer 0/1 codes of the response against c(control, case) (NA when
# missing or another class), compared in the response's own type.
roc_code_response <- function(response, lv) {
  if (is.factor(response)) {
    idx <- match(as.character(lv), base::levels(response))
    r <- as.integer(response)
  } else {
    idx <- lv
    r <- response
  }
  code <- rep(NA_integer_, length(r))
  code[r == idx[[1L]]] <- 0L
  code[r == idx[[2L]]] <- 1L
  code
}

# Matrix / data.frame predictor: one C call for all columns.
roc_fit_columns <- function(response, predictor, levels, direction, weights,
                            cluster, call) {
  if (is.data.frame(predictor)) {
    ok <- vapply(predictor, function(col) is.numeric(col) && !is.factor(col), logical(1))
    if (!all(ok)) {
      ev_abort(sprintf("`predictor` columns must be numeric; not: %s.",
                       format_offenders(names(predictor)[!ok])),
               "evmirna_error_type", "predictor")
    }
    predictor <- as.matrix(predictor)
  }
  if (!is.numeric(predictor) && !is.logical(predictor)) {
    ev_abort("`predictor` must be a numeric matrix.", "evmirna_error_type", "predictor")
  }
  if (ncol(predictor) == 0L) {
    ev_abort("`predictor` has no columns.", "evmirna_error_empty", "predictor")
  }
  storage.mode(predictor) <- "double"
  nms <- colnames(predictor)
  if (is.null(nms)) nms <- paste0("V", seq_len(ncol(predictor)))
  check_no_duplicates(nms, "predictor", "column names")
  # Rows with NA response (or outside levels) go; predictor NAs per column.
  prep <- roc_prepare(response, predictor, levels, weights, cluster,
                      predictor_na = logical(nrow(predictor)))
  xk <- if (prep$all_kept) predictor else predictor[prep$keep, , drop = FALSE]
  y <- prep$y
  w <- prep$weights
  fits <- .Call(C_roc_fit_matrix, xk, y, w, rep(direction_code(direction), ncol(xk)))
  kept_rows <- if (prep$all_kept) seq_len(nrow(xk)) else which(prep$keep)
  out <- lapply(seq_along(fits), function(j) {
    f <- fits[[j]]
    kept <- attr(f, "kept")
    p <- prep
    if (!is.null(kept)) {
      p$y <- y[kept]
      if (!is.null(w)) p$weights <- w[kept]
      if (!is.null(p$cluster)) p$cluster <- match(p$cluster[kept], unique(p$cluster[kept]))
      p$n_dropped <- prep$n_dropped + (length(y) - length(kept))
      keep <- logical(prep$n_input)
      keep[kept_rows[kept]] <- TRUE
      p$keep <- keep
      p$all_kept <- FALSE
      attr(f, "kept") <- NULL
      if (all(p$y == 1L) || all(p$y == 0L)) {
        ev_abort(sprintf("`predictor` column \"%s\" has only one class left after dropping NA.",
                         nms[[j]]), "evmirna_error_one_class", "predictor")
      }
    }
    x <- if (is.null(kept)) xk[, j] else xk[kept, j]
    new_ev_roc(f, direction == "auto", p, unname(x), call)
  })
  names(out) <- nms
  structure(out, class = "ev_roc_list")
}

#' @export
print.ev_roc <- function(x, digits = 4L, ...) {
  validate_ev_roc(x, "x")
  cat("ROC curve (evmirna)\n")
  cat(sprintf("  levels: control = \"%s\", case = \"%s\"\n", x$levels[[1L]],
              x$levels[[2L]]))
  cat(sprintf("  direction: controls %s cases%s\n", x$direction,
              if (isTRUE(x$direction_auto)) " (chosen automatically by medians)" else ""))
  cat(sprintf("  %d cases, %d controls", x$n_cases, x$n_controls))
  if (!is.null(x$weights)) {
    cat(sprintf(" (total weight %s and %s)", format(x$weight_cases, digits = digits),
                format(x$weight_controls, digits = digits)))
  }
  cat("\n")
  if (x$n_dropped > 0L) cat(sprintf("  %d pair(s) with NA dropped\n", x$n_dropped))
  if (x$n_outside > 0L) cat(sprintf("  %d observation(s) outside `levels` left out\n", x$n_outside))
  if (!is.null(x$cluster)) cat(sprintf("  %d clusters\n", max(x$cluster)))
  cat(sprintf("  AUC: %s\n", format(x$auc, digits = digits)))
  invisible(x)
}

#' @export
print.ev_roc_list <- function(x, digits = 4L, ...) {
  cat(sprintf("%d ROC curves (evmirna) sharing one response\n", length(x)))
  print(as.data.frame(x), digits = digits, row.names = FALSE)
  invisible(x)
}

#' Coerce a ROC curve to a data frame
#'
#' @param x An `ev_roc` (or `ev_roc_list`).
#' @param row.names,optional Ignored (for the generic).
#' @param ... Ignored.
#' @return For an `ev_roc`: one row per point of the curve with `threshold`,
#'   `specificity` and `sensitivity`. For an `ev_roc_list`: one row per curve
#'   with `predictor`, `auc`, `direction`, `n_cases` and `n_controls`.
#' @examples
#' r <- ev_roc(c(0, 0, 1, 1, 0, 1), c(0.1, 0.4, 0.35, 0.8, 0.2, 0.9))
#' as.data.frame(r)
#' @export
as.data.frame.ev_roc <- function(x, row.names = NULL, optional = FALSE, ...) {
  validate_ev_roc(x, "x")
  data.frame(threshold = x$thresholds, specificity = x$specificities,
             sensitivity = x$sensitivities)
}

#' @rdname as.data.frame.ev_roc
#' @export
as.data.frame.ev_roc_list <- function(x, row.names = NULL, optional = FALSE, ...) {
  data.frame(
    predictor = names(x),
    auc = vapply(x, function(r) r$auc, numeric(1)),
    direction = vapply(x, function(r) r$direction, character(1)),
    n_cases = vapply(x, function(r) r$n_cases, integer(1)),
    n_controls = vapply(x, function(r) r$n_controls, integer(1)),
    row.names = NULL, stringsAsFactors = FALSE
  )
}

check_ev_roc <- function(x, arg = deparse(substitute(x))) {
  validate_ev_roc(x, arg)
}

# AUC and DeLong variance of every column of a matrix, for the screening
# verbs: roc_auc_matrix(response01, x, direction) with response01 an integer
# 0/1 vector (1 = case, no NA), x a numeric matrix (samples in rows, NA
# allowed and dropped per column) and direction "auto" (pROC's medians rule,
# per column), "<", ">" or one per column. One C call, one sort per column.
# Returns data.frame(auc, var, direction) with one row per column; var is
# DeLong's var(case placements)/m + var(control placements)/n (NA with < 2
# per class); auc and var are NA when a column has one class left.
roc_auc_matrix <- function(response01, x, direction = "<") {
  storage.mode(x) <- "double"
  dir <- direction_code(rep_len(direction, ncol(x)))
  res <- .Call(C_roc_auc_matrix, as.integer(response01), x, dir)
  data.frame(auc = res["auc", ], var = res["var", ],
             direction = c("<", ">")[res["direction", ]], row.names = colnames(x))
}
