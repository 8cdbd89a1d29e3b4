# ev_sample_size(): how many patients a study needs, before serum is drawn.
# Three designs: one miRNA's AUC (Obuchowski's variance, as
# pROC::power.roc.test), a panel prediction model (Riley et al.'s criteria,
# as pmsampsize type "b"), and a panel search, where the candidate
# parameters are every miRNA the search may pick from.

#' Sample size for an EV miRNA biomarker study
#'
#' Plans a study before it starts, for one of three designs:
#'
#' * `design = "auc"`: a single miRNA judged by its AUC. Either the number
#'   of cases needed to show `auc` is above `auc0` with the given `power`
#'   at level `alpha`; the number of cases that gives a confidence interval
#'   for the AUC no wider than `ci_width`; or, given `n_cases`, the power.
#'   The variance of the AUC is Obuchowski's (1994) binormal approximation
#'   \eqn{V(\theta) = 0.0099 e^{-A^2/2} ((5A^2 + 8) + (A^2 + 8)/\kappa)} with
#'   \eqn{A = 1.414\,\Phi^{-1}(\theta)}, per case, so `var(AUC) = V / n_cases`.
#'   With `auc0 = 0.5` this is exactly `pROC::power.roc.test()`; `auc0` may
#'   also be larger (a new marker against an existing one's AUC).
#'   `variance = "hanley_mcneil"` uses Hanley and McNeil's (1982)
#'   exponential approximation instead, solved numerically for the cases.
#' * `design = "model"`: a panel prediction model for a binary outcome,
#'   developed on `parameters` candidate predictor parameters. The minimum
#'   n is the largest of Riley et al.'s (2019, 2020) criteria, as
#'   implemented by `pmsampsize::pmsampsize(type = "b")` 1.1.x:
#'   (1) expected uniform shrinkage at least `shrinkage` (0.9);
#'   (2) optimism in the Nagelkerke \eqn{R^2} at most 0.05;
#'   (3) the overall risk (intercept) estimated within `margin` (0.05) of
#'   the true prevalence, with 95% confidence (the constant 1.96, as
#'   pmsampsize). pmsampsize has no mean-absolute-prediction-error
#'   criterion, and neither has this function.
#'   The anticipated model performance is the Cox-Snell \eqn{R^2}
#'   (`r2_cs`) or the C-statistic (`c_statistic`). A C-statistic is
#'   converted as Riley et al. (2020) do: a binormal linear predictor with
#'   equal variances, means \eqn{\sqrt{2}\,\Phi^{-1}(C)} apart, and the
#'   Cox-Snell \eqn{R^2} of the logistic fit. pmsampsize estimates it by
#'   simulating 10^6 patients (seed 123456) and rounds to 4 digits; here
#'   the large-sample value is computed by numerical integration, so it
#'   needs no random numbers. The two differ by the simulation error
#'   (about 0.001 in \eqn{R^2}), which can move n by a few percent; pass
#'   `r2_cs` for pmsampsize's exact numbers.
#' * `design = "search"`: a panel chosen by a search over `n_candidates`
#'   miRNAs. The search looks at every candidate, so the model's candidate
#'   parameters are all of them (plus `n_covariates`), not the
#'   `panel_size` miRNAs finally kept; otherwise as `"model"`. The result
#'   says what it counted.
#'
#' @param design `"auc"`, `"model"` or `"search"`.
#' @param auc Expected AUC of the miRNA, in (0.5, 1).
#' @param auc0 AUC under the null hypothesis, in \[0.5, `auc`); 0.5 is
#'   "no better than chance".
#' @param power Wanted power, in (0, 1); not used when `ci_width` or
#'   `n_cases` is given.
#' @param ci_width Wanted total width of the `1 - alpha` confidence
#'   interval of the AUC (e.g. 0.1 for +/- 0.05).
#' @param n_cases Number of cases, to compute the power of a given study.
#' @param kappa Controls per case (pROC's `kappa`): 1 for a balanced
#'   study, 2 for two controls per case.
#' @param alpha Significance level (two-sided unless
#'   `alternative = "one.sided"`), or `1 - ` the confidence level of the
#'   interval.
#' @param alternative `"two.sided"` or `"one.sided"`.
#' @param variance `"obuchowski"` or `"hanley_mcneil"`.
#' @param prevalence Anticipated proportion of patients with the outcome,
#'   in (0, 1).
#' @param parameters Number of candidate predictor parameters (model
#'   design).
#' @param r2_cs Anticipated Cox-Snell \eqn{R^2} of the model, e.g. the
#'   adjusted value of an existing model.
#' @param c_statistic Anticipated C-statistic (AUC) of the model, in
#'   (0.5, 1); give this or `r2_cs`.
#' @param shrinkage Target expected shrinkage (criterion 1), in (0, 1).
#' @param margin Margin of error for the overall risk (criterion 3).
#' @param n_candidates Number of miRNAs the panel search chooses from
#'   (search design).
#' @param panel_size Number of miRNAs in the final panel (reported only:
#'   it does not lower the count).
#' @param n_covariates Number of further parameters every candidate model
#'   carries (age, sex, ...; one per dummy level).
#' @return An object of class `ev_sample_size`: a list with `design`, `n`
#'   (minimum total sample size), `n_cases`, `n_controls` (or `n_events`),
#'   the inputs, a `criteria` data frame (model and search designs) and
#'   `counted` (search design: what the parameter count is made of).
#'   `print()` states the assumptions in a sentence.
#' @references
#' Obuchowski NA (1994). Computing sample size for receiver operating
#' characteristic studies. *Investigative Radiology* 29(2), 238-243.
#' \doi{10.1097/00004424-199402000-00020}
#'
#' Hanley JA, McNeil BJ (1982). The meaning and use of the area under a
#' receiver operating characteristic (ROC) curve. *Radiology* 143(1), 29-36.
#' \doi{10.1148/radiology.143.1.7063747}
#'
#' Riley RD, Snell KIE, Ensor J, et al. (2019). Minimum sample size for
#' developing a multivariable prediction model: Part II - binary and
#' time-to-event outcomes. *Statistics in Medicine* 38(7), 1276-1296.
#' \doi{10.1002/sim.7992}
#'
#' Riley RD, Van Calster B, Collins GS (2020). A note on estimating the
#' Cox-Snell R2 from a reported C statistic (AUROC) to inform sample size
#' calculations for developing a prediction model with a binary outcome.
#' *Statistics in Medicine* 40(4), 859-864. \doi{10.1002/sim.8806}
#' @examples
#' # One miRNA, expected AUC 0.75, 80% power against chance, 2 controls/case
#' ev_sample_size("auc", auc = 0.75, power = 0.8, kappa = 2)
#' # ... or a 95% CI no wider than 0.1
#' ev_sample_size("auc", auc = 0.75, ci_width = 0.1)
#' # ... or the power of a study with 30 cases and 60 controls
#' ev_sample_size("auc", auc = 0.75, n_cases = 30, kappa = 2)
#' # A 24-parameter model, prevalence 17.4%, Cox-Snell R2 0.288
#' ev_sample_size("model", prevalence = 0.174, parameters = 24, r2_cs = 0.288)
#' # A 3-miRNA panel searched among 40 candidate miRNAs, plus age
#' ev_sample_size("search", prevalence = 0.3, n_candidates = 40,
#'                panel_size = 3, n_covariates = 1, c_statistic = 0.8)
#' @export
ev_sample_size <- function(design = c("auc", "model", "search"),
                           auc = NULL, auc0 = 0.5, power = 0.8,
                           ci_width = NULL, n_cases = NULL, kappa = 1,
                           alpha = 0.05,
                           alternative = c("two.sided", "one.sided"),
                           variance = c("obuchowski", "hanley_mcneil"),
                           prevalence = NULL, parameters = NULL,
                           r2_cs = NULL, c_statistic = NULL,
                           shrinkage = 0.9, margin = 0.05,
                           n_candidates = NULL, panel_size = NULL,
                           n_covariates = 0) {
  design <- check_choice(design, c("auc", "model", "search"))
  out <- switch(design,
    auc = sample_size_auc(auc, auc0, power, ci_width, n_cases, kappa, alpha,
                          check_choice(alternative, c("two.sided", "one.sided")),
                          check_choice(variance, c("obuchowski", "hanley_mcneil"))),
    model = {
      check_given_count(parameters, "parameters")
      sample_size_model(prevalence, parameters, r2_cs, c_statistic,
                        shrinkage, margin)
    },
    search = {
      counted <- search_parameters(n_candidates, panel_size, n_covariates)
      res <- sample_size_model(prevalence, counted$parameters, r2_cs,
                               c_statistic, shrinkage, margin)
      res$counted <- counted
      res
    }
  )
  out$design <- design
  out$call <- match.call()
  class(out) <- "ev_sample_size"
  out
}

check_given_count <- function(x, arg) {
  if (is.null(x)) {
    ev_abort(sprintf("`%s` must be given.", arg), "evmirna_error_value", arg)
  }
  check_number(x, arg, lower = 1, integer = TRUE)
}

# An open-interval probability check: `lower < x < upper`.
check_open <- function(x, arg, lower, upper, what) {
  if (is.null(x)) {
    ev_abort(sprintf("`%s` must be given.", arg), "evmirna_error_value", arg)
  }
  check_number(x, arg)
  if (x <= lower || x >= upper) {
    ev_abort(sprintf("`%s` must be %s, strictly between %s and %s, not %s.",
                     arg, what, format(lower), format(upper), format(x)),
             "evmirna_error_value", arg)
  }
  invisible(x)
}

# ---- single-miRNA AUC ------------------------------------------------------

# Obuchowski's per-case variance of the AUC: var(AUC) = V / n_cases, with
# kappa controls per case.
auc_var_obuchowski <- function(theta, kappa) {
  a <- stats::qnorm(theta) * 1.414
  0.0099 * exp(-a^2 / 2) * ((5 * a^2 + 8) + (a^2 + 8) / kappa)
}

# Hanley & McNeil's variance of the AUC for n_cases and kappa * n_cases.
auc_var_hanley_mcneil <- function(theta, n_cases, kappa) {
  n_controls <- kappa * n_cases
  q1 <- theta / (2 - theta)
  q2 <- 2 * theta^2 / (1 + theta)
  (theta * (1 - theta) + (n_cases - 1) * (q1 - theta^2) +
     (n_controls - 1) * (q2 - theta^2)) / (n_cases * n_controls)
}

sample_size_auc <- function(auc, auc0, power, ci_width, n_cases, kappa,
                            alpha, alternative, variance) {
  check_open(auc, "auc", 0.5, 1, "an AUC better than chance")
  check_number(auc0, "auc0", lower = 0.5)
  if (auc0 >= auc) {
    ev_abort(sprintf("`auc0` (%s) must be below `auc` (%s).", format(auc0),
                     format(auc)), "evmirna_error_value", "auc0")
  }
  check_open(kappa, "kappa", 0, Inf, "the number of controls per case")
  check_open(alpha, "alpha", 0, 1, "a significance level")
  given <- c(power = !is.null(power), ci_width = !is.null(ci_width),
             n_cases = !is.null(n_cases))
  if (given[["ci_width"]] || given[["n_cases"]]) {
    # power defaults to 0.8: a ci_width or n_cases overrides it.
    if (sum(given[c("ci_width", "n_cases")]) > 1L) {
      ev_abort("Give one of `ci_width` and `n_cases`, not both.",
               "evmirna_error_value", "ci_width")
    }
    power <- NULL
  }
  if (is.null(power) && !given[["ci_width"]] && !given[["n_cases"]]) {
    ev_abort("Give `power`, `ci_width` or `n_cases`.", "evmirna_error_value",
             "power")
  }
  if (!is.null(power)) check_open(power, "power", 0, 1, "a probability")
  if (!is.null(ci_width)) check_open(ci_width, "ci_width", 0, 1, "an interval width")
  if (!is.null(n_cases)) check_number(n_cases, "n_cases", lower = 2)
  two_sided <- alternative == "two.sided"
  z_alpha <- stats::qnorm(1 - if (two_sided) alpha / 2 else alpha)
  hm <- variance == "hanley_mcneil"
  # var(AUC) with n cases; Obuchowski's V/n, or Hanley-McNeil's exact form.
  var_at <- function(theta, n) {
    if (hm) auc_var_hanley_mcneil(theta, n, kappa)
    else auc_var_obuchowski(theta, kappa) / n
  }
  solve_n <- function(f) {
    if (!hm) return(NULL)
    stats::uniroot(f, c(1, 1e9), tol = 1e-10)$root
  }
  delta <- auc - auc0
  goal <- if (!is.null(n_cases)) "power" else if (!is.null(ci_width)) "ci_width" else "n"
  if (goal == "n") {
    z_beta <- stats::qnorm(power)
    n_raw <- if (hm) {
      solve_n(function(n) z_alpha * sqrt(var_at(auc0, n)) +
                z_beta * sqrt(var_at(auc, n)) - delta)
    } else {
      (z_alpha * sqrt(auc_var_obuchowski(auc0, kappa)) +
         z_beta * sqrt(auc_var_obuchowski(auc, kappa)))^2 / delta^2
    }
  } else if (goal == "ci_width") {
    z_ci <- stats::qnorm(1 - alpha / 2)
    n_raw <- if (hm) {
      solve_n(function(n) 2 * z_ci * sqrt(var_at(auc, n)) - ci_width)
    } else {
      (2 * z_ci)^2 * auc_var_obuchowski(auc, kappa) / ci_width^2
    }
  } else {
    n_raw <- n_cases
    power <- stats::pnorm((delta - z_alpha * sqrt(var_at(auc0, n_cases))) /
                            sqrt(var_at(auc, n_cases)))
  }
  n_cases_int <- ceiling(n_raw - 1e-9)
  n_controls_int <- ceiling(kappa * n_raw - 1e-9)
  list(n = n_cases_int + n_controls_int, n_cases = n_cases_int,
       n_controls = n_controls_int, n_cases_exact = n_raw,
       n_controls_exact = kappa * n_raw, goal = goal, auc = auc, auc0 = auc0,
       power = power, ci_width = ci_width, kappa = kappa, alpha = alpha,
       alternative = alternative, variance = variance)
}

# ---- prediction model (Riley et al.) ----------------------------------------

# Large-sample Cox-Snell R2 of a logistic model whose linear predictor is
# N(mu, 1) in events and N(0, 1) in non-events, mu = sqrt(2) qnorm(C): the
# model Riley et al. (2020) simulate. Under it logit P(event | x) is exactly
# a + mu x, so the expected log-likelihood per patient is an integral.
cs_r2_from_c <- function(c_statistic, prevalence) {
  mu <- sqrt(2) * stats::qnorm(c_statistic)
  a <- stats::qlogis(prevalence) - mu^2 / 2
  ll_event <- stats::integrate(function(x) {
    stats::dnorm(x, mu) * stats::plogis(a + mu * x, log.p = TRUE)
  }, -Inf, Inf, rel.tol = 1e-12)$value
  ll_nonevent <- stats::integrate(function(x) {
    stats::dnorm(x) * stats::plogis(-(a + mu * x), log.p = TRUE)
  }, -Inf, Inf, rel.tol = 1e-12)$value
  ll_model <- prevalence * ll_event + (1 - prevalence) * ll_nonevent
  1 - exp(-2 * (ll_model - null_loglik(prevalence)))
}

# Log-likelihood per patient of the intercept-only model.
null_loglik <- function(prevalence) {
  prevalence * log(prevalence) + (1 - prevalence) * log(1 - prevalence)
}

# n for expected shrinkage s with p parameters and Cox-Snell R2 r2
# (Riley et al. 2019, equation 11).
riley_n_shrinkage <- function(parameters, r2, s) {
  ceiling(parameters / ((s - 1) * log(1 - r2 / s)))
}

sample_size_model <- function(prevalence, parameters, r2_cs, c_statistic,
                              shrinkage, margin) {
  check_open(prevalence, "prevalence", 0, 1, "a proportion")
  check_open(shrinkage, "shrinkage", 0, 1, "a shrinkage factor")
  check_open(margin, "margin", 0, 1, "a margin of error")
  if (is.null(r2_cs) == is.null(c_statistic)) {
    ev_abort("Give one of `r2_cs` and `c_statistic`.",
             "evmirna_error_value", "r2_cs")
  }
  if (!is.null(c_statistic)) {
    check_open(c_statistic, "c_statistic", 0.5, 1, "a C-statistic better than chance")
    r2 <- cs_r2_from_c(c_statistic, prevalence)
  } else {
    check_open(r2_cs, "r2_cs", 0, 1, "a Cox-Snell R-squared")
    r2 <- r2_cs
  }
  max_r2 <- 1 - exp(2 * null_loglik(prevalence))
  if (r2 >= max_r2) {
    arg <- if (is.null(r2_cs)) "c_statistic" else "r2_cs"
    ev_abort(sprintf(paste0("`%s` gives a Cox-Snell R-squared (%.4g) that is not ",
                            "below its maximum %.4g at prevalence %s."),
                     arg, r2, max_r2, format(prevalence)),
             "evmirna_error_value", arg)
  }
  if (r2 >= shrinkage) {
    ev_abort(sprintf("`shrinkage` (%s) must exceed the Cox-Snell R-squared (%.4g).",
                     format(shrinkage), r2), "evmirna_error_value", "shrinkage")
  }
  # Criterion 2: the shrinkage that keeps Nagelkerke optimism within 0.05.
  s_optimism <- r2 / (r2 + 0.05 * max_r2)
  n <- c(riley_n_shrinkage(parameters, r2, shrinkage),
         riley_n_shrinkage(parameters, r2, s_optimism),
         ceiling((1.96 / margin)^2 * prevalence * (1 - prevalence)))
  criteria <- data.frame(
    criterion = c("shrinkage", "optimism", "overall risk"),
    description = c(sprintf("expected shrinkage >= %s", format(shrinkage)),
                    "optimism in Nagelkerke R2 <= 0.05",
                    sprintf("overall risk within +/- %s", format(margin))),
    n = n,
    shrinkage = c(shrinkage, s_optimism, NA),
    events = n * prevalence,
    epp = n * prevalence / parameters,
    stringsAsFactors = FALSE
  )
  n_final <- max(n)
  list(n = n_final, n_events = n_final * prevalence,
       epp = n_final * prevalence / parameters, criteria = criteria,
       prevalence = prevalence, parameters = parameters, r2_cs = r2,
       c_statistic = c_statistic, max_r2_cs = max_r2,
       r2_nagelkerke = r2 / max_r2, shrinkage = max(shrinkage, s_optimism),
       margin = margin)
}

# ---- panel search ------------------------------------------------------------

search_parameters <- function(n_candidates, panel_size, n_covariates) {
  check_given_count(n_candidates, "n_candidates")
  check_number(n_covariates, "n_covariates", lower = 0, integer = TRUE)
  if (!is.null(panel_size)) {
    check_number(panel_size, "panel_size", lower = 1, integer = TRUE)
    if (panel_size > n_candidates) {
      ev_abort(sprintf("`panel_size` (%s) cannot exceed `n_candidates` (%s).",
                       format(panel_size), format(n_candidates)),
               "evmirna_error_value", "panel_size")
    }
  }
  list(parameters = n_candidates + n_covariates, n_candidates = n_candidates,
       panel_size = panel_size, n_covariates = n_covariates)
}

# ---- printing ----------------------------------------------------------------

#' @export
print.ev_sample_size <- function(x, ...) {
  cat(sprintf("<ev_sample_size: %s design>\n", x$design))
  cat(strwrap(sample_size_sentence(x), prefix = "  "), sep = "\n")
  if (!is.null(x$criteria)) {
    cat("  Criteria (Riley et al.):\n")
    for (i in seq_len(nrow(x$criteria))) {
      cat(sprintf("    %-36s n = %d\n", x$criteria$description[i],
                  as.integer(x$criteria$n[i])))
    }
  }
  invisible(x)
}

sample_size_sentence <- function(x) {
  pct <- function(p) paste0(format(signif(100 * p, 3)), "%")
  if (x$design == "auc") {
    side <- if (x$alternative == "two.sided") "two-sided" else "one-sided"
    var_name <- if (x$variance == "obuchowski") "Obuchowski's" else "Hanley and McNeil's"
    ratio <- sprintf("%s control(s) per case", format(x$kappa))
    what <- switch(x$goal,
      n = sprintf(paste("For a miRNA whose true AUC is %s, %d cases and %d",
                        "controls (%s) give %s power to show, with a %s test",
                        "at level %s, that its AUC is above %s."),
                  format(x$auc), x$n_cases, x$n_controls, ratio, pct(x$power),
                  side, format(x$alpha), format(x$auc0)),
      ci_width = sprintf(paste("For a miRNA whose true AUC is %s, %d cases and",
                               "%d controls (%s) give a %s confidence interval",
                               "of the AUC about %s wide."),
                         format(x$auc), x$n_cases, x$n_controls, ratio,
                         pct(1 - x$alpha), format(x$ci_width)),
      power = sprintf(paste("With %s cases and %s controls, a miRNA whose true",
                            "AUC is %s is shown, with a %s test at level %s, to",
                            "be above %s with power %s."),
                      format(x$n_cases_exact), format(signif(x$n_controls_exact, 6)),
                      format(x$auc), side, format(x$alpha), format(x$auc0),
                      pct(x$power))
    )
    return(paste(what, sprintf(paste("This assumes the AUC's variance follows %s",
                                     "binormal approximation."), var_name)))
  }
  perf <- if (is.null(x$c_statistic)) {
    sprintf("a Cox-Snell R-squared of %s", format(signif(x$r2_cs, 4)))
  } else {
    sprintf("a C-statistic of %s (Cox-Snell R-squared %s)", format(x$c_statistic),
            format(signif(x$r2_cs, 4)))
  }
  counted <- if (x$design == "search") {
    k <- x$counted
    sprintf(paste0("%d candidate parameters: all %d miRNAs the search chooses from",
                   "%s%s, because the search looks at every one of them"),
            as.integer(x$parameters), as.integer(k$n_candidates),
            if (k$n_covariates > 0) sprintf(" plus %d covariate parameter(s)",
                                            as.integer(k$n_covariates)) else "",
            if (!is.null(k$panel_size)) sprintf(" (not the %d in the final panel)",
                                                as.integer(k$panel_size)) else "")
  } else {
    sprintf("%d candidate predictor parameters", as.integer(x$parameters))
  }
  sprintf(paste("A model developed on %d patients, about %s with the outcome",
                "(prevalence %s), meets all three of Riley et al.'s criteria if",
                "it reaches %s. The count is %s."),
          as.integer(x$n), format(ceiling(x$n_events)), pct(x$prevalence),
          perf, counted)
}
