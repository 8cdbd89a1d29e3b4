# The JSON writer of the model files. It is ours, not jsonlite's, so that
# the bytes do not depend on the jsonlite version (jsonlite 0.9.13 to 1.8.4
# cap `digits = I(17)` at 15 significant digits). Doubles are written with
# the fewest of 15, 16 or 17 significant digits that parse back to the same
# 64 bits through the parser the loader uses; 17 always suffice for a
# finite double, and the check makes sure of it.

# A length-1 value written as a JSON scalar rather than an array.
json_scalar <- function(x) structure(x, class = "evmirna_json_scalar")

# R value -> JSON text. Named lists are objects, unnamed lists arrays of
# values, atomic vectors arrays (json_scalar() for scalars), NULL null.
json_text <- function(x, indent = 0L) {
  pad <- strrep(" ", indent + 2L)
  if (is.null(x)) return("null")
  if (inherits(x, "evmirna_json_scalar")) return(json_atoms(unclass(x)))
  if (inherits(x, "evmirna_json_tokens")) return(paste0("[", paste(x, collapse = ", "), "]"))
  if (is.list(x)) {
    if (!length(x)) return(if (is.null(names(x))) "[]" else "{}")
    items <- vapply(x, json_text, "", indent = indent + 2L, USE.NAMES = FALSE)
    close <- paste0("\n", strrep(" ", indent))
    if (is.null(names(x))) {
      return(paste0("[\n", paste0(pad, items, collapse = ",\n"), close, "]"))
    }
    keys <- json_string(names(x))
    return(paste0("{\n", paste0(pad, keys, ": ", items, collapse = ",\n"), close, "}"))
  }
  paste0("[", paste(json_atoms(x), collapse = ", "), "]")
}

json_atoms <- function(v) {
  switch(typeof(v),
    character = json_string(v),
    logical = ifelse(v, "true", "false"),
    integer = sprintf("%d", v),
    double = json_doubles(v),
    ev_abort(sprintf("cannot write a value of type %s to a model file.", typeof(v)),
             "evmirna_error_type", "model"))
}

json_string <- function(v) {
  if (!length(v)) return(character(0))
  v <- enc2utf8(as.character(v))
  if (anyNA(v) || !all(validUTF8(v))) {
    ev_abort("`model` holds a string that is NA or not valid UTF-8; it cannot be written.",
             "evmirna_error_value", "model")
  }
  v <- gsub("\\", "\\\\", v, fixed = TRUE)
  v <- gsub("\"", "\\\"", v, fixed = TRUE)
  if (any(grepl("[[:cntrl:]]", v))) {
    for (code in 1:31) v <- gsub(intToUtf8(code), sprintf("\\u%04x", code), v, fixed = TRUE)
  }
  paste0("\"", v, "\"")
}

# Finite doubles -> the shortest decimal text that reads back bit for bit.
json_doubles <- function(x) {
  if (!length(x)) return(character(0))
  if (!all(is.finite(x))) {
    ev_abort("internal: non-finite doubles reach the number writer.", "evmirna_error_value",
             "model")
  }
  out <- sprintf("%.15g", x)
  todo <- !same_bits(json_read_numbers(out), x)
  for (digits in 16:17) {
    if (!any(todo)) break
    out[todo] <- sprintf(paste0("%.", digits, "g"), x[todo])
    todo[todo] <- !same_bits(json_read_numbers(out[todo]), x[todo])
  }
  # "-0" would read back as the integer 0; a fraction part keeps the sign.
  negzero <- x == 0 & 1 / x < 0
  out[negzero] <- "-0.0"
  todo[negzero] <- FALSE
  if (any(todo)) {
    ev_abort(sprintf("a coefficient (%s) does not survive writing with 17 significant digits; this JSON parser is not exact.",
                     out[which(todo)[1L]]),
             "evmirna_error_value", "model")
  }
  out
}

json_read_numbers <- function(text) {
  parsed <- jsonlite::fromJSON(paste0("[", paste(text, collapse = ","), "]"),
                               simplifyVector = FALSE)
  vapply(parsed, as.double, numeric(1))
}

# Element-wise: are the two double vectors equal in all 64 bits?
same_bits <- function(a, b) {
  ra <- matrix(writeBin(as.double(a), raw()), 8L)
  rb <- matrix(writeBin(as.double(b), raw()), 8L)
  colSums(ra != rb) == 0L
}
