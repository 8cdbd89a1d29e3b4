# ev_report_data(): everything the report template prints, as plain tables
# and numbers computed from the result objects (no formatting to HTML here),
# so the R Markdown template stays short and a user's edited copy can reuse it.

#' The tables and headline numbers of the report
#'
#' Collects the result objects given to [ev_report()] and derives, from them
#' alone, what the report template prints: the headline numbers (each with
#' the predictions it comes from), the QC counts and the excluded samples
#' with their reasons, the screening table sorted by evidence, the panel
#' search with its permutation-null resolution, the model, cut-points and
#' cross-validation summaries, the scored patients, the curated annotation
#' of the panel miRNAs and a TRIPOD checklist. Use it in your own copy of
#' the template (`rmarkdown::draft("my-report.Rmd", "evmirna-report",
#' package = "evmirna")`).
#'
#' @param ... Result objects, recognized by class: `evset` (the cohort as
#'   read), `ev_qc`, `ev_stability`, `ev_screen`, `ev_panels`, `ev_model`
#'   (frozen or not), `ev_cv`, `ev_roc` (name it, e.g. `"held-out" = roc`;
#'   a ROC named "held-out" or "validation" is reported as held-out
#'   performance) and `ev_scores` (or a data.frame of scores read back from
#'   a file).
#' @param seed The seed the analysis was run with, for the footer (`NULL`:
#'   "not recorded").
#' @return A list of class `ev_report_data` with `parts` (the objects by
#'   kind), `simulated`, `headline` (data.frame: quantity, value, source),
#'   `qc_counts`, `qc_excluded`, `screening`, `panels`, `panel_null`,
#'   `model_table`, `steps`, `cutpoints`, `cv_settings`, `scores`,
#'   `not_scored`, `annotation`, `tripod` and `session` (data.frames, `NULL`
#'   where the object is not given).
#' @seealso [ev_report()]
#' @references
#' Collins GS, Reitsma JB, Altman DG, Moons KGM (2015). Transparent
#' reporting of a multivariable prediction model for individual prognosis or
#' diagnosis (TRIPOD): the TRIPOD statement. *Annals of Internal Medicine*
#' 162(1), 55-63. \doi{10.7326/M14-0697}
#' @export
#' @examples
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
#' d <- ev_report_data(ev_screen(n, "group"), seed = 1)
#' d$screening
ev_report_data <- function(..., seed = NULL) {
  if (!is.null(seed)) check_number(seed, "seed", integer = TRUE)
  parts <- report_parts(list(...))
  d <- list(parts = parts, seed = seed, simulated = report_simulated(parts))
  d$headline <- report_headline(parts)
  if (!is.null(parts$qc)) {
    d$qc_counts <- report_qc_counts(parts$qc)
    d$qc_excluded <- report_qc_excluded(parts$qc)
  }
  if (!is.null(parts$screen)) d$screening <- report_screening(parts$screen)
  if (!is.null(parts$panels)) {
    d$panels <- report_panel_table(parts$panels)
    if (!is.null(attr(parts$panels, "null"))) d$panel_null <- panel_null_summary(parts$panels)
  }
  if (!is.null(parts$model)) {
    d$model_table <- parts$model$table
    d$steps <- report_steps(parts$model$recipe$steps %||% parts$model$steps)
    d$cutpoints <- parts$model$recipe$cutpoints
    d$annotation <- report_annotation_table(parts$model$features)
  }
  if (!is.null(parts$cv)) d$cv_settings <- report_cv_settings(parts$cv)
  if (!is.null(parts$scores)) {
    d$scores <- as.data.frame(parts$scores)
    d$not_scored <- d$scores[!report_is_scored(d$scores), c("id", "status", "reason"),
                             drop = FALSE]
  }
  d$tripod <- report_tripod(parts)
  d$session <- report_session(seed)
  structure(d, class = "ev_report_data")
}

#' @export
print.ev_report_data <- function(x, ...) {
  cat(sprintf("<ev_report_data>%s sections: %s\n", if (x$simulated) " SIMULATED;" else "",
              paste(names(x$parts), collapse = ", ")))
  print(x$headline, row.names = FALSE, right = FALSE)
  invisible(x)
}

report_kinds <- c(evset = "data", ev_qc = "qc", ev_stability = "stability",
                  ev_screen = "screen", ev_panels = "panels", ev_model = "model",
                  ev_cv = "cv", ev_roc = "roc", ev_scores = "scores",
                  ev_compare = "compare")

report_parts <- function(objects) {
  if (!length(objects)) {
    ev_abort("give at least one result to report (ev_qc, ev_model, ev_scores, ...).",
             "evmirna_error_empty", "...")
  }
  parts <- list()
  for (i in seq_along(objects)) {
    o <- objects[[i]]
    kind <- report_kinds[intersect(class(o), names(report_kinds))[1L]]
    if (is.na(kind) && is.data.frame(o) && all(c("id", "status", "prob") %in% names(o))) {
      kind <- "scores"
    }
    if (is.na(kind)) {
      ev_abort(sprintf("argument %d of class %s is not a result ev_report() knows.",
                       i, class(o)[1L]),
               "evmirna_error_type", "...")
    }
    label <- if (!is.null(names(objects)) && nzchar(names(objects)[i])) names(objects)[i]
    if (kind == "roc" && !is.null(label) && grepl("held|valid|test|external", label, ignore.case = TRUE)) {
      kind <- "held_out"
    }
    parts[[kind]] <- o
    if (kind %in% c("roc", "held_out")) parts[[paste0(kind, "_label")]] <- label
  }
  parts
}

report_simulated <- function(parts) {
  prov <- c(parts$model$recipe$provenance, parts$data$provenance,
            attr(parts$scores, "provenance"))
  any(grepl("SIMULATED", prov, fixed = TRUE))
}

report_is_scored <- function(tab) {
  if (is.logical(tab$scored)) tab$scored else tab$status == "pass"
}

# "0.842 (95% CI 0.785-0.900)"
format_ci <- function(est, lower, upper, conf_level = 0.95, digits = 3) {
  sprintf("%.*f (%g%% CI %.*f-%.*f)", digits, est, 100 * conf_level, digits, lower,
          digits, upper)
}

report_headline <- function(parts) {
  rows <- list()
  add <- function(quantity, value, source) {
    rows[[length(rows) + 1L]] <<- data.frame(quantity = quantity, value = value,
                                             source = source, stringsAsFactors = FALSE)
  }
  qc <- parts$qc
  model <- parts$model
  cv <- parts$cv
  n_group <- cv$n %||% model$n
  levels <- cv$levels %||% model$levels
  if (!is.null(parts$data) || !is.null(qc)) {
    n_all <- if (!is.null(qc)) nrow(qc) else ncol(parts$data$values)
    add("cohort", sprintf("%d samples%s", n_all,
                          if (is.null(n_group)) "" else
                            sprintf("; analysed %s", paste(sprintf("%s %d", levels, n_group),
                                                           collapse = ", "))),
        "training cohort as read")
  }
  if (!is.null(qc)) {
    add("QC pass rate", sprintf("%d of %d (%.1f%%)", sum(qc$pass), nrow(qc),
                                100 * mean(qc$pass)), "ev_qc() on the training cohort")
  }
  if (!is.null(model)) add("panel", paste(model$features, collapse = ", "),
                           sprintf("%s, fit on all training samples", method_label(model$method)))
  if (!is.null(cv)) {
    ci <- cv$ci
    src <- sprintf("out-of-fold predictions, %d-fold CV%s%s", cv$folds,
                   if (cv$repeats > 1L) sprintf(" x %d repeats", cv$repeats) else "",
                   if (isTRUE(cv$nested)) ", nested" else "")
    add("cross-validated AUC",
        format_ci(ci[["auc"]], ci[["lower"]], ci[["upper"]], attr(ci, "conf_level")),
        paste0(src, "; DeLong CI"))
    add("calibration slope", sprintf("%.2f (intercept %.2f)", cv$calibration$slope,
                                     cv$calibration$intercept), src)
    add("Brier score", sprintf("%.3f", cv$calibration$brier), src)
  } else if (!is.null(model$recipe$training$auc)) {
    a <- model$recipe$training$auc
    add("apparent AUC (NOT validated)", format_ci(a[1L], a[2L], a[3L],
                                                  model$recipe$training$conf_level),
        "training predictions of the final model: optimistic; give an ev_cv result")
  }
  if (!is.null(parts$held_out)) {
    ci <- ev_ci_auc(parts$held_out)
    add(sprintf("%s AUC", parts$held_out_label),
        format_ci(ci[["auc"]], ci[["lower"]], ci[["upper"]], attr(ci, "conf_level")),
        sprintf("held-out patients (%d cases, %d controls), DeLong CI",
                parts$held_out$n_cases, parts$held_out$n_controls))
  }
  cp <- model$recipe$cutpoints
  if (!is.null(cp) && nrow(cp)) {
    cl <- cp$conf_level[1L] %||% 0.95
    add(sprintf("cut-point \"%s\"", cp$name[1L]),
        sprintf("risk >= %.3f: sensitivity %s, specificity %s", cp$threshold[1L],
                format_ci(cp$sensitivity[1L], cp$sensitivity_lower[1L],
                          cp$sensitivity_upper[1L], cl, 2),
                format_ci(cp$specificity[1L], cp$specificity_lower[1L],
                          cp$specificity_upper[1L], cl, 2)),
        sprintf("chosen on %s; stratified bootstrap CIs",
                model$recipe$training$cutpoint_source %||% "training predictions"))
  }
  if (!length(rows)) return(NULL)
  do.call(rbind, rows)
}

report_qc_counts <- function(qc) {
  hemo <- table(factor(qc$hemolysis, hemolysis_levels), useNA = "no")
  data.frame(
    check = c("samples", "pass all checks", "hemolysis risk", "hemolysed",
              "spike-in failure", "outlying global-mean Cq"),
    n = c(nrow(qc), sum(qc$pass), hemo[["hemolysis_risk"]], hemo[["hemolysed"]],
          sum(qc$spike_in_flag), sum(qc$outlier)),
    stringsAsFactors = FALSE)
}

# One row per sample failing QC, with ev_qc()'s status and every failing
# check (its `reason`, the same words ev_score() uses).
report_qc_excluded <- function(qc) {
  bad <- which(!qc$pass)
  data.frame(sample = qc$sample[bad], plate = qc$plate[bad] %||% rep(NA, length(bad)),
             status = qc$status[bad], reason = qc$reason[bad], stringsAsFactors = FALSE)
}

# Screening sorted by evidence: FDR, then distance of the AUC from 0.5.
report_screening <- function(screen) {
  tab <- as.data.frame(screen)
  # the name breaks exact ties, so the order never depends on the input order
  tab <- tab[order(tab$p_wilcoxon_bh, -abs(tab$auc - 0.5), tab$feature, na.last = TRUE), ,
             drop = FALSE]
  fdr <- tab$p_wilcoxon_bh
  data.frame(miRNA = tab$feature,
             AUC = sprintf("%.3f", tab$auc),
             `95% CI` = sprintf("%.3f-%.3f", tab$auc_lower, tab$auc_upper),
             `log2 FC` = sprintf("%+.2f", tab$log2_fc),
             p = format_p(tab$p_wilcoxon),
             FDR = format_p(fdr),
             `curated role` = if (is.null(tab$curated)) "" else
               ifelse(is.na(tab$curated), "", tab$curated),
             check.names = FALSE, stringsAsFactors = FALSE, row.names = NULL)
}

format_p <- function(p) {
  ifelse(is.na(p), "", ifelse(p < 1e-4, sprintf("%.1e", p), sprintf("%.4f", p)))
}

report_panel_table <- function(panels) {
  tab <- as.data.frame(panels)
  keep <- intersect(c("rank", "panel", "size", "auc", "auc_lower", "auc_upper", "p_perm"),
                    names(tab))
  tab[keep]
}

# Observed best AUC per panel size against the permutation null's spread;
# with n_perm permutations no p-value can fall below 1 / (n_perm + 1).
panel_null_summary <- function(panels) {
  null_best <- attr(panels, "null")
  tab <- as.data.frame(panels)
  sizes <- as.integer(sub("^size_", "", colnames(null_best)))
  data.frame(size = sizes,
             observed_best_auc = vapply(sizes, function(k) max(tab$auc[tab$size == k]), 0),
             null_median = apply(null_best, 2L, stats::median),
             null_95th = apply(null_best, 2L, stats::quantile, probs = 0.95),
             null_max = apply(null_best, 2L, max),
             n_perm = nrow(null_best),
             smallest_p = 1 / (nrow(null_best) + 1), row.names = NULL)
}

report_steps <- function(steps) {
  if (!length(steps)) return(NULL)
  rows <- lapply(steps, function(s) {
    detail <- s[setdiff(names(s), c("name", "features", "target", "mean", "sd"))]
    detail <- vapply(detail, function(v) {
      if (is.null(v)) return("")
      if (is.numeric(v)) v <- signif(v, 4)
      paste(utils::head(as.character(v), 8L), collapse = ", ")
    }, character(1))
    data.frame(step = s$name, parameters = paste(names(detail), detail, sep = " = ",
                                                  collapse = "; "),
               stringsAsFactors = FALSE)
  })
  do.call(rbind, rows)
}

report_cv_settings <- function(cv) {
  fa <- summary(cv)$fold_auc
  data.frame(
    setting = c("method", "folds x repeats", "stratified", "nested tuning",
                "feature screening inside folds", "preprocessing inside folds",
                "per-fold AUC", "apparent AUC (fit on all samples)",
                "cross-validated AUC", "optimism (apparent - CV)"),
    value = c(method_label(cv$method), sprintf("%d x %d", cv$folds, cv$repeats),
              as.character(cv$stratified), as.character(cv$nested),
              if (is.null(cv$screen)) "none" else sprintf("top %d by training-fold AUC", cv$screen$top),
              if (isTRUE(cv$preprocessed)) "yes (re-learned per training fold)" else "no",
              sprintf("mean %.3f, SD %.3f, range %.3f-%.3f", fa[["mean"]], fa[["sd"]],
                      fa[["min"]], fa[["max"]]),
              sprintf("%.3f", cv$apparent_auc),
              format_ci(cv$ci[["auc"]], cv$ci[["lower"]], cv$ci[["upper"]],
                        attr(cv$ci, "conf_level")),
              sprintf("%.3f", cv$apparent_auc - cv$ci[["auc"]])),
    stringsAsFactors = FALSE)
}

report_annotation_table <- function(features) {
  ann <- tryCatch(ev_annotate(features, keep_unmatched = FALSE),
                  evmirna_error = function(e) NULL)
  if (is.null(ann) || !nrow(ann)) return(ann)
  keep <- intersect(c("input", "match", "source_cell", "target_cell", "effect", "where",
                      "bone_process"), names(ann))
  out <- unique(ann[keep])
  rownames(out) <- NULL
  out
}

report_session <- function(seed) {
  pk <- c("evmirna", "rmarkdown", "knitr", "pROC", "glmnet", "logistf", "future")
  have <- pk[vapply(pk, function(p) nzchar(system.file(package = p)), logical(1))]
  data.frame(
    item = c("date", "R", "platform", "evmirna", "seed", "packages"),
    value = c(format(Sys.time(), "%Y-%m-%d %H:%M %Z"), R.version.string,
              R.version$platform, package_version_string(),
              if (is.null(seed)) "not recorded (pass seed = to ev_report())" else format(seed),
              paste(sprintf("%s %s", have, vapply(have, function(p)
                as.character(utils::packageVersion(p)), "")), collapse = ", ")),
    stringsAsFactors = FALSE)
}
