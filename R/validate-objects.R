# Validators of the package's objects. A verb receives an object that may
# have been edited by hand, read back from a file or built by another
# version, and some of its fields go straight to C (ROC groups and clusters,
# model coefficients, frozen steps), so every field a verb or kernel reads is
# checked on the way in: a corrupted object is a classed error
# (`evmirna_error_corrupt`) naming the field, never a crash or a silent NA.
# Each check is a length/type test or one linear pass over a vector.

corrupt <- function(arg, field, problem) {
  ev_abort(sprintf("`%s$%s` %s; the object looks edited or corrupted (rebuild it).",
                   arg, field, problem),
           "evmirna_error_corrupt", arg, call = sys.call(-2L))
}

is_string <- function(x) is.character(x) && length(x) == 1L && !is.na(x)

# NULL when x is a double/integer vector of length n (NULL n: any) whose
# values are finite (or NA when na_ok) within [lower, upper].
num_problem <- function(x, n = NULL, lower = -Inf, upper = Inf, na_ok = FALSE) {
  if (!is.numeric(x) || is.object(x)) return("must be numeric")
  if (!is.null(n) && length(x) != n) {
    return(sprintf("has length %d, not %d", length(x), n))
  }
  v <- if (na_ok) x[!is.na(x)] else x
  if (anyNA(v) || any(is.infinite(v))) {
    return(if (na_ok) "must be finite or NA" else "must be finite (no NA)")
  }
  if (length(v) && (min(v) < lower || max(v) > upper)) {
    return(sprintf("must lie in [%s, %s]", format(lower), format(upper)))
  }
  NULL
}

check_num_field <- function(obj, field, arg, ...) {
  p <- num_problem(obj[[field]], ...)
  if (!is.null(p)) corrupt(arg, field, p)
}

# ---- evset -------------------------------------------------------------

validate_evset <- function(x, arg = "x") {
  if (!is_evset(x)) {
    ev_abort(sprintf("`%s` must be an evset (see evset() and as_evset()), not %s.",
                     arg, class(x)[1L]),
             "evmirna_error_type", arg, call = sys.call(-1L))
  }
  if (!is.list(x)) corrupt(arg, "values", "is missing (not a list)")
  v <- x$values
  if (!is.matrix(v) || !is.double(v)) corrupt(arg, "values", "must be a double matrix")
  if (!nrow(v) || !ncol(v)) corrupt(arg, "values", "is empty")
  rn <- rownames(v)
  cn <- colnames(v)
  if (is.null(rn) || is.null(cn) || anyNA(rn) || anyNA(cn) ||
      anyDuplicated(rn) || anyDuplicated(cn)) {
    corrupt(arg, "values", "must have unique feature (row) and sample (column) names")
  }
  if (!is_string(x$scale) || !x$scale %in% c("cq", "counts", "log2")) {
    corrupt(arg, "scale", "must be \"cq\", \"counts\" or \"log2\"")
  }
  # min() and max() passes instead of a pass per test: every verb validates its
  # evset, so this runs on each call (NaN is looked for only when NAs exist).
  if (anyNA(v) && any(is.nan(v))) corrupt(arg, "values", "has NaN or infinite entries")
  r <- suppressWarnings(c(min(v, na.rm = TRUE), max(v, na.rm = TRUE)))
  if (r[1L] <= r[2L]) {
    if (any(is.infinite(r))) corrupt(arg, "values", "has NaN or infinite entries")
    if (x$scale == "cq" && (r[1L] <= 0 || r[2L] > 50)) {
      corrupt(arg, "values", "holds Cq values outside (0, 50]")
    }
    if (x$scale == "counts" && r[1L] < 0) corrupt(arg, "values", "holds negative counts")
  }
  f <- x$features
  if (!is.data.frame(f) || nrow(f) != nrow(v) || !identical(as.character(f$id), rn)) {
    corrupt(arg, "features", "must be a data.frame whose `id` matches the rows of `values`")
  }
  if (!is.character(f$role) || anyNA(f$role) || !all(f$role %in% feature_roles)) {
    corrupt(arg, "features", sprintf("`role` must be one of %s", format_offenders(feature_roles)))
  }
  if (!is.character(f$mirna)) corrupt(arg, "features", "`mirna` must be a character column")
  s <- x$samples
  if (!is.data.frame(s) || nrow(s) != ncol(v) || !identical(as.character(s$id), cn)) {
    corrupt(arg, "samples", "must be a data.frame whose `id` matches the columns of `values`")
  }
  mr <- x$missing_reason
  if (!is.matrix(mr) || !is.character(mr) || !identical(dim(mr), dim(v))) {
    corrupt(arg, "missing_reason", "must be a character matrix shaped like `values`")
  }
  if (!is.list(x$steps) || is.object(x$steps)) corrupt(arg, "steps", "must be a list")
  if (!is.null(x$replicates) && !replicates_ok(x$replicates, v)) {
    corrupt(arg, "replicates", "must be NULL or a list of matrices `wells`, `used`, `sd` shaped like `values`")
  }
  invisible(x)
}

# ---- ev_roc ------------------------------------------------------------

# The fields of an ev_roc's `fit` in the order the bootstrap kernel reads
# them (roc_fit_with_groups() fills `group`).
roc_fit_fields <- c("thresholds", "sensitivities", "specificities", "auc", "values",
                    "group", "placements_cases", "placements_controls", "direction",
                    "delong_var")

validate_ev_roc <- function(roc, arg = "roc") {
  if (!inherits(roc, "ev_roc")) {
    ev_abort(sprintf("`%s` must be an `ev_roc` object (from ev_roc()).", arg),
             "evmirna_error_type", arg, call = sys.call(-1L))
  }
  if (!is.list(roc)) corrupt(arg, "response", "is missing (not a list)")
  y <- roc$response
  if (!is.integer(y) || length(y) < 2L || anyNA(y) || any(y != 0L & y != 1L)) {
    corrupt(arg, "response", "must be a 0/1 integer vector without NA")
  }
  n <- length(y)
  n1 <- sum(y)
  if (!identical(roc$n_cases, n1) || !identical(roc$n_controls, n - n1) ||
      n1 == 0L || n1 == n) {
    corrupt(arg, "n_cases", "must count the cases (and `n_controls` the controls) of `response`, one or more each")
  }
  pr <- roc$predictor
  if (!is.double(pr) || length(pr) != n || anyNA(pr)) {
    corrupt(arg, "predictor", sprintf("must hold %d numbers without NA (Inf allowed)", n))
  }
  if (!is.null(roc$weights)) check_num_field(roc, "weights", arg, n = n, lower = 0)
  cl <- roc$cluster
  if (!is.null(cl) && (!is.integer(cl) || length(cl) != n || anyNA(cl) ||
                       min(cl) < 1L || max(cl) > n ||
                       !all(tabulate(cl, max(cl)) > 0L))) {
    corrupt(arg, "cluster", sprintf("must hold cluster numbers 1..K (each used) for the %d observations", n))
  }
  for (nm in c("n_dropped", "n_outside", "n_input")) {
    v <- roc[[nm]]
    if (!is.numeric(v) || length(v) != 1L || is.na(v) || v < 0) {
      corrupt(arg, nm, "must be a count")
    }
  }
  if (!is_string(roc$direction) || !roc$direction %in% c("<", ">")) {
    corrupt(arg, "direction", "must be \"<\" or \">\"")
  }
  if (!is.character(roc$levels) || length(roc$levels) != 2L || anyNA(roc$levels)) {
    corrupt(arg, "levels", "must be two class labels")
  }
  check_num_field(roc, "auc", arg, n = 1L, lower = 0, upper = 1)
  k <- length(roc$thresholds)
  if (!is.numeric(roc$thresholds) || k < 2L || anyNA(roc$thresholds)) {
    corrupt(arg, "thresholds", "must be a numeric vector without NA")
  }
  check_num_field(roc, "sensitivities", arg, n = k, lower = 0, upper = 1)
  check_num_field(roc, "specificities", arg, n = k, lower = 0, upper = 1)
  f <- roc$fit
  if (!is.list(f) || !identical(names(f), roc_fit_fields)) {
    corrupt(arg, "fit", sprintf("must be the fitted curve (fields %s)",
                                format_offenders(roc_fit_fields, 20L)))
  }
  u <- f$values
  if (!is.double(u) || !length(u) || length(u) > n || anyNA(u) || is.unsorted(u, strictly = TRUE)) {
    corrupt(arg, "fit$values", "must be the sorted distinct predictor values")
  }
  z <- if (roc$direction == "<") roc$predictor else -roc$predictor
  if (anyNA(match(z, u))) {
    corrupt(arg, "predictor", "does not match the fitted curve (`fit$values`)")
  }
  g <- f$group
  if (!is.null(g) && (!is.integer(g) || length(g) != n || anyNA(g) ||
                      min(g) < 0L || max(g) >= length(u))) {
    corrupt(arg, "fit$group", sprintf("must hold value indices 0..%d for the %d observations",
                                      length(u) - 1L, n))
  }
  p <- num_problem(f$placements_cases, n1, 0, 1)
  if (!is.null(p)) corrupt(arg, "fit$placements_cases", p)
  p <- num_problem(f$placements_controls, n - n1, 0, 1)
  if (!is.null(p)) corrupt(arg, "fit$placements_controls", p)
  if (!identical(f$direction, match(roc$direction, c("<", ">")))) {
    corrupt(arg, "fit$direction", "does not match `direction`")
  }
  p <- num_problem(f$delong_var, 1L, 0, Inf, na_ok = TRUE)
  if (!is.null(p)) corrupt(arg, "fit$delong_var", p)
  invisible(roc)
}

# ---- ev_model ----------------------------------------------------------

model_methods <- c("logistic", "firth", "elastic_net", "lda", "dlda")

validate_ev_model <- function(model, arg = "model") {
  if (!inherits(model, "ev_model")) {
    ev_abort(sprintf("`%s` must be an ev_model from ev_fit().", arg),
             "evmirna_error_type", arg, call = sys.call(-1L))
  }
  if (!is.list(model)) corrupt(arg, "method", "is missing (not a list)")
  if (!is_string(model$method) || !model$method %in% model_methods) {
    corrupt(arg, "method", sprintf("must be one of %s", format_offenders(model_methods)))
  }
  lv <- model$levels
  if (!is.character(lv) || length(lv) != 2L || anyNA(lv) || lv[1L] == lv[2L]) {
    corrupt(arg, "levels", "must be two distinct class labels")
  }
  feats <- model$features
  if (!is.character(feats) || !length(feats) || anyNA(feats) || anyDuplicated(feats)) {
    corrupt(arg, "features", "must be unique feature IDs")
  }
  terms <- model$terms
  if (!is.character(terms) || !all(feats %in% terms)) {
    corrupt(arg, "terms", "must name the design columns, features included")
  }
  cf <- model$coefficients
  if (!is.null(cf)) {
    check_num_field(model, "coefficients", arg, n = length(terms) + 1L)
    if (!identical(names(cf), c("(Intercept)", terms))) {
      corrupt(arg, "coefficients", "must be named \"(Intercept)\" and the model's terms")
    }
    if (!is.null(model$intercept_link)) check_num_field(model, "intercept_link", arg, n = 1L)
  } else {
    path <- model$path
    nl <- length(path$lambda)
    if (model$method != "elastic_net" || !is.list(path) || !nl) {
      corrupt(arg, "coefficients", "is missing")
    }
    p <- num_problem(path$lambda, nl, 0)
    if (is.null(p) && is.unsorted(rev(path$lambda))) p <- "must be decreasing"
    if (!is.null(p)) corrupt(arg, "path$lambda", p)
    p <- num_problem(path$a0, nl)
    if (!is.null(p)) corrupt(arg, "path$a0", p)
    b <- path$beta
    if (!is.matrix(b) || !identical(dim(b), c(length(terms), nl)) ||
        !is.null(num_problem(as.vector(b)))) {
      corrupt(arg, "path$beta", sprintf("must be a finite %d x %d matrix", length(terms), nl))
    }
  }
  nn <- model$n
  if (!is.numeric(nn) || length(nn) != 2L || anyNA(nn) || any(nn < 0)) {
    corrupt(arg, "n", "must count the two classes")
  }
  for (nm in c("options", "fit", "covariates", "path")) {
    if (!is.null(model[[nm]]) && (!is.list(model[[nm]]) || is.data.frame(model[[nm]]))) {
      corrupt(arg, nm, "must be a list (or NULL)")
    }
  }
  if (!is.null(model$table) && !is.data.frame(model$table)) {
    corrupt(arg, "table", "must be a data.frame (or NULL)")
  }
  if (!is.list(model$steps %||% list())) corrupt(arg, "steps", "must be a list")
  tr <- model$train
  if (!is.null(tr) && (!is.data.frame(tr) || !is.character(tr$id) ||
                       !is.numeric(tr$link) || !is.numeric(tr$prob) ||
                       length(tr$group) != nrow(tr))) {
    corrupt(arg, "train", "must be the training predictions (id, group, link, prob)")
  }
  if (!is.null(model$recipe)) validate_recipe(model$recipe, model, arg)
  invisible(model)
}

# The frozen scoring recipe of ev_freeze() / ev_load_model(): what
# ev_score() reads.
validate_recipe <- function(recipe, model, arg) {
  rarg <- paste0(arg, "$recipe")
  if (!is.list(recipe)) corrupt(arg, "recipe", "must be a list")
  if (!is_string(recipe$input_scale) || !recipe$input_scale %in% c("cq", "counts")) {
    corrupt(rarg, "input_scale", "must be \"cq\" or \"counts\"")
  }
  if (is.null(model$coefficients) || is.null(model$intercept_link)) {
    corrupt(arg, "coefficients", "are needed by a frozen model (with `intercept_link`)")
  }
  qc <- recipe$qc
  th <- qc$thresholds
  for (nm in names(qc_threshold_spec)) {
    p <- num_problem(th[[nm]], 1L, qc_threshold_spec[[nm]][1L], qc_threshold_spec[[nm]][2L])
    if (!is.null(p)) corrupt(rarg, paste0("qc$thresholds$", nm), p)
  }
  if (th$hemolysis_cutoff < th$hemolysis_risk) {
    corrupt(rarg, "qc$thresholds$hemolysis_cutoff", "must be at least `hemolysis_risk`")
  }
  p <- num_problem(qc$max_nondetect_rate, 1L, 0, 1)
  if (!is.null(p)) corrupt(rarg, "qc$max_nondetect_rate", p)
  fr <- qc$frozen
  for (nm in c("global_mean_centre", "global_mean_scale")) {
    p <- num_problem(fr[[nm]], 1L, na_ok = TRUE)
    if (!is.null(p)) corrupt(rarg, paste0("qc$frozen$", nm), p)
  }
  med <- fr$spike_in_median
  if (!is.null(med)) {
    p <- num_problem(unlist(med, use.names = FALSE), length(med), na_ok = TRUE)
    if (is.null(p) && (is.null(names(med)) || anyNA(names(med)) || anyDuplicated(names(med)))) {
      p <- "must be named by spike-in"
    }
    if (!is.null(p)) corrupt(rarg, "qc$frozen$spike_in_median", p)
  }
  validate_steps(recipe$steps, paste0(rarg, "$steps"))
  req <- recipe$required_features
  if (!is.character(req) || !length(req) || anyNA(req) || anyDuplicated(req)) {
    corrupt(rarg, "required_features", "must be unique feature IDs")
  }
  panel <- recipe$panel
  if (!is.data.frame(panel) || !nrow(panel) || !is.character(panel$id) ||
      anyNA(panel$id) || anyDuplicated(panel$id) || !all(panel$id %in% req)) {
    corrupt(rarg, "panel", "must list unique panel miRNAs among `required_features`")
  }
  np <- nrow(panel)
  for (nm in c("coefficient", "train_min", "train_max")) {
    p <- num_problem(panel[[nm]], np)
    if (!is.null(p)) corrupt(rarg, paste0("panel$", nm), p)
  }
  if (any(panel$train_min > panel$train_max)) {
    corrupt(rarg, "panel$train_min", "exceeds `train_max`")
  }
  cuts <- recipe$cutpoints
  if (!is.data.frame(cuts) || !is.character(cuts$name) || anyNA(cuts$name) ||
      anyDuplicated(cuts$name)) {
    corrupt(rarg, "cutpoints", "must be a data.frame with unique cut-point names")
  }
  p <- num_problem(cuts$threshold, nrow(cuts), 0, 1)
  if (!is.null(p)) corrupt(rarg, "cutpoints$threshold", p)
  invisible(recipe)
}
