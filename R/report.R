# ev_report(): a self-contained HTML report, written directly (no pandoc):
# tables as HTML, figures as PNG embedded in base64, so the file can be
# mailed or archived alone and the same inputs give the same bytes.

#' Write a self-contained HTML report
#'
#' Writes one HTML file with a section for each result it is given, figures
#' embedded as base64 PNG (no external files, no pandoc needed):
#' * `ev_qc`: the cohort QC summary (pass counts, hemolysis, spike-in,
#'   outliers) and its plot;
#' * `ev_stability`: the reference-stability ranking behind the
#'   normalization choice, and its plot;
#' * `ev_screen`: the screening table (top rows) and its plot;
#' * `ev_panels`: the best panels by cross-validated AUC and, when the
#'   search ran a permutation null, the best AUC under permuted labels;
#' * `ev_model` (frozen or not): the processing recipe (normalization method
#'   and frozen parameters), the coefficient table, the cut-points with their
#'   sensitivity and specificity CIs, and the curated bone-remodeling
#'   annotation of the panel miRNAs (see [ev_annotate()]);
#' * `ev_cv`: the cross-validated (out-of-fold) ROC with its CI band,
#'   calibration and decision curves, through its `plot()` method;
#' * `ev_roc`: a ROC curve with its bootstrap CI band (the argument's name,
#'   when given, labels it, e.g. `"cross-validated" = roc`);
#' * `ev_scores` (or a data.frame of scores read back from a file): the
#'   scored patients, with those not scored and their reasons.
#'
#' Objects are recognized by class; other objects are an error. Data whose
#' provenance says "SIMULATED" (the bundled example cohorts) are labelled so
#' at the top of the report.
#'
#' @param ... Result objects (see above), in any order.
#' @param file Path of the HTML file.
#' @param title Report title.
#' @param png_dir Optional directory where each figure is also written as a
#'   PNG file.
#' @param n_boot Bootstrap replicates for the ROC CI band of an `ev_roc`.
#' @return `file`, invisibly, with attribute `figures` (the PNG paths when
#'   `png_dir` is given).
#' @seealso [ev_score()], [ev_freeze()]
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
#' fit <- ev_fit(n, "group", features = c("hsa-miR-21-5p", "hsa-miR-214-3p"))
#' frozen <- ev_freeze(fit, x, n_boot = 200)
#' roc <- ev_roc(fit$train$group, fit$train$prob)
#' out <- ev_report(frozen, roc, ev_score(frozen, t(cq[, 1:5])),
#'                  file = tempfile(fileext = ".html"), n_boot = 200)
#' file.exists(out)
ev_report <- function(..., file = "report.html", title = "EV miRNA panel report",
                      png_dir = NULL, n_boot = 500) {
  check_string(file, "file")
  check_string(title, "title")
  if (!is.null(png_dir)) {
    check_string(png_dir, "png_dir")
    dir.create(png_dir, showWarnings = FALSE, recursive = TRUE)
  }
  check_n_boot(n_boot)
  parts <- report_parts(list(...))
  env <- new.env()
  env$figures <- character(0)
  env$png_dir <- png_dir
  body <- c(
    report_header(parts, title),
    if (!is.null(parts$qc)) report_qc(parts$qc, env),
    if (!is.null(parts$model) || !is.null(parts$stability))
      report_normalization(parts$model, parts$stability, env),
    if (!is.null(parts$screen)) report_generic(parts$screen, "Screening", env),
    if (!is.null(parts$panels)) report_panels(parts$panels, env),
    if (!is.null(parts$model)) report_model(parts$model, env),
    if (!is.null(parts$cv)) report_generic(parts$cv, "Cross-validated performance", env,
                                           whats = c("roc", "calibration", "decision")),
    if (!is.null(parts$roc)) report_roc(parts$roc, env, n_boot, parts$roc_label),
    if (!is.null(parts$scores)) report_scores(parts$scores),
    if (!is.null(parts$model)) report_annotation(parts$model)
  )
  html <- c("<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
            sprintf("<title>%s</title>", html_escape(title)), report_css(),
            "</head><body>", body,
            sprintf("<p class=\"foot\">Written by evmirna %s.</p>", package_version_string()),
            "</body></html>")
  write_text_file(html, file, "file")
  invisible(structure(file, figures = env$figures))
}

report_kinds <- c(ev_qc = "qc", ev_stability = "stability", ev_screen = "screen",
                  ev_panels = "panels", ev_model = "model", ev_cv = "cv", ev_roc = "roc", ev_scores = "scores")

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
    parts[[kind]] <- o
    if (kind == "roc" && !is.null(names(objects)) && nzchar(names(objects)[i])) {
      parts$roc_label <- names(objects)[i]
    }
  }
  parts
}

report_header <- function(parts, title) {
  prov <- parts$model$recipe$provenance
  simulated <- any(grepl("SIMULATED", c(prov, parts$scores_provenance), fixed = TRUE)) ||
    (!is.null(parts$scores) && any(grepl("SIMULATED", attr(parts$scores, "provenance") %||% "")))
  c(sprintf("<h1>%s</h1>", html_escape(title)),
    if (simulated) "<p class=\"sim\">SIMULATED DATA: every number in this report comes from simulated patients, not real ones.</p>",
    if (!is.null(prov) && !is.na(prov)) sprintf("<p>Training data: %s</p>", html_escape(prov)),
    sprintf("<p>Sections: %s.</p>", paste(setdiff(names(parts), "roc_label"), collapse = ", ")))
}

report_qc <- function(qc, env) {
  th <- attr(qc, "thresholds")
  hemo <- table(factor(qc$hemolysis, hemolysis_levels), useNA = "no")
  summary <- data.frame(
    check = c("samples", "pass all checks", "hemolysis risk", "hemolysed",
              "spike-in failure", "outlying global-mean Cq"),
    n = c(nrow(qc), sum(qc$pass), hemo[["hemolysis_risk"]], hemo[["hemolysed"]],
          sum(qc$spike_in_flag), sum(qc$outlier)),
    stringsAsFactors = FALSE)
  c("<h2>Cohort quality control</h2>",
    sprintf("<p>Hemolysis by dCq(miR-23a-3p - miR-451a): risk above %s, hemolysed above %s; spike-in within %s cycles of the cohort median; global-mean robust z within %s.</p>",
            format(th$hemolysis_risk), format(th$hemolysis_cutoff),
            format(th$spike_in_cycles), format(th$outlier_z)),
    html_table(summary),
    report_figure(function() plot(qc), "qc", env, width = 900))
}

report_normalization <- function(model, stability, env) {
  out <- "<h2>Normalization and reference stability</h2>"
  steps <- model$recipe$steps %||% model$steps
  if (length(steps)) {
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
    out <- c(out, "<p>Frozen processing steps, replayed unchanged on every new patient:</p>",
             html_table(do.call(rbind, rows)))
  }
  if (!is.null(stability)) {
    out <- c(out, sprintf("<p>Reference-stability ranking (%s), most stable first:</p>",
                          html_escape(stability$method)),
             html_table(utils::head(stability$table, 10L)),
             report_figure(function() plot(stability), "stability", env, width = 900))
  }
  out
}

# Panel search: the generic table and plot, plus the selection-luck null.
report_panels <- function(panels, env) {
  out <- report_generic(panels, "Panel search", env)
  null_best <- attr(panels, "null")
  if (!is.null(null_best)) {
    out <- c(out, "<p>Best panel AUC when the whole search is repeated on permuted labels (how much of the best AUC selection luck alone gives):</p>",
             html_table(panel_null_summary(panels)))
  }
  out
}

# Observed best AUC per panel size against the permutation null's spread.
panel_null_summary <- function(panels) {
  null_best <- attr(panels, "null")
  tab <- as.data.frame(panels)
  sizes <- as.integer(sub("^size_", "", colnames(null_best)))
  data.frame(size = sizes,
             observed_best_auc = vapply(sizes, function(k) max(tab$auc[tab$size == k]), 0),
             null_median = apply(null_best, 2L, stats::median),
             null_95th = apply(null_best, 2L, stats::quantile, probs = 0.95),
             null_max = apply(null_best, 2L, max),
             n_perm = nrow(null_best), row.names = NULL)
}

report_generic <- function(object, heading, env, whats = NULL) {
  out <- sprintf("<h2>%s</h2>", html_escape(heading))
  tab <- tryCatch(as.data.frame(object), error = function(e) NULL)
  if (!is.null(tab)) out <- c(out, html_table(utils::head(tab, 20L)))
  if (is.null(whats)) {
    out <- c(out, report_figure(function() plot(object), gsub("\\W+", "_", tolower(heading)), env))
  } else {
    for (w in whats) {
      out <- c(out, sprintf("<h3>%s</h3>", html_escape(w)),
               report_figure(function() plot(object, what = w), paste0("cv_", w), env))
    }
  }
  out
}

report_model <- function(model, env) {
  out <- c("<h2>Panel model</h2>",
           sprintf("<p>%s on %d miRNA(s); modelled class: %s (n = %d) vs %s (n = %d).</p>",
                   html_escape(method_label(model$method)), length(model$features),
                   html_escape(model$levels[2L]), model$n[[2L]],
                   html_escape(model$levels[1L]), model$n[[1L]]))
  if (!is.null(model$table)) out <- c(out, html_table(model$table, digits = 4))
  r <- model$recipe
  if (!is.null(r)) {
    auc <- r$training$auc
    out <- c(out,
             sprintf("<p>Training AUC %.3f (%g%% DeLong CI %.3f-%.3f). Cut-points chosen on %s; sensitivity and specificity with stratified bootstrap CIs:</p>",
                     auc[1L], 100 * r$training$conf_level, auc[2L], auc[3L],
                     html_escape(r$training$cutpoint_source)),
             html_table(r$cutpoints[setdiff(names(r$cutpoints), "conf_level")], digits = 4),
             "<p>Panel miRNAs and their training range after processing (new values outside it are flagged):</p>",
             html_table(r$panel, digits = 4))
  }
  if (!is.null(model$standardized)) {
    out <- c(out, report_figure(function() plot(model, what = "coefficients"), "model", env))
  }
  out
}

report_roc <- function(roc, env, n_boot, label = NULL) {
  ci <- ev_ci_auc(roc)
  c(sprintf("<h2>ROC curve%s</h2>", if (is.null(label)) "" else paste0(": ", html_escape(label))),
    sprintf("<p>AUC %.3f (%g%% DeLong CI %.3f-%.3f); grey band: bootstrap CI of the sensitivity (%d replicates).</p>",
            ci[["auc"]], 100 * attr(ci, "conf_level"), ci[["lower"]], ci[["upper"]],
            n_boot),
    report_figure(function() plot(roc, ci = TRUE, best = TRUE, n_boot = n_boot), "roc", env))
}

report_scores <- function(scores) {
  tab <- as.data.frame(scores)
  scored <- if (is.logical(tab$scored)) tab$scored else tab$status == "pass"
  c("<h2>Scored patients</h2>",
    sprintf("<p>%d patient(s): %d scored; %d not scored (QC failure or processing), listed with the reason.</p>",
            nrow(tab), sum(scored), sum(!scored)),
    html_table(tab[, setdiff(names(tab), "scored"), drop = FALSE], digits = 4,
               class = "scores"))
}

report_annotation <- function(model) {
  ann <- tryCatch(ev_annotate(model$features, keep_unmatched = FALSE),
                  evmirna_error = function(e) NULL)
  out <- "<h2>Panel miRNAs in the curated bone-remodeling EV table</h2>"
  if (is.null(ann) || !nrow(ann)) return(c(out, "<p>No panel miRNA is in the curated table.</p>"))
  keep <- intersect(c("input", "match", "source_cell", "target_cell", "effect",
                      "bone_process", "reference"), names(ann))
  c(out, html_table(unique(ann[keep])))
}

# Draws `draw` into a PNG and returns an <img> tag with it inline.
report_figure <- function(draw, name, env, width = 640, height = 480) {
  path <- tempfile(fileext = ".png")
  on.exit(unlink(path))
  grDevices::png(path, width = width, height = height, res = 96)
  ok <- tryCatch({
    draw()
    TRUE
  }, error = function(e) conditionMessage(e))
  grDevices::dev.off()
  if (!isTRUE(ok)) {
    return(sprintf("<p class=\"note\">Figure \"%s\" not drawn: %s</p>", name, html_escape(ok)))
  }
  if (!is.null(env$png_dir)) {
    dest <- file.path(env$png_dir, paste0(name, ".png"))
    file.copy(path, dest, overwrite = TRUE)
    env$figures <- c(env$figures, dest)
  }
  bytes <- readBin(path, "raw", file.size(path))
  sprintf("<figure id=\"fig-%s\"><img alt=\"%s\" src=\"data:image/png;base64,%s\"></figure>",
          name, name, base64_encode(bytes))
}

html_escape <- function(x) {
  x <- gsub("&", "&amp;", x, fixed = TRUE)
  x <- gsub("<", "&lt;", x, fixed = TRUE)
  x <- gsub(">", "&gt;", x, fixed = TRUE)
  gsub("\"", "&quot;", x, fixed = TRUE)
}

html_table <- function(df, digits = 4, class = NULL) {
  df <- as.data.frame(df, stringsAsFactors = FALSE)
  cells <- lapply(df, function(col) {
    v <- if (is.numeric(col)) ifelse(is.na(col), "", format(signif(col, digits), trim = TRUE))
         else ifelse(is.na(col), "", as.character(col))
    html_escape(v)
  })
  head <- paste0("<tr>", paste0("<th>", html_escape(names(df)), "</th>", collapse = ""), "</tr>")
  rows <- if (nrow(df)) {
    do.call(paste0, c(list("<tr>"), lapply(cells, function(v) paste0("<td>", v, "</td>")),
                      list("</tr>")))
  }
  c(sprintf("<table%s>", if (is.null(class)) "" else sprintf(" class=\"%s\"", class)),
    head, rows, "</table>")
}

report_css <- function() {
  "<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:90%}
th,td{border:1px solid #bbb;padding:2px 6px;text-align:left}
th{background:#eee}.sim{background:#fff3cd;border:1px solid #e0b000;padding:.5em;font-weight:bold}
.foot,.note{color:#666;font-size:85%}img{max-width:100%}</style>"
}

# RFC 4648 base64, without line breaks.
base64_encode <- function(bytes) {
  alphabet <- c(LETTERS, letters, 0:9, "+", "/")
  n <- length(bytes)
  if (!n) return("")
  pad <- (3L - n %% 3L) %% 3L
  v <- as.integer(c(bytes, as.raw(rep(0L, pad))))
  m <- matrix(v, 3L)
  triple <- m[1L, ] * 65536L + m[2L, ] * 256L + m[3L, ]
  idx <- rbind(triple %/% 262144L, (triple %/% 4096L) %% 64L,
               (triple %/% 64L) %% 64L, triple %% 64L)
  chars <- alphabet[idx + 1L]
  if (pad) chars[(length(chars) - pad + 1L):length(chars)] <- "="
  paste(chars, collapse = "")
}
