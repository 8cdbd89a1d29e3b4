# The lookup index behind ev_mirna_name(), built once per session from the
# `mirna_names` dataset (every name miRBase releases 6-22 gave an accession).
# Every key the table can produce is resolved here, so a lookup is one
# match() per input kind and no per-name R code.
#
# Three kinds of key, each the normalized spelling (mirna_key()) of:
# * "M": a mature name of any release -> the accession(s) it denoted;
# * "P": a precursor name of any release -> the v22 matures of the hairpin;
# * "S": an armless stem of a v22 mature ("hsa-mir-6859" for
#   hsa-miR-6859-5p/-3p) or a precursor family without its copy number
#   ("hsa-mir-16" for hsa-mir-16-1/-2) -> the v22 matures that fit it.

mirna_index <- function() {
  idx <- evmirna_env$mirna_index
  if (is.null(idx)) {
    env <- new.env(parent = emptyenv())
    utils::data("mirna_names", package = "evmirna", envir = env)
    idx <- build_mirna_index(env$mirna_names)
    evmirna_env$mirna_index <- idx
  }
  idx
}

evmirna_env <- new.env(parent = emptyenv())

# Lower case, "mir"/"let" followed by a hyphen, species prefix when missing.
# ath-miR159a and ath-miR-159a, hsa-miR-21 and hsa-mir-21 share a key: the
# spelling of "miR" is judged by the caller, not here.
mirna_key <- function(s, species = "hsa") {
  k <- tolower(s)
  long <- grepl("rna", k, fixed = TRUE)
  k[long] <- gsub("(^|-)(micro|mi)rna-?(?=[0-9])", "\\1mir-", k[long], perl = TRUE)
  k <- gsub("(^|-)(mir|let)-?(?=[0-9])", "\\1\\2-", k, perl = TRUE)
  bare <- startsWith(k, "mir-") | startsWith(k, "let-")
  k[bare] <- paste0(species, "-", k[bare])
  k
}

# "v6-v9_2, v18-v22" -> "v18": the release that introduced the current run.
last_run_start <- function(releases) {
  sub("^(.*, )?(v[0-9_]+)(-v[0-9_]+)?$", "\\2", releases)
}

# For pairs (from, to) returns, per from in 1..n, the number of distinct
# `to`, the single `to` when there is one, and for the others the members in
# name order (their candidate strings are pasted only when looked up).
group_targets <- function(from, to, n, names) {
  keep <- !duplicated(from * (length(names) + 1) + to)
  from <- from[keep]
  to <- to[keep]
  count <- tabulate(from, n)
  single <- rep(NA_integer_, n)
  one <- count[from] == 1L
  single[from[one]] <- to[one]
  members <- vector("list", n)
  many <- count[from] > 1L
  if (any(many)) {
    o <- order(from[many], names[to[many]], method = "radix")
    lists <- split(to[many][o], from[many][o])
    members[as.integer(names(lists))] <- lists
  }
  list(count = count, single = single, members = members)
}

# "a;b;c" for the rows of a key table that a lookup hit.
candidate_string <- function(members, rows, names) {
  out <- rep(NA_character_, length(rows))
  has <- !is.na(rows) & lengths(members)[ifelse(is.na(rows), 1L, rows)] > 0L
  has[is.na(rows)] <- FALSE
  if (any(has)) {
    u <- unique(rows[has])
    s <- vapply(members[u], function(v) paste(names[v], collapse = ";"), "")
    out[has] <- s[match(rows[has], u)]
  }
  out
}

build_mirna_index <- function(tab) {
  tab$key <- mirna_key(tab$name)
  mat <- tab[tab$type == "mature", ]
  pre <- tab[tab$type == "precursor", ]
  cur <- mat[!is.na(mat$current) & mat$name == mat$current,
             c("name", "accession", "species", "releases", "precursor", "key")]
  rownames(cur) <- NULL
  cur$since <- last_run_start(cur$releases)
  cur$armed <- grepl("-[35]p$", cur$name)
  n_cur <- nrow(cur)
  prec <- strsplit(cur$precursor, ";", fixed = TRUE)
  pl_i <- rep.int(seq_len(n_cur), lengths(prec))
  pl_p <- unlist(prec, use.names = FALSE)
  by_prec <- split(pl_i, pl_p)

  # Matures sharing a precursor with each v22 mature (armless = "flag").
  hits <- by_prec[pl_p]
  sib <- group_targets(rep.int(pl_i, lengths(hits)), unlist(hits, use.names = FALSE),
                       n_cur, cur$name)
  cur$n_siblings <- sib$count

  parts <- list(M = mature_keys(mat, cur),
                P = precursor_keys(pre, cur, by_prec),
                S = stem_keys(cur, pl_i, tab$key[match(pl_p, tab$name)]))
  keys <- do.call(rbind, lapply(names(parts), function(k)
    cbind(kind = k, parts[[k]]$table)))
  kinds <- names(parts)
  kind_keys <- lapply(parts, function(p) p$table$key)
  kind_offset <- stats::setNames(c(0L, cumsum(lengths(kind_keys)))[seq_along(kinds)],
                                 kinds)
  last <- !duplicated(tab$accession, fromLast = TRUE)
  first <- !duplicated(tab$name)
  exact <- data.frame(name = tab$name[first], key = tab$key[first],
                      stringsAsFactors = FALSE)
  exact$armed <- grepl("(-[35]p|\\*)$", exact$name)
  exact$hairpin <- !exact$armed & grepl("(^|-)(mir|MIR)-?[0-9]", exact$name)
  list(cur = cur, keys = keys, kind_keys = kind_keys, kind_offset = kind_offset,
       exact = exact, precursors = prec,
       members = unlist(lapply(parts, `[[`, "members"), recursive = FALSE,
                        use.names = FALSE),
       siblings = sib$members,
       accession = tab[last, c("accession", "type", "name", "current")])
}

key_table <- function(keys, state, g, note, former = FALSE) {
  members <- g$members
  members[state != "many"] <- list(NULL)
  list(table = data.frame(key = keys, state = state, cur = g$single,
                          note = note, former = former,
                          stringsAsFactors = FALSE),
       members = members)
}

# Mature names of every release. A key that is a v22 name resolves to it
# (the current meaning wins; older meanings go in the note); any other key
# resolves only if all releases used it for one accession.
mature_keys <- function(mat, cur) {
  key <- mat$key
  u <- !duplicated(paste(key, mat$accession))
  key <- key[u]
  acc <- mat$accession[u]
  used <- sprintf("%s in %s", mat$name[u], mat$releases[u])
  live <- match(acc, cur$accession)
  keys <- unique(key)
  ki <- match(key, keys)
  n <- length(keys)
  n_all <- tabulate(ki, n)
  first <- match(seq_len(n), ki)
  as_current <- match(keys, cur$key)
  has_live <- !is.na(live)
  g <- group_targets(ki[has_live], live[has_live], n, cur$name)
  only_live <- g$single
  g$single <- ifelse(n_all == 1L, live[first], NA_integer_)
  g$single[!is.na(as_current)] <- as_current[!is.na(as_current)]
  state <- ifelse(!is.na(g$single), "one",
                  ifelse(g$count == 0L, "removed", "many"))
  note <- rep(NA_character_, n)
  former <- !is.na(g$single) & is.na(as_current)
  note[former] <- sprintf("renamed in %s (%s)", cur$since[g$single[former]],
                          used[first[former]])
  gone <- state == "removed"
  note[gone] <- sprintf("%s (%s), not in miRBase 22", used[first[gone]],
                        acc[first[gone]])
  meaning <- sprintf("%s (%s) for %s", used, acc,
                     ifelse(is.na(live), "an entry not in miRBase 22",
                            cur$name[live]))
  multi <- which(n_all > 1L)
  rows <- split(seq_along(key), ki)[as.character(multi)]
  note[multi] <- vapply(seq_along(multi), function(j) {
    r <- rows[[j]]
    s <- as_current[multi[j]]
    if (!is.na(s)) r <- r[!acc[r] %in% cur$accession[s]]
    paste0(if (!is.na(s)) "also " else "name used ",
           paste(meaning[r], collapse = "; "))
  }, character(1))
  # A name that meant one live and some removed entries is still ambiguous.
  one_live <- state == "many" & g$count == 1L
  g$members[one_live] <- as.list(only_live[one_live])
  key_table(keys, state, g, note, former)
}

# Precursor names of every release -> the v22 matures of that hairpin.
precursor_keys <- function(pre, cur, by_prec) {
  key <- pre$key
  keys <- unique(key)
  ki <- match(key, keys)
  n <- length(keys)
  hits <- unname(by_prec[ifelse(is.na(pre$current), "", pre$current)])
  g <- group_targets(rep.int(ki, lengths(hits)), unlist(hits, use.names = FALSE),
                     n, cur$name)
  shown <- pre$name[match(seq_len(n), ki)]
  state <- ifelse(g$count == 0L, "removed", ifelse(g$count == 1L, "one", "many"))
  note <- ifelse(state == "one",
                 sprintf("precursor %s has a single mature miRNA", shown),
                 sprintf("no arm given: precursor %s has %d mature miRNAs", shown,
                         g$count))
  note[state == "removed"] <- sprintf("precursor %s is not in miRBase 22",
                                      shown[state == "removed"])
  key_table(keys, state, g, note)
}

# Armless stems of v22 matures and precursor families (pl_key: the keys of
# the precursors in pl_i's pairs).
stem_keys <- function(cur, pl_i, pl_key) {
  armless <- sub("-[35]p$", "", cur$key[cur$armed])
  family <- sub("^(.*-(mir|let|lin|lsy)-[0-9]+[a-z]*)-[0-9]+$", "\\1", pl_key,
                perl = TRUE)
  stem <- c(armless, family)
  to <- c(which(cur$armed), pl_i)
  keys <- unique(stem)
  g <- group_targets(match(stem, keys), to, length(keys), cur$name)
  state <- ifelse(g$count == 1L, "one", "many")
  note <- ifelse(state == "one",
                 "no arm given; the only mature miRNA of that name in miRBase 22",
                 sprintf("no arm given: %d mature miRNAs fit the name", g$count))
  key_table(keys, state, g, note)
}
