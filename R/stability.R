# Choosing reference miRNAs on evidence: geNorm, NormFinder, BestKeeper.

#' Stability of candidate reference miRNAs
#'
#' Ranks candidate references on the log2 scale (Cq values are turned into
#' \eqn{-Cq \log_2 E}).
#'
#' * `"genorm"` (Vandesompele et al. 2002): the stability measure M of each
#'   candidate is the mean SD, over samples, of its log2 ratio to every other
#'   candidate. The least stable candidate (largest M) is excluded step by
#'   step until two remain; the mean M is recorded at each step. The pairwise
#'   variation \eqn{V_{n/n+1}} is the SD of the log2 ratio of the
#'   normalization factors built from the n and n + 1 best candidates; the
#'   suggested number of references is the first n with \eqn{V_{n/n+1}} below
#'   `v_cutoff`.
#' * `"normfinder"` (Andersen et al. 2004): intragroup variances from the
#'   two-way model (negative estimates clipped at 0) and, with groups,
#'   intergroup differences shrunk by the common variance gamma; the
#'   stability value is the mean over groups of \eqn{|\hat d| + \sqrt{v}}
#'   (without groups, the intragroup SD). The best pair is the pair whose
#'   average is most stable.
#' * `"bestkeeper"` (Pfaffl et al. 2004), on Cq values: per candidate the
#'   geometric and arithmetic mean Cq, the SD as BestKeeper reports it (mean
#'   absolute deviation from the mean), the CV (%), and the Pearson
#'   correlation (with p-value) with the BestKeeper index, the per-sample
#'   geometric mean of the candidates' Cq. Candidates with SD above 1 cycle
#'   are usually called inconsistent.
#'
#' Candidates must be measured in every sample (impute or drop first).
#'
#' @param x An [evset] on the "cq" or "log2" scale.
#' @param candidates Feature IDs; default the features with role
#'   "reference", or, when fewer than two have it, every non-spike-in miRNA
#'   observed in all samples.
#' @param method "genorm", "normfinder" or "bestkeeper".
#' @param group For NormFinder: `NULL`, the name of a `samples` column, or a
#'   vector with one group per sample.
#' @param efficiency Amplification factor per cycle (2 = 100 %).
#' @param v_cutoff geNorm threshold on \eqn{V_{n/n+1}}.
#' @return An object of class `ev_stability`: `method`, `table` (one row per
#'   candidate, most stable first) and method-specific parts (geNorm:
#'   `m_steps`, `mean_m`, `v`, `n_suggested`; NormFinder: `best_pair`,
#'   `pair_stability`, `sigma2`, `difference`, `gamma`; BestKeeper: `index`).
#' @references
#' Vandesompele J, De Preter K, Pattyn F, Poppe B, Van Roy N, De Paepe A,
#' Speleman F (2002). Accurate normalization of real-time quantitative RT-PCR
#' data by geometric averaging of multiple internal control genes. *Genome
#' Biology* 3(7), research0034. \doi{10.1186/gb-2002-3-7-research0034}
#'
#' Andersen CL, Jensen JL, Orntoft TF (2004). Normalization of real-time
#' quantitative reverse transcription-PCR data: a model-based variance
#' estimation approach to identify genes suited for normalization, applied
#' to bladder and colon cancer data sets. *Cancer Research* 64(15),
#' 5245-5250. \doi{10.1158/0008-5472.CAN-04-0496}
#'
#' Pfaffl MW, Tichopad A, Prgomet C, Neuvians TP (2004). Determination of
#' stable housekeeping genes, differentially regulated target genes and
#' sample integrity: BestKeeper - Excel-based tool using pair-wise
#' correlations. *Biotechnology Letters* 26(6), 509-515.
#' \doi{10.1023/B:BILE.0000019559.84305.47}
#' @export
#' @examples
#' set.seed(3)
#' base <- rnorm(12, 25)
#' cq <- rbind(base + rnorm(12, 0, 0.1), base + rnorm(12, 1, 0.2),
#'             base + rnorm(12, 2, 0.8), base + rnorm(12, -1, 0.3))
#' dimnames(cq) <- list(c("hsa-miR-16-5p", "hsa-miR-93-5p",
#'                        "hsa-miR-21-5p", "hsa-miR-191-5p"), paste0("S", 1:12))
#' s <- ev_reference_stability(evset(cq), candidates = rownames(cq))
#' s
#' plot(s)
ev_reference_stability <- function(x, candidates = NULL,
                                   method = c("genorm", "normfinder", "bestkeeper"),
                                   group = NULL, efficiency = 2,
                                   v_cutoff = 0.15) {
  check_evset(x, "x")
  method <- check_choice(method, c("genorm", "normfinder", "bestkeeper"), "method")
  check_number(efficiency, "efficiency", lower = 1 + 1e-8, upper = 2.5)
  check_number(v_cutoff, "v_cutoff", lower = 0)
  if (x$scale == "counts") {
    ev_abort("`x` holds counts; normalize to log2 first (e.g. ev_normalize(x, \"tmm\")).",
             "evmirna_error_value", "x")
  }
  if (method == "bestkeeper" && x$scale != "cq") {
    ev_abort("`method` \"bestkeeper\" works on raw Cq values; `x` is on the log2 scale.",
             "evmirna_error_value", "method")
  }
  if (ncol(x$values) < 2L) {
    ev_abort("`x` needs at least two samples to judge stability.",
             "evmirna_error_shape", "x")
  }
  candidates <- stability_candidates(x, candidates)
  min_k <- if (method == "normfinder") 3L else 2L
  if (length(candidates) < min_k) {
    ev_abort(sprintf("`candidates` must hold at least %d miRNAs for %s.", min_k, method),
             "evmirna_error_shape", "candidates")
  }
  v <- if (identical(candidates, rownames(x$values))) x$values else
    x$values[candidates, , drop = FALSE]
  if (anyNA(v)) {
    miss <- is.na(v)
    ev_abort(sprintf("`candidates` %s are missing in samples %s; stability needs complete data.",
                     format_offenders(candidates[rowSums(miss) > 0]),
                     format_offenders(colnames(v)[colSums(miss) > 0])),
             "evmirna_error_value", "candidates")
  }
  slope <- if (x$scale == "cq") -log2(efficiency) else 1
  res <- switch(method,
    genorm = genorm_stability(v, slope, v_cutoff),
    normfinder = normfinder_stability(v * slope, stability_groups(x, group)),
    bestkeeper = bestkeeper_stability(v)
  )
  structure(c(list(method = method), res), class = "ev_stability")
}

stability_candidates <- function(x, candidates) {
  if (!is.null(candidates)) {
    return(pick_features(x, candidates, "reference", "candidates"))
  }
  ids <- x$features$id[x$features$role == "reference"]
  if (length(ids) >= 2L) return(ids)
  complete <- rowSums(is.na(x$values)) == 0 & x$features$role != "spike_in"
  x$features$id[complete]
}

stability_groups <- function(x, group) {
  n <- ncol(x$values)
  if (is.null(group)) return(rep(1L, n))
  if (is.character(group) && length(group) == 1L && n != 1L) {
    if (!group %in% names(x$samples)) {
      ev_abort(sprintf("`group`: `samples` has no column \"%s\".", group),
               "evmirna_error_unknown", "group")
    }
    group <- x$samples[[group]]
  }
  if (length(group) != n || anyNA(group)) {
    ev_abort(sprintf("`group` must give one non-missing group per sample (%d).", n),
             "evmirna_error_shape", "group")
  }
  g <- as.integer(factor(group))
  small <- tabulate(g) < 2L
  if (any(small)) {
    ev_abort(sprintf("`group`: groups %s have fewer than two samples.",
                     format_offenders(levels(factor(group))[small])),
             "evmirna_error_value", "group")
  }
  g
}

genorm_stability <- function(v, slope, v_cutoff) {
  res <- .Call(C_genorm, v, as.double(slope))
  ids <- rownames(v)
  k <- length(ids)
  m_steps <- res$m_steps
  dimnames(m_steps) <- list(ids, paste0("step", seq_len(k - 1L)))
  ranking <- ids[res$ranking]
  v <- res$v
  names(v) <- if (k > 2L) sprintf("V%d/%d", 2:(k - 1L), 3:k) else character(0)
  below <- which(v < v_cutoff)
  table <- data.frame(candidate = ranking, rank = seq_len(k),
                      m = m_steps[ranking, 1L],
                      m_at_exclusion = vapply(ranking, function(id) {
                        m <- m_steps[id, ]
                        m[max(which(!is.na(m)))]
                      }, numeric(1)),
                      stringsAsFactors = FALSE)
  rownames(table) <- NULL
  list(table = table, m_steps = m_steps,
       mean_m = colMeans(m_steps, na.rm = TRUE),
       pairwise_sd = stats::setNames(res$pairwise_sd, NULL), v = v,
       v_cutoff = v_cutoff,
       n_suggested = if (length(below)) unname(below[1L]) + 1L else NA_integer_)
}

normfinder_stability <- function(log2x, g) {
  res <- .Call(C_normfinder, log2x, g, max(g))
  ids <- rownames(log2x)
  stab <- stats::setNames(res$stability, ids)
  pair <- res$pair_stability
  dimnames(pair) <- list(ids, ids)
  best <- which(pair == min(pair, na.rm = TRUE), arr.ind = TRUE)[1L, ]
  ord <- order(stab)
  table <- data.frame(candidate = ids[ord], rank = seq_along(ids),
                      stability = unname(stab[ord]), stringsAsFactors = FALSE)
  sigma2 <- res$sigma2
  dif <- res$difference
  rownames(sigma2) <- rownames(dif) <- ids
  list(table = table, best_pair = sort(ids[best]),
       best_pair_stability = pair[best[1L], best[2L]],
       pair_stability = pair, sigma2 = sigma2, difference = dif,
       gamma = res$gamma, n_groups = max(g))
}

bestkeeper_stability <- function(cq) {
  index <- exp(colMeans(log(cq)))
  stats_row <- function(v) {
    ct <- stats::cor.test(v, index)
    m <- mean(v)
    sd_bk <- mean(abs(v - m))
    c(geo_mean_cq = exp(mean(log(v))), mean_cq = m, min_cq = min(v),
      max_cq = max(v), sd = sd_bk, cv = 100 * sd_bk / m,
      r = unname(ct$estimate), p_value = ct$p.value)
  }
  tab <- t(apply(cq, 1L, stats_row))
  table <- data.frame(candidate = rownames(cq), tab, stringsAsFactors = FALSE)
  table <- table[order(table$sd), , drop = FALSE]
  table$rank <- seq_len(nrow(table))
  rownames(table) <- NULL
  list(table = table, index = index)
}

#' @export
print.ev_stability <- function(x, ...) {
  cat(sprintf("<ev_stability> %s, %d candidates\n", x$method, nrow(x$table)))
  print(x$table, row.names = FALSE, digits = 4)
  if (x$method == "genorm") {
    if (length(x$v)) {
      cat("pairwise variation:", paste(names(x$v), format(x$v, digits = 3),
                                       sep = " = ", collapse = ", "), "\n")
    }
    cat(sprintf("suggested number of references (V < %s): %s\n",
                format(x$v_cutoff),
                if (is.na(x$n_suggested)) "none reached" else x$n_suggested))
  } else if (x$method == "normfinder") {
    cat(sprintf("best pair: %s (stability %.4g)\n",
                paste(x$best_pair, collapse = " + "), x$best_pair_stability))
  }
  invisible(x)
}
