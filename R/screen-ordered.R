# ev_screen() for an ordered group with k > 2 classes (normal < osteopenia
# < osteoporosis): Jonckheere-Terpstra trend test, Kruskal-Wallis test,
# ordinal concordance with a DeLong-type CI, pairwise AUCs, FDR.
# The pairwise AUCs come from the C AUC matrix routine, one call per pair
# of classes; the trend statistic is built from them.

# TRUE when `group` (a vector or a column name) has more than two classes,
# which ev_screen() hands to screen_ordered(); unordered classes are refused
# there, since the trend test and the concordance need their order.
screen_group_multiclass <- function(group, input) {
  g <- screen_group_vector(group, input)
  if (is.factor(g)) {
    length(unique(g[!is.na(g)])) > 2L
  } else {
    is.atomic(g) && length(unique(g[!is.na(g)])) > 2L && !is.numeric(g)
  }
}

screen_group_vector <- function(group, input) {
  if (is.character(group) && length(group) == 1L && length(input$ids) != 1L &&
      !is.null(input$samples) && group %in% names(input$samples)) {
    return(input$samples[[group]])
  }
  group
}

screen_ordered <- function(x, input, group, features, conf_level, annotate) {
  g <- screen_group_vector(group, input)
  if (!is.ordered(g)) {
    ev_abort(sprintf(paste("`group` has %d unordered classes (%s); screening more than two",
                           "classes needs their order: give an ordered factor, e.g.",
                           "factor(g, levels = c(...), ordered = TRUE), or ev_cut_tscore()."),
                     length(unique(g[!is.na(g)])), format_offenders(unique(g[!is.na(g)]))),
             "evmirna_error_value", "group")
  }
  if (length(g) != length(input$ids)) {
    ev_abort(sprintf("`group` has length %d but `x` has %d samples.", length(g),
                     length(input$ids)), "evmirna_error_shape", "group")
  }
  if (anyNA(g)) {
    ev_abort(sprintf("`group` has missing values (samples %s).",
                     format_offenders(input$ids[is.na(g)])), "evmirna_error_value", "group")
  }
  g <- droplevels(g)
  check_group_sizes(g)
  features <- fit_features(features, input)
  v <- input$x[, features, drop = FALSE]
  if (identical(input$scale, "cq")) v <- -v
  storage.mode(v) <- "double"
  if (any(is.infinite(v))) {
    bad <- features[colSums(is.infinite(v)) > 0]
    ev_abort(sprintf("`x` has infinite values (features %s); screening needs finite values or NA.",
                     format_offenders(bad)), "evmirna_error_value", "x")
  }
  lv <- levels(g)
  cls <- as.integer(g)
  k <- length(lv)
  pairs <- utils::combn(k, 2L)
  # n per class and feature (values present)
  n_class <- vapply(seq_len(k), function(c) colSums(!is.na(v[cls == c, , drop = FALSE])),
                    numeric(length(features)))
  n_class <- matrix(n_class, ncol = k)
  if (any(n_class < 2)) {
    bad <- features[rowSums(n_class < 2) > 0]
    ev_abort(sprintf("Features %s have fewer than 2 values in some class of `group`.",
                     format_offenders(bad)), "evmirna_error_value", "group")
  }
  # pairwise AUCs: P(higher class scores higher), ties 1/2
  auc <- vapply(seq_len(ncol(pairs)), function(p) {
    rows <- cls %in% pairs[, p]
    roc_auc_matrix(as.integer(cls[rows] == pairs[2L, p]), v[rows, , drop = FALSE], "<")$auc
  }, numeric(length(features)))
  auc <- matrix(auc, ncol = ncol(pairs))
  w_pair <- n_class[, pairs[1L, ], drop = FALSE] * n_class[, pairs[2L, ], drop = FALSE]
  jt <- rowSums(w_pair * auc)
  w_total <- rowSums(w_pair)
  cache <- new.env(parent = emptyenv())
  stats <- t(vapply(seq_along(features), function(j) {
    keep <- !is.na(v[, j])
    screen_ordered_feature(v[keep, j], cls[keep], k, jt[j], conf_level, cache)
  }, numeric(6)))
  colnames(stats) <- c("p_jt", "kw", "df", "p_kw", "conc_se", "jt_z")
  concordance <- jt / w_total
  z <- stats::qnorm(1 - (1 - conf_level) / 2)
  out <- data.frame(feature = features, n = as.integer(rowSums(n_class)),
                    stringsAsFactors = FALSE)
  for (c in seq_len(k)) out[[paste0("n_", lv[c])]] <- as.integer(n_class[, c])
  out$concordance <- concordance
  out$concordance_lower <- pmax(concordance - z * stats[, "conc_se"], 0)
  out$concordance_upper <- pmin(concordance + z * stats[, "conc_se"], 1)
  out$jt <- jt
  out$p_jt <- stats[, "p_jt"]
  out$kw <- stats[, "kw"]
  out$p_kw <- stats[, "p_kw"]
  for (p in seq_len(ncol(pairs))) {
    out[[sprintf("auc_%s_vs_%s", lv[pairs[1L, p]], lv[pairs[2L, p]])]] <- auc[, p]
  }
  out$p_jt_bh <- stats::p.adjust(out$p_jt, "BH")
  out$p_jt_bonferroni <- stats::p.adjust(out$p_jt, "bonferroni")
  out$p_kw_bh <- stats::p.adjust(out$p_kw, "BH")
  out$p_kw_bonferroni <- stats::p.adjust(out$p_kw, "bonferroni")
  if (annotate) out$curated <- curated_summary(features)
  rownames(out) <- NULL
  structure(out, class = c("ev_screen_ordered", "data.frame"), levels = lv,
            conf_level = conf_level,
            expression = if (identical(input$scale, "cq")) "-Cq" else "values")
}

# One feature's Jonckheere-Terpstra p-value (exact below 100 values without
# ties, as clinfun::jonckheere.test; otherwise normal with the tie-corrected
# variance), Kruskal-Wallis (as kruskal.test) and the concordance's SE.
screen_ordered_feature <- function(x, cls, k, jt, conf_level, cache = NULL) {
  n <- length(x)
  n_c <- tabulate(cls, k)
  r <- rank(x)
  tie_t <- rle(sort(x))$lengths
  ties <- length(tie_t) < n
  # Kruskal-Wallis with the tie correction
  r_sum <- vapply(seq_len(k), function(c) sum(r[cls == c]), numeric(1))
  h <- (12 / (n * (n + 1)) * sum(r_sum^2 / n_c) - 3 * (n + 1)) /
    (1 - sum(tie_t^3 - tie_t) / (n^3 - n))
  p_kw <- stats::pchisq(h, k - 1L, lower.tail = FALSE)
  # Jonckheere-Terpstra
  jt_mean <- (n^2 - sum(n_c^2)) / 4
  if (!ties && n <= 100L) {
    pmf <- jt_null_pmf(n_c, cache)
    s <- round(jt)
    p_low <- sum(pmf[seq_len(s + 1L)])
    p_high <- 1 - sum(pmf[seq_len(s)])
    p_jt <- 2 * min(p_low, p_high, 0.5)
    z_jt <- NA_real_
  } else {
    jt_var <- jt_null_var(n_c, tie_t)
    z_jt <- (jt - jt_mean) / sqrt(jt_var)
    p <- stats::pnorm(z_jt)
    p_jt <- 2 * min(p, 1 - p, 0.5)
  }
  # Concordance SE: each patient's share of the concordant pairs (its
  # generalized placement), DeLong's structural components for k classes.
  place <- numeric(n)
  members <- lapply(seq_len(k), function(c) which(cls == c))
  r_own <- lapply(members, function(i) rank(x[i]))
  for (c in seq_len(k - 1L)) for (d in (c + 1L):k) {
    both <- c(members[[c]], members[[d]])
    r_both <- rank(x[both])
    lo <- seq_len(n_c[c])
    # values of the other class below each value, ties 1/2
    below_c <- r_both[lo] - r_own[[c]]
    below_d <- r_both[-lo] - r_own[[d]]
    place[members[[c]]] <- place[members[[c]]] + n_c[d] - below_c
    place[members[[d]]] <- place[members[[d]]] + below_d
  }
  w_total <- (n^2 - sum(n_c^2)) / 2
  v <- sum(vapply(seq_len(k), function(c) n_c[c] * stats::var(place[cls == c]), numeric(1))) /
    w_total^2
  c(p_jt, h, k - 1, p_kw, sqrt(v), z_jt)
}

# Null distribution of the JT statistic without ties: the sum of
# independent Mann-Whitney statistics of class i against all higher classes.
# Direct (not FFT) convolution keeps small tail probabilities exact; the
# distribution depends only on the class sizes, so it is cached per call.
jt_null_pmf <- function(n_c, cache = NULL) {
  key <- paste(n_c, collapse = ",")
  if (!is.null(cache) && !is.null(cache[[key]])) return(cache[[key]])
  k <- length(n_c)
  above <- rev(cumsum(rev(n_c)))[-1L]
  pmf <- 1
  for (i in seq_len(k - 1L)) {
    d <- stats::dwilcox(0:(n_c[i] * above[i]), n_c[i], above[i])
    out <- numeric(length(pmf) + length(d) - 1L)
    for (t in seq_along(d)) {
      idx <- t - 1L + seq_along(pmf)
      out[idx] <- out[idx] + d[t] * pmf
    }
    pmf <- out
  }
  if (!is.null(cache)) cache[[key]] <- pmf
  pmf
}

# Var(JT) under the null with ties in the values (Hollander & Wolfe).
jt_null_var <- function(n_c, tie_t) {
  n <- sum(n_c)
  (n * (n - 1) * (2 * n + 5) - sum(n_c * (n_c - 1) * (2 * n_c + 5)) -
     sum(tie_t * (tie_t - 1) * (2 * tie_t + 5))) / 72 +
    sum(n_c * (n_c - 1) * (n_c - 2)) * sum(tie_t * (tie_t - 1) * (tie_t - 2)) /
    (36 * n * (n - 1) * (n - 2)) +
    sum(n_c * (n_c - 1)) * sum(tie_t * (tie_t - 1)) / (8 * n * (n - 1))
}

#' @export
print.ev_screen_ordered <- function(x, n = 10, ...) {
  lv <- attr(x, "levels")
  cat(sprintf("<ev_screen> %d features; %d ordered classes %s, %g%% CI of the concordance\n",
              nrow(x), length(lv), paste(lv, collapse = " < "), 100 * attr(x, "conf_level")))
  screen_print_top(x, "p_jt", c("feature", "n", "concordance", "concordance_lower",
                                 "concordance_upper", "p_jt", "p_jt_bh", "p_kw"),
                   n, "Jonckheere-Terpstra")
}

# The n rows with the smallest p-value column `by`, 3 significant digits;
# shared by the two-class and the ordered screens' print methods.
screen_print_top <- function(x, by, cols, n, label) {
  if (!nrow(x)) return(invisible(x))
  ord <- order(x[[by]], na.last = TRUE)
  top <- as.data.frame(x)[utils::head(ord, n), cols]
  num <- vapply(top, is.double, logical(1))
  top[num] <- lapply(top[num], signif, digits = 3)
  cat(sprintf("Top %d by %s p-value:\n", nrow(top), label))
  print(top, row.names = FALSE)
  invisible(x)
}

#' @export
as.data.frame.ev_screen_ordered <- function(x, ...) {
  attributes(x)[c("levels", "conf_level", "expression")] <- NULL
  class(x) <- "data.frame"
  x
}
