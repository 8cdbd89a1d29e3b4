# Elastic-net logistic path (C kernel in src/elnet.c) and coefficient lookup
# along it.

elnet_defaults <- function(n, p, n_cov) {
  list(alpha = 1, n_lambda = 100, lambda_min_ratio = if (n < p) 1e-2 else 1e-4,
       lambda_path = NULL, standardize = TRUE, thresh = 1e-7, maxit = 1e5,
       penalty_factor = c(rep(1, p - n_cov), rep(0, n_cov)),
       dfmax = p + 1, pmax = min((p + 1) * 2 + 20, p))
}

check_elnet_options <- function(o, p) {
  check_number(o$alpha, "alpha", lower = 0, upper = 1)
  check_number(o$n_lambda, "n_lambda", lower = 3, integer = TRUE)
  check_number(o$lambda_min_ratio, "lambda_min_ratio", lower = 0, upper = 1)
  check_flag(o$standardize, "standardize")
  check_number(o$thresh, "thresh", lower = 0)
  check_number(o$maxit, "maxit", lower = 1, integer = TRUE)
  check_number(o$dfmax, "dfmax", lower = 0, integer = TRUE)
  check_number(o$pmax, "pmax", lower = 1, integer = TRUE)
  pf <- o$penalty_factor
  if (!is.numeric(pf) || length(pf) != p || anyNA(pf) || any(pf < 0) || all(pf == 0)) {
    ev_abort(sprintf("`penalty_factor` must be %d non-negative numbers, not all zero.", p),
             "evmirna_error_value", "penalty_factor")
  }
  lp <- o$lambda_path
  if (!is.null(lp)) {
    if (!is.numeric(lp) || length(lp) < 1L || anyNA(lp) || any(lp < 0)) {
      ev_abort("`lambda` (the penalty sequence) must be non-negative numbers.",
               "evmirna_error_value", "lambda")
    }
  }
  invisible(o)
}

elnet_call <- function(design, y, o, lambda_path) {
  .Call(C_elnet_path, design, y, rep(1, nrow(design)), as.double(o$penalty_factor),
        as.double(o$alpha), o$standardize, as.integer(o$n_lambda),
        as.double(o$lambda_min_ratio),
        if (is.null(lambda_path)) NULL else as.double(lambda_path),
        as.double(o$thresh), as.integer(o$maxit), as.integer(o$dfmax),
        as.integer(o$pmax))
}

# The kernel leaves constant columns out (zero coefficients, as glmnet);
# with no penalized column left the path has no first lambda (NaN), so that
# is refused. Returns the names of the constant columns.
check_elnet_columns <- function(design, penalty_factor) {
  keep <- column_sd(design) > 0
  keep[is.na(keep)] <- FALSE
  if (!any(keep & penalty_factor > 0)) {
    ev_abort(sprintf("every penalized term of `x` is constant (%s); the elastic-net path is undefined.",
                     format_offenders(colnames(design)[penalty_factor > 0])),
             "evmirna_error_value", "x")
  }
  colnames(design)[!keep]
}

elnet_report <- function(res) {
  if (res$status > 0L) {
    ev_warn(sprintf("coordinate descent did not converge at lambda #%d (raise `maxit`); the path stops before it.",
                    res$status), "evmirna_warning_convergence", "maxit")
  } else if (res$status < 0L) {
    ev_warn(sprintf("more than `pmax` variables entered at lambda #%d; the path stops before it.",
                    -res$status), "evmirna_warning_convergence", "pmax")
  }
}

fit_elastic_net <- function(design, y, opts, lambda, n_cov) {
  n <- nrow(design)
  p <- ncol(design)
  o <- method_options(opts, elnet_defaults(n, p, n_cov), "elastic_net")
  check_elnet_options(o, p)
  if (!is.null(lambda)) check_number(lambda, "s", lower = 0)
  user_path <- if (is.null(o$lambda_path)) NULL else sort(o$lambda_path, decreasing = TRUE)
  constant <- check_elnet_columns(design, o$penalty_factor)
  res <- elnet_call(design, y, o, user_path)
  elnet_report(res)
  k <- res$nfit
  if (k < 1L) {
    ev_abort("the elastic-net path could not be fitted at its first lambda.",
             "evmirna_error_value", "x")
  }
  # (a default path's first, "infinite" lambda comes back extrapolated)
  lam <- res$lambda[seq_len(k)]
  beta <- res$beta[, seq_len(k), drop = FALSE]
  dimnames(beta) <- list(colnames(design), sprintf("s%d", seq_len(k) - 1L))
  path <- list(lambda = lam, df = colSums(beta != 0), a0 = res$a0[seq_len(k)],
               beta = beta, dev_ratio = res$dev_ratio[seq_len(k)],
               alpha = o$alpha)
  coefs <- NULL
  if (!is.null(lambda)) {
    # Exact refit at the chosen penalty, warm-started down the path.
    ulam <- c(lam[lam > lambda], lambda)
    one <- elnet_call(design, y, o, ulam)
    elnet_report(one)
    if (one$nfit < length(ulam)) {
      ev_abort("the elastic-net fit did not reach the chosen penalty `s`.",
               "evmirna_error_value", "s")
    }
    last <- length(ulam)
    coefs <- stats::setNames(c(one$a0[last], one$beta[, last]),
                             c("(Intercept)", colnames(design)))
  }
  list(coefficients = coefs, intercept_link = coefs[[1L]] %||% NA_real_, vcov = NULL,
       path = path, lambda = lambda,
       info = list(status = res$status, nfit = k, nulldev = res$nulldev,
                   constant = constant),
       options = o)
}

# Coefficients (intercept first) at penalties `s`, interpolated linearly in
# lambda between path points as glmnet's predict(exact = FALSE) does (the
# weights come from the C interpolation the cross-validation uses).
elnet_coef_at <- function(path, s) {
  lam <- path$lambda
  full <- rbind(`(Intercept)` = path$a0, path$beta)
  if (length(lam) == 1L) return(full[, rep(1L, length(s)), drop = FALSE])
  s <- pmin(pmax(s, min(lam)), max(lam))
  at <- .Call(C_elnet_interp, as.double(lam), as.double(s))
  out <- vapply(seq_along(s), function(l) {
    if (at$left[l] == at$right[l]) return(full[, at$right[l]])
    at$frac[l] * full[, at$left[l]] + (1 - at$frac[l]) * full[, at$right[l]]
  }, numeric(nrow(full)))
  out <- matrix(out, nrow = nrow(full), dimnames = list(rownames(full), NULL))
  colnames(out) <- format(s, digits = 4)
  out
}
