# Formula interfaces of ev_fit() and ev_cv() for a data.frame of patients:
# `outcome ~ .` takes the miRNA columns only (the data-frame feature rule of
# frame_columns()), named terms that are not miRNA columns become clinical
# covariates.

# The x, group, features and covariates a formula call stands for; `group`
# is a data.frame when data was given by position (ev_fit(f, df)).
formula_inputs <- function(formula, group, data, features, covariates) {
  if (is.null(data) && is.data.frame(group)) data <- group
  roles <- formula_roles(formula, data)
  list(x = data, group = roles$group, features = features %||% roles$features,
       covariates = covariates %||% roles$covariates)
}

formula_roles <- function(formula, data) {
  if (!is.data.frame(data)) {
    ev_abort("with a formula, `data` must be a data.frame with one row per patient.",
             "evmirna_error_type", "data")
  }
  if (length(formula) != 3L || !is.name(formula[[2L]])) {
    ev_abort("`x`: the formula needs an outcome column on its left: `outcome ~ .`.",
             "evmirna_error_value", "x")
  }
  outcome <- as.character(formula[[2L]])
  if (!outcome %in% names(data)) {
    ev_abort(sprintf("`x`: the outcome `%s` is not a column of `data`.", outcome),
             "evmirna_error_unknown", "x")
  }
  rhs <- all.names(formula[[3L]])
  labels <- attr(stats::terms(formula, data = data), "term.labels")
  terms <- vapply(labels, function(t) {
    e <- str2lang(t)
    if (is.name(e)) as.character(e) else NA_character_
  }, character(1), USE.NAMES = FALSE)
  if (anyNA(terms) || !all(terms %in% names(data)) || !all(rhs %in% c(names(data), "+", "."))) {
    ev_abort(sprintf("`x`: formula terms must be column names of `data` joined by `+` (or `.`), not %s.",
                     format_offenders(labels[is.na(terms) | !terms %in% names(data)])),
             "evmirna_error_value", "x")
  }
  id <- if ("id" %in% names(data)) "id"
  mirna <- frame_columns(data, id = id, exclude = outcome, arg = "data")$features
  if ("." %in% rhs) {
    named <- setdiff(terms, mirna)   # with `.`, terms() listed every column
    named <- intersect(named, setdiff(all.vars(formula[[3L]]), "."))
    features <- mirna
  } else {
    named <- setdiff(terms, mirna)
    features <- intersect(terms, mirna)
  }
  named <- setdiff(named, c(outcome, id))
  if (!length(features)) {
    ev_abort("`x`: the formula selects no miRNA column of `data`.", "evmirna_error_empty", "x")
  }
  list(group = outcome, features = features,
       covariates = if (length(named)) named)
}
