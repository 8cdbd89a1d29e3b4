# The training pipeline that cross-validation and the bootstrap re-run on
# each training set: preprocessing (re-learned, then replayed on held-out
# samples as frozen steps), screening, tuning of the elastic-net penalty,
# the fit itself; and prediction for held-out samples.

# Checks the inputs once and returns the pieces every training set needs.
cv_data <- function(x, group, features, covariates, positive, preprocess) {
  if (is_evset(x)) {
    check_evset(x, "x")
    input <- list(ids = colnames(x$values), samples = x$samples)
  } else {
    input <- fit_input(x)
  }
  if (!is.null(preprocess)) {
    if (!is.function(preprocess)) {
      ev_abort("`preprocess` must be NULL or a function(train_evset) returning an evset.",
               "evmirna_error_type", "preprocess")
    }
    if (!is_evset(x)) {
      ev_abort("`preprocess` needs `x` to be an evset (its steps are replayed on the test samples).",
               "evmirna_error_type", "preprocess")
    }
  }
  group <- fit_group(group, input, positive)
  # A data.frame's features are chosen once, not per training set.
  if (is.null(features) && !is.null(input$frame)) features <- fit_features(NULL, input)
  if (!is.null(features)) {
    if (!is.character(features) || !length(features) || anyNA(features)) {
      ev_abort("`features` must be a character vector of feature IDs.",
               "evmirna_error_type", "features")
    }
    check_ids(features, "features", "features")
    if (is.null(preprocess)) fit_features(features, fit_input(x))
  }
  if (is.data.frame(covariates) || is.matrix(covariates)) {
    if (nrow(covariates) != length(input$ids)) {
      ev_abort(sprintf("`covariates` has %d rows but `x` has %d samples.",
                       nrow(covariates), length(input$ids)),
               "evmirna_error_shape", "covariates")
    }
    covariates <- as.data.frame(covariates)
  } else if (!is.null(covariates) && !is.character(covariates)) {
    ev_abort("`covariates` must be column names or a data.frame with one row per sample.",
             "evmirna_error_type", "covariates")
  }
  list(x = x, group = group, y = as.integer(group) - 1L, ids = input$ids,
       features = features, covariates = covariates, preprocess = preprocess)
}

# Samples `idx` (positions, repeats allowed for the bootstrap) of `data`.
cv_take <- function(data, idx) {
  x <- data$x
  dup <- anyDuplicated(idx) > 0L
  if (is_evset(x)) {
    if (!dup) {
      x <- x[, idx]
    } else {
      ids <- make.unique(colnames(x$values)[idx], sep = "#")
      values <- x$values[, idx, drop = FALSE]
      reason <- x$missing_reason[, idx, drop = FALSE]
      colnames(values) <- colnames(reason) <- ids
      samples <- x$samples[idx, , drop = FALSE]
      samples$id <- ids
      rownames(samples) <- NULL
      x <- new_evset(values, x$features, samples, x$scale, reason, x$steps,
                     x$provenance)
    }
  } else {
    x <- x[idx, , drop = FALSE]
    ids <- data$ids[idx]
    if (dup) ids <- make.unique(ids, sep = "#")
    if (is.data.frame(x) && "id" %in% names(x)) x$id <- ids else rownames(x) <- ids
  }
  cov <- data$covariates
  if (is.data.frame(cov)) cov <- cov[idx, , drop = FALSE]
  list(x = x, group = data$group[idx], y = data$y[idx], covariates = cov)
}

# Trains the whole recipe on `train` (from cv_take). `spec` holds method,
# features, screen, lambda, tuning and the method options. Returns list(steps
# (new frozen steps to replay), model, lambda, features (used), selected
# (non-zero terms), tune (inner-CV curve or NULL)).
cv_train <- function(train, data, spec) {
  x <- train$x
  steps <- list()
  if (!is.null(data$preprocess)) {
    n_before <- length(x$steps)
    processed <- data$preprocess(x)
    if (!is_evset(processed)) {
      ev_abort("`preprocess` must return an evset.", "evmirna_error_type", "preprocess")
    }
    if (!identical(colnames(processed$values), colnames(x$values))) {
      ev_abort("`preprocess` must keep the training samples (in order); drop samples before cross-validation.",
               "evmirna_error_value", "preprocess")
    }
    steps <- processed$steps[setdiff(seq_along(processed$steps), seq_len(n_before))]
    x <- processed
  }
  input <- fit_input(x)
  features <- if (is.null(data$features)) input$default_features else
    fit_features(data$features, input)
  n_candidates <- length(features)
  if (!is.null(spec$screen)) {
    features <- screen_features(input$x, features, train$y, spec$screen$top)
  }
  lambda <- spec$lambda
  tune <- NULL
  if (spec$method == "elastic_net" && is.null(lambda)) {
    tune <- tune_lambda(x, train, features, spec)
    lambda <- tune$lambda
  }
  opts <- spec$options
  path <- spec$path
  if (!is.null(tune)) {
    # The path only down to the chosen penalty: the refit at it is the same
    # warm-started sequence as after the full path, without the costly tail.
    path <- tune$path[tune$path >= lambda]
  }
  args <- c(list(x = x, group = train$group, features = features,
                 method = spec$method, covariates = train$covariates),
            if (spec$method == "elastic_net") list(lambda = path, s = lambda), opts)
  model <- do.call(ev_fit, args)
  coefs <- model$coefficients[-1L]
  list(steps = steps, model = model, lambda = lambda, features = features,
       selected = coefs[coefs != 0 & names(coefs) %in% features], tune = tune,
       n_candidates = n_candidates)
}

# Log-odds for the samples of `newdata` (from cv_take) under a trained recipe.
cv_predict <- function(trained, newdata) {
  x <- newdata$x
  if (length(trained$steps)) x <- ev_apply_steps(x, trained$steps)
  cov <- if (is.data.frame(newdata$covariates)) newdata$covariates else NULL
  unname(stats::predict(trained$model, x, type = "link", covariates = cov))
}

# The `top` features with the largest training AUC distance from 0.5 (either
# direction).
screen_features <- function(xmat, features, y01, top) {
  if (top >= length(features)) return(features)
  auc <- roc_auc_matrix(y01, xmat[, features, drop = FALSE], "<")$auc
  top_auc_features(auc, features, top)
}

# The one top-k rule (CV screening and the command line): features ranked by
# |AUC - 0.5|, largest first; ties (equal to 12 decimals, so that 0.7 and 0.3
# tie although their floating-point distances from 0.5 differ) keep the
# order of `features`; a feature whose AUC is NA (one class left, missing
# values) is never picked, so fewer than `top` may come back.
top_auc_features <- function(auc, features, top) {
  score <- round(abs(unname(auc) - 0.5), 12L)
  ord <- order(-score, seq_along(features), na.last = NA)
  features[ord[seq_len(min(top, length(ord)))]]
}

# Elastic-net penalty chosen by inner CV on the training samples: the path
# is fitted on all of them, each inner fold is refitted on the same lambda
# sequence, and the lambda with the best pooled inner criterion wins (the
# largest one among ties).
tune_lambda <- function(x, train, features, spec, fid = NULL) {
  base <- c(list(group = train$group, features = features, method = "elastic_net"),
            spec$options)
  path <- do.call(ev_fit, c(list(x = x, covariates = train$covariates, lambda = spec$path),
                            base))
  lam <- path$path$lambda
  n <- length(train$y)
  if (is.null(fid)) {
    fid <- ev_folds(train$group, spec$inner_folds, 1L, stratified = spec$stratified)[, 1L]
  }
  if (is.null(train$covariates) && identical(sort(unique(fid)), seq_len(max(fid)))) {
    # Without covariates every inner training design is a row subset of this
    # one: all inner paths run in one C call.
    prep <- fit_prepare(x, train$group, features, NULL, NULL)
    link <- elnet_cv_link(prep$design, prep$y, fid, path$options, lam, lam,
                          rep(path$options$lambda_min_ratio, max(fid)))
    dimnames(link) <- NULL
    crit <- inner_criterion(link, train$y, fid, spec$tune)
    best <- if (spec$tune == "auc") which.max(crit) else which.min(crit)
    return(list(lambda = lam[best], path = lam, criterion = crit))
  }
  link <- matrix(NA_real_, n, length(lam))
  for (k in sort(unique(fid))) {
    inner_tr <- cv_take_set(x, train, which(fid != k))
    inner_te <- cv_take_set(x, train, which(fid == k))
    m <- do.call(ev_fit, c(list(x = inner_tr$x, group = inner_tr$group,
                                features = features, method = "elastic_net",
                                covariates = inner_tr$covariates, lambda = lam),
                           spec$options))
    cov <- if (is.data.frame(inner_te$covariates)) inner_te$covariates else NULL
    pred <- stats::predict(m, inner_te$x, type = "link", s = lam, covariates = cov)
    link[fid == k, ] <- matrix(pred, ncol = length(lam))
  }
  crit <- inner_criterion(link, train$y, fid, spec$tune)
  best <- if (spec$tune == "auc") which.max(crit) else which.min(crit)
  list(lambda = lam[best], path = lam, criterion = crit)
}

# A training set's own subset (already preprocessed `x` when given).
cv_take_set <- function(x, train, idx) {
  cv_take(list(x = x, group = train$group, y = train$y,
               ids = fit_input_ids(x), covariates = train$covariates), idx)
}

fit_input_ids <- function(x) {
  if (is_evset(x)) colnames(x$values) else fit_input(x)$ids
}

# Pooled binomial deviance per observation (probabilities clipped to
# [1e-5, 1 - 1e-5], as cv.glmnet) or the fold-size weighted mean AUC.
inner_criterion <- function(link, y, fid, tune) {
  if (tune == "deviance") {
    p <- pmin(pmax(stats::plogis(link), 1e-5), 1 - 1e-5)
    return(colMeans(-2 * (y * log(p) + (1 - y) * log(1 - p))))
  }
  folds <- sort(unique(fid))
  aucs <- vapply(folds, function(k) {
    roc_auc_matrix(y[fid == k], link[fid == k, , drop = FALSE], "<")$auc
  }, numeric(ncol(link)))
  aucs <- matrix(aucs, ncol = length(folds))
  w <- tabulate(fid)[folds]
  ok <- !is.na(aucs[1L, ])
  drop(aucs[, ok, drop = FALSE] %*% w[ok]) / sum(w[ok])
}
