# Non-detect handling for Cq data: at the limit, at limit + offset, left as
# NA, or the conditional mean above the limit under a per-miRNA normal model
# fitted by left-censored maximum likelihood (EM).

#' Impute non-detects in Cq data
#'
#' Non-detects are the missing values whose `missing_reason` says the target
#' did not amplify ("undetermined", "no_ct", "above_max_cq", or "missing" for
#' a plain `NA`); values missing for other reasons stay `NA`.
#'
#' * `"limit"`: set them at `limit` (the assay's maximum Cq).
#' * `"offset"`: set them at `limit + offset`.
#' * `"na"`: leave them `NA` (the step is still recorded).
#' * `"em"`: for each miRNA, fit a normal distribution to its Cq values with
#'   the non-detects treated as censored above `limit` (maximum likelihood by
#'   EM, as the nondetects package's `qpcrImpute()` does in its simplest form
#'   without covariates), then set each non-detect at the conditional mean
#'   \eqn{E[Cq | Cq > limit]}. The per-miRNA mean and SD are frozen, so new
#'   samples are imputed from the training fit. A miRNA with fewer than two
#'   detected values falls back to `limit + offset`.
#'
#' @param x An [evset] on the "cq" scale.
#' @param method One of "limit", "offset", "na", "em".
#' @param limit Censoring limit (maximum Cq); detected values above it are an
#'   error.
#' @param offset Cycles added to `limit` by "offset" (and the "em" fallback).
#' @param tol,max_iter Convergence tolerance on the parameters and iteration
#'   cap for "em".
#' @return The [evset] with non-detects imputed and an "impute_nondetects"
#'   step appended.
#' @references
#' McCall MN, McMurray HR, Land H, Almudevar A (2014). On non-detects in
#' qPCR data. *Bioinformatics* 30(16), 2310-2316.
#' \doi{10.1093/bioinformatics/btu239}
#' @export
#' @examples
#' cq <- matrix(c(30, 31, NA, 29, 33, NA, 32, 30.5), 2,
#'              dimnames = list(c("hsa-miR-21-5p", "hsa-miR-214-3p"),
#'                              paste0("S", 1:4)))
#' ev_impute_nondetects(evset(cq), "em", limit = 35)$values
ev_impute_nondetects <- function(x, method = c("limit", "offset", "na", "em"),
                                 limit = 40, offset = 1, tol = 1e-8,
                                 max_iter = 1000L) {
  check_evset(x, "x")
  method <- check_choice(method, c("limit", "offset", "na", "em"), "method")
  if (x$scale != "cq") {
    ev_abort("`x` must hold Cq values; non-detect imputation is for RT-qPCR.",
             "evmirna_error_value", "x")
  }
  check_number(limit, "limit", lower = 0, upper = 50)
  check_number(offset, "offset", lower = 0)
  check_number(tol, "tol", lower = 0)
  check_number(max_iter, "max_iter", lower = 1, integer = TRUE)
  above <- !is.na(x$values) & x$values > limit
  if (any(above)) {
    ev_abort(sprintf("`limit` (%s) is below detected Cq values at %s.",
                     format(limit), format_cells(x$values, above)),
             "evmirna_error_value", "limit")
  }
  step <- list(name = "impute_nondetects", scale = "cq", method = method,
               limit = limit, offset = offset)
  if (method == "em") {
    censored <- is_nondetect(x)
    fits <- lapply(seq_len(nrow(x$values)), function(i) {
      obs <- x$values[i, !is.na(x$values[i, ])]
      censored_normal_em(obs, sum(censored[i, ]), limit, tol, max_iter)
    })
    step$mean <- stats::setNames(vapply(fits, `[[`, numeric(1), "mean"),
                                 rownames(x$values))
    step$sd <- stats::setNames(vapply(fits, `[[`, numeric(1), "sd"),
                               rownames(x$values))
  }
  apply_impute_step(x, step)
}

is_nondetect <- function(x) {
  is.na(x$values) & x$missing_reason %in% nondetect_reasons
}

apply_impute_step <- function(x, step) {
  check_step_scale(x, step)
  if (step$method == "na") {
    x$steps <- c(x$steps, list(step))
    return(x)
  }
  nd <- is_nondetect(x)
  v <- x$values
  fill <- switch(step$method,
    limit = matrix(step$limit, nrow(v), ncol(v)),
    offset = matrix(step$limit + step$offset, nrow(v), ncol(v)),
    em = {
      ids <- rownames(v)
      known <- ids %in% names(step$mean)
      if (any(nd[!known, ])) {
        ev_abort(sprintf("`x` has non-detects in miRNAs the frozen imputation did not fit: %s.",
                         format_offenders(ids[!known & rowSums(nd) > 0])),
                 "evmirna_error_unknown", "x")
      }
      mu <- step$mean[ids]
      s <- step$sd[ids]
      cm <- ifelse(is.na(mu), step$limit + step$offset,
                   censored_mean(mu, s, step$limit))
      matrix(cm, nrow(v), ncol(v))
    }
  )
  v[nd] <- fill[nd]
  # an imputed Cq may exceed 50 only through a far tail; keep it valid
  v[nd] <- pmin(v[nd], 50)
  x$values <- v
  x$missing_reason[nd] <- NA_character_
  x$steps <- c(x$steps, list(step))
  x
}

# E[X | X > limit] for X ~ N(mu, s^2), computed on the log scale for tails.
censored_mean <- function(mu, s, limit) {
  a <- (limit - mu) / s
  mills <- exp(stats::dnorm(a, log = TRUE) -
                 stats::pnorm(a, lower.tail = FALSE, log.p = TRUE))
  ifelse(s > 0, mu + s * mills, pmax(mu, limit))
}

# Left-censored (non-detects above `limit`) normal MLE by EM.
censored_normal_em <- function(obs, n_cens, limit, tol, max_iter) {
  n_obs <- length(obs)
  if (n_obs < 2L) return(list(mean = NA_real_, sd = NA_real_, iter = 0L))
  mu <- mean(obs)
  s <- stats::sd(obs)
  if (n_cens == 0L || !(s > 0)) {
    return(list(mean = mu, sd = sqrt(mean((obs - mu)^2)), iter = 0L))
  }
  n <- n_obs + n_cens
  sum_y <- sum(obs)
  sum_y2 <- sum(obs^2)
  for (iter in seq_len(max_iter)) {
    a <- (limit - mu) / s
    lam <- exp(stats::dnorm(a, log = TRUE) -
                 stats::pnorm(a, lower.tail = FALSE, log.p = TRUE))
    e1 <- mu + s * lam
    e2 <- mu^2 + s^2 * (1 + a * lam) + 2 * mu * s * lam
    mu_new <- (sum_y + n_cens * e1) / n
    s_new <- sqrt(max((sum_y2 + n_cens * e2) / n - mu_new^2, 0))
    done <- abs(mu_new - mu) < tol && abs(s_new - s) < tol
    mu <- mu_new
    s <- s_new
    if (done || !(s > 0)) break
  }
  list(mean = mu, sd = s, iter = iter)
}
