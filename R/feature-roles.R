# Default feature roles from names. Spike-ins are exogenous: C. elegans and
# A. thaliana miRNAs (cel-miR-39-3p, cel-miR-54, cel-miR-238, ath-miR-159a)
# and synthetic templates (UniSp2/4/5/6). Non-miRNA small-RNA controls (U6,
# RNU44, RNU48, snoRNAs, ...) are in a panel as endogenous references; their
# stability still has to be checked (ev_reference_stability()). The
# hemolysis pair is the red-cell miR-451a against the plasma-stable
# miR-23a-3p. Reference miRNAs are never guessed: they must be chosen on
# evidence (see the stability analyses).

hemolysis_pair <- c(high_in_rbc = "hsa-miR-451a", stable = "hsa-miR-23a-3p")
spike_in_species <- c("cel", "ath")

# Patterns on the cleaned, lower-cased name; the label goes in the note.
small_rna_controls <- data.frame(
  pattern = c(
    "^(rn)?u6[ab]?(-?[0-9]+)?(-?sn-?rna)?$|^mammu6$",
    "^(rnu(19|24|38b|43|44|48|49|58a|58b|66)|snor[ad]-?[0-9]+[a-z]?|sno-?rna-?[0-9]*[a-z]?|sno-?[0-9]+)$",
    "^(rn)?u87$|^sca-?rna-?u?[0-9]*$",
    "^(rn|h)?y-?(rna-?)?[1345]$",
    "^(5s(-?r?rna)?|rna5s[0-9]*|r?rna-?5s)$",
    "^(rn)?u[1-5][ab]?(-?[0-9]+)?(-?sn-?rna)?$",
    "^uni-?sp-?[0-9]+(-[a-z]+)?$"),
  label = c("non-miRNA small-RNA control: U6 small nuclear RNA",
            "non-miRNA small-RNA control: small nucleolar RNA",
            "non-miRNA small-RNA control: small Cajal body RNA (U87)",
            "non-miRNA small-RNA control: Y RNA",
            "non-miRNA small-RNA control: 5S ribosomal RNA",
            "non-miRNA small-RNA control: small nuclear RNA",
            "synthetic spike-in (UniSp RNA template)"),
  role = c(rep("reference", 6L), "spike_in"),
  stringsAsFactors = FALSE)

# Label of the control each name matches, NA for none.
small_rna_control <- function(s) {
  k <- tolower(s)
  out <- rep(NA_character_, length(k))
  for (i in seq_len(nrow(small_rna_controls))) {
    hit <- is.na(out) & grepl(small_rna_controls$pattern[i], k)
    out[hit] <- small_rna_controls$label[i]
  }
  out
}

# The role evset() gives a feature by default, from its harmonized name (or,
# when ambiguous, its candidates' species); NA when not recognised.
mirna_default_role <- function(name, status, note, candidates) {
  role <- rep(NA_character_, length(name))
  known <- !status %in% c("unknown", "missing", "control")
  role[known] <- "target"
  sp <- substr(ifelse(is.na(name), candidates, name), 1L, 3L)
  role[known & sp %in% spike_in_species] <- "spike_in"
  role[known & name %in% hemolysis_pair] <- "hemolysis"
  ctrl <- status == "control"
  role[ctrl] <- small_rna_controls$role[match(note[ctrl], small_rna_controls$label)]
  role
}

guess_feature_roles <- function(ids, mirna) {
  role <- mirna_lookup(as.character(ids))$role
  by_mirna <- is.na(role) & !is.na(mirna)
  if (any(by_mirna)) {
    role[by_mirna] <- mirna_lookup(as.character(mirna[by_mirna]))$role
  }
  role[is.na(role)] <- "target"
  role
}

# Applies user-given roles: a named character vector (names are feature IDs or
# miRNA names) or a data.frame with columns id and role.
apply_roles <- function(features, roles, arg = "roles") {
  if (is.null(roles)) {
    return(features)
  }
  if (is.data.frame(roles)) {
    if (!all(c("id", "role") %in% names(roles))) {
      ev_abort(sprintf("`%s` as a data.frame needs columns `id` and `role`.", arg),
               "evmirna_error_shape", arg)
    }
    roles <- stats::setNames(as.character(roles$role), as.character(roles$id))
  }
  if (!is.character(roles) || is.null(names(roles))) {
    ev_abort(sprintf("`%s` must be a named character vector (names: feature IDs, values: roles).",
                     arg),
             "evmirna_error_type", arg)
  }
  bad_role <- !roles %in% feature_roles
  if (any(bad_role)) {
    ev_abort(sprintf("`%s` has unknown roles %s; use %s.", arg,
                     format_offenders(unique(roles[bad_role])),
                     format_offenders(feature_roles)),
             "evmirna_error_value", arg)
  }
  pos <- match(names(roles), features$id)
  by_name <- is.na(pos)
  if (any(by_name)) {
    pos[by_name] <- match(mirna_lookup(names(roles)[by_name])$name,
                          features$mirna)
  }
  if (anyNA(pos)) {
    ev_abort(sprintf("`%s` names features not in the panel: %s.", arg,
                     format_offenders(names(roles)[is.na(pos)])),
             "evmirna_error_unknown", arg)
  }
  features$role[pos] <- unname(roles)
  features
}
