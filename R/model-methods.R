# predict / coef / print / summary / plot for ev_model.

#' Predict from a panel classifier
#'
#' @param object An `ev_model` from [ev_fit()].
#' @param newdata An [evset], a numeric matrix (samples x features) or a
#'   data.frame holding the model's features (and covariates), already on the
#'   model's scale (apply the model's frozen `steps` first). When missing,
#'   the training predictions are returned.
#' @param type "prob" (probability of the second level), "link" (log-odds)
#'   or "class" (a factor, threshold 0.5).
#' @param s For an elastic-net model: penalty value(s) at which to predict
#'   (linear interpolation along the path, as glmnet). Required when the
#'   model was fitted without a chosen penalty (`s = NULL`).
#' @param covariates Optional data.frame of covariates for `newdata` (one row
#'   per sample) when they are not among its columns or sample metadata.
#' @param ... Unused.
#' @return A named numeric vector (a matrix with one column per `s` when
#'   several are given), or a factor for `type = "class"`. `summary()`
#'   returns a `summary_ev_model` whose coefficient `table` has a column
#'   `curated` listing, per miRNA term, the findings of the curated
#'   bone-remodeling EV table ([bone_remodeling_evs], matched by
#'   [ev_annotate()]) as "id: source cells -> target cells, bone effect"
#'   (`NA` without any), and whose `annotation` holds the matching rows.
#' @export
#' @examples
#' set.seed(2)
#' x <- matrix(rnorm(80 * 2), 80, 2, dimnames = list(NULL, c("a", "b")))
#' y <- rbinom(80, 1, plogis(x[, 1]))
#' fit <- ev_fit(x, y)
#' predict(fit, x[1:3, ], type = "class")
predict.ev_model <- function(object, newdata, type = c("prob", "link", "class"),
                             s = NULL, covariates = NULL, ...) {
  validate_ev_model(object, "object")
  type <- check_choice(type, c("prob", "link", "class"), "type")
  coefs <- model_coef_matrix(object, s)
  if (missing(newdata) || is.null(newdata)) {
    if (is.null(object$train) || !is.null(s)) {
      ev_abort("`newdata` is needed here (the training design is not stored).",
               "evmirna_error_shape", "newdata")
    }
    link <- stats::setNames(object$train$link, object$train$id)
  } else {
    design <- model_design(object, newdata, covariates)
    intercept <- coefs[1L, ]
    if (is.null(s) && !is.null(object$intercept_link)) intercept <- object$intercept_link
    link <- design %*% coefs[-1L, , drop = FALSE]
    link <- sweep(link, 2L, intercept, "+")
    ids <- attr(design, "ids")
    rownames(link) <- ids
    link <- if (ncol(link) == 1L) stats::setNames(link[, 1L], ids) else link
  }
  switch(type,
    link = link,
    prob = stats::plogis(link),
    class = {
      cls <- factor(object$levels[(stats::plogis(link) > 0.5) + 1L], levels = object$levels)
      if (is.matrix(link)) dim(cls) <- dim(link)
      names(cls) <- if (is.matrix(link)) NULL else names(link)
      cls
    }
  )
}

# Intercept-first coefficient matrix (one column per s).
model_coef_matrix <- function(object, s) {
  if (!is.null(s)) {
    if (object$method != "elastic_net") {
      ev_abort("`s` applies to elastic-net models only.", "evmirna_error_value", "s")
    }
    if (!is.numeric(s) || !length(s) || anyNA(s) || any(s < 0)) {
      ev_abort("`s` must be non-negative penalty values.", "evmirna_error_value", "s")
    }
    return(elnet_coef_at(object$path, s))
  }
  if (is.null(object$coefficients)) {
    ev_abort("this elastic-net model keeps the whole path (fitted with `lambda = NULL`); give `s`.",
             "evmirna_error_value", "s")
  }
  matrix(object$coefficients, ncol = 1L,
         dimnames = list(names(object$coefficients), NULL))
}

model_design <- function(object, newdata, covariates) {
  input <- fit_input(newdata, "newdata")
  missing_features <- setdiff(object$features, colnames(input$x))
  if (length(missing_features)) {
    ev_abort(sprintf("`newdata` lacks model features: %s.", format_offenders(missing_features)),
             "evmirna_error_unknown", "newdata")
  }
  xf <- feature_columns(input$x, object$features)
  xc <- NULL
  if (!is.null(object$covariates)) {
    data <- covariates %||% input$samples
    if (!is.null(covariates) && (!is.data.frame(covariates) || nrow(covariates) != nrow(xf))) {
      ev_abort("`covariates` must be a data.frame with one row per sample of `newdata`.",
               "evmirna_error_shape", "covariates")
    }
    xc <- covariate_matrix(object$covariates, data, input$ids, "newdata")
  }
  design <- if (is.null(xc)) xf else cbind(xf, xc)
  check_design(design, input$ids, "newdata")
  attr(design, "ids") <- input$ids
  design
}

#' @rdname predict.ev_model
#' @export
coef.ev_model <- function(object, s = NULL, ...) {
  validate_ev_model(object, "object")
  if (is.null(s) && is.null(object$coefficients)) {
    out <- rbind(`(Intercept)` = object$path$a0, object$path$beta)
    return(out)
  }
  m <- model_coef_matrix(object, s)
  if (ncol(m) == 1L) stats::setNames(m[, 1L], rownames(m)) else m
}

method_label <- function(method) {
  switch(method, logistic = "logistic regression (IRLS)",
         firth = "Firth penalized logistic regression",
         elastic_net = "elastic-net logistic regression",
         lda = "linear discriminant analysis", dlda = "diagonal LDA")
}

#' @rdname predict.ev_model
#' @param x An `ev_model`.
#' @export
print.ev_model <- function(x, ...) {
  validate_ev_model(x, "x")
  cat(sprintf("<ev_model> %s\n", method_label(x$method)))
  cat(sprintf("  classes: %s (n = %d) vs %s (n = %d, modelled event)\n",
              x$levels[1L], x$n[[1L]], x$levels[2L], x$n[[2L]]))
  cat(sprintf("  terms: %d feature(s)%s\n", length(x$features),
              if (is.null(x$covariates)) "" else
                sprintf(" + covariates %s", paste(x$covariates$names, collapse = ", "))))
  if (x$method == "elastic_net") {
    cat(sprintf("  path: %d lambdas from %.4g to %.4g (alpha = %g)\n",
                length(x$path$lambda), max(x$path$lambda), min(x$path$lambda),
                x$path$alpha))
    if (is.null(x$lambda)) cat("  no lambda chosen: pass `s` to predict() and coef()\n")
    else cat(sprintf("  chosen lambda = %.4g: %d non-zero term(s)\n", x$lambda,
                     sum(x$coefficients[-1L] != 0)))
  }
  if (x$method == "firth" && isTRUE(x$options$flic)) {
    cat("  predicted probabilities use the FLIC intercept\n")
  }
  if (length(x$steps)) {
    steps <- vapply(x$steps, function(s) s$name %||% "step", character(1))
    cat(sprintf("  frozen steps: %s\n", paste(steps, collapse = " -> ")))
  }
  if (!is.null(x$coefficients)) {
    show <- x$coefficients[x$coefficients != 0 | names(x$coefficients) == "(Intercept)"]
    cat("  coefficients (log-odds):\n")
    print(utils::head(signif(show, 4), 11L))
    if (length(show) > 11L) cat(sprintf("  ... and %d more\n", length(show) - 11L))
  }
  invisible(x)
}

#' @rdname predict.ev_model
#' @export
summary.ev_model <- function(object, ...) {
  validate_ev_model(object, "object")
  if (is.null(object$table)) {
    ev_abort("this elastic-net model keeps the whole path; refit with a `lambda` for a coefficient table.",
             "evmirna_error_value", "object")
  }
  annotation <- curated_annotation(object$features)
  tab <- object$table
  tab$curated <- curated_findings(tab$term, annotation)
  structure(list(method = object$method, table = tab, n = object$n,
                 levels = object$levels, fit = object$fit, annotation = annotation,
                 conf_level = object$options$conf_level %||% 0.95),
            class = "summary_ev_model")
}

# ev_annotate() rows of the model's features (matched ones only); features
# that are not miRNA names are simply left unannotated.
curated_annotation <- function(features) {
  withCallingHandlers(ev_annotate(features, keep_unmatched = FALSE),
                      evmirna_warning_mirna_name = function(w) invokeRestart("muffleWarning"))
}

# One string per term: the curated findings "id: source -> target cells,
# bone effect", separated by "; " (NA without any).
curated_findings <- function(terms, annotation) {
  if (!nrow(annotation)) return(rep(NA_character_, length(terms)))
  one <- function(i) {
    a <- annotation[i, ]
    cells <- paste(stats::na.omit(c(a$source_cell, a$target_cell)), collapse = " -> ")
    what <- stats::na.omit(c(if (nzchar(cells)) cells, a$bone_effect %||% NA))
    sprintf("%s: %s", a$ev_id, paste(what, collapse = ", "))
  }
  found <- vapply(seq_len(nrow(annotation)), one, character(1))
  out <- vapply(terms, function(t) {
    hit <- found[annotation$input == t]
    if (length(hit)) paste(hit, collapse = "; ") else NA_character_
  }, character(1))
  unname(out)
}

#' @export
print.summary_ev_model <- function(x, ...) {
  cat(sprintf("%s: %s (n = %d) vs %s (n = %d)\n", method_label(x$method),
              x$levels[1L], x$n[[1L]], x$levels[2L], x$n[[2L]]))
  tab <- x$table
  curated <- tab$curated
  tab$curated <- NULL
  num <- vapply(tab, is.numeric, logical(1))
  tab[num] <- lapply(tab[num], signif, digits = 4)
  print(tab, row.names = FALSE)
  if (any(!is.na(curated))) {
    cat("Curated bone-remodeling EV findings (ev_annotate()):\n")
    for (i in which(!is.na(curated))) cat(sprintf("  %s: %s\n", tab$term[i], curated[i]))
  }
  if (!is.null(tab$or_lower)) {
    cat(sprintf("Odds-ratio limits: %g%% Wald intervals.\n", 100 * x$conf_level))
  }
  invisible(x)
}
