# Which columns of a one-row-per-patient data.frame are features: never a
# guess. Named columns when given; otherwise only numeric, non-binary
# columns whose names harmonize as miRNAs (or carry a declared role). IDs,
# text, outcomes and other binary columns stay sample data; a message says
# which column went where.

# Returns list(features, sample_cols, why = named reasons of the
# non-features, message).
frame_columns <- function(x, features = NULL, id = NULL, roles = NULL,
                          exclude = NULL, arg = "x", features_arg = "features") {
  cols <- names(x)
  if (!is.null(features)) {
    if (!is.character(features) || !length(features) || anyNA(features)) {
      ev_abort(sprintf("`%s` must be a character vector of column names.", features_arg),
               "evmirna_error_type", features_arg)
    }
    unknown <- setdiff(features, cols)
    if (length(unknown)) {
      ev_abort(sprintf("`%s` names columns that `%s` lacks: %s.", features_arg, arg,
                       format_offenders(unknown)),
               "evmirna_error_unknown", features_arg)
    }
    check_ids(features, features_arg, "column names")
    return(list(features = features, sample_cols = setdiff(cols, features),
                why = character(0), message = NULL))
  }
  n <- nrow(x)
  why <- stats::setNames(rep(NA_character_, length(cols)), cols)
  numeric <- vapply(x, function(v) is.numeric(v) && !is.factor(v), logical(1))
  distinct <- vapply(x, function(v) length(unique(v[!is.na(v)])), integer(1))
  present <- vapply(x, function(v) sum(!is.na(v)), integer(1))
  # Binary: two values at most, one of them repeated (0/1, 1/2, yes/no codes).
  binary <- numeric & distinct <= 2L & present > distinct
  mirna <- frame_mirna_columns(cols, roles)
  id_like <- numeric & distinct == n & n > 2L &
    vapply(x, function(v) is.numeric(v) && all(v == round(v), na.rm = TRUE), logical(1))
  why[!mirna] <- "name not a miRNA"
  why[!mirna & id_like] <- "ID-like: unique whole numbers"
  why[binary] <- "binary"
  why[!numeric] <- "not numeric"
  why[cols %in% exclude] <- "outcome"
  if (!is.null(id) && id %in% cols) why[id] <- "sample ID"
  feats <- cols[is.na(why)]
  why <- why[!is.na(why)]
  list(features = feats, sample_cols = names(why), why = why,
       message = frame_message(arg, feats, why, features_arg))
}

# Column names that are miRNAs (or spike-ins and small-RNA controls) by
# ev_mirna_name() or by their form, or that `roles` names.
frame_mirna_columns <- function(cols, roles = NULL) {
  if (!length(cols)) return(logical(0))
  named <- ev_mirna_name(cols, details = TRUE)
  known <- !named$status %in% c("unknown", "missing")
  if (!is.null(named$role)) known <- known | !is.na(named$role)
  declared <- if (is.data.frame(roles)) as.character(roles$id) else names(roles)
  known | looks_like_mirna(cols) | cols %in% declared
}

frame_message <- function(arg, feats, why, features_arg) {
  shown <- function(v) format_offenders(v, 8L)
  groups <- split(names(why), factor(why, unique(why)))
  side <- vapply(names(groups), function(r) sprintf("%s (%s)", shown(groups[[r]]), r),
                 character(1))
  text <- sprintf("`%s`: %d feature columns: %s", arg, length(feats),
                  if (length(feats)) shown(feats) else "none")
  if (length(side)) {
    text <- paste0(text, "; sample data: ", paste(side, collapse = "; "))
  }
  if ("name not a miRNA" %in% why) {
    text <- paste0(text, sprintf(". Columns whose names are not miRNAs are never guessed to be features: name them in `%s`", features_arg))
  }
  paste0(text, ".")
}

frame_inform <- function(split) {
  if (is.null(split$message)) return(invisible(NULL))
  cnd <- structure(class = c("evmirna_message_features", "message", "condition"),
                   list(message = paste0(split$message, "\n"), call = NULL))
  message(cnd)
}
