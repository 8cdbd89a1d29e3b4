# ev_roc_test(): DeLong (paired, unpaired), bootstrap, AUC = 0.5, and the
# joint chi-square test of k correlated AUCs.

#' Compare ROC curves (or test one against chance)
#'
#' * Two curves, `method = "delong"`: when both curves come from the same
#'   observations (same response, same rows kept, same weights) the paired
#'   DeLong test (Z statistic, with a CI of the difference), otherwise the
#'   unpaired test with pROC's Welch-type degrees of freedom (statistic D,
#'   Student t p-value). `paired` forces the choice (`TRUE` errors when the
#'   curves are not paired).
#' * Two curves, `method = "bootstrap"`: D = (AUC1 - AUC2) / sd of the
#'   bootstrap differences, normal p-value; paired curves share the draws.
#'   Works with partial AUCs and with clusters.
#' * One curve (`roc2 = NULL`): H0 AUC = 0.5 with the DeLong (or bootstrap)
#'   standard error; `"greater"` tests AUC > 0.5.
#' * A list of k >= 2 paired curves (e.g. an `ev_roc_list`): the joint DeLong
#'   chi-square test of H0: `contrast %*% auc = 0`, with the DeLong covariance
#'   matrix of the k AUCs; the default contrast compares each curve with the
#'   next (all AUCs equal). `df` is the rank of the contrast.
#'
#' @param roc1 An `ev_roc`, or a list of paired `ev_roc` objects.
#' @param roc2 An `ev_roc`, or `NULL`.
#' @param method `"delong"` or `"bootstrap"`.
#' @param paired `NULL` (detect), `TRUE` or `FALSE`.
#' @param alternative `"two.sided"`, `"less"` or `"greater"` (AUC1 > AUC2,
#'   or AUC > 0.5 for one curve).
#' @param n_boot,stratified Bootstrap settings (see [ev_ci_auc()]).
#' @param partial,focus,correct Which area (bootstrap only for partial AUC).
#' @param contrast For a list of curves: a contrast matrix with one column
#'   per curve.
#' @param conf_level Confidence level of the paired difference's CI.
#' @return An object of class `htest`.
#' @references
#' DeLong ER, DeLong DM, Clarke-Pearson DL (1988). Comparing the areas under
#' two or more correlated receiver operating characteristic curves: a
#' nonparametric approach. *Biometrics* 44(3), 837-845. \doi{10.2307/2531595}
#' @examples
#' set.seed(4)
#' y <- rep(0:1, each = 60)
#' a <- rnorm(120, mean = y)
#' b <- a + rnorm(120, sd = 0.8)
#' ra <- ev_roc(y, a)
#' rb <- ev_roc(y, b)
#' ev_roc_test(ra, rb)                 # paired DeLong
#' ev_roc_test(ra)                     # AUC = 0.5
#' ev_roc_test(ev_roc(y, cbind(a = a, b = b, c = -b + a)))  # joint test
#' @export
ev_roc_test <- function(roc1, roc2 = NULL, method = c("delong", "bootstrap"),
                        paired = NULL,
                        alternative = c("two.sided", "less", "greater"),
                        n_boot = 2000, stratified = TRUE, partial = NULL,
                        focus = c("specificity", "sensitivity"), correct = FALSE,
                        contrast = NULL, conf_level = 0.95) {
  method <- check_choice(method, c("delong", "bootstrap"), "method")
  alternative <- check_choice(alternative, c("two.sided", "less", "greater"), "alternative")
  check_conf_level(conf_level)
  spec <- auc_spec(partial, focus, correct)
  if (method == "delong" && !is.null(spec$partial)) {
    ev_abort("DeLong's test is for the full AUC; use method = \"bootstrap\" for a partial AUC.",
             "evmirna_error_value", "method")
  }
  if (method == "bootstrap") {
    # replicates of two curves and their difference
    check_n_boot(n_boot, 32)
    check_flag(stratified, "stratified")
  }
  if (!inherits(roc1, "ev_roc") && is.list(roc1)) {
    return(roc_test_joint(roc1, contrast, method))
  }
  check_ev_roc(roc1)
  dname1 <- deparse1(substitute(roc1))
  if (is.null(roc2)) {
    return(roc_test_chance(roc1, method, alternative, spec, n_boot, stratified, dname1))
  }
  check_ev_roc(roc2)
  dname <- paste(dname1, "and", deparse1(substitute(roc2)))
  is_paired <- rocs_paired(roc1, roc2)
  if (is.null(paired)) {
    paired <- is_paired
  } else {
    check_flag(paired, "paired")
    if (paired && !is_paired) {
      ev_abort("`paired = TRUE` needs both curves on the same observations (same response, rows and weights).",
               "evmirna_error_value", "paired")
    }
  }
  if (method == "delong") {
    refuse_delong_cluster(roc1)
    refuse_delong_cluster(roc2)
    if (roc1$direction != roc2$direction) {
      ev_warn("DeLong's test compares curves with different directions.",
              "evmirna_warning_direction", "roc2")
    }
  }
  a1 <- auc_of(roc1, spec)
  a2 <- auc_of(roc2, spec)
  est <- c(a1, a2)
  names(est) <- paste(auc_label(spec), c("of roc1", "of roc2"))
  res <- list(null.value = c("difference in AUC" = 0), alternative = alternative,
              data.name = dname, estimate = est)
  pfun <- function(stat, df = NULL) {
    cdf <- if (is.null(df)) function(q) stats::pnorm(q) else function(q) stats::pt(q, df)
    switch(alternative, two.sided = 2 * cdf(-abs(stat)), greater = cdf(-stat),
           less = cdf(stat))
  }
  if (method == "delong" && paired) {
    S <- delong_cov_matrix(list(roc1, roc2))
    sig <- sqrt(S[1, 1] + S[2, 2] - S[1, 2] - S[2, 1])
    d <- a1 - a2
    z <- d / sig
    if (is.nan(z) && d == 0 && sig == 0) z <- 0
    crit <- stats::qnorm(1 - (1 - conf_level) / 2)
    res$statistic <- c(Z = z)
    res$p.value <- pfun(z)
    res$method <- "DeLong's test for two correlated ROC curves"
    res$conf.int <- structure(c(d - crit * sig, d + crit * sig), conf.level = conf_level)
  } else if (method == "delong") {
    v1 <- delong_var(roc1)
    v2 <- delong_var(roc2)
    n1 <- roc_total(roc1)
    n2 <- roc_total(roc2)
    t <- (a1 - a2) / sqrt(v1 + v2)
    df <- (v1 + v2)^2 / (v1^2 / (n1 - 1) + v2^2 / (n2 - 1))
    res$statistic <- c(D = t)
    res$parameter <- c(df = df)
    res$p.value <- pfun(t, df)
    res$method <- "DeLong's test for two ROC curves"
  } else {
    if (paired) {
      b <- roc_boot(list(roc1, roc2), spec, n_boot, stratified)
      diffs <- b[, 1L] - b[, 2L]
    } else {
      diffs <- roc_boot(list(roc1), spec, n_boot, stratified)[, 1L] -
        roc_boot(list(roc2), spec, n_boot, stratified)[, 1L]
    }
    diffs <- drop_na_replicates(diffs)
    D <- (a1 - a2) / stats::sd(diffs)
    if (is.nan(D) && all(diffs == 0) && a1 == a2) D <- 0
    res$statistic <- c(D = D)
    res$parameter <- c(n_boot = n_boot)
    res$p.value <- pfun(D)
    res$method <- sprintf("Bootstrap test for two %sROC curves", if (paired) "correlated " else "")
  }
  structure(res, class = "htest")
}

roc_total <- function(roc) {
  if (is.null(roc$weights)) roc$n_cases + roc$n_controls
  else roc$weight_cases + roc$weight_controls
}

rocs_paired <- function(r1, r2) {
  r1$n_input == r2$n_input && identical(r1$kept, r2$kept) &&
    identical(r1$response, r2$response) && identical(r1$weights, r2$weights) &&
    identical(r1$cluster, r2$cluster)
}

roc_test_chance <- function(roc, method, alternative, spec, n_boot, stratified, dname) {
  a <- auc_of(roc, spec)
  null <- if (is.null(spec$partial)) 0.5 else {
    # area under the diagonal over the range (0.5 once corrected)
    if (spec$correct) 0.5 else {
      lo <- spec$partial[[1L]]
      hi <- spec$partial[[2L]]
      ((1 - lo) + (1 - hi)) * (hi - lo) / 2
    }
  }
  if (method == "delong") {
    refuse_delong_cluster(roc)
    se <- sqrt(delong_var(roc))
    meth <- "DeLong's test of AUC = 0.5"
  } else {
    reps <- drop_na_replicates(roc_boot(list(roc), spec, n_boot, stratified)[, 1L])
    se <- stats::sd(reps)
    meth <- sprintf("Bootstrap test of %s = %s", auc_label(spec), format(null))
  }
  z <- (a - null) / se
  p <- switch(alternative, two.sided = 2 * stats::pnorm(-abs(z)),
              greater = stats::pnorm(-z), less = stats::pnorm(z))
  structure(list(statistic = c(Z = z), p.value = p,
                 estimate = stats::setNames(a, auc_label(spec)),
                 null.value = stats::setNames(null, auc_label(spec)),
                 alternative = alternative, method = meth, data.name = dname),
            class = "htest")
}

# Joint DeLong chi-square test: S is the k x k DeLong covariance of the AUCs;
# X2 = (L a)' (L S L')^- (L a), df = rank(L).
roc_test_joint <- function(rocs, contrast, method) {
  ok <- vapply(rocs, inherits, logical(1), what = "ev_roc")
  if (length(rocs) < 2L || !all(ok)) {
    ev_abort("`roc1` must be an `ev_roc` or a list of at least two `ev_roc` objects.",
             "evmirna_error_type", "roc1")
  }
  if (method != "delong") {
    ev_abort("The joint test of k curves uses method = \"delong\".",
             "evmirna_error_value", "method")
  }
  k <- length(rocs)
  for (j in seq_len(k)) {
    validate_ev_roc(rocs[[j]], sprintf("roc1[[%d]]", j))
    refuse_delong_cluster(rocs[[j]])
    if (!rocs_paired(rocs[[1L]], rocs[[j]])) {
      ev_abort("The joint test needs all curves on the same observations (paired).",
               "evmirna_error_value", "roc1")
    }
  }
  if (is.null(contrast)) {
    contrast <- cbind(diag(k - 1L), 0) - cbind(0, diag(k - 1L))
  }
  if (!is.numeric(contrast) || !is.matrix(contrast) || ncol(contrast) != k ||
      anyNA(contrast)) {
    ev_abort(sprintf("`contrast` must be a numeric matrix with %d columns.", k),
             "evmirna_error_shape", "contrast")
  }
  S <- delong_cov_matrix(rocs)
  a <- vapply(rocs, function(r) r$auc, numeric(1))
  La <- contrast %*% a
  M <- contrast %*% S %*% t(contrast)
  e <- eigen((M + t(M)) / 2, symmetric = TRUE)
  tol <- max(dim(M)) * max(abs(e$values)) * .Machine$double.eps * 100
  keep <- e$values > tol
  df <- sum(keep)
  if (df == 0L) {
    ev_abort("The contrast has zero DeLong variance: nothing to test.",
             "evmirna_error_value", "contrast")
  }
  proj <- crossprod(e$vectors[, keep, drop = FALSE], La)
  x2 <- sum(proj^2 / e$values[keep])
  nm <- names(rocs)
  if (is.null(nm)) nm <- paste0("roc", seq_len(k))
  structure(list(statistic = c("X-squared" = x2), parameter = c(df = df),
                 p.value = stats::pchisq(x2, df, lower.tail = FALSE),
                 estimate = stats::setNames(a, paste("AUC of", nm)),
                 null.value = c("contrast of AUCs" = 0),
                 alternative = "two.sided",
                 method = sprintf("Joint DeLong test of %d correlated ROC curves", k),
                 data.name = paste(nm, collapse = ", ")),
            class = "htest")
}
