# The command line (inst/scripts/evmirna, run with Rscript) calls cli_main().
# Argument parsing is base R only; every failure becomes one line on stderr
# and a non-zero exit status.

cli_usage <- list(
  main = "Usage: evmirna <command> [options]

Commands:
  train    train a panel on a cohort and save the frozen model (JSON)
  score    score new patients with a saved model
  report   write a self-contained HTML report for a saved model
  validate validate a saved model on a new cohort (discrimination, calibration)
  recalibrate  update a saved model's intercept (and slope) for a new site

Run 'evmirna <command> --help' for the options of a command, 'evmirna --version'
for the version.",
  train = "Usage: evmirna train --input cohort.csv --samples samples.csv --output model.json [options]

Reads a wide Cq export (one row per sample), runs QC (failing samples are left
out of training), imputes non-detects, normalizes, fits the panel classifier,
chooses the cut-points and writes the frozen model.

Validation: by default the whole recipe (normalization, the --top choice of
miRNAs, the fit) is re-learned inside each training fold of a --n-folds
cross-validation; the out-of-fold AUC with its DeLong CI, the calibration
slope and the Brier score are printed, and the cut-points are chosen on the
out-of-fold predictions. The final panel is then chosen (--top) and fitted on
all samples passing QC. A --features panel is fixed in advance and the CV
cannot account for how it was chosen. --no-cv skips the cross-validation:
the only AUC is then the apparent (training) one, which is optimistic, and
the cut-points are chosen on the training predictions.

Options:
  --input FILE         Cq table of the training cohort (required)
  --samples FILE       sample table with an 'id' column and the class column (required)
  --output FILE        model file to write (required)
  --group NAME         class column of the sample table [group]
  --positive LEVEL     class modelled as the event [second level]
  --features A,B,...   panel miRNAs, in any miRBase spelling (miR-21-5p, former
                       names) [the --top target miRNAs by training AUC]
  --top N              panel size when --features is not given [5]
  --method NAME        logistic, firth, lda or dlda [logistic]
  --normalize NAME     global_mean, reference, spike_in or quantile [global_mean]
  --references A,B     reference miRNAs for --normalize reference
  --impute-limit CQ    non-detects are set at this Cq [40]
  --cutpoints LIST     youden, closest_topleft and/or probabilities [youden]
  --n-boot N           bootstrap replicates for the cut-point CIs [2000]
  --n-folds N          folds of the cross-validation [10]
  --no-cv              no cross-validation: apparent AUC, cut-points on training data
  --report FILE        also write an HTML report: QC, cross-validation, model
  --seed N             random seed [1]
  --sep CHAR           field separator of the Cq table, e.g. ';' or tab [guessed;
                       an Excel \"sep=;\" first line is read]
  --dec CHAR           decimal mark of the Cq values, e.g. ',' for European exports [.]
  --key-file FILE      sign the model with this key (HMAC secret or Ed25519 private key PEM)",
  score = "Usage: evmirna score --model model.json --input patients.csv --output scores.csv [options]

Scores new patients with a frozen model: QC with the training rules, the
frozen processing, the panel score, the risk class at each cut-point. Patients
failing QC are listed with their reason and no score.

Options:
  --model FILE         model file from 'evmirna train' (required)
  --input FILE         Cq table of the new patients (required)
  --samples FILE       sample table (needed when the recipe uses plates)
  --output FILE        scores table to write (CSV; required)
  --missing POLICY     recipe miRNAs absent from the input: error or not_scored [error]
  --extra POLICY       input miRNAs the model does not know: error or drop [error]
  --sep CHAR           field separator of the Cq table, e.g. ';' or tab [guessed;
                       an Excel \"sep=;\" first line is read]
  --dec CHAR           decimal mark of the Cq values, e.g. ',' for European exports [.]
  --key-file FILE      check the model's signature with this key (HMAC secret or
                       Ed25519 public key PEM); an unsigned or edited model is refused

The scores are a plain CSV table; the provenance of the input (e.g. that it
is SIMULATED) is its 'provenance' column.",
  report = "Usage: evmirna report --model model.json --output report.html [options]

Writes a self-contained HTML report of a frozen model, optionally with new
patients scored by it (their QC status and reasons included). The model file
holds no training data: the QC and cross-validation of the training cohort
are in the report that 'evmirna train --report FILE' writes.

Options:
  --model FILE         model file (required)
  --input FILE         Cq table of patients to score and report
  --samples FILE       sample table of those patients
  --output FILE        HTML file to write (required)
  --png-dir DIR        also write each figure as a PNG file here
  --sep CHAR           field separator of the Cq table, e.g. ';' or tab [guessed;
                       an Excel \"sep=;\" first line is read]
  --dec CHAR           decimal mark of the Cq values, e.g. ',' for European exports [.]
  --key-file FILE      check the model's signature with this key"
)

cli_options <- list(
  train = c("input", "samples", "output", "group", "positive", "features", "top",
            "method", "normalize", "references", "impute-limit", "cutpoints",
            "n-boot", "n-folds", "no-cv", "report", "seed", "sep", "dec", "key-file"),
  score = c("input", "samples", "model", "output", "missing", "extra", "sep", "dec",
            "key-file"),
  report = c("model", "input", "samples", "output", "png-dir", "sep", "dec", "key-file")
)

# Options that take no value (present means TRUE).
cli_flags <- c("no-cv")

# Returns the exit status; `out`/`err` are connections for messages.
cli_main <- function(args, out = stdout(), err = stderr()) {
  cli_options <- c(cli_options, cli_validate_options); cli_usage <- c(cli_usage, cli_validate_usage)
  fail <- function(msg) {
    msg <- gsub("[\r\n]+", " ", msg)
    writeLines(paste0("evmirna: error: ", msg), err)
    1L
  }
  if (!length(args) || args[1L] %in% c("-h", "--help", "help")) {
    writeLines(cli_usage$main, out)
    return(if (length(args)) 0L else 1L)
  }
  if (args[1L] %in% c("--version", "-V", "version")) {
    writeLines(paste("evmirna", package_version_string()), out)
    return(0L)
  }
  command <- args[1L]
  if (!command %in% names(cli_options)) {
    return(fail(sprintf("unknown command '%s' (train, score, report, validate or recalibrate; see --help)", command)))
  }
  rest <- args[-1L]
  if (any(rest %in% c("-h", "--help"))) {
    writeLines(cli_usage[[command]], out)
    return(0L)
  }
  if (any(rest %in% c("--version", "-V"))) {
    writeLines(paste("evmirna", package_version_string()), out)
    return(0L)
  }
  opts <- tryCatch(cli_parse(rest, cli_options[[command]]),
                   error = function(e) e)
  if (inherits(opts, "error")) return(fail(conditionMessage(opts)))
  result <- tryCatch(
    withCallingHandlers(
      switch(command,
        train = cli_train(opts, out),
        score = cli_score(opts, out),
        validate = cli_validate(opts, out), recalibrate = cli_recalibrate(opts, out),
        report = cli_report(opts, out)
      ),
      warning = function(w) {
        writeLines(paste0("evmirna: warning: ", gsub("[\r\n]+", " ", conditionMessage(w))), err)
        invokeRestart("muffleWarning")
      }),
    error = function(e) e)
  if (inherits(result, "error")) return(fail(conditionMessage(result)))
  0L
}

# "--name value" pairs into a named list; unknown or valueless options fail.
cli_parse <- function(args, known) {
  opts <- list()
  i <- 1L
  while (i <= length(args)) {
    a <- args[i]
    if (!startsWith(a, "--")) stop(sprintf("unexpected argument '%s'", a), call. = FALSE)
    name <- sub("^--", "", a)
    value <- NULL
    if (grepl("=", name, fixed = TRUE)) {
      value <- sub("^[^=]*=", "", name)
      name <- sub("=.*$", "", name)
    }
    if (!name %in% known) {
      stop(sprintf("unknown option '--%s' (see --help)", name), call. = FALSE)
    }
    if (name %in% cli_flags) {
      if (!is.null(value)) stop(sprintf("option '--%s' takes no value", name), call. = FALSE)
      value <- "true"
    }
    if (is.null(value)) {
      if (i == length(args) || startsWith(args[i + 1L], "--")) {
        stop(sprintf("option '--%s' needs a value", name), call. = FALSE)
      }
      value <- args[i + 1L]
      i <- i + 1L
    }
    if (!nzchar(value)) stop(sprintf("option '--%s' needs a value (it is empty)", name), call. = FALSE)
    if (!is.null(opts[[name]])) stop(sprintf("option '--%s' is given twice", name), call. = FALSE)
    opts[[name]] <- value
    i <- i + 1L
  }
  opts
}

cli_require <- function(opts, names) {
  absent <- setdiff(names, names(opts))
  if (length(absent)) {
    stop(sprintf("missing required option(s): %s (see --help)",
                 paste0("--", absent, collapse = ", ")), call. = FALSE)
  }
}

cli_number <- function(opts, name, default, integer = FALSE) {
  v <- opts[[name]]
  if (is.null(v)) return(default)
  num <- suppressWarnings(as.numeric(v))
  if (is.na(num) || (integer && num != round(num))) {
    stop(sprintf("--%s must be a%s number, not '%s'", name,
                 if (integer) " whole" else "", v), call. = FALSE)
  }
  num
}

cli_list <- function(v) if (is.null(v)) NULL else trimws(strsplit(v, ",", fixed = TRUE)[[1L]])

cli_read <- function(opts) {
  file <- opts$input
  samples <- opts$samples
  if (!file.exists(file)) stop(sprintf("input file '%s' does not exist", file), call. = FALSE)
  if (!is.null(samples) && !file.exists(samples)) {
    stop(sprintf("samples file '%s' does not exist", samples), call. = FALSE)
  }
  # a tab is hard to type in a shell: "tab" and "\t" name it too
  sep <- if (identical(opts$sep, "tab") || identical(opts$sep, "\\t")) "\t" else opts$sep
  cli_terms(ev_read_qpcr(file, layout = "wide", samples = samples, sep = sep,
                         dec = opts$dec %||% "."),
            c(file = "--input", samples = "--samples", sep = "--sep", dec = "--dec"))
}

# Runs `expr`, rewording evmirna errors and warnings in command-line terms:
# `map` gives the option for each R argument name (`newdata` -> --input).
cli_terms <- function(expr, map) {
  reword <- function(msg) {
    for (arg in names(map)) msg <- gsub(paste0("`", arg, "`"), map[[arg]], msg, fixed = TRUE)
    msg <- gsub("missing = \"not_scored\"", "--missing not_scored", msg, fixed = TRUE)
    gsub("extra = \"drop\"", "--extra drop", msg, fixed = TRUE)
  }
  withCallingHandlers(
    tryCatch(expr, evmirna_error = function(e) {
      e$message <- reword(conditionMessage(e))
      stop(e)
    }),
    evmirna_warning = function(w) {
      warning(reword(conditionMessage(w)), call. = FALSE)
      invokeRestart("muffleWarning")
    })
}

# Refuses an --output that is one of the input files (followed through
# links), so that no command overwrites its own data.
cli_check_output <- function(opts, inputs) {
  output <- opts$output
  if (dir.exists(output)) {
    stop(sprintf("--output '%s' is a directory; give a file name", output), call. = FALSE)
  }
  resolve <- function(f) {
    if (file.exists(f)) return(normalizePath(f))
    dir <- dirname(f)
    file.path(if (dir.exists(dir)) normalizePath(dir) else dir, basename(f))
  }
  target <- resolve(output)
  for (opt in inputs) {
    f <- opts[[opt]]
    if (!is.null(f) && file.exists(f) && identical(resolve(f), target)) {
      stop(sprintf("--output '%s' is the --%s file; refusing to overwrite an input", output, opt),
           call. = FALSE)
    }
  }
}

cli_key <- function(opts) {
  if (is.null(opts[["key-file"]])) return(NULL)
  cli_terms(ev_read_key(opts[["key-file"]]), c(path = "--key-file"))
}

cli_train <- function(opts, out) {
  cli_require(opts, c("input", "samples", "output"))
  cli_check_output(opts, c("input", "samples", "key-file"))
  if (!is.null(opts$report)) {
    # the report may overwrite neither an input nor the model written next
    cli_check_output(c(opts[setdiff(names(opts), "output")], list(output = opts$report)),
                     c("input", "samples", "key-file"))
    same <- function(a, b) identical(normalizePath(a, mustWork = FALSE),
                                     normalizePath(b, mustWork = FALSE))
    if (same(opts$report, opts$output)) {
      stop(sprintf("--report '%s' is the --output file (the model); give another name",
                   opts$report), call. = FALSE)
    }
  }
  set.seed(cli_number(opts, "seed", 1, integer = TRUE))
  key <- cli_key(opts)
  x <- cli_read(opts)
  group <- opts$group %||% "group"
  if (!group %in% names(x$samples)) {
    stop(sprintf("samples file has no class column '%s' (set --group)", group), call. = FALSE)
  }
  cv <- is.null(opts[["no-cv"]])
  trained <- cli_terms(train_recipe(
    x, group = group, positive = opts$positive,
    features = cli_features(cli_list(opts$features), x),
    top = cli_number(opts, "top", 5, integer = TRUE), method = opts$method %||% "logistic",
    normalize = opts$normalize %||% "global_mean", references = cli_list(opts$references),
    impute_limit = cli_number(opts, "impute-limit", 40),
    cutpoints = cli_list(opts$cutpoints) %||% "youden",
    n_boot = cli_number(opts, "n-boot", 2000, integer = TRUE),
    cv = cv, n_folds = cli_number(opts, "n-folds", 10, integer = TRUE)),
    c(features = "--features", references = "--references", method = "--method",
      positive = "--positive", cutpoints = "--cutpoints", n_boot = "--n-boot",
      folds = "--n-folds", n_folds = "--n-folds", limit = "--impute-limit", input = "--input", x = "--input"))
  cli_terms(ev_save_model(trained$model, opts$output, key = key),
            c(path = "--output", key = "--key-file"))
  writeLines(train_summary(trained, ncol(x$values), opts$output), out)
  if (!is.null(opts$report)) {
    objects <- c(list(trained$qc), if (cv) list(trained$cv), list(trained$model))
    file <- cli_terms(do.call(ev_report, c(objects, list(file = opts$report, seed = cli_number(
      opts, "seed", 1, integer = TRUE)))), c(file = "--report"))
    writeLines(sprintf("report written to %s", file), out)
  }
  invisible(trained)
}

# What `evmirna train` prints: the out-of-fold performance first (it is the
# honest one), the apparent AUC labelled as such, where the cut-points come
# from.
train_summary <- function(trained, n_input, output) {
  r <- trained$model$recipe
  cv <- trained$cv
  auc <- r$training$auc
  apparent <- sprintf("apparent (training) AUC %.3f (95%% CI %.3f-%.3f): optimistic, %s",
                      auc[1L], auc[2L], auc[3L],
                      if (is.null(cv)) "NOT validated (--no-cv)"
                      else "the same samples chose and fitted the panel")
  lines <- sprintf("trained on %d of %d samples (%d failed QC); panel: %s",
                   r$training$n_samples, n_input, sum(!trained$qc$pass),
                   paste(r$panel$id, collapse = ", "))
  if (!is.null(cv)) {
    screened <- isTRUE(trained$screened)
    lines <- c(lines, sprintf(
      "cross-validated AUC %.3f (95%% CI %.3f-%.3f) from out-of-fold predictions: %d-fold CV, %s re-learned in each training fold; calibration slope %.2f, Brier score %.3f",
      cv$ci[["auc"]], cv$ci[["lower"]], cv$ci[["upper"]], max(cv$foldid),
      if (screened) "normalization, the --top choice of miRNAs and the fit"
      else "normalization and the fit (the --features panel is fixed: the CV cannot account for how it was chosen)",
      cv$calibration$slope, cv$calibration$brier))
  }
  cuts <- r$cutpoints
  lines <- c(lines, apparent,
             sprintf("cut-points chosen on the %s predictions: %s",
                     if (is.null(cv)) "training (apparent)" else "out-of-fold",
                     paste(sprintf("%s p >= %.3f (sensitivity %.2f, specificity %.2f)",
                                   cuts$name, cuts$threshold, cuts$sensitivity,
                                   cuts$specificity), collapse = "; ")),
             sprintf("model written to %s", output))
  lines
}

# --features may use any miRBase spelling (miR-214-3p, a former name): a
# name that is not a cohort ID is harmonized and matched to the cohort's
# harmonized names; names still unmatched are left for train_recipe() to
# refuse.
cli_features <- function(features, x) {
  ids <- x$features$id
  todo <- !features %in% ids
  if (!any(todo)) return(features)
  at <- match(suppressWarnings(ev_mirna_name(features[todo])), x$features$mirna)
  features[todo][!is.na(at)] <- ids[at[!is.na(at)]]
  features
}

# The train command's pipeline: QC -> drop failing samples -> impute
# non-detects -> normalize -> panel (--features, or the `top` targets by
# training AUC) -> fit -> freeze. With `cv`, the same recipe is first
# cross-validated by ev_cv(): normalization and the top-k choice are re-learned
# in every training fold (QC and the Cq-limit imputation are per-sample rules
# that learn nothing from other samples), and the cut-points are chosen on
# the out-of-fold predictions.
train_recipe <- function(x, group = "group", positive = NULL, features = NULL, top = 5,
                         method = "logistic", normalize = "global_mean",
                         references = NULL, impute_limit = 40,
                         cutpoints = "youden", n_boot = 2000, cv = TRUE, n_folds = 10) {
  qc <- ev_qc(x)
  if (sum(qc$pass) < 4L) {
    ev_abort("fewer than 4 training samples pass QC.", "evmirna_error_empty", "input")
  }
  kept <- x[, qc$pass]
  imputed <- ev_impute_nondetects(kept, "limit", limit = impute_limit)
  preprocess <- function(s) ev_normalize(s, normalize, references = references)
  normalized <- preprocess(imputed)
  candidates <- NULL
  if (is.null(features)) {
    features <- top_by_auc(normalized, group, top)
    # top_by_auc() never picks a miRNA with missing values: neither may the folds
    f <- normalized$features
    candidates <- f$id[f$role == "target" & rowSums(is.na(normalized$values)) == 0]
  } else {
    unknown <- setdiff(features, rownames(normalized$values))
    if (length(unknown)) {
      ev_abort(sprintf("`features` names miRNAs not in the cohort: %s.", format_offenders(unknown)),
               "evmirna_error_unknown", "features")
    }
  }
  validation <- NULL
  cutpoint_data <- NULL
  if (cv) {
    validation <- ev_cv(imputed, group, method = method, n_folds = n_folds,
                        preprocess = preprocess,
                        screen = if (!is.null(candidates)) list(top = top),
                        features = candidates %||% features, positive = positive)
    cutpoint_data <- structure(validation$pooled[c("group", "prob")],
                               source = sprintf("%d-fold out-of-fold predictions", n_folds))
  }
  model <- ev_fit(normalized, group, features = features, method = method,
                  positive = positive)
  list(model = ev_freeze(model, x, qc = qc, cutpoints = cutpoints,
                         cutpoint_data = cutpoint_data, n_boot = n_boot),
       qc = qc, normalized = normalized, cv = validation, screened = !is.null(candidates))
}

# Target miRNAs ranked by how far their training AUC is from 0.5.
top_by_auc <- function(x, group, top) {
  targets <- x$features$id[x$features$role == "target"]
  y <- x$samples[[group]]
  auc <- vapply(targets, function(f) {
    v <- x$values[f, ]
    if (anyNA(v)) return(NA_real_)
    ev_auc(ev_roc(y, v, direction = "<"))
  }, numeric(1))
  top_auc_features(auc, targets, top)
}

cli_score <- function(opts, out) {
  cli_require(opts, c("model", "input", "output"))
  cli_check_output(opts, c("model", "input", "samples", "key-file"))
  model <- cli_load(opts)
  x <- cli_read(opts)
  scores <- cli_terms(ev_score(model, x, missing = opts$missing %||% "error",
                               extra = opts$extra %||% "error"),
                      c(newdata = "--input", missing = "--missing", extra = "--extra"))
  cli_terms(write_scores(scores, opts$output), c(output = "--output"))
  writeLines(sprintf("scored %d of %d patient(s) (%d not scored: QC or processing); scores written to %s",
                     sum(scores$scored), nrow(scores), sum(!scores$scored), opts$output), out)
  invisible(scores)
}

cli_load <- function(opts) {
  cli_terms(ev_load_model(opts$model, key = cli_key(opts)),
            c(path = "--model", key = "--key-file"))
}

# A plain CSV with the panel values and contributions; the provenance of
# the input (e.g. SIMULATED) is a column, so it travels with every row.
write_scores <- function(scores, file) {
  tab <- as.data.frame(scores, values = TRUE, contributions = TRUE)
  prov <- attr(scores, "provenance")
  if (!is.null(prov)) tab$provenance <- rep(paste(prov, collapse = " "), nrow(tab))
  text <- utils::capture.output(utils::write.csv(tab, row.names = FALSE))
  write_text_file(text, file, "output")
}

cli_report <- function(opts, out) {
  cli_require(opts, c("model", "output"))
  cli_check_output(opts, c("model", "input", "samples", "key-file"))
  model <- cli_load(opts)
  objects <- list(model)
  if (!is.null(opts$input)) {
    x <- cli_read(opts)
    objects <- c(objects, list(cli_terms(ev_score(model, x, extra = "drop"),
                                         c(newdata = "--input"))))
  }
  file <- cli_terms(do.call(ev_report, c(objects, list(file = opts$output,
                                                       png_dir = opts[["png-dir"]]))),
                    c(file = "--output", png_dir = "--png-dir"))
  writeLines(sprintf("report written to %s", file), out)
  invisible(file)
}
