# ev_panel_search(): cross-validated AUC of small miRNA panels, exhaustive
# or greedy/beam, with a permutation null of the best panel's AUC. The
# numeric work is C_panel_auc (src/api_panel.c) over chunks of panels; the
# permutations run through stream_lapply() (R/resample-streams.R), so under
# a future plan they spread over the workers.

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
#' permuted and the whole search (same sizes, method and folds) is repeated
#' `n_perm` times; `p_perm` compares each panel's AUC with the permutation
#' distribution of the best AUC of its size (a family-wise p-value, whose
#' resolution is 1 / (n_perm + 1)), and `attr(, "null")` holds those best
#' AUCs. Under no signal the winner's AUC sits near the mean of that null,
#' not near 0.5. The folds are kept fixed across permutations (those of the
#' real search) and the labels are permuted within the folds of the first
#' repeat, so every fold keeps its number of cases; a permutation then
#' changes only the labels, and the per-fold design is built once.
#'
#' Logistic panels are fitted by a Newton-Raphson kernel that works on
#' per-fold blocks of the candidates and iterates to full convergence (a
#' relative change below 1e-10); a fit that is not clean (separation, one
#' class in a training fold, a singular design, no convergence within
#' `maxit`) is redone by the [stats::glm.fit()] iteration, so the AUCs equal
#' glm's. Panels run on `getOption("evmirna.threads", 2)` OpenMP threads;
#' the results do not depend on the number of threads.
#'
#' All randomness is drawn from R's RNG: the folds first, then one
#' L'Ecuyer-CMRG stream per permutation, so `set.seed()`
#' reproduces a search and results are identical whatever the
#' [future::plan()] and number of workers: under a non-sequential plan the
#' permutations run in chunks on the workers. A search expected to take
#' more than 2 s shows a progress bar with the time left (through progressr
#' when installed, with the user's progressr handlers if set).
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
#' @param n_folds,n_repeats Number of folds and of repeated fold assignments.
#' @param folds,repeats Deprecated spellings of `n_folds` and `n_repeats`.
#' @param search `"auto"`, `"exhaustive"`, `"greedy"` or `"beam"`.
#' @param beam_width Panels kept per size in a beam search.
#' @param max_panels Budget: the most panels an exhaustive search of one
#'   call may evaluate (`search = "exhaustive"` refuses beyond it, saying
#'   how long it would take on this machine); at least the number of
#'   candidates.
#' @param thresholds For `"combiroc"`: one threshold for all candidates or a
#'   named vector with one per candidate (on the expression scale).
#' @param min_markers For `"combiroc"`: markers that must be above their
#'   thresholds for a positive call.
#' @param n_perm Number of label permutations for the null of the best AUC
#'   (0 to skip).
#' @param conf_level Confidence level of the AUC intervals.
#' @param positive The level of `group` that is the case; by default the
#'   second level.
#' @param chunk_size Panels per call of the kernel (progress and interrupts
#'   between calls).
#' @param progress Show a progress bar for searches expected to take more
#'   than 2 s (option `evmirna.progress_after`), interactively and under
#'   Rscript.
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
#' p <- ev_panel_search(x, g, size = 1:2, n_folds = 5, n_repeats = 2, n_perm = 5,
#'                      positive = "case")
#' p
#' ev_panel_search(x, g, size = 2, method = "combiroc", thresholds = 0.5,
#'                 min_markers = 1, validation = "apparent", positive = "case")
ev_panel_search <- function(x, group, size = 1:3, candidates = NULL,
                            method = c("logistic", "firth", "mean_z", "combiroc"),
                            validation = c("cv", "apparent"), n_folds = 5,
                            n_repeats = 10,
                            search = c("auto", "exhaustive", "greedy", "beam"),
                            beam_width = 20, max_panels = 1e5,
                            thresholds = NULL, min_markers = 1, n_perm = 0,
                            conf_level = 0.95, positive = NULL,
                            chunk_size = 5000, progress = TRUE, ...,
                            folds = NULL, repeats = NULL) {
  folds <- deprecated_arg(folds, n_folds, "folds", "n_folds", !missing(n_folds))
  repeats <- deprecated_arg(repeats, n_repeats, "repeats", "n_repeats", !missing(n_repeats))
  method <- check_choice(method, c("logistic", "firth", "mean_z", "combiroc"), "method")
  validation <- check_choice(validation, c("cv", "apparent"), "validation")
  search <- check_choice(search, c("auto", "exhaustive", "greedy", "beam"), "search")
  check_number(beam_width, "beam_width", lower = 1, upper = .Machine$integer.max, integer = TRUE)
  check_number(max_panels, "max_panels", lower = 1)
  check_number(n_perm, "n_perm", lower = 0, upper = 1e7, integer = TRUE)
  check_conf_level(conf_level)
  check_number(chunk_size, "chunk_size", lower = 1, upper = .Machine$integer.max, integer = TRUE)
  check_flag(progress, "progress")
  input <- fit_input(x)
  check_ids(colnames(input$x), "x", "feature names")
  group <- fit_group(group, input, positive)
  check_group_sizes(group)
  candidates <- fit_features(candidates, input, "candidates")
  X <- panel_matrix(x, input, candidates)
  size <- check_sizes(size, length(candidates))
  if (validation == "cv") {
    check_number(folds, "n_folds", lower = 2, integer = TRUE)
    check_number(repeats, "n_repeats", lower = 1, upper = 1e4, integer = TRUE)
    if (folds > min(table(group))) {
      ev_abort(sprintf("`n_folds` (%d) exceeds the smaller group's size (%d).", as.integer(folds),
                       min(table(group))), "evmirna_error_value", "n_folds")
    }
  }
  control <- panel_control(method, list(...))
  thr <- panel_thresholds(method, thresholds, candidates)
  if (method == "combiroc") {
    check_number(min_markers, "min_markers", lower = 1, upper = max(size), integer = TRUE)
  }
  y <- as.integer(group == levels(group)[2L])
  fold_mat <- if (validation == "cv") {
    ev_folds(y, n_folds = folds, n_repeats = repeats, stratified = TRUE)
  }
  setup <- list(X = X, control = control, thresholds = thr,
                min_markers = as.integer(min_markers), method = method,
                method_code = match(method, c("logistic", "firth", "mean_z", "combiroc")) - 1L,
                beam_width = as.integer(beam_width), chunk_size = as.integer(chunk_size),
                threads = evmirna_threads())
  setup$plan <- search_plan(search, size, length(candidates), max_panels, beam_width,
                            setup, y, fold_mat, n_perm)
  # one stream per permutation, drawn before the search so the real labels'
  # search and the null use R's RNG in a fixed order
  seeds <- if (n_perm > 0) rng_streams(n_perm)
  progress <- progress && requireNamespace("progressr", quietly = TRUE)
  tick <- panel_progress(progress, panel_steps(setup, n_perm))
  found <- NULL
  null <- NULL
  with_panel_progress(progress, {
    found <- run_search(setup, y, fold_mat, keep_best = FALSE, tick = tick)
    if (n_perm > 0) null <- permutation_null(setup, y, fold_mat, seeds, size, tick)
  })
  new_ev_panels(found, candidates, size, null, conf_level,
                list(method = method, validation = validation,
                     folds = if (validation == "cv") as.integer(folds),
                     repeats = if (validation == "cv") as.integer(repeats),
                     search = setup$plan[c("kind", "width", "size")], n_perm = as.integer(n_perm),
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
  if (max(size) > n_candidates) {
    ev_abort(sprintf("`size` (%s) is larger than the number of candidates (%d).",
                     format(max(size), scientific = FALSE), n_candidates), "evmirna_error_value", "size")
  }
  sort(unique(as.integer(size)))
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

# Per size: "exhaustive" or "beam" (with its width), refusing a search
# beyond the budget with the time it would take here. Exhaustive levels carry
# their panels (0-based columns), enumerated once for the search and its null.
search_plan <- function(search, size, p, max_panels, beam_width, setup, y, fold_mat,
                        n_perm) {
  levels <- seq_len(max(size))
  counts <- choose(p, levels)
  if (search == "exhaustive") {
    total <- sum(counts[size])
    if (total > max_panels) {
      secs <- panel_seconds(setup, y, fold_mat, size, counts) * (1 + n_perm)
      ev_abort(sprintf("An exhaustive search of sizes %s over %d candidates means %s panels, beyond the budget `max_panels` = %s; on this machine it would take about %s%s. Use search = \"greedy\" or \"beam\", fewer candidates, or raise `max_panels`.",
                       paste(size, collapse = ", "), p, format(total, big.mark = ",", scientific = FALSE),
                       format(max_panels, big.mark = ",", scientific = FALSE), format_seconds(secs),
                       if (n_perm > 0) sprintf(" with the %d-permutation null", n_perm) else ""),
               "evmirna_error_value", "max_panels")
    }
    kind <- ifelse(levels %in% size, "exhaustive", "skip")
  } else {
    if (max_panels < p) {
      ev_abort(sprintf("`max_panels` (%s) is below the number of candidates (%d): every search scores each single candidate first.",
                       format(max_panels, scientific = FALSE), p),
               "evmirna_error_value", "max_panels")
    }
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
  panels <- lapply(levels, function(k) {
    if (kind[k] != "exhaustive") return(NULL)
    m <- utils::combn(p, k) - 1L
    storage.mode(m) <- "integer"
    matrix(m, nrow = k)
  })
  n_eval <- vapply(levels, function(k) {
    switch(kind[k], skip = 0, exhaustive = counts[k], beam = min(counts[k], width * (p - k + 1)))
  }, numeric(1))
  list(kind = kind, width = width, size = size, panels = panels, n_eval = n_eval)
}

# Seconds one search (all planned sizes) takes here, timed on a few panels
# per size and scaled by the panel counts.
panel_seconds <- function(setup, y, fold_mat, size, counts) {
  p <- ncol(setup$X)
  sum(vapply(size, function(k) {
    probe <- vapply(0:15, function(j) sort((j + 0:(k - 1L)) %% p), integer(k))
    probe <- matrix(as.integer(probe), nrow = k)
    t <- system.time(call_panel_kernel(setup, y, fold_mat, probe))[["elapsed"]]
    max(t, 1e-4) / ncol(probe) * counts[k]
  }, numeric(1)))
}

format_seconds <- function(s) {
  if (!is.finite(s)) return("an unknown time")
  if (s < 120) return(sprintf("%.1f s", s))
  if (s < 7200) return(sprintf("%.0f min", s / 60))
  if (s < 172800) return(sprintf("%.1f h", s / 3600))
  sprintf("%.0f days", s / 86400)
}

call_panel_kernel <- function(setup, y, fold_mat, panels, floor = -Inf) {
  .Call(C_panel_auc, setup$X, y, panels, fold_mat, setup$method_code, setup$control,
        setup$thresholds, setup$min_markers, setup$threads, as.double(floor))
}

# The planned levels for labels y and folds: with keep_best = FALSE a list
# of panels (members, size) and their statistics; with keep_best = TRUE only
# the best AUC of each reported size (what the permutation null needs).
run_search <- function(setup, y, fold_mat, keep_best, tick = NULL) {
  plan <- setup$plan
  p <- ncol(setup$X)
  out <- list()
  best <- stats::setNames(rep(NA_real_, length(plan$size)), plan$size)
  prev <- NULL
  for (k in seq_along(plan$kind)) {
    kind <- plan$kind[k]
    if (kind == "skip") next
    panels <- if (kind == "exhaustive") plan$panels[[k]] else extend_beam(prev, p)
    feeds_beam <- k < length(plan$kind) && plan$kind[k + 1L] == "beam"
    # only the best (and the beam's top list) matter: prune the rest
    need <- if (keep_best) max(if (k %in% plan$size) 1L else 0L, if (feeds_beam) plan$width else 0L) else 0L
    stats <- evaluate_panels(setup, y, fold_mat, panels, tick, need)
    if (k %in% plan$size) {
      if (keep_best) {
        a <- stats$auc
        best[as.character(k)] <- if (all(is.na(a))) NA_real_ else max(a, na.rm = TRUE)
      } else {
        out[[length(out) + 1L]] <- list(panels = panels, stats = stats)
      }
    }
    if (feeds_beam) {
      ord <- order(-stats$auc, seq_len(ncol(panels)), na.last = TRUE)
      prev <- panels[, utils::head(ord, plan$width), drop = FALSE]
    }
  }
  if (keep_best) return(best)
  pick <- function(name) unlist(lapply(out, function(l) l$stats[[name]]))
  list(
    members = unlist(lapply(out, function(l) asplit(l$panels + 1L, 2L)), recursive = FALSE),
    size = unlist(lapply(out, function(l) rep(nrow(l$panels), ncol(l$panels)))),
    auc = pick("auc"), var = pick("var"), unconverged = pick("n_unconverged"),
    sens = pick("sensitivity"), spec = pick("specificity")
  )
}

# One kernel call per chunk of panels (progress and interrupts between
# chunks), statistics concatenated. With need > 0 only the `need` best AUCs
# matter: each chunk is pruned below the need-th best AUC of the chunks
# before it (pruned panels get NA), which keeps that top list exact.
evaluate_panels <- function(setup, y, fold_mat, panels, tick, need = 0L) {
  prune <- need > 0 && isTRUE(getOption("evmirna.panel_prune", TRUE))
  # a small first chunk sets the floor early
  first <- if (prune) min(ncol(panels), setup$chunk_size, max(256L, 4L * need)) else 0L
  chunks <- if (first > 0L && first < ncol(panels)) {
    c(list(panels[, seq_len(first), drop = FALSE]),
      split_columns(panels[, -seq_len(first), drop = FALSE], setup$chunk_size))
  } else {
    split_columns(panels, setup$chunk_size)
  }
  top <- numeric(0)
  res <- lapply(chunks, function(pn) {
    floor <- if (prune && length(top) >= need) top[need] else -Inf
    r <- call_panel_kernel(setup, y, fold_mat, pn, floor)
    if (prune) top <<- utils::head(sort(c(top, r$auc), decreasing = TRUE), need)
    if (!is.null(tick)) tick(ncol(pn), sprintf("panels of size %d", nrow(pn)))
    r
  })
  if (length(res) == 1L) return(res[[1L]])
  stats::setNames(lapply(names(res[[1L]]), function(nm) unlist(lapply(res, `[[`, nm))),
                  names(res[[1L]]))
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
  storage.mode(ext) <- "integer"
  ext[, !duplicated(t(ext)), drop = FALSE]
}

split_columns <- function(m, chunk) {
  n <- ncol(m)
  if (n <= chunk) return(list(m))
  starts <- seq.int(1L, n, by = chunk)
  lapply(starts, function(s) m[, s:min(n, s + chunk - 1L), drop = FALSE])
}

# The null of the best AUC per size: the whole search repeated on permuted
# labels. The folds stay those of the real search; labels are permuted
# within the folds of the first repeat, so every fold keeps its case count.
# Permutation i draws from stream seeds[[i]] (rng_streams()), so the null
# does not depend on the plan, the number of workers or threads.
permutation_null <- function(setup, y, fold_mat, seeds, size, tick) {
  n_perm <- length(seeds)
  strata <- if (is.null(fold_mat)) rep(1L, length(y)) else fold_mat[, 1L]
  per_search <- sum(setup$plan$n_eval)
  parallel <- use_future()
  if (parallel) setup$threads <- 1L    # the workers share the cores
  one <- function(i, tick) {
    assign(".Random.seed", seeds[[i]], envir = globalenv())
    yp <- permute_within(y, strata)
    best <- run_search(setup, yp, fold_mat, keep_best = TRUE)
    if (!is.null(tick)) tick(per_search, sprintf("permutation %d of %d", i, n_perm))
    best
  }
  tasks <- if (parallel) {
    split(seq_len(n_perm), cut(seq_len(n_perm), min(n_perm, 4L * future::nbrOfWorkers()),
                               labels = FALSE))
  } else {
    as.list(seq_len(n_perm))
  }
  task_tick <- tick
  if (parallel) {
    bar <- tick(NA, NA)
    task_tick <- if (!is.null(bar)) function(amount, label) bar(amount = amount, message = label)
  }
  bests <- stream_lapply(unname(tasks), function(idx) lapply(idx, one, tick = task_tick),
                         seeds = seeds[vapply(tasks, `[`, integer(1), 1L)])
  matrix(unlist(bests), ncol = length(size), byrow = TRUE,
         dimnames = list(NULL, paste0("size_", size)))
}

permute_within <- function(y, strata) {
  for (s in sort(unique(strata))) {
    i <- which(strata == s)
    y[i] <- y[i][sample.int(length(i))]
  }
  y
}

# Expected steps (panels evaluated, real search plus null).
panel_steps <- function(setup, n_perm) sum(setup$plan$n_eval) * (1 + n_perm)

# Progress through progressr: the bar starts once the search is expected to
# take more than 2 s in all (option evmirna.progress_after), judged from the
# time its first chunks took, and its messages give the time left. tick(amount, label) advances it; tick(NA,
# NA) starts the bar now if the rest is expected to take over 2 s and
# returns the progressor itself (or NULL) for use inside futures.
panel_progress <- function(enabled, total) {
  after <- getOption("evmirna.progress_after", 2)
  st <- new.env(parent = emptyenv())
  st$done <- 0
  st$start <- proc.time()[["elapsed"]]
  st$bar <- NULL
  start_bar <- function() {
    st$bar <- progressr::progressor(steps = total, on_exit = FALSE)
    if (st$done > 0) st$bar(amount = st$done)
  }
  function(amount, label) {
    if (!enabled) return(NULL)
    el <- proc.time()[["elapsed"]] - st$start
    if (is.na(amount)) {
      if (is.null(st$bar) && st$done > 0 && el / st$done * total > after) start_bar()
      return(st$bar)
    }
    st$done <- st$done + amount
    left <- el / st$done * (total - st$done)
    if (is.null(st$bar)) {
      if (el + left <= after) return(NULL)
      start_bar()
      return(NULL)
    }
    st$bar(amount = amount, message = sprintf("%s; about %s left", label, format_seconds(left)))
    NULL
  }
}

# The user's progressr handlers when set, else a text bar with the time left.
with_panel_progress <- function(enabled, expr) {
  if (!enabled) return(expr)
  if (is.null(getOption("progressr.handlers"))) {
    progressr::with_progress(expr, handlers = eta_bar_handler(), enable = TRUE)
  } else {
    progressr::with_progress(expr, enable = TRUE)
  }
}

# A progressr handler drawing "[=====     ]  50% | about 3.1 s left" on
# stderr; the time left is extrapolated from the steps since it started.
eta_bar_handler <- function(file = stderr(), width = 30L) {
  reporter <- local({
    t0 <- NULL
    s0 <- 0
    draw <- function(config, state, done = FALSE) {
      total <- max(config$max_steps, 1)
      frac <- min(state$step / total, 1)
      el <- proc.time()[["elapsed"]] - t0
      rate <- (state$step - s0) / max(el, 1e-6)
      left <- if (done) 0 else if (rate > 0) max(total - state$step, 0) / rate else NA_real_
      k <- round(width * frac)
      cat(sprintf("\r[%s%s] %3.0f%% | about %s left ", strrep("=", k), strrep(" ", width - k),
                  100 * frac, format_seconds(left)), file = file)
      if (done) cat("\n", file = file)
    }
    list(
      initiate = function(config, state, progression, ...) {
        t0 <<- proc.time()[["elapsed"]]
        s0 <<- state$step
        draw(config, state)
      },
      update = function(config, state, progression, ...) draw(config, state),
      finish = function(config, state, progression, ...) draw(config, state, done = TRUE)
    )
  })
  progressr::make_progression_handler("evmirna_eta", reporter, enable = TRUE,
                                      clear = FALSE, target = "terminal")
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
  structure(out, class = c("ev_panel_search", "ev_panels", "data.frame"), markers = markers,
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
    floor_p <- 1 / (nrow(null) + 1)
    cat(sprintf("Permutation null (%d permutations; folds fixed, labels permuted within folds), best AUC per size under no signal: %s\n",
                nrow(null), paste(sprintf("%s mean %.3f", colnames(null),
                                          colMeans(null, na.rm = TRUE)), collapse = "; ")))
    cat(sprintf("p_perm resolution: 1/(n_perm + 1) = %.3g\n", floor_p))
    if (nrow(x) && isTRUE(x$p_perm[1L] <= floor_p * (1 + 1e-12))) {
      ev_warn(sprintf("The best panel's p_perm (%.3g) is at the floor 1/(n_perm + 1) of %d permutations: the true p-value may be much smaller; raise `n_perm` to resolve it.",
                      x$p_perm[1L], nrow(null)), "evmirna_warning_resolution", "n_perm")
    }
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
#' plot(ev_panel_search(x, g, size = 1:2, n_repeats = 1))
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
