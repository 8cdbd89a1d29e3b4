test_that("every mapping stated for miRBase v22 is reproduced", {
  expected <- c(
    "hsa-miR-503-3p" = "MIMAT0022925", "hsa-miR-155-5p" = "MIMAT0000646",
    "hsa-miR-21-5p" = "MIMAT0000076", "hsa-miR-20a-5p" = "MIMAT0000075",
    "hsa-miR-214-3p" = "MIMAT0000271", "hsa-miR-214-5p" = "MIMAT0004564",
    "hsa-miR-23a-5p" = "MIMAT0004496", "hsa-miR-196a-5p" = "MIMAT0000226",
    "hsa-miR-885-5p" = "MIMAT0004947", "hsa-miR-151a-5p" = "MIMAT0004697",
    "hsa-miR-31-5p" = "MIMAT0000089", "hsa-miR-451a" = "MIMAT0001631",
    "hsa-miR-23a-3p" = "MIMAT0000078", "hsa-miR-16-5p" = "MIMAT0000069",
    "cel-miR-39-3p" = "MIMAT0000010")
  d <- ev_mirna_name(names(expected), details = TRUE)
  expect_equal(d$name, names(expected))
  expect_equal(d$accession, unname(expected))
  expect_true(all(d$status == "current"))
})

test_that("spellings and former IDs are harmonized", {
  input <- c("miR-214-3p", "MIR-214-3P", "hsa-mir-214-5p", "miR-23a*",
             "hsa-miR-23a*", "hsa-miR-151-5p", "miR-151-5p", "hsa-miR-451",
             "miR-451", "MIR451A", "cel-miR-39-3P")
  expect_equal(ev_mirna_name(input),
               c("hsa-miR-214-3p", "hsa-miR-214-3p", "hsa-miR-214-5p",
                 "hsa-miR-23a-5p", "hsa-miR-23a-5p", "hsa-miR-151a-5p",
                 "hsa-miR-151a-5p", "hsa-miR-451a", "hsa-miR-451a",
                 "hsa-miR-451a", "cel-miR-39-3p"))
})

test_that("names without an arm are flagged as ambiguous, not guessed", {
  input <- c("miR-214", "hsa-mir-214", "MIR214", "hsa-miR-155", "miR-23a")
  d <- ev_mirna_name(input, details = TRUE)
  expect_true(all(d$status == "ambiguous"))
  expect_true(all(is.na(d$name)))
  expect_equal(d$candidates[1], "hsa-miR-214-3p;hsa-miR-214-5p")
  expect_match(d$note[1], "hsa-miR-214-3p until v17")
  expect_warning(ev_mirna_name(input), class = "evmirna_warning_mirna_name")
  hist <- ev_mirna_name(c("miR-214", "hsa-miR-155", "hsa-mir-214"),
                        details = TRUE, armless = "history")
  expect_equal(hist$name, c("hsa-miR-214-3p", "hsa-miR-155-5p", NA))
  expect_equal(hist$status, c("renamed", "renamed", "ambiguous"))
})

test_that("unknown and missing names are reported", {
  d <- ev_mirna_name(c("RNU6", "hsa-miR-99999-5p", NA, ""), details = TRUE)
  expect_equal(d$status, c("unknown", "unknown", "missing", "missing"))
  expect_error(ev_mirna_name(1:3), class = "evmirna_error_type")
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

test_that("other arms are known, so armless names stay ambiguous", {
  d <- ev_mirna_name(c("miR-21", "miR-196a", "let-7a", "miR-181a",
                       "cel-miR-39", "miR-486"), details = TRUE)
  expect_true(all(d$status == "ambiguous"))
  expect_equal(d$candidates[1], "hsa-miR-21-5p;hsa-miR-21-3p")
  expect_equal(d$candidates[2],
               "hsa-miR-196a-5p;hsa-miR-196a-3p;hsa-miR-196a-1-3p")
  expect_equal(d$candidates[3], "hsa-let-7a-5p;hsa-let-7a-3p;hsa-let-7a-2-3p")
  expect_equal(d$candidates[5], "cel-miR-39-3p;cel-miR-39-5p")
  # Precursor-specific minor arms are current names of their own.
  e <- ev_mirna_name(c("hsa-miR-125b-2-3p", "miR-24-1-5p", "hsa-miR-885-3p",
                       "cel-miR-39-5p"), details = TRUE)
  expect_equal(e$accession, c("MIMAT0004603", "MIMAT0000079", "MIMAT0004948",
                              "MIMAT0020306"))
  # Only former IDs that could be verified are used: hsa-miR-21 has none.
  h <- ev_mirna_name(c("hsa-miR-21", "hsa-miR-451", "hsa-miR-23a*"),
                     details = TRUE, armless = "history")
  expect_equal(h$status, c("ambiguous", "renamed", "renamed"))
  expect_equal(h$name, c(NA, "hsa-miR-451a", "hsa-miR-23a-5p"))
})
