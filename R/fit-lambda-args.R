# glmnet's vocabulary for the elastic-net penalties: `lambda` is the
# sequence the path is fitted on, `s` the chosen penalty. Before 0.2.0 a
# single `lambda` was the chosen value and `lambda_path` the sequence; both
# still work for one release, with a deprecation warning.

# Returns list(s = chosen penalty or NULL, opts = options with the sequence
# as `lambda_path`, the internal name the fitters read).
elnet_penalty_args <- function(lambda, s, opts, call = sys.call(-1L)) {
  if (!is.null(opts$lambda_path)) {
    opts$lambda_path <- deprecated_arg(opts$lambda_path, lambda, "lambda_path", "lambda",
                                       !is.null(lambda), call)
    return(list(s = s, opts = opts))
  }
  if (is.null(lambda)) return(list(s = s, opts = opts))
  if (length(lambda) == 1L && is.null(s)) {
    ev_warn("a single `lambda` as the chosen penalty is deprecated: `lambda` is the penalty sequence and `s` the chosen value, as in glmnet; use `s`.",
            "evmirna_warning_deprecated", "lambda", call = call)
    return(list(s = lambda, opts = opts))
  }
  opts$lambda_path <- lambda
  list(s = s, opts = opts)
}
