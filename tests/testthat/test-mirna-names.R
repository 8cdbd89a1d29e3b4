# Expected v22 names are computed from raw miRBase release rows (a closed
# sample, tests/testthat/fixtures/mirbase-history-sample.csv.gz, built by
# data-raw/mirna_names_fixture.R), not from the package's own table.

history_sample <- function() {
  utils::read.csv(test_path("fixtures", "mirbase-history-sample.csv.gz"),
                  colClasses = "character")
}

# The obvious rule, one name at a time: a v22 name is itself; another name
# that denoted one accession in every release is that accession's v22 name
# (or removed); a name that denoted several is ambiguous between them.
expected_v22 <- function(h, name) {
  v22 <- h[h$version == "v22", ]
  if (name %in% v22$name) {
    return(list(name = name, status = "current", candidates = NA_character_,
                accession = v22$accession[v22$name == name]))
  }
  acc <- unique(h$accession[h$name == name])
  now <- v22$name[match(acc, v22$accession)]
  if (length(acc) == 1L) {
    return(list(name = now, status = if (is.na(now)) "removed" else "renamed",
                candidates = NA_character_,
                accession = if (is.na(now)) NA_character_ else acc))
  }
  list(name = NA_character_, status = "ambiguous", accession = NA_character_,
       candidates = paste(sort(stats::na.omit(now)), collapse = ";"))
}

test_that("every name of the sampled releases resolves as the raw history says", {
  h <- history_sample()
  names <- unique(h$name)
  expect_gt(length(names), 500L)
  exp <- lapply(names, expected_v22, h = h)
  d <- ev_mirna_name(names, details = TRUE)
  expect_equal(d$name, vapply(exp, `[[`, "", "name"))
  expect_equal(d$status, vapply(exp, `[[`, "", "status"))
  expect_equal(d$accession, vapply(exp, `[[`, "", "accession"))
  amb <- d$status == "ambiguous"
  expect_equal(d$candidates[amb], vapply(exp[amb], `[[`, "", "candidates"))
  # The sample covers each kind of case.
  expect_gt(sum(d$status == "renamed" & endsWith(names, "*")), 50L)
  expect_gt(sum(d$status == "renamed" & !grepl("(-[35]p|\\*)$", names) &
                  grepl("-[35]p$", d$name)), 50L)
  expect_gt(sum(amb), 20L)
  expect_gt(sum(d$status == "removed"), 10L)
  # Upper case and '#' for '*' give the same miRNAs.
  shout <- ev_mirna_name(gsub("*", "#", toupper(names), fixed = TRUE),
                         details = TRUE)
  armed <- grepl("(-[35]p|\\*)$", names)
  expect_equal(shout$name[armed], d$name[armed])
  expect_equal(shout$status[armed & d$status != "current"],
               d$status[armed & d$status != "current"])
})

test_that("the examples of the issue resolve with their notes", {
  d <- ev_mirna_name(c("hsa-miR-451", "hsa-miR-23a*", "hsa-miR-21",
                       "hsa-miR-21-5p", "hsa-miR-125a-5p", "hsa-let-7b-5p",
                       "hsa-miR-1246"), details = TRUE)
  expect_equal(d$name, c("hsa-miR-451a", "hsa-miR-23a-5p", "hsa-miR-21-5p",
                         "hsa-miR-21-5p", "hsa-miR-125a-5p", "hsa-let-7b-5p",
                         "hsa-miR-1246"))
  expect_equal(d$accession, c("MIMAT0001631", "MIMAT0004496", "MIMAT0000076",
                              "MIMAT0000076", "MIMAT0000443", "MIMAT0000063",
                              "MIMAT0005898"))
  expect_equal(d$status, c("renamed", "renamed", "renamed", rep("current", 4)))
  expect_match(d$note[1], "^renamed in v18 \\(hsa-miR-451 in v7_1-v17\\)$")
  expect_match(d$note[3], "hsa-miR-21 in v6-v17")
  expect_true(all(is.na(d$note[4:7])))
})

test_that("names that meant different accessions are ambiguous, current names stay", {
  d <- ev_mirna_name(c("hsa-miR-378", "hsa-miR-340", "mmu-miR-488*",
                       "hsa-miR-499a-5p"), details = TRUE)
  expect_equal(d$status, c("ambiguous", "ambiguous", "ambiguous", "current"))
  expect_equal(d$candidates[1:3],
               c("hsa-miR-378a-3p;hsa-miR-378a-5p",
                 "hsa-miR-340-3p;hsa-miR-340-5p",
                 "mmu-miR-488-3p;mmu-miR-488-5p"))
  expect_match(d$note[1], "v6-v9_2.*hsa-miR-378a-5p.*v10-v17.*hsa-miR-378a-3p")
  # hsa-miR-499a-5p is a v22 name; in v17 it was today's hsa-miR-499b-5p.
  expect_equal(d$accession[4], "MIMAT0002870")
  expect_match(d$note[4], "v17 \\(MIMAT0019897\\) for hsa-miR-499b-5p")
  expect_warning(ev_mirna_name("hsa-miR-378"), class = "evmirna_warning_mirna_name")
})

test_that("precursors, gene symbols and armless stems list their matures", {
  d <- ev_mirna_name(c("hsa-mir-21", "MIR21", "HSA-MIR-21", "mir-16",
                       "hsa-miR-6859", "MIR451A", "MIRLET7A1", "MIR196A1",
                       "MIR125B2", "hsa-mir-1-1"), details = TRUE)
  expect_equal(d$status, c(rep("ambiguous", 5), "harmonized",
                           rep("ambiguous", 4)))
  expect_equal(d$candidates[1:3], rep("hsa-miR-21-3p;hsa-miR-21-5p", 3))
  expect_equal(d$candidates[4],
               "hsa-miR-16-1-3p;hsa-miR-16-2-3p;hsa-miR-16-5p")
  expect_equal(d$candidates[5], "hsa-miR-6859-3p;hsa-miR-6859-5p")
  expect_equal(d$name[6], "hsa-miR-451a")
  expect_equal(d$candidates[7], "hsa-let-7a-3p;hsa-let-7a-5p")
  expect_equal(d$candidates[8], "hsa-miR-196a-1-3p;hsa-miR-196a-5p")
  expect_equal(d$candidates[9], "hsa-miR-125b-2-3p;hsa-miR-125b-5p")
  expect_equal(d$candidates[10], "hsa-miR-1-3p;hsa-miR-1-5p")
  # Candidates are v22 mature names whose precursor is the one named.
  m <- mirna_names
  expect_setequal(strsplit(d$candidates[7], ";")[[1]],
                  m$name[m$precursor %in% "hsa-let-7a-1" |
                           grepl("(^|;)hsa-let-7a-1(;|$)", m$precursor)])
})

test_that("armless = \"flag\" reports armless names of two-armed precursors", {
  d <- ev_mirna_name(c("miR-214", "hsa-miR-21", "miR-196a", "hsa-miR-451",
                       "miR-23a*", "cel-miR-39"),
                     details = TRUE, armless = "flag")
  expect_equal(d$status, c("ambiguous", "ambiguous", "ambiguous", "renamed",
                           "renamed", "ambiguous"))
  expect_equal(d$candidates[1], "hsa-miR-214-3p;hsa-miR-214-5p")
  expect_equal(d$candidates[3],
               "hsa-miR-196a-1-3p;hsa-miR-196a-3p;hsa-miR-196a-5p")
  expect_equal(d$candidates[6], "cel-miR-39-3p;cel-miR-39-5p")
  expect_match(d$note[1], "reads it as hsa-miR-214-3p")
  expect_equal(d$name[4:5], c("hsa-miR-451a", "hsa-miR-23a-5p"))
  h <- ev_mirna_name(c("miR-214", "cel-miR-39"))
  expect_equal(h, c("hsa-miR-214-3p", "cel-miR-39-3p"))
})

test_that("forms labs write are harmonized", {
  input <- c("HSA-MIR-338-5P", "hsa-miR-23a#", "hsa_miR_21_5p",
             "000397_hsa-miR-21", "hsa-miR-21-5p_000397",
             "hsa-miR-21-5p (YP00204230)", "MS00009079_hsa-miR-16-5p",
             "hsa-miR-16-5p_st", " miR-214-3p ", "miR21", "MIR-214-3P",
             "MIMAT0000076", "hsa-miR-16-5p|0", "hsa\u2013miR\u201321\u20135p")
  d <- ev_mirna_name(input, details = TRUE)
  expect_equal(d$name, c("hsa-miR-338-5p", "hsa-miR-23a-5p", "hsa-miR-21-5p",
                         "hsa-miR-21-5p", "hsa-miR-21-5p", "hsa-miR-21-5p",
                         "hsa-miR-16-5p", "hsa-miR-16-5p", "hsa-miR-214-3p",
                         "hsa-miR-21-5p", "hsa-miR-214-3p", "hsa-miR-21-5p",
                         "hsa-miR-16-5p", "hsa-miR-21-5p"))
  expect_equal(d$status[c(1, 2, 4, 5, 12)],
               c("harmonized", "renamed", "renamed", "harmonized", "harmonized"))
  expect_equal(d$input, input)
  expect_equal(ev_mirna_name(c("microRNA-21-5p", "hsa-miRNA-214-3p", "let7a-5p")),
               c("hsa-miR-21-5p", "hsa-miR-214-3p", "hsa-let-7a-5p"))
  # Species: hsa when missing, or as asked.
  expect_equal(ev_mirna_name(c("miR-21a-5p", "mmu-miR-21a-5p", "miR-21"),
                             species = "mmu"),
               rep("mmu-miR-21a-5p", 3))
  expect_error(ev_mirna_name("miR-21", species = "xyz"),
               class = "evmirna_error_value")
  # A precursor accession stands for its hairpin.
  p <- ev_mirna_name("MI0000077", details = TRUE)
  expect_equal(p$candidates, "hsa-miR-21-3p;hsa-miR-21-5p")
})

test_that("combined assays are ambiguous with every part as a candidate", {
  d <- ev_mirna_name(c("miR-17/20a", "hsa-miR-106a/b",
                       "hsa-miR-199a-3p/hsa-miR-199b-3p", "miR-21/miR-21-5p"),
                     details = TRUE)
  expect_equal(d$status, c("ambiguous", "ambiguous", "ambiguous", "harmonized"))
  expect_equal(d$candidates[1:3],
               c("hsa-miR-17-5p;hsa-miR-20a-5p",
                 "hsa-miR-106a-5p;hsa-miR-106b-5p",
                 "hsa-miR-199a-3p;hsa-miR-199b-3p"))
  expect_equal(d$name[4], "hsa-miR-21-5p")
  expect_true(all(grepl("^combined assay", d$note)))
})

test_that("small-RNA controls and spike-ins are recognised with their role", {
  ctrl <- c("U6", "RNU6B", "RNU6-1", "U6 snRNA", "RNU44", "RNU48", "snoRNA202",
            "SNORD44", "U87", "Y1", "RNY1", "5S rRNA", "MammU6")
  d <- ev_mirna_name(ctrl, details = TRUE)
  expect_equal(d$status, rep("control", length(ctrl)))
  expect_true(all(is.na(d$name)))
  expect_equal(d$role, rep("reference", length(ctrl)))
  expect_match(d$note[2], "U6")
  expect_match(d$note[5], "small nucleolar RNA")
  spikes <- c("UniSp2", "UniSp4", "UniSp5", "UniSp6", "cel-miR-39-3p",
              "cel-miR-54", "cel-miR-238", "ath-miR-159a")
  s <- ev_mirna_name(spikes, details = TRUE)
  expect_equal(s$role, rep("spike_in", length(spikes)))
  expect_equal(s$status[1:4], rep("control", 4))
  expect_equal(s$name[5:8], c("cel-miR-39-3p", "cel-miR-54-3p",
                              "cel-miR-238-3p", "ath-miR159a"))
  expect_equal(s$accession[5], "MIMAT0000010")
  r <- ev_mirna_name(c("hsa-miR-451", "hsa-miR-23a-3p", "hsa-miR-16-5p",
                       "nonsense"), details = TRUE)
  expect_equal(r$role, c("hemolysis", "hemolysis", "target", NA))
  # evset() gives those roles by default.
  m <- matrix(20, 4, 2, dimnames = list(c("RNU6B", "UniSp6", "hsa-miR-451",
                                          "hsa-miR-16-5p"), c("s1", "s2")))
  x <- evset(m)
  expect_equal(x$features$role, c("reference", "spike_in", "hemolysis", "target"))
  expect_equal(x$features$mirna, c(NA, NA, "hsa-miR-451a", "hsa-miR-16-5p"))
  # Controls give no warning; unknown names do.
  expect_silent(ev_mirna_name(c("U6", "UniSp6", "hsa-miR-16-5p")))
  expect_warning(ev_mirna_name("RNA-X"), class = "evmirna_warning_mirna_name")
})

test_that("unknown, unknown arms, removed and missing names are reported", {
  d <- ev_mirna_name(c("hsa-miR-99999-5p", "hsa-miR-451a-5p", NA, "",
                       "MIMAT0000543"), details = TRUE)
  expect_equal(d$status, c("unknown", "unknown", "missing", "missing", "removed"))
  expect_equal(d$candidates[2], "hsa-miR-451a")
  expect_match(d$note[5], "not in miRBase 22")
  expect_true(all(is.na(d$name)))
  expect_error(ev_mirna_name(1:3), class = "evmirna_error_type")
  expect_error(ev_mirna_name("a", armless = "x"), class = "evmirna_error_value")
  expect_identical(ev_mirna_name(character(0)), character(0))
  expect_equal(ev_mirna_name(factor("hsa-miR-16")), "hsa-miR-16-5p")
  # Duplicated inputs come back in input order.
  x <- c("miR-16", "hsa-miR-21", "miR-16")
  expect_equal(ev_mirna_name(x, details = TRUE)$input, x)
})

test_that("the simulated panel and QC miRNAs are current v22 names", {
  panel <- simulated_panel_ids
  expect_length(panel, 40L)
  d <- ev_mirna_name(panel, details = TRUE)
  expect_equal(d$status, rep("current", 40L))
  expect_equal(d$name, panel)
  expect_true(all(grepl("^MIMAT[0-9]{7}$", d$accession)))
  expect_false(anyDuplicated(d$accession) > 0)
  # Accessions checked against miRBase v22 hsa.gff3 / mature.fa.
  expect_equal(d$accession[panel %in% c("hsa-miR-133a-3p", "hsa-let-7a-5p",
                                        "hsa-miR-486-5p", "hsa-miR-320a-3p")],
               c("MIMAT0000427", "MIMAT0000062", "MIMAT0002177",
                 "MIMAT0000510"))
})
