# The curated tables are pinned against the review text shipped with the
# package: what the review states, nothing else.

review_text <- function() {
  path <- system.file("extdata", "ev-osteoporosis-review.txt",
                      package = "evmirna")
  paste(readLines(path, encoding = "UTF-8", warn = FALSE), collapse = " ")
}

test_that("Table 2 has its 12 rows with the review's cargo, cells and direction", {
  b <- bone_remodeling_evs
  t2 <- b[b$where == "Table 2", ]
  expect_equal(nrow(t2), 12L)
  expected <- data.frame(
    source_cell = c("Osteoclasts", "Osteoclasts", "Osteoclasts", "Osteoclasts",
                    "Osteoblasts", "Osteoblasts", "Preosteoblasts", "BMSCs",
                    "BMSCs", "BMSCs", "Endothelial cells",
                    "Endothelial cells"),
    cargo = c("RANK", "miR-214", "miR-23a-5p", "miR-214-3p", "RANKL", "RANKL",
              "TRIP-1", "miR-196a", "miR-885-5p", "miR-151-5p", "miR-155",
              "miR-31"),
    target_cell = c("Osteoclasts", "Osteoblasts", "Osteoblasts", "Osteoblasts",
                    "Osteoclast precursors", "Osteoclasts",
                    "The extracellular matrix of bone", "Osteoblasts", "BMSCs",
                    "BMSCs", "Osteoclasts", "MSCs"),
    effect = c("inhibits", "inhibits", "inhibits", "inhibits", "promotes",
               "promotes", "promotes", "promotes", "inhibits", "promotes",
               "inhibits", "inhibits"),
    bone_effect = c("anti-resorptive", "anti-anabolic", "anti-anabolic",
                    "anti-anabolic", "pro-resorptive", "anti-resorptive",
                    "anabolic", "anabolic", "anti-anabolic", "anabolic",
                    "anti-resorptive", "anti-anabolic"),
    stringsAsFactors = FALSE)
  rownames(t2) <- NULL
  expect_equal(t2[, names(expected)], expected)
  expect_equal(t2$target_molecule[t2$cargo %in% c("miR-23a-5p", "miR-885-5p")],
               c("RUNX2", "RUNX2"))
  expect_equal(t2$target_molecule[t2$cargo == "miR-31"], "FZD3")
  expect_equal(t2$target_molecule[t2$cargo == "miR-214"], "EPHA2;ATF4")
  expect_true(all(is.na(t2$study)))
  # Every Table 2 cargo and function text is written in the review.
  words <- gsub("\\s+", " ", review_text())
  fn <- sub("^.*\\| ", "", t2$statement)
  expect_true(all(vapply(t2$cargo, grepl, logical(1), x = words, fixed = TRUE)))
  expect_true(all(vapply(fn, grepl, logical(1), x = words, fixed = TRUE)))
})

test_that("section-text rows carry the facts the review states", {
  b <- bone_remodeling_evs
  mir21 <- b[b$cargo %in% "miR-21", ]
  expect_equal(nrow(mir21), 1L)
  expect_equal(mir21$target_molecule, "PDCD4")
  expect_equal(mir21$effect, "promotes")
  expect_equal(mir21$bone_process, "osteoclastogenesis")
  expect_equal(mir21$context, "tumour-bone")
  expect_equal(mir21$source_cell, "Lung adenocarcinoma cells")
  expect_true(is.na(mir21$mirna))

  mir503 <- b[b$cargo %in% "miR-503-3p", ]
  expect_equal(mir503$source_cell, "Osteoblasts")
  expect_equal(mir503$effect, "inhibits")
  expect_equal(mir503$bone_process, "osteoclastogenesis")
  expect_equal(mir503$bone_effect, "anti-resorptive")
  expect_equal(mir503$mirna, "hsa-miR-503-3p")
  expect_equal(mir503$where, "3.2")

  bio <- b[b$context == "biomarker", ]
  expect_equal(nrow(bio), 1L)
  expect_equal(bio$cargo, "miR-214")
  expect_match(bio$statement, "serum EVs of osteoporotic patients")

  drugs <- b[b$cargo_type %in% "drug", ]
  expect_setequal(drugs$cargo, c("zoledronate", "dasatinib"))
  expect_true(all(drugs$effect == "inhibits" & drugs$context == "therapy"))

  huynh <- b[b$study %in% "Huynh et al.", ]
  expect_equal(huynh$source_cell, c("Osteoclast precursors",
                                    "Mature osteoclasts"))
  expect_equal(huynh$effect, c("promotes", "inhibits"))
  expect_equal(b$cargo[b$study %in% "Song et al."], "miR-155")
  expect_equal(b$target_molecule[b$study %in% "Sun et al."], "EPHA2")
  expect_equal(b$context[b$study %in% "Fang et al."], "therapy")
})

test_that("studies are only authors the review names, and are in its text", {
  b <- bone_remodeling_evs
  named <- stats::na.omit(unique(b$study))
  expect_true(all(named %in% c("Song et al.", "Huynh et al.", "Sun et al.",
                               "Fang et al.")))
  text <- review_text()
  expect_true(all(vapply(named, grepl, logical(1), x = text, fixed = TRUE)))
  # A row that names an author quotes the sentence naming that author.
  with_study <- b[!is.na(b$study), ]
  expect_true(all(mapply(grepl, sub(" et al\\.", "", with_study$study),
                         with_study$statement, fixed = TRUE)))
})

test_that("vocabularies are closed and ids unique", {
  b <- bone_remodeling_evs
  expect_false(anyDuplicated(b$id) > 0)
  expect_true(all(b$cargo_type %in% c("miRNA", "protein", "drug", NA)))
  expect_true(all(b$effect %in% c("promotes", "inhibits", NA)))
  expect_true(all(b$bone_effect %in% c("pro-resorptive", "anti-resorptive",
                                       "anabolic", "anti-anabolic", NA)))
  expect_true(all(b$context %in% c("remodeling", "tumour-bone", "biomarker",
                                   "therapy")))
  expect_true(all(b$where %in% c("Table 2", "3.2", "3.3")))
  expect_true(all(nzchar(b$statement)))
})

test_that("miRNA columns agree with the name table and the harmonizer", {
  b <- bone_remodeling_evs
  current <- mirna_names$name[mirna_names$type == "mature" &
                                mirna_names$name %in% mirna_names$current]
  expect_true(all(stats::na.omit(b$mirna) %in% current))
  is_mir <- b$cargo_type %in% "miRNA"
  # The review is recent: an armless name is the gene, so both arms.
  d <- ev_mirna_name(b$cargo[is_mir], details = TRUE, armless = "flag")
  expect_equal(d$name, b$mirna[is_mir])
  # NA exactly where the review gives no arm for a two-armed precursor.
  expect_true(all(d$status[is.na(d$name)] == "ambiguous"))
  expect_true(all(is.na(b$mirna[!is_mir])))
  expect_equal(b$mirna[b$cargo %in% "miR-151-5p"], "hsa-miR-151a-5p")
  prec <- unlist(strsplit(stats::na.omit(b$precursor), ";", fixed = TRUE))
  v22_prec <- mirna_names$name[mirna_names$type == "precursor" &
                                 mirna_names$name %in% mirna_names$current]
  expect_true(all(prec %in% v22_prec))
  # The precursor column is the v22 precursors of the name or its candidates.
  expected <- vapply(seq_len(nrow(d)), function(i) {
    members <- if (is.na(d$name[i])) strsplit(d$candidates[i], ";")[[1]] else d$name[i]
    p <- mirna_names$precursor[match(members, mirna_names$name)]
    paste(sort(unique(unlist(strsplit(p, ";")))), collapse = ";")
  }, character(1))
  expect_equal(expected, b$precursor[is_mir])
})

test_that("Table 1 and section 2 are reproduced", {
  expect_equal(nrow(ev_tissue_roles), 21L)
  expect_equal(as.vector(table(ev_tissue_roles$tissue)[
    c("Tumor", "Bone", "Heart", "Brain", "Kidney", "Gastro-intestinal tract")]),
    c(4L, 5L, 3L, 3L, 3L, 3L))
  expect_equal(sum(ev_tissue_roles$biomarker), 5L)
  expect_false(ev_tissue_roles$biomarker[
    ev_tissue_roles$tissue == "Gastro-intestinal tract"][1])
  s <- ev_subtypes
  expect_equal(s$subtype, c("exosomes", "microvesicles", "apoptotic bodies"))
  expect_equal(s$size_min_nm, c(40L, 200L, 800L))
  expect_equal(s$size_max_nm, c(200L, 2000L, 5000L))
  expect_equal(s$also_known_as, c("small EVs", "medium/large EVs", NA))
  expect_match(s$origin[1], "multivesicular bodies")
  expect_match(s$origin[2], "budding")
  expect_match(s$origin[3], "apoptotic cells")
})

test_that("the name table is well formed", {
  m <- mirna_names
  expect_named(m, c("name", "accession", "type", "species", "releases",
                    "current", "precursor"))
  expect_false(anyDuplicated(m[c("name", "accession", "type")]) > 0)
  mature <- m$type == "mature"
  expect_true(all(grepl("^MIMAT[0-9]{7}$", m$accession[mature])))
  expect_true(all(grepl("^MI[0-9]{7}$", m$accession[!mature])))
  expect_true(all(m$type %in% c("mature", "precursor")))
  expect_setequal(unique(m$species), c("hsa", "mmu", "rno", "cel", "ath"))
  run <- "v[0-9]+(_[0-9])?"
  expect_true(all(grepl(sprintf("^%s(-%s)?(, %s(-%s)?)*$", run, run, run, run),
                        m$releases)))
  # One v22 name per accession; the row carrying it reaches v22.
  cur <- !is.na(m$current) & m$name == m$current
  expect_false(anyDuplicated(m$accession[cur]) > 0)
  expect_true(all(grepl("v22$", m$releases[cur])))
  expect_true(all(m$accession[!is.na(m$current)] %in% m$accession[cur]))
  # Release 22 has 2,656 distinct human mature accessions.
  expect_equal(sum(cur & mature & m$species == "hsa"), 2656L)
  # Precursors given exactly for v22 matures, and they are v22 precursors.
  expect_equal(!is.na(m$precursor), cur & mature)
  prec <- unique(unlist(strsplit(m$precursor[cur & mature], ";", fixed = TRUE)))
  expect_true(all(prec %in% m$name[cur & !mature]))
  # Arms agree between a v22 mature and its precursor's other matures.
  p214 <- m$name[cur & mature & m$precursor %in% "hsa-mir-214"]
  expect_setequal(p214, c("hsa-miR-214-3p", "hsa-miR-214-5p"))
})

test_that("shipped CSVs equal the .rda datasets (round trip)", {
  ext <- function(f) system.file("extdata", f, package = "evmirna")
  chr <- "character"
  csv <- utils::read.csv(ext("bone_remodeling_evs.csv"), colClasses = chr,
                         na.strings = "NA", stringsAsFactors = FALSE)
  expect_identical(csv, bone_remodeling_evs)
  csv <- utils::read.csv(ext("ev_tissue_roles.csv"),
                         colClasses = c(chr, chr, "logical", chr),
                         na.strings = "NA", stringsAsFactors = FALSE)
  expect_identical(csv, ev_tissue_roles)
  csv <- utils::read.csv(ext("ev_subtypes.csv"),
                         colClasses = c(chr, chr, "integer", "integer",
                                        "logical", "logical", chr, chr, chr),
                         na.strings = "NA", stringsAsFactors = FALSE)
  expect_identical(csv, ev_subtypes)
})

test_that("ev_annotate matches exact names and armless review names", {
  a <- ev_annotate(c("hsa-miR-214-3p", "miR-503-3p", "hsa-miR-16-5p"))
  expect_equal(unique(a$input), c("hsa-miR-214-3p", "miR-503-3p",
                                  "hsa-miR-16-5p"))
  m214 <- a[a$input == "hsa-miR-214-3p", ]
  expect_equal(m214$ev_id[m214$match == "exact"], "T2-04")
  expect_setequal(m214$ev_id[m214$match == "precursor"],
                  c("T2-02", "S33-01", "S33-02"))
  expect_equal(a$ev_id[a$input == "miR-503-3p"], "S32-01")
  expect_equal(a$harmonized[a$input == "miR-503-3p"], "hsa-miR-503-3p")
  expect_equal(a$match[a$input == "miR-503-3p"], "exact")
  # Unmatched input is kept once with NA.
  u <- a[a$input == "hsa-miR-16-5p", ]
  expect_equal(nrow(u), 1L)
  expect_true(is.na(u$match) && is.na(u$ev_id))
  expect_false("hsa-miR-16-5p" %in%
                 ev_annotate(c("hsa-miR-16-5p", "hsa-miR-21-5p"),
                             keep_unmatched = FALSE)$input)
  # The other arm of a two-armed precursor matches armless rows only.
  p <- ev_annotate("hsa-miR-214-5p")
  expect_true(all(p$match == "precursor"))
  expect_false("T2-04" %in% p$ev_id)
  # hsa-miR-21-5p matches the review's armless "miR-21" (PDCD4) row.
  r21 <- ev_annotate("hsa-miR-21-5p")
  expect_equal(r21$match, "precursor")
  expect_equal(r21$target_molecule, "PDCD4")
  # An ambiguous input (the hairpin) reaches armless rows, never an armed one.
  am <- ev_annotate("hsa-mir-214")
  expect_true(is.na(am$harmonized[1]))
  expect_setequal(am$ev_id, c("T2-02", "S33-01", "S33-02"))
  # miRBase's own former name hsa-miR-214 (to v17) is today's -3p: exact too.
  h214 <- ev_annotate("miR-214")
  expect_equal(unique(h214$harmonized), "hsa-miR-214-3p")
  expect_equal(h214$ev_id[h214$match == "exact"], "T2-04")
  # miR-151-5p (renamed) matches exactly; hsa-miR-196a-3p reaches miR-196a.
  expect_equal(ev_annotate("hsa-miR-151-5p")$ev_id, "T2-10")
  expect_equal(ev_annotate("hsa-miR-196a-3p")$ev_id, "T2-08")
  # No protein or drug row is ever matched.
  all_panel <- ev_annotate(mirna_names$name, keep_unmatched = FALSE)
  expect_true(all(all_panel$cargo_type == "miRNA"))
  # Every curated miRNA row is reachable from the name table.
  mir_rows <- bone_remodeling_evs$id[bone_remodeling_evs$cargo_type %in% "miRNA"]
  expect_setequal(unique(all_panel$ev_id), mir_rows)
})

test_that("ev_annotate accepts evsets and data.frames", {
  x <- evset(toy_cq(), samples = toy_samples())
  a <- ev_annotate(x)
  expect_true(all(c("id", "role", "mirna", "harmonized", "match",
                    "ev_mirna") %in% names(a)))
  expect_equal(unique(a$id), rownames(toy_cq()))
  expect_equal(a$ev_id[a$id == "hsa-miR-214-3p" & a$match %in% "exact"],
               "T2-04")
  expect_true(all(is.na(a$match[a$id == "cel-miR-39-3p"])))

  df <- data.frame(feature = c("hsa-miR-23a-5p", "hsa-miR-31-5p"),
                   auc = c(0.7, 0.6), stringsAsFactors = FALSE)
  d <- ev_annotate(df)
  expect_equal(d$ev_id, c("T2-03", "T2-12"))
  expect_equal(d$match, c("exact", "precursor"))
  expect_equal(d$auc, c(0.7, 0.6))
  # A clash with an input column name gets the ev_ prefix.
  df2 <- data.frame(name = "hsa-miR-23a-5p", effect = "up",
                    stringsAsFactors = FALSE)
  d2 <- ev_annotate(df2, column = "name")
  expect_equal(d2$effect, "up")
  expect_equal(d2$ev_effect, "inhibits")
  expect_equal(ev_annotate(factor("hsa-miR-885-5p"))$ev_id, "T2-09")
})

test_that("ev_annotate rejects bad input with classed errors", {
  expect_error(ev_annotate(1:3), class = "evmirna_error_type")
  expect_error(ev_annotate(list("a")), class = "evmirna_error_type")
  expect_error(ev_annotate(character(0)), class = "evmirna_error_empty")
  expect_error(ev_annotate(data.frame(x = "miR-21")),
               class = "evmirna_error_unknown")
  expect_error(ev_annotate(data.frame(mirna = "miR-21"), column = "nope"),
               class = "evmirna_error_unknown")
  expect_error(ev_annotate(data.frame(mirna = 1)),
               class = "evmirna_error_type")
  expect_error(ev_annotate(data.frame(mirna = character(0))),
               class = "evmirna_error_empty")
  expect_error(ev_annotate("miR-21", column = "mirna"),
               class = "evmirna_error_value")
  expect_error(ev_annotate("miR-21", keep_unmatched = NA),
               class = "evmirna_error_type")
  expect_error(ev_annotate(data.frame(mirna = "a"), column = 1),
               class = "evmirna_error_type")
  expect_warning(r <- ev_annotate(c("not-a-mirna", "hsa-miR-21-5p")),
                 class = "evmirna_warning_mirna_name")
  expect_true(is.na(r$match[r$input == "not-a-mirna"]))
  # Small-RNA controls are recognised: unmatched, without a warning.
  expect_silent(u6 <- ev_annotate(c("RNU6B", "hsa-miR-21-5p")))
  expect_true(is.na(u6$match[u6$input == "RNU6B"]))
  # Missing names stay unmatched without a warning.
  expect_silent(m <- ev_annotate(c(NA, "hsa-miR-21-5p")))
  expect_true(is.na(m$match[1]))
})
