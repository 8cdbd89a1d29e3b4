# Turning ev_fit()/predict() inputs into a numeric design: samples in rows,
# the chosen features then the covariate columns, every value finite.

# Returns list(x = samples x features matrix, ids, samples = sample metadata
# data.frame or NULL, steps, scale).
fit_input <- function(x, arg = "x") {
  if (is_evset(x)) {
    validate_evset(x, arg)
    if (identical(x$scale, "counts")) {
      ev_abort(sprintf("`%s` holds raw counts; normalize and log-transform it first (log2 scale).", arg),
               "evmirna_error_value", arg)
    }
    return(list(x = t(x$values), ids = colnames(x$values), samples = x$samples,
                steps = x$steps, scale = x$scale,
                default_features = x$features$id[x$features$role == "target"]))
  }
  if (is.data.frame(x)) {
    ids <- if ("id" %in% names(x)) as.character(x$id) else rownames(x)
    num <- vapply(x, is.numeric, logical(1))
    # before x[num], which would rename duplicates to "a.1"
    check_no_duplicates(names(x)[num], arg, "column names")
    mat <- as.matrix(x[num])
    if (!length(mat)) {
      ev_abort(sprintf("`%s` has no numeric columns.", arg), "evmirna_error_type", arg)
    }
    rownames(mat) <- ids
    # The default features are chosen by frame_columns() in fit_features(),
    # only when `features` is not given.
    return(list(x = mat, ids = ids, samples = x, steps = list(), scale = NULL,
                default_features = NULL, frame = x, arg = arg))
  }
  if (is.matrix(x)) {
    if (!is.numeric(x)) {
      ev_abort(sprintf("`%s` must be a numeric matrix (samples in rows), not %s.",
                       arg, typeof(x)), "evmirna_error_type", arg)
    }
    if (is.null(colnames(x))) colnames(x) <- sprintf("V%d", seq_len(ncol(x)))
    check_no_duplicates(colnames(x), arg, "column names")
    ids <- rownames(x) %||% paste0("sample_", seq_len(nrow(x)))
    return(list(x = x, ids = ids, samples = NULL, steps = list(), scale = NULL,
                default_features = colnames(x)))
  }
  ev_abort(sprintf("`%s` must be an evset, a numeric matrix (samples x features) or a data.frame, not %s.",
                   arg, class(x)[1L]), "evmirna_error_type", arg)
}

# The response as a two-level factor; `group` is a vector or the name of a
# sample column.
fit_group <- function(group, input, positive = NULL) {
  n <- length(input$ids)
  if (is.character(group) && length(group) == 1L && n != 1L) {
    if (is.null(input$samples) || !group %in% names(input$samples)) {
      ev_abort(sprintf("`group` names a column (\"%s\") that the samples of `x` do not have.", group),
               "evmirna_error_unknown", "group")
    }
    group <- input$samples[[group]]
  }
  check_atomic_vector(group, "group")
  if (length(group) != n) {
    ev_abort(sprintf("`group` has length %d but `x` has %d samples.", length(group), n),
             "evmirna_error_shape", "group")
  }
  if (anyNA(group)) {
    ev_abort(sprintf("`group` has missing values (samples %s).",
                     format_offenders(input$ids[is.na(group)])),
             "evmirna_error_value", "group")
  }
  # as.factor() of a vector keeps only the values present; a factor may
  # carry unused levels.
  if (is.factor(group)) {
    if (any(tabulate(group, nlevels(group)) == 0L)) group <- droplevels(group)
  } else {
    group <- as_factor_fast(group)
  }
  if (nlevels(group) < 2L) {
    ev_abort(sprintf("`group` has one class only (\"%s\"); a classifier needs two.",
                     levels(group)[1L]), "evmirna_error_one_class", "group")
  }
  if (nlevels(group) > 2L) {
    ev_abort(sprintf("`group` must have two classes, not %d (%s).", nlevels(group),
                     format_offenders(levels(group))), "evmirna_error_value", "group")
  }
  if (!is.null(positive)) {
    check_string(positive, "positive")
    if (!positive %in% levels(group)) {
      ev_abort(sprintf("`positive` (\"%s\") is not a level of `group` (%s).", positive,
                       format_offenders(levels(group))), "evmirna_error_unknown", "positive")
    }
    group <- factor(group, levels = c(setdiff(levels(group), positive), positive))
  }
  group
}

fit_features <- function(features, input, arg = "features") {
  if (is.null(features) && !is.null(input$frame)) {
    split <- frame_columns(input$frame, id = if ("id" %in% names(input$frame)) "id",
                           arg = input$arg, features_arg = arg)
    frame_inform(split)
    if (!length(split$features)) {
      ev_abort(sprintf("%s No column qualifies; name the predictors in `%s`.",
                       split$message, arg),
               "evmirna_error_empty", arg)
    }
    return(split$features)
  }
  if (is.null(features)) {
    features <- input$default_features
    if (!length(features)) {
      ev_abort("`x` has no target features; name them in `features`.",
               "evmirna_error_empty", arg)
    }
    return(features)
  }
  if (!is.character(features) || !length(features) || anyNA(features)) {
    ev_abort(sprintf("`%s` must be a character vector of feature IDs.", arg),
             "evmirna_error_type", arg)
  }
  unknown <- setdiff(features, colnames(input$x))
  if (length(unknown)) {
    ev_abort(sprintf("`%s` not found in `x`: %s.", arg, format_offenders(unknown)),
             "evmirna_error_unknown", arg)
  }
  check_ids(features, arg, "features")
  features
}

# Covariates: names of sample columns, or a data.frame with one row per
# sample. Factors are expanded to treatment contrasts; the spec records the
# levels so predict() rebuilds the same columns.
fit_covariates <- function(covariates, input) {
  if (is.null(covariates)) return(NULL)
  n <- length(input$ids)
  if (is.character(covariates)) {
    if (is.null(input$samples)) {
      ev_abort("`covariates` given by name need sample metadata; pass a data.frame instead.",
               "evmirna_error_type", "covariates")
    }
    check_no_duplicates(covariates, "covariates", "names")
    unknown <- setdiff(covariates, names(input$samples))
    if (length(unknown)) {
      ev_abort(sprintf("`covariates` not among the sample columns: %s.", format_offenders(unknown)),
               "evmirna_error_unknown", "covariates")
    }
    covariates <- input$samples[covariates]
  }
  if (is.matrix(covariates)) covariates <- as.data.frame(covariates)
  if (!is.data.frame(covariates)) {
    ev_abort("`covariates` must be column names or a data.frame with one row per sample.",
             "evmirna_error_type", "covariates")
  }
  if (nrow(covariates) != n) {
    ev_abort(sprintf("`covariates` has %d rows but `x` has %d samples.", nrow(covariates), n),
             "evmirna_error_shape", "covariates")
  }
  check_no_duplicates(names(covariates), "covariates", "column names")
  ok <- vapply(covariates, function(v) is.numeric(v) || is.factor(v) ||
                 is.character(v) || is.logical(v), logical(1))
  if (!all(ok)) {
    ev_abort(sprintf("`covariates` columns of unsupported type: %s.",
                     format_offenders(names(covariates)[!ok])), "evmirna_error_type", "covariates")
  }
  levels <- lapply(covariates, function(v) {
    if (is.numeric(v)) NULL else levels(as.factor(v))
  })
  check_covariate_levels(covariates, levels)
  list(names = names(covariates), levels = levels, data = covariates)
}

covariate_matrix <- function(spec, data, ids, arg) {
  if (is.null(spec)) return(NULL)
  cols <- lapply(spec$names, function(nm) {
    v <- data[[nm]]
    if (is.null(v)) {
      ev_abort(sprintf("`%s` lacks the covariate column \"%s\".", arg, nm),
               "evmirna_error_unknown", arg)
    }
    lev <- spec$levels[[nm]]
    if (is.null(lev)) {
      if (!is.numeric(v)) {
        ev_abort(sprintf("covariate \"%s\" must be numeric.", nm), "evmirna_error_type", arg)
      }
      out <- matrix(as.double(v), ncol = 1L, dimnames = list(NULL, nm))
    } else {
      v <- as.character(v)
      bad <- !is.na(v) & !v %in% lev
      if (any(bad)) {
        ev_abort(sprintf("covariate \"%s\" has unseen levels: %s.", nm,
                         format_offenders(unique(v[bad]))), "evmirna_error_unknown", arg)
      }
      out <- vapply(lev[-1L], function(l) as.double(v == l), numeric(length(v)))
      out <- matrix(out, nrow = length(v), dimnames = list(NULL, paste0(nm, lev[-1L])))
    }
    out
  })
  out <- do.call(cbind, cols)
  rownames(out) <- ids
  out
}

check_design <- function(design, ids, arg) {
  # range() is NA or infinite exactly when some value is; it allocates nothing.
  if (length(design) && all(is.finite(range(design)))) return(invisible(design))
  bad <- !is.finite(design)
  if (any(bad)) {
    idx <- which(bad, arr.ind = TRUE)
    cells <- sprintf("%s/%s", ids[idx[, 1L]], colnames(design)[idx[, 2L]])
    ev_abort(sprintf("`%s` has missing or non-finite values (%s); impute or drop them first.",
                     arg, format_offenders(cells)), "evmirna_error_value", arg)
  }
  invisible(design)
}

# The full training design: features then covariates.
fit_design <- function(input, features, cov_spec) {
  design <- feature_columns(input$x, features)
  xc <- covariate_matrix(cov_spec, cov_spec$data, input$ids, "covariates")
  if (!is.null(xc)) design <- cbind(design, xc)
  check_design(design, input$ids, "x")
  design
}

# as.factor() without converting every value to a string: for an unnamed
# numeric vector whose distinct values print distinctly, the levels and
# codes are those factor() gives (levels sorted by value).
as_factor_fast <- function(x) {
  if (!is.numeric(x) || is.object(x) || !is.null(names(x))) return(as.factor(x))
  u <- unique(x)
  u <- u[order(u)]
  lev <- as.character(u)
  if (anyDuplicated(lev)) return(as.factor(x))
  structure(match(x, u), levels = lev, class = "factor")
}

# The feature columns as a double matrix, copied only when needed.
feature_columns <- function(x, features) {
  if (!identical(colnames(x), features)) x <- x[, features, drop = FALSE]
  if (!is.double(x)) storage.mode(x) <- "double"
  x
}

# Column SDs (denominator n - 1); in C for double matrices, with the same
# arithmetic as the R expression and without its n x p temporaries.
column_sd <- function(x) {
  n <- nrow(x)
  if (n < 2L) return(rep(NA_real_, ncol(x)))
  if (is.double(x) && is.matrix(x)) {
    out <- .Call(C_column_sd, x)
    names(out) <- colnames(x)
    return(out)
  }
  centred <- x - rep(colMeans(x), each = n)
  sqrt(colSums(centred^2) / (n - 1L))
}
