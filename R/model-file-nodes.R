# Typed nodes of the model file payload: every R value is written with its
# type (and names, dims, levels, NA positions), so reading it back gives an
# identical object. Reading checks each node against its schema (the keys
# it may have, their JSON types, lengths and ranges) before building
# anything, so a hostile or corrupt file is refused with a classed error
# instead of allocating what it declares.

node_keys <- list(
  null = "type",
  data.frame = c("type", "nrow", "names", "columns"),
  factor = c("type", "levels", "codes"),
  list = c("type", "items", "names"),
  atomic = c("type", "values", "na", "names", "dim", "dimnames")
)
atomic_types <- c("logical", "integer", "double", "character")
double_specials <- c(`NaN` = NaN, `Inf` = Inf, `-Inf` = -Inf)

# R value -> node (lists ready for json_text()).
encode_value <- function(x) {
  s <- json_scalar
  if (is.null(x)) return(list(type = s("null")))
  if (is.data.frame(x)) {
    return(list(type = s("data.frame"), nrow = s(nrow(x)), names = names(x),
                columns = lapply(unname(as.list(x)), encode_value)))
  }
  if (is.factor(x)) {
    return(list(type = s("factor"), levels = as.character(levels(x)),
                codes = encode_value(as.integer(x))))
  }
  if (is.list(x)) {
    # names first, so that a reader sees what each item is
    out <- list(type = s("list"))
    if (!is.null(names(x))) out$names <- names(x)
    out$items <- lapply(unname(x), encode_value)
    return(out)
  }
  if (is.atomic(x) && typeof(x) %in% atomic_types) {
    v <- unname(as.vector(x))
    na <- which(is.na(v) & !is.nan(v))
    # NA positions are listed apart, so a string "NA" stays a string
    if (length(na)) v[na] <- switch(typeof(v), logical = FALSE, integer = 0L,
                                    double = 0, character = "")
    values <- if (is.double(v)) double_tokens(v) else v
    out <- list(type = s(typeof(x)), values = values)
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

# Doubles as JSON tokens: numbers, or the strings "NaN", "Inf", "-Inf".
double_tokens <- function(v) {
  tokens <- character(length(v))
  finite <- is.finite(v)
  tokens[finite] <- json_doubles(v[finite])
  tokens[!finite] <- paste0("\"", names(double_specials)[match(v[!finite], double_specials)], "\"")
  structure(tokens, class = "evmirna_json_tokens")
}

# Schema failures of the payload: one class, the offending place named.
schema_fail <- function(where, what) {
  ev_abort(sprintf("`path`: the model file payload is malformed at %s: %s.", where, what),
           c("evmirna_error_model_schema", "evmirna_error_file"), "path")
}

# Parsed JSON (jsonlite, simplifyVector = FALSE) node -> R value, checking
# the schema as it goes. `where` names the place for messages.
decode_value <- function(e, where = "payload", depth = 0L) {
  if (depth > 64L) schema_fail(where, "nesting deeper than 64 levels")
  if (!is.list(e) || is.null(names(e)) || !is_json_string(e[["type"]])) {
    schema_fail(where, "expected an object with a \"type\"")
  }
  type <- e[["type"]]
  group <- if (type %in% atomic_types) "atomic" else type
  if (!group %in% names(node_keys)) schema_fail(where, sprintf("unknown type \"%s\"", type))
  unknown <- setdiff(names(e), node_keys[[group]])
  if (length(unknown) || anyDuplicated(names(e))) {
    schema_fail(where, sprintf("unexpected or repeated field(s) %s", format_offenders(
      c(unknown, names(e)[duplicated(names(e))]))))
  }
  switch(group,
    null = NULL,
    data.frame = decode_frame(e, where, depth),
    factor = {
      lev <- json_strings(e[["levels"]], paste0(where, "$levels"))
      if (anyDuplicated(lev)) schema_fail(where, "repeated factor levels")
      codes <- decode_value(e[["codes"]], paste0(where, "$codes"), depth + 1L)
      if (!is.integer(codes) || !is.null(attributes(codes)) ||
          any(codes < 1L | codes > length(lev), na.rm = TRUE)) {
        schema_fail(where, "factor codes must be integers indexing the levels")
      }
      factor(lev[codes], levels = lev)
    },
    list = {
      items <- e[["items"]]
      if (!is.list(items) || !is.null(names(items))) schema_fail(where, "\"items\" must be an array")
      out <- lapply(seq_along(items), function(i) {
        decode_value(items[[i]], sprintf("%s[[%d]]", where, i), depth + 1L)
      })
      if (!is.null(e[["names"]])) names(out) <- json_strings(e[["names"]], paste0(where, "$names"),
                                                             length(out))
      out
    },
    atomic = decode_atomic(e, type, where))
}

decode_frame <- function(e, where, depth) {
  nrow <- json_count(e[["nrow"]], paste0(where, "$nrow"))
  cols <- e[["columns"]]
  if (!is.list(cols) || !is.null(names(cols))) schema_fail(where, "\"columns\" must be an array")
  col_names <- json_strings(e[["names"]], paste0(where, "$names"), length(cols))
  out <- lapply(seq_along(cols), function(i) {
    v <- decode_value(cols[[i]], sprintf("%s$%s", where, col_names[i]), depth + 1L)
    if (!is.atomic(v) || !is.null(dim(v)) || length(v) != nrow) {
      schema_fail(where, sprintf("column \"%s\" is not a vector of %d values", col_names[i], nrow))
    }
    v
  })
  names(out) <- col_names
  structure(out, class = "data.frame", row.names = .set_row_names(nrow))
}

decode_atomic <- function(e, type, where) {
  values <- e[["values"]]
  if (!is.list(values) || !is.null(names(values)) || any(lengths(values) != 1L)) {
    schema_fail(where, "\"values\" must be an array of scalars")
  }
  v <- switch(type,
    logical = if (all(vapply(values, is.logical, NA))) as.logical(unlist(values)),
    integer = {
      u <- unlist(values)
      if (is.numeric(u) && all(u == round(u)) && all(abs(u) <= .Machine$integer.max)) as.integer(u)
    },
    double = {
      num <- vapply(values, is.numeric, NA)
      str <- vapply(values, function(s) is.character(s) && s %in% names(double_specials), NA)
      if (all(num | str)) {
        out <- numeric(length(values))
        out[num] <- as.double(unlist(values[num]))
        out[str] <- double_specials[unlist(values[str])]
        out
      }
    },
    character = if (all(vapply(values, is.character, NA))) as.character(unlist(values)))
  if (is.null(v) && length(values)) schema_fail(where, sprintf("\"values\" are not all %s", type))
  if (is.null(v)) v <- vector(type, 0L)
  n <- length(v)
  if (!is.null(e[["na"]])) {
    na <- json_indices(e[["na"]], paste0(where, "$na"), n)
    v[na] <- NA
  }
  if (!is.null(e[["dim"]])) {
    dims <- json_indices(e[["dim"]], paste0(where, "$dim"), NA, zero = TRUE)
    if (prod(dims) != n) schema_fail(where, "\"dim\" does not match the number of values")
    dim(v) <- dims
    dn <- e[["dimnames"]]
    if (!is.null(dn)) {
      if (!is.list(dn) || length(dn) != length(dims)) schema_fail(where, "bad \"dimnames\"")
      dimnames(v) <- lapply(seq_along(dn), function(k) {
        if (length(dn[[k]])) json_strings(dn[[k]], paste0(where, "$dimnames"), dims[k])
      })
    }
  } else if (!is.null(e[["dimnames"]])) {
    schema_fail(where, "\"dimnames\" without \"dim\"")
  }
  if (!is.null(e[["names"]])) names(v) <- json_strings(e[["names"]], paste0(where, "$names"), n)
  v
}

is_json_string <- function(x) is.character(x) && length(x) == 1L

# A JSON array of strings (optionally of a given length) -> character.
json_strings <- function(x, where, n = NA) {
  if (!is.list(x) || !is.null(names(x)) || any(lengths(x) != 1L) ||
      !all(vapply(x, is.character, NA)) || (!is.na(n) && length(x) != n)) {
    schema_fail(where, sprintf("expected an array of %sstrings",
                               if (is.na(n)) "" else paste0(n, " ")))
  }
  as.character(unlist(x))
}

# A JSON array of positive whole numbers (at most `n` when given) -> integer.
json_indices <- function(x, where, n, zero = FALSE) {
  u <- if (is.list(x) && is.null(names(x)) && all(lengths(x) == 1L)) unlist(x)
  lower <- if (zero) 0 else 1
  if (!length(x)) return(integer(0))
  if (!is.numeric(u) || any(u != round(u)) || any(u < lower) ||
      any(u > if (is.na(n)) .Machine$integer.max else n)) {
    schema_fail(where, sprintf("expected whole numbers from %d to %s", lower,
                               if (is.na(n)) "2^31 - 1" else n))
  }
  as.integer(u)
}

json_count <- function(x, where) {
  if (!is.numeric(x) || length(x) != 1L || x != round(x) || x < 0 ||
      x > .Machine$integer.max) {
    schema_fail(where, "expected a whole number")
  }
  as.integer(x)
}
