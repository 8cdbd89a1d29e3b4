# Calls of the exported functions: a valid base call per verb (small sizes,
# so each call is quick) from which fuzz_mutate() changes one argument.
fuzz_base_calls <- function(fx) {
  x <- fx$x
  list(
    list(fn = "evset", args = list(values = x$values, samples = x$samples, scale = "cq")),
    list(fn = "as_evset", args = list(x = as.data.frame(t(x$values)))),
    list(fn = "is_evset", args = list(x = x)),
    list(fn = "ev_mirna_name", args = list(x = rownames(x$values), details = TRUE)),
    list(fn = "ev_annotate", args = list(x = rownames(x$values))),
    list(fn = "ev_read_qpcr", args = list(file = fx$cq_file, max_cq = 40)),
    list(fn = "ev_read_counts", args = list(file = fx$counts_file)),
    list(fn = "ev_qc", args = list(x = x, detection_cq = 35, hemolysis_risk = 5,
                                   hemolysis_cutoff = 7, reference = fx$qc)),
    list(fn = "ev_filter", args = list(x = x, min_feature_rate = 0.5, min_sample_rate = 0,
                                       detection_cq = 35)),
    list(fn = "ev_impute_nondetects", args = list(x = x, method = "em", limit = 40,
                                                  offset = 1, max_iter = 50L)),
    list(fn = "ev_calibrate_plates", args = list(x = fx$imputed, method = "center",
                                                 plate = "plate")),
    list(fn = "ev_normalize", args = list(x = fx$imputed, method = "reference",
                                          references = fx$refs, efficiency = 2)),
    list(fn = "ev_normalize", args = list(x = fx$xc, method = "tmm", ratio_trim = 0.3,
                                          sum_trim = 0.05, prior_count = 2, p = 0.75)),
    list(fn = "ev_normalize", args = list(x = fx$xc, steps = fx$steps$counts_tmm)),
    list(fn = "ev_normalize", args = list(x = fx$imputed, method = "quantile")),
    list(fn = "ev_apply_steps", args = list(x = fx$imputed, steps = fx$steps$cq_quantile)),
    list(fn = "ev_norm_factors", args = list(x = fx$xc, method = "upper_quartile", p = 0.75)),
    list(fn = "ev_apply_steps", args = list(x = fx$imputed, steps = fx$steps$cq_reference)),
    list(fn = "ev_reference_stability", args = list(x = fx$imputed, candidates = rownames(x$values)[1:5],
                                                    method = "genorm")),
    list(fn = "ev_reference_stability", args = list(x = fx$imputed, candidates = rownames(x$values)[1:5],
                                                    method = "normfinder", group = "group")),
    list(fn = "ev_roc", args = list(response = fx$y, predictor = fx$pred, direction = "auto")),
    list(fn = "ev_roc", args = list(response = as.integer(fx$y) - 1L, predictor = fx$pred)),
    list(fn = "ev_roc", args = list(response = fx$y, predictor = t(fx$norm$values[3:4, ]),
                                    weights = NULL, cluster = NULL)),
    list(fn = "ev_auc", args = list(roc = fx$roc, partial = c(0.8, 1), focus = "specificity")),
    list(fn = "ev_ci_auc", args = list(roc = fx$roc_cl, method = "bootstrap", n_boot = 40L,
                                       conf_level = 0.95)),
    list(fn = "ev_ci_auc", args = list(roc = fx$roc, method = "delong", conf_level = 0.95)),
    list(fn = "ev_coords", args = list(roc = fx$roc, x = "best", best_method = "youden")),
    list(fn = "ev_ci_coords", args = list(roc = fx$roc, x = 0.9, n_boot = 30L)),
    list(fn = "ev_roc_test", args = list(roc1 = fx$roc, roc2 = fx$roc2, method = "delong")),
    list(fn = "ev_roc_test", args = list(roc1 = fx$roc_w, roc2 = NULL, method = "bootstrap",
                                         n_boot = 30L)),
    list(fn = "ev_screen", args = list(x = fx$norm, group = "group", conf_level = 0.95)),
    list(fn = "ev_fit", args = list(x = fx$norm, group = "group", features = fx$panel,
                                    method = "logistic")),
    list(fn = "ev_fit", args = list(x = fx$norm, group = "group", features = fx$panel,
                                    method = "elastic_net", s = 0.05)),
    list(fn = "ev_fit", args = list(x = fx$norm, group = "group", features = fx$panel,
                                    method = "firth")),
    list(fn = "ev_fit", args = list(x = fx$norm, group = "group", features = fx$panel,
                                    method = "lda")),
    list(fn = "ev_folds", args = list(group = fx$group, n_folds = 3, n_repeats = 1)),
    list(fn = "ev_cv", args = list(x = fx$norm, group = "group", features = fx$panel,
                                   n_folds = 3, n_repeats = 1)),
    list(fn = "ev_cv_lambda", args = list(x = fx$norm, group = "group", features = fx$panel,
                                          n_folds = 3)),
    list(fn = "ev_validate_bootstrap", args = list(x = fx$norm, group = "group",
                                                   features = fx$panel, n_boot = 4L)),
    list(fn = "ev_panel_search", args = list(x = fx$norm, group = "group", size = 1:2,
                                             candidates = rownames(x$values)[3:6],
                                             validation = "apparent", progress = FALSE)),
    list(fn = "ev_freeze", args = list(model = fx$model, x = x, n_boot = 20L,
                                       cutpoints = "youden", max_nondetect_rate = 0.2)),
    list(fn = "ev_score", args = list(model = fx$frozen, newdata = fx$new_patients,
                                      missing = "not_scored")),
    list(fn = "ev_score", args = list(model = fx$frozen, newdata = x)),
    list(fn = "ev_save_model", args = list(model = fx$frozen,
                                           path = file.path(fx$dir, "out.json"))),
    list(fn = "ev_load_model", args = list(path = fx$model_file)),
    list(fn = "predict", generic = TRUE, args = list(object = fx$model, newdata = fx$norm, type = "prob")),
    list(fn = "coef", generic = TRUE, args = list(object = fx$model)),
    list(fn = "summary", generic = TRUE, args = list(object = fx$model)),
    list(fn = "print", generic = TRUE, args = list(x = fx$roc)),
    list(fn = "as.data.frame", generic = TRUE, args = list(x = fx$roc)),
    list(fn = "plot", generic = TRUE, args = list(x = fx$roc)),
    list(fn = "summary", generic = TRUE, args = list(object = x)),
    list(fn = "[", generic = TRUE, args = list(x = x, 1:3, 2:5))
  )
}

# One malformed variant of a base call: argument `target` replaced by a
# value from the pool (or an extra unknown argument).
fuzz_mutate_call <- function(base, heavy) {
  args <- base$args
  nms <- names(args)
  nms[!nzchar(nms)] <- ""
  # now and then a misspelled (unknown) argument
  slot <- if (stats::runif(1) < 0.05) length(args) + 1L else sample.int(length(args), 1L)
  if (slot > length(args)) {
    args$not_an_argument <- 1
    return(list(args = args, label = "extra argument `not_an_argument = 1`"))
  }
  pool <- fuzz_bad_values(args[[slot]], heavy)
  if (slot == 1L && isTRUE(base$generic)) {
    # an S3 generic dispatches on its first argument: keep the class there
    # (corrupted objects), other classes are other packages' methods
    keep <- vapply(pool, function(p) inherits(p, class(args[[1L]])[1L]), logical(1))
    pool <- pool[keep]
    if (!length(pool)) pool <- list("unchanged" = args[[1L]])
  }
  k <- sample.int(length(pool), 1L)
  if (is.null(pool[[k]])) {
    args[slot] <- list(NULL)
  } else {
    args[[slot]] <- pool[[k]]
  }
  name <- if (nzchar(nms[slot])) nms[slot] else paste0("..", slot)
  list(args = args, label = sprintf("`%s` := %s", name, names(pool)[k]))
}

fuzz_export_calls <- function(fx, n, heavy, first_id) {
  bases <- fuzz_base_calls(fx)
  lapply(seq_len(n), function(i) {
    b <- bases[[(i - 1L) %% length(bases) + 1L]]
    m <- fuzz_mutate_call(b, heavy)
    list(id = first_id + i - 1L, fn = b$fn, args = m$args, kind = "export",
         label = sprintf("%s(): %s", b$fn, m$label))
  })
}
