# Portable model files: a frozen model written as human-readable JSON. A
# header (format, format version, the evmirna version that wrote it, the
# SHA-256 of the payload text as stored, an optional signature) precedes the
# payload. The loader checks, in order: that the path is a regular file
# within the size limit, that the text is well-formed JSON, the header, the
# checksum and signature over the stored payload bytes, the payload schema,
# and only then builds the model.

model_file_format <- "evmirna-model"
model_file_version <- 2L
model_header_fields <- c("format", "format_version", "evmirna_version", "checksum",
                         "signature")
model_payload_marker <- "\n  \"payload\": "

#' Save and load a frozen model as a portable JSON file
#'
#' `ev_save_model()` writes a model frozen by [ev_freeze()] to a text file
#' (JSON): a header with the format name, the format version (2), the
#' evmirna version that wrote it, the SHA-256 checksum of the payload text
#' and, with a `key`, a signature; then the payload: the scoring recipe (QC
#' rules and thresholds, normalization steps with their frozen parameters,
#' panel miRNAs, cut-points with sensitivity and specificity and their CIs,
#' training-cohort summary), the coefficients (stored once; the recipe's
#' panel and the coefficient table are rebuilt from them on loading) and the
#' coefficient table's standard errors and tests. Numbers are written by
#' evmirna itself with up to 17 significant digits, checked to read back bit
#' for bit, whatever the jsonlite version; a loaded model scores with exactly
#' the same numbers as the one saved. The file is written atomically: it
#' appears complete or not at all.
#'
#' `ev_load_model()` reads such a file back. Before anything is decoded it
#' refuses, each with a classed error (all inherit `evmirna_error_file`):
#' * a missing path, a directory, a device, FIFO or other special file, or
#'   an empty file;
#' * a file larger than `max_size` (`evmirna_error_model_size`);
#' * text that is not well-formed JSON, or not an evmirna model file
#'   (`evmirna_error_model_json`);
#' * another format version (`evmirna_error_model_version`). Version 1
#'   files (evmirna 0.1.0, MD5 over a re-encoding that changed with the
#'   jsonlite version) are refused: re-freeze the model with [ev_freeze()]
#'   and save it again;
#' * a payload that does not match its checksum (`evmirna_error_model_checksum`):
#'   edited, re-formatted or corrupted after saving;
#' * with a `key`, an unsigned file, another kind of key, or a signature that
#'   does not match (`evmirna_error_model_signature`);
#' * a payload with unknown, missing or ill-typed fields, or declared sizes
#'   that do not match its content (`evmirna_error_model_schema`).
#'
#' @section Which key to use:
#' A checksum stops accidents, not people: whoever edits a coefficient can
#' recompute it. A signature stops people who do not hold the key, provided
#' the loader is given the key.
#' * An **HMAC-SHA256 secret** (a string or raw vector of 16 bytes or more,
#'   e.g. `openssl::rand_bytes(32)` saved to a file) when the same people or
#'   machines train and score: whoever can check the file can also sign it.
#' * An **Ed25519 key pair** (`openssl::ed25519_keygen()`) when the model is
#'   handed to others: the training side signs with the private key, the
#'   scoring sites check with the public key, which cannot sign.
#'
#' Loading a signed file without a key checks only the checksum and warns
#' (`evmirna_warning_model_unverified`).
#'
#' @param model A frozen `ev_model` (from [ev_freeze()] or
#'   `ev_load_model()`).
#' @param path File path.
#' @param key `NULL` (no signature), an HMAC secret (string or raw vector of
#'   at least 16 bytes) or an Ed25519 key from the openssl package (private
#'   to sign; public or private to check). [ev_read_key()] reads one from a
#'   file.
#' @param max_size Largest file accepted, in bytes (default 10 MiB).
#' @return `ev_save_model()`: `path`, invisibly. `ev_load_model()`: the
#'   frozen `ev_model`, ready for [ev_score()] and `predict()`.
#' @seealso [ev_freeze()], [ev_score()], [ev_read_key()]
#' @export
#' @examples
#' if (requireNamespace("jsonlite", quietly = TRUE) &&
#'     requireNamespace("openssl", quietly = TRUE)) {
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
#'   secret <- openssl::rand_bytes(32)
#'   ev_save_model(frozen, path, key = secret)
#'   again <- ev_load_model(path, key = secret)
#'   identical(ev_score(frozen, x)$prob, ev_score(again, x)$prob)
#' }
ev_save_model <- function(model, path, key = NULL) {
  need_package("jsonlite", "ev_save_model")
  need_package("openssl", "ev_save_model")
  check_frozen(model, "model")
  check_string(path, "path")
  k <- model_key(key, sign = TRUE)
  payload <- json_text(encode_value(model_payload(model)), indent = 2L)
  header <- list(format = json_scalar(model_file_format),
                 format_version = json_scalar(model_file_version),
                 evmirna_version = json_scalar(model$recipe$package_version %||%
                                                 package_version_string()),
                 checksum = json_scalar(paste0("sha256:", sha256_hex(charToRaw(payload)))),
                 signature = if (!is.null(k)) sign_payload(k, payload))
  head <- sub("\n}$", "", json_text(header))
  write_text_file(paste0(head, ",", model_payload_marker, payload, "\n}"), path, "path")
  invisible(path)
}

#' @rdname ev_save_model
#' @export
ev_load_model <- function(path, key = NULL, max_size = 10 * 1024^2) {
  need_package("jsonlite", "ev_load_model")
  need_package("openssl", "ev_load_model")
  check_string(path, "path")
  check_number(max_size, "max_size", lower = 1)
  k <- model_key(key, sign = FALSE)
  text <- read_model_text(path, max_size)
  parts <- split_model_text(text, path)
  header <- check_model_header(parts$header, path)
  if (!identical(header$checksum, paste0("sha256:", sha256_hex(charToRaw(parts$payload))))) {
    ev_abort(sprintf("`path`: model file \"%s\" fails its checksum: its payload was edited, re-formatted or corrupted after saving.",
                     path),
             c("evmirna_error_model_checksum", "evmirna_error_file"), "path")
  }
  if (!is.null(k)) {
    verify_signature(k, header$signature, parts$payload)
  } else if (!is.null(header$signature)) {
    ev_warn(sprintf("`key`: model file \"%s\" is signed but no key was given; only its checksum was checked.",
                    path), "evmirna_warning_model_unverified", "key")
  }
  parsed <- tryCatch(jsonlite::fromJSON(parts$payload, simplifyVector = FALSE),
                     error = function(e) NULL)
  if (is.null(parsed)) schema_fail("payload", "not readable as JSON")
  model_from_payload(check_payload(decode_value(parsed)))
}

# Up-front refusals, then the bytes: never more than `max_size` are read,
# and a device or FIFO (size 0 to stat) is refused before it is opened.
read_model_text <- function(path, max_size) {
  info <- file.info(path, extra_cols = FALSE)
  if (is.na(info$size)) {
    ev_abort(sprintf("`path`: model file \"%s\" does not exist.", path),
             "evmirna_error_file", "path")
  }
  if (isTRUE(info$isdir) || info$size == 0) {
    ev_abort(sprintf("`path`: \"%s\" is %s, not a model file.", path,
                     if (isTRUE(info$isdir)) "a directory" else "empty or not a regular file (a device or FIFO)"),
             "evmirna_error_file", "path")
  }
  if (info$size > max_size) {
    ev_abort(sprintf("`path`: model file \"%s\" has %.0f bytes, more than `max_size` (%.0f); raise `max_size` if it is genuine.",
                     path, info$size, max_size),
             c("evmirna_error_model_size", "evmirna_error_file"), "path")
  }
  bytes <- readBin(path, "raw", n = info$size)
  text <- if (!any(bytes == as.raw(0L))) rawToChar(bytes)
  if (is.null(text) || !validUTF8(text) || !isTRUE(jsonlite::validate(text))) {
    model_json_fail(path, "not well-formed JSON")
  }
  Encoding(text) <- "UTF-8"
  text
}

model_json_fail <- function(path, why) {
  ev_abort(sprintf("`path`: \"%s\" is not an evmirna model file (%s).", path, why),
           c("evmirna_error_model_json", "evmirna_error_file"), "path")
}

# The file is the header object with "payload" as its last member, as
# ev_save_model() lays it out; the payload text is taken verbatim.
split_model_text <- function(text, path) {
  text <- sub("\\s+$", "", text)
  at <- regexpr(model_payload_marker, text, fixed = TRUE)
  if (at < 0L || !startsWith(text, "{\n") || !endsWith(text, "\n}")) {
    if (grepl("\"format_version\": 1\\b", text)) check_model_header(text, path)
    model_json_fail(path, "no \"payload\" laid out as evmirna writes it")
  }
  header <- paste0(sub(",$", "", substr(text, 1L, at - 1L)), "\n}")
  payload <- substr(text, at + attr(at, "match.length"), nchar(text) - 2L)
  if (!isTRUE(jsonlite::validate(header)) || !isTRUE(jsonlite::validate(payload))) {
    model_json_fail(path, "no \"payload\" laid out as evmirna writes it")
  }
  list(header = header, payload = payload)
}

check_model_header <- function(header_text, path) {
  h <- tryCatch(jsonlite::fromJSON(header_text, simplifyVector = FALSE), error = function(e) NULL)
  if (!is.list(h) || !identical(h[["format"]], model_file_format)) {
    model_json_fail(path, sprintf("no \"format\": \"%s\"", model_file_format))
  }
  version <- h[["format_version"]]
  if (identical(version, 1L)) {
    ev_abort(sprintf("`path`: model file \"%s\" has format version 1 (evmirna 0.1.0, an MD5 checksum over a re-encoding that depends on the jsonlite version), which cannot be verified exactly and is no longer read; freeze the fitted model again with ev_freeze() and save it with ev_save_model().",
                     path),
             c("evmirna_error_model_version", "evmirna_error_file"), "path")
  }
  if (!is.numeric(version) || length(version) != 1L || version != model_file_version) {
    ev_abort(sprintf("`path`: model file format version %s is not supported (this evmirna %s reads version %d); save the model again with a matching evmirna.",
                     format(version %||% "missing"), package_version_string(),
                     model_file_version),
             c("evmirna_error_model_version", "evmirna_error_file"), "path")
  }
  sig <- h[["signature"]]
  ok <- identical(names(h), model_header_fields) && is_json_string(h$evmirna_version) &&
    is_json_string(h$checksum) && grepl("^sha256:[0-9a-f]{64}$", h$checksum) &&
    (is.null(sig) || (is.list(sig) && all(vapply(sig, is_json_string, NA)) &&
                        identical(sort(names(sig)), sort(c("algorithm", "value",
                                                           if (length(sig) == 3L) "key_id"))) &&
                        sig$algorithm %in% c("hmac-sha256", "ed25519")))
  if (!ok) {
    schema_fail("header", sprintf("expected the fields %s with a sha256 checksum and a null or hmac-sha256/ed25519 signature",
                                  format_offenders(model_header_fields)))
  }
  h
}

package_version_string <- function() {
  as.character(utils::packageVersion("evmirna"))
}

# What a frozen model needs to score and to be described. The coefficients
# are stored once: the recipe's panel and the coefficient table get them
# back on loading.
model_payload <- function(model) {
  recipe <- model$recipe
  recipe$panel$coefficient <- NULL
  table <- model$table
  if (!is.null(table)) table <- table[setdiff(names(table), derived_table_columns)]
  list(method = model$method, levels = model$levels, features = model$features,
       terms = model$terms, coefficients = model$coefficients,
       intercept_link = model$intercept_link, lambda = model$lambda,
       table = table, term_sd = model$term_sd, n = as.integer(model$n),
       scale = model$scale, steps = model$steps, recipe = recipe)
}

# Columns of the coefficient table that are functions of the coefficients
# alone (see coef_table()).
derived_table_columns <- c("estimate", "odds_ratio", "standardized")

model_from_payload <- function(p) {
  n <- stats::setNames(p$n, p$levels)
  model <- list(method = p$method, call = NULL, levels = p$levels,
                features = p$features, covariates = NULL, terms = p$terms,
                coefficients = p$coefficients, intercept_link = p$intercept_link,
                table = NULL, standardized = NULL, path = NULL,
                lambda = p$lambda, steps = p$steps, scale = p$scale,
                term_sd = p$term_sd, n = n, train = NULL, roc = NULL, fit = NULL,
                options = list(), vcov = NULL, recipe = p$recipe)
  if (!is.null(p$term_sd)) model$standardized <- model$coefficients[-1L] * p$term_sd
  if (!is.null(p$table)) model$table <- table_from_payload(p$table, model)
  panel <- p$recipe$panel
  at <- match("mirna", names(panel))
  coef <- unname(p$coefficients[panel$id])
  model$recipe$panel <- structure(
    c(as.list(panel)[seq_len(at)], list(coefficient = coef), as.list(panel)[-seq_len(at)]),
    class = "data.frame", row.names = .set_row_names(nrow(panel)))
  structure(model, class = c("ev_fit", "ev_model"))
}

# The stored table columns plus those rebuilt from the coefficients, in
# coef_table()'s order.
table_from_payload <- function(tab, model) {
  est <- model$coefficients
  odds <- exp(est)
  odds[1L] <- NA
  rebuilt <- list(estimate = unname(est), odds_ratio = unname(odds),
                  standardized = c(NA, unname(model$standardized)))
  order <- c("term", "estimate", "std_error", "z", "p_value", "odds_ratio", "or_lower",
             "or_upper", "standardized")
  cols <- c(as.list(tab), rebuilt)
  cols <- cols[c(intersect(order, names(cols)), setdiff(names(tab), order))]
  structure(cols, class = "data.frame", row.names = .set_row_names(nrow(tab)))
}

# The model-level schema of a decoded payload: the fields, their types,
# lengths and agreement with each other.
payload_fields <- list(
  method = "character", levels = "character", features = "character", terms = "character",
  coefficients = "double", intercept_link = "double", lambda = c("double", "NULL"),
  table = c("data.frame", "NULL"), term_sd = c("double", "NULL"), n = "integer",
  scale = "character", steps = "list", recipe = "list")
recipe_fields <- c("input_scale", "qc", "steps", "provenance", "required_features", "panel",
                   "cutpoints", "training", "package_version")
panel_columns <- c("id", "mirna", "train_min", "train_max", "train_mean", "train_sd")
cutpoint_columns <- c("name", "rule", "threshold", "sensitivity", "specificity",
                      "sensitivity_lower", "sensitivity_upper", "specificity_lower",
                      "specificity_upper", "conf_level")

check_payload <- function(p) {
  kind <- function(v) if (is.data.frame(v)) "data.frame" else if (is.null(v)) "NULL" else typeof(v)
  if (!is.list(p) || is.data.frame(p) || !identical(sort(names(p)), sort(names(payload_fields)))) {
    schema_fail("payload", sprintf("expected exactly the fields %s",
                                   format_offenders(names(payload_fields), 20L)))
  }
  for (f in names(payload_fields)) {
    if (!kind(p[[f]]) %in% payload_fields[[f]]) {
      schema_fail(paste0("payload$", f), sprintf("expected %s, found %s",
                                                 paste(payload_fields[[f]], collapse = " or "),
                                                 kind(p[[f]])))
    }
  }
  one <- function(v) length(v) == 1L && !is.na(v)
  if (!one(p$method) || !one(p$scale) || length(p$levels) != 2L || anyNA(p$levels)) {
    schema_fail("payload", "`method` and `scale` must be single strings and `levels` two")
  }
  if (length(p$n) != 2L || anyNA(p$n) || any(p$n < 0L)) {
    schema_fail("payload$n", "expected two class counts")
  }
  if (!length(p$terms) || !identical(names(p$coefficients), c("(Intercept)", p$terms)) ||
      !all(is.finite(p$coefficients)) || !one(p$intercept_link) ||
      !is.finite(p$intercept_link)) {
    schema_fail("payload$coefficients",
                "expected finite coefficients named \"(Intercept)\" and the terms, and one finite intercept_link")
  }
  if (!is.null(p$term_sd) && length(p$term_sd) != length(p$terms)) {
    schema_fail("payload$term_sd", "expected one SD per term")
  }
  if (!is.null(p$table) && (nrow(p$table) != length(p$coefficients) ||
                              !identical(p$table$term, names(p$coefficients)) ||
                              any(derived_table_columns %in% names(p$table)))) {
    schema_fail("payload$table", "expected one row per coefficient, without a second copy of the coefficients")
  }
  r <- p$recipe
  if (is.null(names(r)) || !all(names(r) %in% recipe_fields) || !all(recipe_fields %in% names(r))) {
    schema_fail("payload$recipe", sprintf("expected exactly the fields %s",
                                          format_offenders(recipe_fields, 20L)))
  }
  panel <- r$panel
  if (!is.data.frame(panel) || !identical(names(panel), panel_columns) ||
      !identical(panel$id, p$features) || !all(p$features %in% p$terms) ||
      !all(vapply(panel[-(1:2)], is.double, NA))) {
    schema_fail("payload$recipe$panel",
                "expected a table of the panel miRNAs (the model's features) without coefficients")
  }
  cuts <- r$cutpoints
  if (!is.data.frame(cuts) || !nrow(cuts) || !identical(names(cuts), cutpoint_columns) ||
      !is.character(cuts$name) ||
      !is.double(cuts$threshold) || anyNA(cuts$threshold) ||
      any(cuts$threshold < 0 | cuts$threshold > 1)) {
    schema_fail("payload$recipe$cutpoints", "expected named thresholds in [0, 1]")
  }
  if (!is.character(r$required_features) || !all(p$features %in% r$required_features)) {
    schema_fail("payload$recipe$required_features", "expected the miRNAs the recipe needs")
  }
  qc <- r$qc
  numbers <- function(l, one = TRUE) {
    is.list(l) && all(vapply(l, function(v) is.null(v) || (is.numeric(v) && (!one || length(v) == 1L)),
                             NA))
  }
  if (!is.list(qc) || !identical(names(qc), c("thresholds", "frozen", "max_nondetect_rate")) ||
      !numbers(qc$thresholds) || !(is.null(qc$frozen) || numbers(qc$frozen, one = FALSE)) ||
      !is.numeric(qc$max_nondetect_rate) || length(qc$max_nondetect_rate) != 1L) {
    schema_fail("payload$recipe$qc", "expected numeric QC thresholds and frozen training values")
  }
  p
}
