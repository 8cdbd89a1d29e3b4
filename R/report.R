# ev_report(): renders the package's R Markdown template
# (inst/rmarkdown/templates/evmirna-report) with rmarkdown and pandoc into one
# self-contained HTML file; the tables and numbers come from ev_report_data().

#' Write a self-contained HTML report
#'
#' Renders the package's R Markdown template (`evmirna-report`) into one
#' HTML file with every figure embedded, so it can be mailed or archived
#' alone. Each result given adds its section:
#' * a headline box: cohort, QC pass rate, panel, cross-validated AUC with
#'   CI, calibration slope, Brier score and the first cut-point with its
#'   sensitivity and specificity CIs, each with the predictions it comes
#'   from (out-of-fold, held-out, or labelled apparent);
#' * `evset` (the cohort as read): Cq distributions and missing cells;
#' * `ev_qc`: counts, the excluded samples with every failing check, plots;
#' * `ev_stability`: the reference-stability ranking and its plot;
#' * `ev_screen`: all miRNAs sorted by FDR, then |AUC - 0.5| (the first 15
#'   shown, all in a collapsible table);
#' * `ev_panels`: the best panels and, with a permutation null, its best
#'   AUC per size and the smallest reachable p, 1 / (n_perm + 1);
#' * `ev_model` (frozen or not): coefficients, frozen steps, cut-points and
#'   the curated bone-remodeling annotation of the panel miRNAs;
#' * `ev_cv`: settings, optimism, selection stability, out-of-fold ROC,
#'   calibration and decision curves;
#' * `ev_roc`: a ROC curve (the argument's name labels it; a name with
#'   "held-out", "validation", "test" or "external" makes it the held-out
#'   performance of the headline);
#' * `ev_scores` (or a data.frame of scores read back from a file): the
#'   scored patients, the not-scored ones with their reasons.
#' * `ev_compare`: the incremental value of a full model over a base model
#'   (every measure with its CI, the apparent likelihood-ratio test) and the
#'   decision curves of both with the net-benefit difference.
#'
#' A TRIPOD checklist filled in from the objects and a footer (date, R and
#' evmirna versions, seed, packages) close the report. Data whose provenance
#' says "SIMULATED" (the bundled cohorts) carry SIMULATED banners.
#'
#' To edit the report, make your own copy of the template with
#' `rmarkdown::draft("my-report.Rmd", template = "evmirna-report", package =
#' "evmirna")` and render it with `params = list(data = ev_report_data(...))`
#' (without `data` it reports an analysis of the bundled SIMULATED cohort).
#'
#' @param ... Result objects (see above), in any order.
#' @param file Path of the HTML file.
#' @param title Report title.
#' @param png_dir Optional directory where each figure is also written as a
#'   file, named after its section (`qc.png`, `cv-roc.png`, ...).
#' @param n_boot Bootstrap replicates for the ROC CI bands.
#' @param seed The seed of the analysis, recorded in the footer.
#' @param dpi Resolution of the figures (at least 72; 150 by default).
#' @param figure_format Formats of the figure files in `png_dir`: any of
#'   `"png"`, `"pdf"`, `"svg"` (the report itself embeds PNG).
#' @param quiet Passed to [rmarkdown::render()].
#' @return `file`, invisibly, with attribute `figures` (the figure files
#'   written to `png_dir`).
#' @seealso [ev_report_data()] for the tables alone; [ev_score()],
#'   [ev_freeze()].
#' @references
#' Collins GS, Reitsma JB, Altman DG, Moons KGM (2015). Transparent
#' reporting of a multivariable prediction model for individual prognosis or
#' diagnosis (TRIPOD): the TRIPOD statement. *Annals of Internal Medicine*
#' 162(1), 55-63. \doi{10.7326/M14-0697}
#' @export
#' @examplesIf requireNamespace("rmarkdown", quietly = TRUE) && rmarkdown::pandoc_available("2.0")
#' set.seed(1)
#' cq <- matrix(rnorm(4 * 40, 28, 1), 4, 40,
#'              dimnames = list(c("hsa-miR-16-5p", "hsa-miR-93-5p",
#'                                "hsa-miR-21-5p", "hsa-miR-214-3p"),
#'                              sprintf("S%02d", 1:40)))
#' group <- rep(c("control", "case"), each = 20)
#' cq[4, group == "case"] <- cq[4, group == "case"] - 1
#' x <- evset(cq, samples = data.frame(id = colnames(cq), group = group))
#' n <- ev_normalize(x, "reference",
#'                   references = c("hsa-miR-16-5p", "hsa-miR-93-5p"))
#' fit <- ev_fit(n, "group", features = c("hsa-miR-21-5p", "hsa-miR-214-3p"))
#' frozen <- ev_freeze(fit, x, n_boot = 200)
#' roc <- ev_roc(fit$train$group, fit$train$prob)
#' out <- ev_report(frozen, roc, ev_score(frozen, t(cq[, 1:5])),
#'                  file = tempfile(fileext = ".html"), n_boot = 200)
#' file.exists(out)
ev_report <- function(..., file = "report.html", title = "EV miRNA panel report",
                      png_dir = NULL, n_boot = 500, seed = NULL, dpi = 150,
                      figure_format = "png", quiet = TRUE) {
  check_string(file, "file")
  check_string(title, "title")
  check_n_boot(n_boot)
  check_number(dpi, "dpi", lower = 72)
  check_flag(quiet, "quiet")
  figure_format <- check_figure_format(figure_format)
  if (!is.null(png_dir)) check_string(png_dir, "png_dir")
  data <- ev_report_data(..., seed = seed)
  require_package("rmarkdown", "write the report (ev_report())")
  require_package("knitr", "write the report (ev_report())")
  if (!rmarkdown::pandoc_available("2.0")) {
    ev_abort("ev_report() needs pandoc (2.0 or newer) to render the report; install it (Debian: apt-get install pandoc) or set RSTUDIO_PANDOC.",
             "evmirna_error_missing_package", "pandoc")
  }
  out_dir <- dirname(file)
  if (!dir.exists(out_dir) || file.access(out_dir, 2L) != 0L ||
      (file.exists(file) && (dir.exists(file) || file.access(file, 2L) != 0L))) {
    ev_abort(sprintf("`file`: cannot write \"%s\".", file), "evmirna_error_file", "file")
  }
  work <- tempfile("evmirna-report-")
  dir.create(file.path(work, "figures"), recursive = TRUE)
  on.exit(unlink(work, recursive = TRUE), add = TRUE)
  rmd <- file.path(work, "report.Rmd")
  file.copy(report_template(), rmd)
  rmarkdown::render(rmd, output_file = "report.html", output_dir = work,
                    intermediates_dir = work, knit_root_dir = work,
                    params = list(data = data, title = title, n_boot = n_boot, dpi = dpi,
                                  figure_format = figure_format,
                                  figure_dir = file.path(work, "figures")),
                    envir = new.env(parent = globalenv()), quiet = quiet)
  if (!file.copy(file.path(work, "report.html"), file, overwrite = TRUE)) {
    ev_abort(sprintf("`file`: cannot write \"%s\".", file), "evmirna_error_file", "file")
  }
  figures <- if (!is.null(png_dir)) report_copy_figures(file.path(work, "figures"), png_dir,
                                                        figure_format) else character(0)
  invisible(structure(file, figures = figures))
}

report_template <- function() {
  system.file("rmarkdown", "templates", "evmirna-report", "skeleton", "skeleton.Rmd",
              package = "evmirna", mustWork = TRUE)
}

check_figure_format <- function(x) {
  ok <- c("png", "pdf", "svg")
  if (!is.character(x) || !length(x) || anyNA(x) || !all(x %in% ok)) {
    ev_abort(sprintf("`figure_format` must be one or more of %s.",
                     paste0("\"", ok, "\"", collapse = ", ")),
             "evmirna_error_value", "figure_format")
  }
  unique(x)
}

# knitr names figures <chunk>-<n>.<ext>; the copies drop the "-1" of a
# chunk's only figure, so a section's figure is e.g. qc.png.
report_copy_figures <- function(from, to, formats) {
  dir.create(to, showWarnings = FALSE, recursive = TRUE)
  files <- list.files(from, full.names = TRUE)
  files <- files[tools::file_ext(files) %in% formats]
  dest <- file.path(to, sub("-1\\.([a-z]+)$", ".\\1", basename(files)))
  ok <- file.copy(files, dest, overwrite = TRUE)
  dest[ok]
}
