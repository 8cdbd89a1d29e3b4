# Portable model files: a frozen model written as human-readable JSON with a
# format version and an MD5 checksum of its canonical payload. Every R value
# is written with its type (and names, dims, levels) so that reading it back
# gives identical objects; doubles are written with 17 significant digits,
# which round-trips every finite double exactly.

model_file_format <- "evmirna-model"
model_file_version <- 1L

#' Save and load a frozen model as a portable JSON file
#'
#' `ev_save_model()` writes a model frozen by [ev_freeze()] to a text file
#' (JSON): a header with the format name, the format version, the evmirna
#' version that wrote it and an MD5 checksum, then the payload: the scoring
#' recipe (QC rules and thresholds, normalization steps with their frozen
#' parameters, panel miRNAs, coefficients, cut-points with sensitivity and
#' specificity and their CIs, training-cohort summary) and the coefficient
#' table. Numbers are written with 17 significant digits, so a loaded model
#' scores with exactly the same numbers as the one saved.
#'
#' `ev_load_model()` reads such a file back. It refuses, with an error of
#' class `evmirna_error_file`, a file that is not valid JSON or not an evmirna
#' model file; with the subclass `evmirna_error_model_version`, a file written
#' in another format version; and with the subclass
#' `evmirna_error_model_checksum`, a file whose payload no longer matches its
#' checksum (edited or corrupted after saving). Both need the jsonlite
#' package.
#'
#' @param model A frozen `ev_model` (from [ev_freeze()] or
#'   `ev_load_model()`).
#' @param path File path.
#' @return `ev_save_model()`: `path`, invisibly. `ev_load_model()`: the
#'   frozen `ev_model`, ready for [ev_score()] and `predict()`.
#' @seealso [ev_freeze()], [ev_score()]
#' @export
#' @examples
#' if (requireNamespace("jsonlite", quietly = TRUE)) {
#'   set.seed(1)
#'   cq <- matrix(rnorm(4 * 40, 28, 1), 4, 40,
#'                dimnames = list(c("hsa-miR-16-5p", "hsa-miR-93-5p",
#'                                  "hsa-miR-21-5p", "hsa-miR-214-3p"),
#'                                sprintf("S%02d", 1:40)))
#'   group <- rep(c("control", "case"), each = 20)
#'   cq[4, group == "case"] <- cq[4, group == "case"] - 1
#'   x <- evset(cq, samples = data.frame(id = colnames(cq), group = group))
#'   n <- ev_normalize(x, "reference",
#'                     references = c("hsa-miR-16-5p", "hsa-miR-93-5p"))
#'   fit <- ev_fit(n, "group", features = c("hsa-miR-21-5p", "hsa-miR-214-3p"))
#'   frozen <- ev_freeze(fit, x, n_boot = 200)
#'   path <- tempfile(fileext = ".json")
#'   ev_save_model(frozen, path)
#'   again <- ev_load_model(path)
#'   identical(ev_score(frozen, x)$prob, ev_score(again, x)$prob)
#' }
ev_save_model <- function(model, path) {
  need_jsonlite("ev_save_model")
  check_frozen(model, "model")
  check_string(path, "path")
  payload <- model_payload(model)
  encoded <- encode_value(payload)
  doc <- list(format = jsonlite::unbox(model_file_format),
              format_version = jsonlite::unbox(model_file_version),
              evmirna_version = jsonlite::unbox(model$recipe$package_version),
              checksum = jsonlite::unbox(payload_checksum(encoded)),
              payload = encoded)
  text <- jsonlite::toJSON(doc, digits = I(17), pretty = TRUE, na = "string",
                           null = "null")
  write_text_file(text, path, "path")
  invisible(path)
}

#' @rdname ev_save_model
#' @export
ev_load_model <- function(path) {
  need_jsonlite("ev_load_model")
  check_string(path, "path")
  if (!file.exists(path) || dir.exists(path)) {
    ev_abort(sprintf("`path`: model file \"%s\" does not exist.", path),
             "evmirna_error_file", "path")
  }
  text <- paste(readLines(path, warn = FALSE, encoding = "UTF-8"), collapse = "\n")
  doc <- tryCatch(jsonlite::fromJSON(text, simplifyVector = FALSE),
                  error = function(e) NULL)
  if (!is.list(doc) || !identical(doc[["format"]], model_file_format)) {
    ev_abort(sprintf("`path`: \"%s\" is not an evmirna model file (not JSON, or no \"format\": \"%s\").",
                     path, model_file_format),
             "evmirna_error_file", "path")
  }
  version <- doc[["format_version"]]
  if (!is.numeric(version) || length(version) != 1L || version != model_file_version) {
    ev_abort(sprintf("`path`: model file format version %s is not supported (this evmirna %s reads version %d); re-save the model with a matching evmirna.",
                     format(version %||% "missing"), package_version_string(),
                     model_file_version),
             c("evmirna_error_model_version", "evmirna_error_file"), "path")
  }
  payload <- tryCatch(decode_value(doc[["payload"]]), error = function(e) NULL)
  if (is.null(payload) || !is.character(doc[["checksum"]]) ||
      !identical(payload_checksum(encode_value(payload)), doc[["checksum"]])) {
    ev_abort(sprintf("`path`: model file \"%s\" fails its checksum: its content was altered or corrupted after saving.",
                     path),
             c("evmirna_error_model_checksum", "evmirna_error_file"), "path")
  }
  model_from_payload(payload)
}

need_jsonlite <- function(what) {
  if (!requireNamespace("jsonlite", quietly = TRUE)) {
    ev_abort(sprintf("%s() needs the jsonlite package: install.packages(\"jsonlite\").", what),
             "evmirna_error_file", NULL)
  }
}

package_version_string <- function() {
  as.character(utils::packageVersion("evmirna"))
}

# What a frozen model needs to score and to be described.
model_payload <- function(model) {
  list(method = model$method, levels = model$levels, features = model$features,
       terms = model$terms, coefficients = model$coefficients,
       intercept_link = model$intercept_link, lambda = model$lambda,
       table = model$table, term_sd = model$term_sd, n = as.integer(model$n),
       scale = model$scale,
       steps = model$steps, recipe = model$recipe)
}

model_from_payload <- function(p) {
  n <- stats::setNames(p$n, p$levels)
  model <- list(method = p$method, call = NULL, levels = p$levels,
                features = p$features, covariates = NULL, terms = p$terms,
                coefficients = p$coefficients, intercept_link = p$intercept_link,
                table = p$table, standardized = NULL, path = NULL,
                lambda = p$lambda, steps = p$steps, scale = p$scale,
                term_sd = p$term_sd, n = n, train = NULL, roc = NULL, fit = NULL,
                options = list(), vcov = NULL, recipe = p$recipe)
  if (!is.null(model$table$standardized)) {
    model$standardized <- stats::setNames(model$table$standardized[-1L],
                                          model$terms)
  }
  structure(model, class = "ev_model")
}

payload_checksum <- function(encoded) {
  canonical <- jsonlite::toJSON(encoded, digits = I(17), na = "string", null = "null")
  tmp <- tempfile("evmirna-payload")
  on.exit(unlink(tmp))
  writeBin(charToRaw(enc2utf8(as.character(canonical))), tmp)
  unname(tools::md5sum(tmp))
}

# R value -> JSON-ready list carrying its type, so decoding is exact.
encode_value <- function(x) {
  u <- jsonlite::unbox
  if (is.null(x)) return(list(type = u("null")))
  if (is.data.frame(x)) {
    return(list(type = u("data.frame"), nrow = u(nrow(x)),
                columns = stats::setNames(lapply(x, encode_value), names(x))))
  }
  if (is.factor(x)) {
    return(list(type = u("factor"), levels = as.character(levels(x)),
                codes = encode_value(as.integer(x))))
  }
  if (is.list(x)) {
    items <- lapply(unname(x), encode_value)
    out <- list(type = u("list"), items = items)
    if (!is.null(names(x))) out$names <- names(x)
    return(out)
  }
  if (is.atomic(x) && typeof(x) %in% c("logical", "integer", "double", "character")) {
    v <- unname(as.vector(x))
    na <- which(is.na(v) & !is.nan(v))
    # NA positions are listed apart, so a string "NA" stays a string
    if (length(na)) v[na] <- switch(typeof(v), logical = FALSE, integer = 0L,
                                    double = 0, character = "")
    out <- list(type = u(typeof(x)), values = v)
    if (length(na)) out$na <- na
    if (!is.null(names(x))) out$names <- names(x)
    if (!is.null(dim(x))) {
      out$dim <- dim(x)
      if (!is.null(dimnames(x))) {
        out$dimnames <- lapply(dimnames(x), function(d) if (is.null(d)) list() else d)
      }
    }
    return(out)
  }
  ev_abort(sprintf("cannot write a value of type %s to a model file.", typeof(x)),
           "evmirna_error_type", "model")
}

decode_value <- function(e) {
  type <- e[["type"]]
  switch(type,
    null = NULL,
    data.frame = {
      cols <- lapply(e[["columns"]], decode_value)
      out <- if (length(cols)) as.data.frame(cols, stringsAsFactors = FALSE,
                                             optional = TRUE)
             else data.frame(row.names = seq_len(e[["nrow"]]))
      names(out) <- names(e[["columns"]])
      out
    },
    factor = {
      lev <- as.character(unlist(e[["levels"]]))
      factor(lev[decode_value(e[["codes"]])], levels = lev)
    },
    list = {
      out <- lapply(e[["items"]], decode_value)
      if (!is.null(e[["names"]])) names(out) <- as.character(unlist(e[["names"]]))
      out
    },
    logical = , integer = , double = , character = {
      v <- decode_atomic(e[["values"]], type)
      if (!is.null(e[["na"]])) v[as.integer(unlist(e[["na"]]))] <- NA
      if (!is.null(e[["dim"]])) {
        dim(v) <- as.integer(unlist(e[["dim"]]))
        if (!is.null(e[["dimnames"]])) {
          dimnames(v) <- lapply(e[["dimnames"]], function(d) if (length(d)) as.character(unlist(d)) else NULL)
        }
      }
      if (!is.null(e[["names"]])) names(v) <- as.character(unlist(e[["names"]]))
      v
    },
    stop("unknown type")
  )
}

decode_atomic <- function(values, type) {
  if (!length(values)) return(vector(type, 0L))
  if (type == "double") {
    special <- c(`NaN` = NaN, `Inf` = Inf, `-Inf` = -Inf)
    return(vapply(values, function(v) {
      if (is.character(v)) special[[v]] else as.double(v)
    }, numeric(1)))
  }
  out <- unlist(values)
  storage.mode(out) <- type
  out
}
