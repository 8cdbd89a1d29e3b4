# Command-line verbs for a new site: `evmirna validate` (ev_validate() on a
# labelled cohort) and `evmirna recalibrate` (ev_recalibrate(), writing a new
# model file). cli_main() merges these options and usages with its own.

cli_validate_usage <- list(
  validate = "Usage: evmirna validate --model model.json --input cohort.csv --samples samples.csv --output validation.csv [options]

Validates a frozen model on a labelled external cohort: QC with the training
rules (failing patients are excluded and reported), then the AUC with its
DeLong CI, calibration-in-the-large and slope with CIs, the loess calibration
curve's ICI, E50, E90 and Emax, the Brier and scaled Brier scores.

Options:
  --model FILE         model file (required)
  --input FILE         Cq table of the cohort (required)
  --samples FILE       sample table with an 'id' column and the class column (required)
  --group NAME         class column of the sample table [group]
  --output FILE        statistics table to write (CSV; required)
  --excluded FILE      also write the excluded patients and their reasons (CSV)
  --sep CHAR           field separator of the Cq table [guessed]
  --dec CHAR           decimal mark of the Cq values [.]
  --key-file FILE      check the model's signature with this key",
  recalibrate = "Usage: evmirna recalibrate --model model.json --input cohort.csv --samples samples.csv --output new-model.json [options]

Recalibrates a frozen model to a new site: QC rules, processing and panel stay
frozen; the intercept (or intercept and slope) is refitted on the labelled
cohort. The new model records its parent's SHA-256.

Options:
  --model FILE         parent model file (required)
  --input FILE         Cq table of the recalibration cohort (required)
  --samples FILE       sample table with an 'id' column and the class column (required)
  --group NAME         class column of the sample table [group]
  --output FILE        new model file to write (required)
  --method NAME        intercept or logistic [intercept]
  --cutpoints RULE     keep, sensitivity or specificity [keep]
  --n-boot N           bootstrap replicates for the cut-point CIs [2000]
  --seed N             random seed [1]
  --sep CHAR           field separator of the Cq table [guessed]
  --dec CHAR           decimal mark of the Cq values [.]
  --key-file FILE      check the parent model's signature with this key
  --sign-key-file FILE sign the new model with this key (HMAC secret or Ed25519 private key PEM)"
)

cli_validate_options <- list(
  validate = c("model", "input", "samples", "group", "output", "excluded", "sep", "dec",
               "key-file"),
  recalibrate = c("model", "input", "samples", "group", "output", "method", "cutpoints",
                  "n-boot", "seed", "sep", "dec", "key-file", "sign-key-file")
)

# Model and labelled cohort, with errors in command-line terms.
cli_site <- function(opts, inputs) {
  cli_require(opts, c("model", "input", "samples", "output"))
  cli_check_output(opts, inputs)
  model <- cli_load(opts)
  x <- cli_read(opts)
  list(model = model, x = x, group = opts$group %||% "group")
}

cli_site_terms <- c(newdata = "--input", group = "--group", frozen = "--model")

cli_validate <- function(opts, out) {
  site <- cli_site(opts, c("model", "input", "samples", "key-file", "excluded"))
  if (!is.null(opts$excluded)) cli_check_output(list(output = opts$excluded), character(0))
  v <- cli_terms(ev_validate(site$model, site$x, site$group), cli_site_terms)
  stats <- as.data.frame(v)
  cli_terms(write_text_file(utils::capture.output(utils::write.csv(stats, row.names = FALSE)),
                            opts$output, "output"), c(output = "--output"))
  if (!is.null(opts$excluded)) {
    cli_terms(write_text_file(utils::capture.output(utils::write.csv(v$excluded, row.names = FALSE)),
                              opts$excluded, "output"), c(output = "--excluded"))
  }
  writeLines(sprintf("validated on %d of %d patient(s) (%d excluded: QC or processing): AUC %.3f [%.3f, %.3f], CITL %.3f, slope %.3f; statistics written to %s",
                     v$n[["scored"]], v$n[["given"]], v$n[["excluded"]], v$auc[["auc"]],
                     v$auc[["lower"]], v$auc[["upper"]], v$calibration$citl,
                     v$calibration$slope, opts$output), out)
  invisible(v)
}

cli_recalibrate <- function(opts, out) {
  site <- cli_site(opts, c("model", "input", "samples", "key-file", "sign-key-file"))
  set.seed(cli_number(opts, "seed", 1, integer = TRUE))
  n_boot <- cli_number(opts, "n-boot", 2000, integer = TRUE)
  model <- cli_terms(ev_recalibrate(site$model, site$x, site$group,
                                    method = opts$method %||% "intercept",
                                    cutpoints = opts$cutpoints %||% "keep", n_boot = n_boot),
                     c(cli_site_terms, method = "--method", cutpoints = "--cutpoints",
                       n_boot = "--n-boot"))
  key <- if (!is.null(opts[["sign-key-file"]])) {
    cli_terms(ev_read_key(opts[["sign-key-file"]]), c(path = "--sign-key-file"))
  }
  cli_terms(ev_save_model(model, opts$output, key = key),
            c(path = "--output", key = "--sign-key-file"))
  r <- model$recipe$recalibration
  writeLines(sprintf("recalibrated (%s: intercept %.4g, slope %.4g) on %d patient(s) (%d excluded); parent sha256:%s; model written to %s",
                     r$method, r$intercept, r$slope, r$cohort$n_scored, r$cohort$n_excluded,
                     r$parent_sha256, opts$output), out)
  invisible(model)
}
