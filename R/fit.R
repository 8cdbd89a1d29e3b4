# ev_fit(): one entry point for the panel classifiers. Input checking and
# the design live in fit-data.R; each method's fitter in fitters.R.

fitter_names <- c("logistic", "elastic_net", "firth", "lda", "dlda")

#' Fit a panel classifier
#'
#' Fits a two-class classifier on a miRNA panel: unpenalized logistic
#' regression (IRLS), an elastic-net logistic path (coordinate descent, as
#' glmnet), Firth's bias-reduced logistic regression (as logistf), linear
#' discriminant analysis with a pooled covariance, or diagonal LDA. The
#' numeric work is done in C (BLAS/LAPACK).
#'
#' The model keeps the processing steps recorded in `x$steps` (frozen
#' normalization parameters) so that new samples can be scored with the same
#' recipe; `predict()` itself expects `newdata` already on the model's scale.
#'
#' @section Methods and their options (passed through `...`):
#' * `"logistic"`: maximum likelihood by IRLS, iterated like [stats::glm()]
#'   (`maxit = 25`, `epsilon = 1e-8`); each step is a Cholesky solve. Wald
#'   standard errors, z tests and odds ratios with Wald CIs (`conf_level =
#'   0.95`). Complete or quasi-complete separation (fitted probabilities
#'   numerically 0 or 1, or a linear predictor that splits the classes) gives
#'   a warning of class `evmirna_warning_separation` pointing to `"firth"`.
#'   Needs fewer terms than samples.
#' * `"firth"`: Jeffreys-prior penalized likelihood with logistf's defaults
#'   (`maxit = 25`, `maxstep = 5`, `maxhs = 0`, `lconv = gconv = xconv =
#'   1e-5`). Standard errors and CIs are Wald (logistf's `pl = FALSE`);
#'   profile-likelihood CIs are not computed. With `flic = TRUE` (default),
#'   predicted probabilities use the FLIC intercept (Puhr et al. 2017), which
#'   makes the average predicted probability equal the observed event rate.
#' * `"elastic_net"`: the binomial elastic-net path with glmnet's defaults:
#'   `alpha = 1`, `n_lambda = 100`, `lambda_min_ratio = 0.01` when n < p else
#'   `1e-4`, `standardize = TRUE`, `thresh = 1e-7`, `maxit = 1e5`, and the
#'   same lambda sequence. `penalty_factor` (one per term; default 1 for
#'   features and 0 for covariates, so clinical covariates stay unpenalized)
#'   are available. As in glmnet, `lambda` is the penalty sequence (default:
#'   glmnet's own) and `s` the chosen penalty: with `s` the model is refitted
#'   exactly at that value (warm-started along the path); with `s = NULL`
#'   the whole path is kept and `predict()`/`coef()` need `s`.
#' * `"lda"`, `"dlda"`: two-class LDA with the pooled within-class covariance
#'   (denominator n - 2, as [MASS::lda()]) or its diagonal; `prior` is the
#'   prior probability of the second class (default: its training
#'   proportion). Posterior log-odds are linear, so coefficients are on the
#'   same log-odds scale as the logistic models.
#'
#' @param x An [evset] on the log2 (or Cq) scale, a numeric matrix with
#'   samples in rows and features in columns, a data.frame with one row
#'   per sample (numeric columns are candidate features; an `id` column names
#'   the samples), or a formula `outcome ~ .` / `outcome ~ miR_a + miR_b +
#'   age` with `data`: `.` stands for the miRNA columns of `data` only (the
#'   data-frame feature rule: miRNA-like names, numeric, not binary), and a
#'   named term that is not such a column is a clinical covariate.
#' @param group The two classes: a factor or vector with one value per
#'   sample, or the name of a column of `x$samples` (or of the data.frame).
#'   The second factor level (or `positive`) is the event modelled.
#' @param features Feature IDs to use. Default: the target miRNAs of an
#'   evset, or every numeric column of a matrix or data.frame.
#' @param method One of "logistic", "elastic_net", "firth", "lda", "dlda".
#' @param covariates Clinical covariates: names of sample columns or a
#'   data.frame with one row per sample. Factors get treatment contrasts.
#' @param positive Optional level of `group` to model as the event.
#' @param lambda For `"elastic_net"`: the penalty sequence (glmnet's
#'   `lambda`), or `NULL` for glmnet's default sequence. A single value
#'   without `s` is read as the chosen penalty, with a deprecation warning
#'   (the meaning before 0.2.0); the option `lambda_path` is the deprecated
#'   spelling of the sequence.
#' @param s For `"elastic_net"`: the chosen penalty (glmnet's `s`), or
#'   `NULL` to keep the whole path.
#' @param ... Method options (see the section above).
#' @param data With a formula `x`: the data.frame of patients.
#' @return An object of class `ev_model`: a list with `method`, `levels`,
#'   `features`, `terms`, `coefficients` (intercept first, original scale;
#'   `NULL` for an elastic-net path without a chosen lambda), `table` (the
#'   coefficient table: estimate, standard error, z, p-value, odds ratio
#'   with CI, standardized coefficient = estimate x the term's training SD),
#'   `standardized`, `path` (elastic net: `lambda`, `df`, `a0`, `beta`,
#'   `dev_ratio`), `lambda` (the chosen penalty `s`), `steps` (the frozen preprocessing from
#'   `x$steps`), `train` (data.frame `id`, `group`, `link`, `prob`: the
#'   training linear predictor and probability), `roc` (the training ROC of
#'   the predicted probability, an [ev_roc] with direction "<"; `NULL` for
#'   an elastic-net path without a chosen lambda), `fit` (convergence details) and `options`.
#' @seealso [predict.ev_model()], [summary.ev_model()], [plot.ev_model()]
#' @references
#' Firth D (1993). Bias reduction of maximum likelihood estimates.
#' *Biometrika* 80(1), 27-38. \doi{10.1093/biomet/80.1.27}
#'
#' Puhr R, Heinze G, Nold M, Lusa L, Geroldinger A (2017). Firth's logistic
#' regression with rare events: accurate effect estimates and predictions?
#' *Statistics in Medicine* 36(14), 2302-2317. \doi{10.1002/sim.7273}
#'
#' Friedman J, Hastie T, Tibshirani R (2010). Regularization paths for
#' generalized linear models via coordinate descent. *Journal of Statistical
#' Software* 33(1), 1-22. \doi{10.18637/jss.v033.i01}
#'
#' Zou H, Hastie T (2005). Regularization and variable selection via the
#' elastic net. *Journal of the Royal Statistical Society B* 67(2), 301-320.
#' \doi{10.1111/j.1467-9868.2005.00503.x}
#'
#' Fisher RA (1936). The use of multiple measurements in taxonomic problems.
#' *Annals of Eugenics* 7(2), 179-188.
#' \doi{10.1111/j.1469-1809.1936.tb02137.x}
#'
#' Dudoit S, Fridlyand J, Speed TP (2002). Comparison of discrimination
#' methods for the classification of tumors using gene expression data.
#' *Journal of the American Statistical Association* 97(457), 77-87.
#' \doi{10.1198/016214502753479248}
#' @export
#' @examples
#' set.seed(1)
#' x <- matrix(rnorm(60 * 3), 60, 3,
#'             dimnames = list(NULL, c("hsa-miR-21-5p", "hsa-miR-214-3p",
#'                                     "hsa-miR-133a-3p")))
#' group <- factor(ifelse(x[, 1] + rnorm(60) > 0, "osteoporosis", "control"))
#' fit <- ev_fit(x, group, method = "logistic")
#' fit
#' summary(fit)
#' head(predict(fit, x))
#'
#' net <- ev_fit(x, group, method = "elastic_net", s = 0.02)
#' coef(net)
ev_fit <- function(x, group, features = NULL,
                   method = c("logistic", "elastic_net", "firth", "lda", "dlda"),
                   covariates = NULL, positive = NULL, lambda = NULL, s = NULL, ...,
                   data = NULL) {
  if (inherits(x, "formula")) {
    # sets x, group, features and covariates from the formula and data
    list2env(formula_inputs(x, if (!missing(group)) group, data, features, covariates),
             environment())
  }
  method <- check_choice(method, fitter_names, "method")
  for (nm in c("lambda", "s")) {
    if (!is.null(get(nm)) && method != "elastic_net") {
      ev_abort(sprintf("`%s` applies to method = \"elastic_net\" only.", nm),
               "evmirna_error_value", nm)
    }
  }
  pen <- elnet_penalty_args(lambda, s, fit_dots(list(...)))
  prep <- fit_prepare(x, group, features, covariates, positive)
  fit_model(prep, method, pen$s, pen$opts, match.call())
}

# The checked inputs of a fit: input, group, features, covariate spec, the
# design (samples x terms) and the 0/1 response.
fit_prepare <- function(x, group, features, covariates, positive) {
  input <- fit_input(x)
  group <- fit_group(group, input, positive)
  features <- fit_features(features, input)
  cov_spec <- fit_covariates(covariates, input)
  design <- fit_design(input, features, cov_spec)
  list(input = input, group = group, features = features, cov_spec = cov_spec,
       design = design, y = as.double(as.integer(group) - 1L),
       n_cov = ncol(design) - length(features))
}

fit_dots <- function(opts) {
  if (length(opts) && (is.null(names(opts)) || any(!nzchar(names(opts))))) {
    ev_abort("options in `...` must be named.", "evmirna_error_type", "...")
  }
  deprecated_dots(opts, "nlambda", "n_lambda")
}

fit_model <- function(prep, method, lambda, opts, call) {
  design <- prep$design
  y <- prep$y
  group <- prep$group
  fit <- switch(method,
    logistic = fit_logistic(design, y, opts),
    firth = fit_firth(design, y, opts),
    elastic_net = fit_elastic_net(design, y, opts, lambda, prep$n_cov),
    lda = fit_lda(design, y, opts, diagonal = FALSE),
    dlda = fit_lda(design, y, opts, diagonal = TRUE)
  )
  cov_spec <- prep$cov_spec
  cov_spec$data <- NULL
  term_sd <- fit$term_sd %||% column_sd(design)
  model <- list(
    method = method, call = call, levels = levels(group),
    features = prep$features, covariates = cov_spec, terms = colnames(design),
    coefficients = fit$coefficients, intercept_link = fit$intercept_link,
    table = NULL, standardized = NULL, path = fit$path, lambda = fit$lambda,
    steps = prep$input$steps, scale = prep$input$scale, term_sd = term_sd,
    n = class_table(group), train = NULL, roc = NULL, fit = fit$info,
    options = fit$options, vcov = fit$vcov
  )
  if (!is.null(model$coefficients)) {
    model$standardized <- model$coefficients[-1L] * term_sd
    model$table <- coef_table(model, fit$vcov)
    link <- drop(fit$intercept_link + design %*% model$coefficients[-1L])
    model$train <- plain_frame(list(id = prep$input$ids, group = group, link = link,
                                    prob = stats::plogis(link)))
    model$roc <- ev_roc(group, model$train$prob, levels = levels(group), direction = "<")
  }
  structure(model, class = c("ev_fit", "ev_model"))
}

# Estimates with Wald statistics where a covariance exists.
coef_table <- function(model, vcov) {
  est <- model$coefficients
  conf <- model$options$conf_level %||% 0.95
  tab <- list(term = names(est), estimate = unname(est))
  odds_ratio <- exp(est)
  odds_ratio[1L] <- NA
  if (!is.null(vcov)) {
    se <- sqrt(diag(vcov))
    z <- est / se
    q <- stats::qnorm(1 - (1 - conf) / 2)
    tab$std_error <- se
    tab$z <- z
    tab$p_value <- 2 * stats::pnorm(-abs(z))
    tab$odds_ratio <- odds_ratio
    tab$or_lower <- c(NA, exp(est - q * se)[-1L])
    tab$or_upper <- c(NA, exp(est + q * se)[-1L])
  } else {
    tab$odds_ratio <- odds_ratio
  }
  tab$standardized <- c(NA, unname(model$standardized))
  tab <- plain_frame(lapply(tab, unname))
  # attribute order of the data.frame() + `$<-` construction this replaces
  attributes(tab) <- attributes(tab)[c("names", "row.names", "class")]
  tab
}

# data.frame(cols, stringsAsFactors = FALSE) for unnamed, equal-length
# columns, without data.frame()'s per-call deparsing and checks.
plain_frame <- function(cols) {
  n <- length(cols[[1L]])
  if (any(vapply(cols, function(v) !is.null(names(v)) || length(v) != n ||
                   !is.null(dim(v)), logical(1)))) {
    return(do.call(data.frame, c(cols, stringsAsFactors = FALSE)))
  }
  structure(cols, class = "data.frame", row.names = c(NA_integer_, -n))
}

# table(group) for a factor, built directly.
class_table <- function(group) {
  lev <- levels(group)
  structure(tabulate(group, length(lev)), dim = length(lev),
            dimnames = structure(list(lev), names = "group"), class = "table")
}

# Checks the names in `opts` against `defaults` and fills the rest.
method_options <- function(opts, defaults, method) {
  unknown <- setdiff(names(opts), names(defaults))
  if (length(unknown)) {
    ev_abort(sprintf("unknown option(s) for method \"%s\": %s; known: %s.", method,
                     format_offenders(unknown), format_offenders(names(defaults), 20L)),
             "evmirna_error_unknown", "...")
  }
  utils::modifyList(defaults, opts)
}
