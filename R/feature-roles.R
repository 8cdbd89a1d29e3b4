# Default feature roles from names. Spike-ins are exogenous (C. elegans miRNAs,
# UniSp synthetic templates); the hemolysis pair is the red-cell miR-451a
# against the plasma-stable miR-23a-3p. References are never guessed: they
# must be chosen on evidence (see the stability analyses).

spike_in_pattern <- "^(cel-(miR|lin)-[0-9a-z-]+|UniSp[0-9]+)$"
hemolysis_pair <- c(high_in_rbc = "hsa-miR-451a", stable = "hsa-miR-23a-3p")

guess_feature_roles <- function(ids, mirna) {
  role <- rep("target", length(ids))
  spike <- grepl(spike_in_pattern, ids, ignore.case = TRUE) |
    (!is.na(mirna) & startsWith(mirna, "cel-"))
  role[spike] <- "spike_in"
  role[!is.na(mirna) & mirna %in% hemolysis_pair] <- "hemolysis"
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
    pos[by_name] <- match(ev_mirna_name(names(roles)[by_name], details = TRUE)$name,
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
