# ev_panel_search(): cross-validated AUC of small miRNA panels, exhaustive
# or greedy/beam, with a permutation null of the best panel's AUC. The
# numeric work is C_panel_auc over chunks of panels; chunks run through
# future.apply when it is installed.

#' Search small miRNA panels by cross-validated AUC
#'
#' Every panel (set of candidate markers) is scored by the AUC of a
#' classifier built on its markers: with `validation = "cv"`, per repeat of a
#' stratified fold assignment ([ev_folds()]) each fold's model is fitted on
#' the other folds and scores its own samples, the pooled out-of-fold scores
#' give one AUC, and the repeats are averaged; `"apparent"` fits and scores
#' on all samples (optimistic). The interval is the DeLong interval of the
#' out-of-fold AUC with the DeLong variance averaged over repeats; it treats
#' the fitted models as fixed, so it understates the variance due to model
#' fitting.
#'
#' Panels of a size are all enumerated while the count stays within
#' `max_panels`; beyond that (`search = "auto"`), or with `search = "greedy"`
#' or `"beam"`, panels of size k are the best `beam_width` panels of size
#' k - 1 (1 for greedy) each extended by one more candidate.
#'
#' The best of many panels is optimistic even when each AUC is
#' cross-validated: some panel wins by luck. With `n_perm > 0` the labels are
#' permuted and the whole search (same sizes, method, folds drawn afresh) is
#' repeated `n_perm` times; `p_perm` compares each panel's AUC with the
#' permutation distribution of the best AUC of its size (a family-wise
#' p-value), and `attr(, "null")` holds those best AUCs. Under no signal the
#' winner's AUC sits near the mean of that null, not near 0.5.
#'
#' All randomness (folds, permutations) is drawn from R's RNG up front, so
#' `set.seed()` reproduces a search, and results are identical whatever the
#' [future::plan()]: chunks of panels (and permutations) run through
#' `future.apply::future_lapply()` when future.apply is installed. Progress
#' is reported through progressr when installed (else
#' [utils::txtProgressBar()] for sequential runs).
#'
#' @param x An [evset] (log2 or Cq scale; Cq is used as `-Cq`) or a numeric
#'   matrix with samples in rows and features in columns. Candidate values
#'   must be complete (impute non-detects first).
#' @param group The two groups: a vector with one entry per sample or the
#'   name of a column of the evset's samples.
#' @param size Panel sizes to report (positive integers).
#' @param candidates Feature IDs to combine; by default the evset's target
#'   features or all matrix columns.
#' @param method `"logistic"` (unpenalized, IRLS as [stats::glm()]),
#'   `"firth"` (as logistf), `"mean_z"` (mean of markers standardized and
#'   oriented on the training samples), or `"combiroc"`: CombiROC's rule,
#'   the panel score is the number of its markers above their `thresholds`,
#'   and a sample is called positive when at least `min_markers` are.
#' @param validation `"cv"` or `"apparent"`.
#' @param folds,repeats Number of folds and of repeated fold assignments.
#' @param search `"auto"`, `"exhaustive"`, `"greedy"` or `"beam"`.
#' @param beam_width Panels kept per size in a beam search.
#' @param max_panels Budget: the most panels an exhaustive search of one
#'   call may evaluate (`search = "exhaustive"` refuses beyond it).
#' @param thresholds For `"combiroc"`: one threshold for all candidates or a
#'   named vector with one per candidate (on the expression scale).
#' @param min_markers For `"combiroc"`: markers that must be above their
#'   thresholds for a positive call.
#' @param n_perm Number of label permutations for the null of the best AUC
#'   (0 to skip).
#' @param conf_level Confidence level of the AUC intervals.
#' @param positive The level of `group` that is the case; by default the
#'   second level.
#' @param chunk_size Panels per chunk of work.
#' @param progress Show progress; by default in interactive sessions.
#' @param ... Fitting options: `maxit`, `epsilon` (logistic, as
#'   [stats::glm.control()]); `maxit`, `maxstep`, `lconv`, `gconv`, `xconv`
#'   (Firth, as `logistf::logistf.control()`).
#' @return An `ev_panels` data.frame ranked by AUC: `rank`, `panel` (marker
#'   IDs joined by " + "), `size`, `auc`, `auc_lower`, `auc_upper`, `se`,
#'   `p_perm` (with `n_perm > 0`), `sensitivity` and `specificity` (for
#'   `"combiroc"`), and `n_unconverged` (fits that hit the iteration limit,
#'   typically under separation). Panels whose fit failed (collinear
#'   markers) have `NA` AUC and rank last. Attributes: `markers` (list of
#'   marker IDs per row), `null` (permutation best AUCs, one column per
#'   size), `settings`. Methods: `print()`, `plot()`, `as.data.frame()`.
#' @seealso [ev_screen()] for single markers, [ev_folds()].
#' @references
#' Phipson B, Smyth GK (2010). Permutation P-values should never be zero:
#' calculating exact P-values when permutations are randomly drawn.
#' *Statistical Applications in Genetics and Molecular Biology* 9(1), 39.
#' \doi{10.2202/1544-6115.1585}
#'
#' DeLong ER, DeLong DM, Clarke-Pearson DL (1988). Comparing the areas under
#' two or more correlated receiver operating characteristic curves: a
#' nonparametric approach. *Biometrics* 44(3), 837-845. \doi{10.2307/2531595}
#' @export
#' @examples
#' set.seed(1)
#' x <- matrix(rnorm(60 * 6), 60, 6, dimnames = list(NULL, paste0("miR-", 1:6)))
#' g <- rep(c("control", "case"), each = 30)
#' x[g == "case", 1:2] <- x[g == "case", 1:2] + 0.8
#' p <- ev_panel_search(x, g, size = 1:2, folds = 5, repeats = 2, n_perm = 5,
#'                      positive = "case")
#' p
#' ev_panel_search(x, g, size = 2, method = "combiroc", thresholds = 0.5,
#'                 min_markers = 1, validation = "apparent", positive = "case")
ev_panel_search <- function(x, group, size = 1:3, candidates = NULL,
                            method = c("logistic", "firth", "mean_z", "combiroc"),
                            validation = c("cv", "apparent"), folds = 5,
                            repeats = 10,
                            search = c("auto", "exhaustive", "greedy", "beam"),
                            beam_width = 20, max_panels = 1e5,
                            thresholds = NULL, min_markers = 1, n_perm = 0,
                            conf_level = 0.95, positive = NULL,
                            chunk_size = 1000, progress = interactive(), ...) {
  method <- check_choice(method, c("logistic", "firth", "mean_z", "combiroc"), "method")
  validation <- check_choice(validation, c("cv", "apparent"), "validation")
  search <- check_choice(search, c("auto", "exhaustive", "greedy", "beam"), "search")
  check_number(beam_width, "beam_width", lower = 1, integer = TRUE)
  check_number(max_panels, "max_panels", lower = 1)
  check_number(n_perm, "n_perm", lower = 0, integer = TRUE)
  check_number(conf_level, "conf_level", lower = 0, upper = 1)
  check_number(chunk_size, "chunk_size", lower = 1, integer = TRUE)
  check_flag(progress, "progress")
  input <- fit_input(x)
  group <- fit_group(group, input, positive)
  check_group_sizes(group)
  candidates <- fit_features(candidates, input, "candidates")
  X <- panel_matrix(x, input, candidates)
  size <- check_sizes(size, length(candidates))
  if (validation == "cv") {
    check_number(folds, "folds", lower = 2, integer = TRUE)
    check_number(repeats, "repeats", lower = 1, integer = TRUE)
    if (folds > min(table(group))) {
      ev_abort(sprintf("`folds` (%d) exceeds the smaller group's size (%d).", as.integer(folds),
                       min(table(group))), "evmirna_error_value", "folds")
    }
  }
  control <- panel_control(method, list(...))
  thr <- panel_thresholds(method, thresholds, candidates)
  if (method == "combiroc") {
    check_number(min_markers, "min_markers", lower = 1, upper = max(size), integer = TRUE)
  }
  plan <- search_plan(search, size, length(candidates), max_panels, beam_width)
  y <- as.integer(group == levels(group)[2L])
  setup <- list(X = X, control = control, thresholds = thr,
                min_markers = as.integer(min_markers), method = method,
                plan = plan, beam_width = as.integer(beam_width),
                chunk_size = as.integer(chunk_size))

  draw_folds <- function(labels) {
    if (validation == "apparent") return(NULL)
    ev_folds(labels, folds = folds, repeats = repeats, stratified = TRUE)
  }
  fold_mat <- draw_folds(y)
  # permutations and their folds drawn now, in order, from R's RNG
  perms <- lapply(seq_len(n_perm), function(i) {
    yp <- y[sample.int(length(y))]
    list(y = yp, folds = draw_folds(yp))
  })

  found <- run_search(setup, y, fold_mat, chunked = TRUE, progress = progress)
  null <- NULL
  if (n_perm > 0) {
    bests <- run_chunks(perms, function(pm) {
      res <- run_search(setup, pm$y, pm$folds, chunked = FALSE, progress = FALSE)
      vapply(size, function(s) {
        a <- res$auc[res$size == s]
        if (all(is.na(a))) NA_real_ else max(a, na.rm = TRUE)
      }, numeric(1))
    }, progress = progress, label = "permutations")
    null <- matrix(unlist(bests), ncol = length(size), byrow = TRUE,
                   dimnames = list(NULL, paste0("size_", size)))
  }
  new_ev_panels(found, candidates, size, null, conf_level,
                list(method = method, validation = validation,
                     folds = if (validation == "cv") as.integer(folds),
                     repeats = if (validation == "cv") as.integer(repeats),
                     search = plan, n_perm = as.integer(n_perm),
                     levels = levels(group), min_markers = as.integer(min_markers)))
}

# Samples x candidates matrix of expression (Cq flipped), complete.
panel_matrix <- function(x, input, candidates) {
  X <- input$x[, candidates, drop = FALSE]
  if (is_evset(x) && identical(x$scale, "cq")) X <- -X
  storage.mode(X) <- "double"
  bad <- colSums(!is.finite(X)) > 0
  if (any(bad)) {
    ev_abort(sprintf("`x` has missing or infinite values in candidates %s; impute non-detects (ev_impute_nondetects()) or drop those candidates.",
                     format_offenders(candidates[bad])), "evmirna_error_value", "x")
  }
  X
}

check_sizes <- function(size, n_candidates) {
  if (!is.numeric(size) || !length(size) || anyNA(size) ||
      any(size < 1) || any(size != round(size))) {
    ev_abort("`size` must be positive whole numbers.", "evmirna_error_value", "size")
  }
  size <- sort(unique(as.integer(size)))
  if (max(size) > n_candidates) {
    ev_abort(sprintf("`size` (%d) is larger than the number of candidates (%d).",
                     max(size), n_candidates), "evmirna_error_value", "size")
  }
  size
}

panel_control <- function(method, opts) {
  known <- switch(method,
                  logistic = list(maxit = 25, epsilon = 1e-8),
                  firth = list(maxit = 25, maxstep = 5, lconv = 1e-5, gconv = 1e-5,
                               xconv = 1e-5),
                  list())
  if (length(opts) && (is.null(names(opts)) || any(!nzchar(names(opts))))) {
    ev_abort("Fitting options in `...` must be named.", "evmirna_error_value", "...")
  }
  unknown <- setdiff(names(opts), names(known))
  if (length(unknown)) {
    ev_abort(sprintf("Unknown fitting options for method \"%s\": %s.", method,
                     format_offenders(unknown)), "evmirna_error_unknown", "...")
  }
  o <- utils::modifyList(known, opts)
  for (nm in names(o)) check_number(o[[nm]], nm, lower = 0)
  lg <- if (method == "logistic") o else list(maxit = 25, epsilon = 1e-8)
  fi <- if (method == "firth") o else list(maxit = 25, maxstep = 5, lconv = 1e-5,
                                           gconv = 1e-5, xconv = 1e-5)
  as.double(c(lg$maxit, lg$epsilon, fi$maxit, 0, fi$maxstep, fi$lconv, fi$gconv, fi$xconv))
}

panel_thresholds <- function(method, thresholds, candidates) {
  if (method != "combiroc") {
    if (!is.null(thresholds)) {
      ev_abort("`thresholds` applies to method = \"combiroc\" only.",
               "evmirna_error_value", "thresholds")
    }
    return(rep(0, length(candidates)))
  }
  if (is.null(thresholds)) {
    ev_abort("method = \"combiroc\" needs `thresholds` (one number, or one per candidate).",
             "evmirna_error_value", "thresholds")
  }
  if (!is.numeric(thresholds) || anyNA(thresholds)) {
    ev_abort("`thresholds` must be numbers without NA.", "evmirna_error_value", "thresholds")
  }
  if (length(thresholds) == 1L && is.null(names(thresholds))) {
    return(rep(as.double(thresholds), length(candidates)))
  }
  missing <- setdiff(candidates, names(thresholds))
  if (is.null(names(thresholds)) || length(missing)) {
    ev_abort(sprintf("`thresholds` must be named by candidate; missing %s.",
                     format_offenders(if (is.null(names(thresholds))) candidates else missing)),
             "evmirna_error_shape", "thresholds")
  }
  as.double(thresholds[candidates])
}

# Per size: "exhaustive" or "beam" (with its width), refusing an exhaustive
# search beyond the budget.
search_plan <- function(search, size, p, max_panels, beam_width) {
  levels <- seq_len(max(size))
  counts <- choose(p, levels)
  if (search == "exhaustive") {
    total <- sum(counts[size])
    if (total > max_panels) {
      ev_abort(sprintf("An exhaustive search of sizes %s over %d candidates means %s panels, beyond the budget `max_panels` = %s; use search = \"greedy\" or \"beam\", fewer candidates, or raise `max_panels`.",
                       paste(size, collapse = ", "), p, format(total, big.mark = ",", scientific = FALSE),
                       format(max_panels, big.mark = ",", scientific = FALSE)),
               "evmirna_error_value", "max_panels")
    }
    kind <- ifelse(levels %in% size, "exhaustive", "skip")
  } else {
    kind <- if (search == "auto") {
      ifelse(cumsum(counts) <= max_panels, "exhaustive", "beam")
    } else {
      c("exhaustive", rep("beam", length(levels) - 1L))
    }
    # a level is evaluated when reported or when the next level's beam
    # grows from it
    for (k in rev(levels)) {
      feeds_beam <- k < max(levels) && kind[k + 1L] == "beam"
      if (!(k %in% size) && !feeds_beam) kind[k] <- "skip"
    }
  }
  width <- if (search == "greedy") 1L else as.integer(beam_width)
  list(kind = kind, width = width, size = size)
}

# Evaluates the planned levels for labels y and folds; returns a data.frame
# of panels (matrix column list) with auc, var, unconverged, sens, spec.
run_search <- function(setup, y, fold_mat, chunked, progress) {
  plan <- setup$plan
  p <- ncol(setup$X)
  method_code <- match(setup$method, c("logistic", "firth", "mean_z", "combiroc")) - 1L
  evaluate <- function(panels) {
    chunks <- split_columns(panels, if (chunked) setup$chunk_size else ncol(panels))
    res <- run_chunks(chunks, function(pn) {
      .Call(C_panel_auc, setup$X, y, pn, fold_mat, method_code, setup$control,
            setup$thresholds, setup$min_markers)
    }, progress = progress && chunked, label = sprintf("panels of size %d", nrow(panels)))
    do.call(rbind, res)
  }
  out <- list()
  prev <- NULL
  for (k in seq_along(plan$kind)) {
    kind <- plan$kind[k]
    if (kind == "skip") next
    panels <- if (kind == "exhaustive") {
      utils::combn(p, k) - 1L
    } else {
      extend_beam(prev, p)
    }
    storage.mode(panels) <- "integer"
    stats <- evaluate(panels)
    level <- list(panels = panels, stats = stats)
    if (k %in% plan$size) out[[length(out) + 1L]] <- level
    # keep the beam for the next level
    ord <- order(-stats[, 1L], seq_len(ncol(panels)), na.last = TRUE)
    prev <- panels[, utils::head(ord, plan$width), drop = FALSE]
  }
  list(
    members = unlist(lapply(out, function(l) asplit(l$panels + 1L, 2L)), recursive = FALSE),
    size = unlist(lapply(out, function(l) rep(nrow(l$panels), ncol(l$panels)))),
    auc = unlist(lapply(out, function(l) l$stats[, 1L])),
    var = unlist(lapply(out, function(l) l$stats[, 2L])),
    unconverged = unlist(lapply(out, function(l) l$stats[, 3L])),
    sens = unlist(lapply(out, function(l) l$stats[, 4L])),
    spec = unlist(lapply(out, function(l) l$stats[, 5L]))
  )
}

# Each beam panel extended by every candidate not in it, duplicates removed.
extend_beam <- function(prev, p) {
  ext <- lapply(seq_len(ncol(prev)), function(j) {
    have <- prev[, j]
    add <- setdiff(seq_len(p) - 1L, have)
    if (!length(add)) return(NULL)
    apply(rbind(matrix(have, length(have), length(add)), add), 2L, sort)
  })
  ext <- do.call(cbind, ext[!vapply(ext, is.null, logical(1))])
  ext <- matrix(ext, nrow = nrow(prev) + 1L)
  ext[, !duplicated(t(ext)), drop = FALSE]
}

split_columns <- function(m, chunk) {
  n <- ncol(m)
  starts <- seq.int(1L, n, by = chunk)
  lapply(starts, function(s) m[, s:min(n, s + chunk - 1L), drop = FALSE])
}

# lapply over chunks, through future.apply when installed (the user's plan
# decides where chunks run), with progress via progressr or a text bar.
run_chunks <- function(chunks, fun, progress, label) {
  use_future <- requireNamespace("future.apply", quietly = TRUE)
  if (!progress || length(chunks) < 2L) {
    if (use_future) {
      return(future.apply::future_lapply(chunks, fun, future.seed = FALSE))
    }
    return(lapply(chunks, fun))
  }
  if (requireNamespace("progressr", quietly = TRUE)) {
    return(progressr::with_progress({
      tick <- progressr::progressor(steps = length(chunks))
      step <- function(ch) {
        r <- fun(ch)
        tick(message = label)
        r
      }
      if (use_future) future.apply::future_lapply(chunks, step, future.seed = FALSE)
      else lapply(chunks, step)
    }))
  }
  if (use_future) return(future.apply::future_lapply(chunks, fun, future.seed = FALSE))
  bar <- utils::txtProgressBar(max = length(chunks), style = 3)
  on.exit(close(bar))
  res <- vector("list", length(chunks))
  for (i in seq_along(chunks)) {
    res[[i]] <- fun(chunks[[i]])
    utils::setTxtProgressBar(bar, i)
  }
  res
}

new_ev_panels <- function(found, candidates, size, null, conf_level, settings) {
  ord <- order(-found$auc, found$size, seq_along(found$auc), na.last = TRUE)
  z <- stats::qnorm(1 - (1 - conf_level) / 2)
  auc <- found$auc[ord]
  se <- sqrt(found$var[ord])
  markers <- lapply(found$members[ord], function(i) candidates[i])
  out <- data.frame(rank = seq_along(ord),
                    panel = vapply(markers, paste, character(1), collapse = " + "),
                    size = as.integer(found$size[ord]), auc = auc,
                    auc_lower = pmax(auc - z * se, 0), auc_upper = pmin(auc + z * se, 1),
                    se = se, stringsAsFactors = FALSE)
  if (!is.null(null)) {
    out$p_perm <- vapply(seq_along(auc), function(i) {
      nb <- null[, match(out$size[i], size)]
      if (is.na(auc[i])) NA_real_ else (1 + sum(nb >= auc[i], na.rm = TRUE)) / (1 + length(nb))
    }, numeric(1))
  }
  if (settings$method == "combiroc") {
    out$sensitivity <- found$sens[ord]
    out$specificity <- found$spec[ord]
  }
  out$n_unconverged <- as.integer(found$unconverged[ord])
  structure(out, class = c("ev_panels", "data.frame"), markers = markers,
            null = null, settings = c(settings, list(conf_level = conf_level)))
}

#' @export
print.ev_panels <- function(x, n = 10, ...) {
  s <- attr(x, "settings")
  how <- if (s$validation == "cv") sprintf("%d-fold CV x %d repeats", s$folds, s$repeats) else "apparent"
  cat(sprintf("<ev_panels> %d panels (sizes %s), method \"%s\", %s AUC; %s (case) vs %s\n",
              nrow(x), paste(sort(unique(x$size)), collapse = ", "), s$method, how,
              s$levels[2L], s$levels[1L]))
  top <- as.data.frame(x)[utils::head(seq_len(nrow(x)), n), , drop = FALSE]
  num <- vapply(top, is.double, logical(1))
  top[num] <- lapply(top[num], signif, digits = 3)
  print(top, row.names = FALSE)
  null <- attr(x, "null")
  if (!is.null(null)) {
    cat(sprintf("Permutation null (%d permutations), best AUC per size under no signal: %s\n",
                nrow(null), paste(sprintf("%s mean %.3f", colnames(null),
                                          colMeans(null, na.rm = TRUE)), collapse = "; ")))
  }
  invisible(x)
}

#' @export
as.data.frame.ev_panels <- function(x, ...) {
  attributes(x)[c("markers", "null", "settings")] <- NULL
  class(x) <- "data.frame"
  x
}

#' Plot a panel search
#'
#' The best panels' AUCs with their intervals, best at the top; with a
#' permutation null, its mean best AUC per size as dashed lines.
#'
#' @param x An `ev_panels` result.
#' @param n Number of panels to show.
#' @param ... Passed to [graphics::plot()].
#' @return `x`, invisibly.
#' @export
#' @examples
#' set.seed(1)
#' x <- matrix(rnorm(40 * 4), 40, 4, dimnames = list(NULL, paste0("m", 1:4)))
#' g <- rep(0:1, each = 20)
#' plot(ev_panel_search(x, g, size = 1:2, repeats = 1))
plot.ev_panels <- function(x, n = 15, ...) {
  check_number(n, "n", lower = 1, integer = TRUE)
  top <- utils::head(as.data.frame(x), n)
  k <- nrow(top)
  yy <- rev(seq_len(k))
  # left margin wide enough for the longest panel label (axis text at cex 0.7)
  old <- graphics::par(mar = c(4, max(4, 1.6 + 0.7 * max(graphics::strwidth(top$panel, "inches")) /
                                        graphics::par("csi")), 1, 1))
  on.exit(graphics::par(old))
  graphics::plot(top$auc, yy, xlim = c(min(0.5, top$auc_lower, na.rm = TRUE), 1),
                 yaxt = "n", pch = 19, xlab = "AUC", ylab = "", ...)
  graphics::segments(top$auc_lower, yy, top$auc_upper, yy)
  graphics::axis(2, at = yy, labels = top$panel, las = 1, cex.axis = 0.7)
  graphics::abline(v = 0.5, lty = 3, col = "grey60")
  null <- attr(x, "null")
  if (!is.null(null)) graphics::abline(v = colMeans(null, na.rm = TRUE), lty = 2, col = "firebrick")
  invisible(x)
}
