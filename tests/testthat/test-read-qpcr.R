test_that("wide exports with samples in rows keep non-detect reasons", {
  path <- write_lines_tmp(c(
    "Sample,hsa-miR-214-3p,hsa-miR-451a,hsa-miR-23a-3p,cel-miR-39-3p",
    "P1,25.1,Undetermined,29.0,22.0",
    "P2,24.8,No Ct,,22.4",
    "P3,26.0,N/A,NA,41.5",
    "P4,26.5,19.0,27.3,40"))
  x <- ev_read_qpcr(path)
  expect_equal(dim(x), c(4L, 4L))
  expect_equal(colnames(x$values), paste0("P", 1:4))
  expect_equal(x$values["hsa-miR-214-3p", ], c(P1 = 25.1, P2 = 24.8, P3 = 26, P4 = 26.5))
  expect_equal(unname(x$missing_reason["hsa-miR-451a", ]),
               c("undetermined", "no_ct", "not_available", NA))
  expect_equal(unname(x$missing_reason["hsa-miR-23a-3p", ]),
               c(NA, "empty", "not_available", NA))
  expect_equal(unname(x$missing_reason["cel-miR-39-3p", ]),
               c(NA, NA, "above_max_cq", "above_max_cq"))
  expect_equal(x$features$role, c("target", "hemolysis", "hemolysis", "spike_in"))
})

test_that("max_cq moves the non-detect limit", {
  path <- write_lines_tmp(c("Sample,hsa-miR-16-5p", "P1,36.5", "P2,38.2"))
  expect_equal(sum(is.na(ev_read_qpcr(path)$values)), 0L)
  x <- ev_read_qpcr(path, max_cq = 37)
  expect_equal(unname(x$missing_reason[1, ]), c(NA, "above_max_cq"))
})

test_that("wide exports with miRNAs in rows and TSV separators", {
  path <- write_lines_tmp(c(
    "miRNA\tS1\tS2\tS3",
    "hsa-miR-21-5p\t27.1\t26.9\tUndetermined",
    "hsa-miR-16-5p\t21.0\t20.5\t20.9"), ".tsv")
  x <- ev_read_qpcr(path)
  expect_equal(rownames(x$values), c("hsa-miR-21-5p", "hsa-miR-16-5p"))
  expect_equal(colnames(x$values), c("S1", "S2", "S3"))
  expect_equal(x$missing_reason["hsa-miR-21-5p", "S3"], "undetermined")
})

test_that("long exports with preamble, replicates and missing cells", {
  path <- write_lines_tmp(c(
    "* Block Type = 384-Well Block",
    "* Experiment Name = serum EV panel",
    "[Results]",
    "Well,Sample Name,Target Name,CT",
    "A1,P1,hsa-miR-21-5p,27.0",
    "A2,P1,hsa-miR-21-5p,27.4",
    "A3,P1,hsa-miR-16-5p,Undetermined",
    "A4,P2,hsa-miR-21-5p,Undetermined",
    "A5,P2,hsa-miR-21-5p,28.0",
    "A6,P2,hsa-miR-16-5p,No Ct",
    "A7,P2,hsa-miR-16-5p,Undetermined",
    "[Amplification Data]",
    "Well,Cycle,Rn",
    "A1,1,0.1"))
  x <- ev_read_qpcr(path)
  expect_equal(x$values["hsa-miR-21-5p", ], c(P1 = 27.2, P2 = 28.0))
  expect_equal(unname(x$missing_reason["hsa-miR-16-5p", ]),
               c("undetermined", "no_ct"))
  expect_error(ev_read_qpcr(path, replicates = "error"),
               class = "evmirna_error_duplicate")

  gap <- write_lines_tmp(c("Sample,Target,Cq", "P1,hsa-miR-21-5p,27",
                           "P2,hsa-miR-16-5p,22"))
  y <- ev_read_qpcr(gap)
  expect_equal(y$missing_reason["hsa-miR-16-5p", "P1"], "not_measured")
})

test_that("sample metadata are joined by id", {
  path <- write_lines_tmp(c("Sample,hsa-miR-21-5p", "P2,27", "P1,26"))
  meta <- data.frame(id = c("P1", "P2", "P9"), group = c("a", "b", "c"))
  expect_warning(x <- ev_read_qpcr(path, samples = meta),
                 class = "evmirna_warning_extra_samples")
  expect_equal(x$samples$group, c("b", "a"))
  expect_error(ev_read_qpcr(path, samples = meta[1, ]),
               class = "evmirna_error_unknown")
})

test_that("roles can be given by feature ID or miRNA name", {
  path <- write_lines_tmp(c("Sample,hsa-miR-16-5p,hsa-miR-21-5p", "P1,20,27"))
  x <- ev_read_qpcr(path, roles = c("miR-16-5p" = "reference"))
  expect_equal(x$features$role, c("reference", "target"))
  expect_error(ev_read_qpcr(path, roles = c("hsa-miR-1-3p" = "reference")),
               class = "evmirna_error_unknown")
  expect_error(ev_read_qpcr(path, roles = c("hsa-miR-16-5p" = "normaliser")),
               class = "evmirna_error_value")
})

test_that("malformed files get clear errors, not half-read objects", {
  ragged <- write_lines_tmp(c("Sample,hsa-miR-21-5p,hsa-miR-16-5p",
                              "P1,27,20", "P2,26"))
  expect_error(ev_read_qpcr(ragged), "ragged", class = "evmirna_error_file")
  headless <- write_lines_tmp(c("27.1,20.3,22.0", "26.9,20.1,21.7"))
  expect_error(ev_read_qpcr(headless), class = "evmirna_error_file")
  unknown <- write_lines_tmp(c("a,b,c", "x,1,2"))
  expect_error(ev_read_qpcr(unknown), class = "evmirna_error_file")
  text <- write_lines_tmp(c("Sample,hsa-miR-21-5p", "P1,high"))
  expect_error(ev_read_qpcr(text), "high", class = "evmirna_error_type")
  out_of_range <- write_lines_tmp(c("Sample,hsa-miR-21-5p", "P1,-3"))
  expect_error(ev_read_qpcr(out_of_range), class = "evmirna_error_value")
  dup <- write_lines_tmp(c("Sample,hsa-miR-21-5p", "P1,27", "P1,26"))
  expect_error(ev_read_qpcr(dup), class = "evmirna_error_duplicate")
  expect_error(ev_read_qpcr(tempfile()), class = "evmirna_error_file")
  expect_error(ev_read_qpcr(ragged, layout = "long"), class = "evmirna_error_file")
})

test_that("count tables are read and checked", {
  path <- write_lines_tmp(c("mirna,S1,S2", "hsa-miR-21-5p,1520,988",
                            "hsa-miR-16-5p,20311,0"))
  x <- ev_read_counts(path)
  expect_equal(x$scale, "counts")
  expect_equal(x$values, matrix(c(1520, 20311, 988, 0), 2,
                                dimnames = list(c("hsa-miR-21-5p", "hsa-miR-16-5p"),
                                                c("S1", "S2"))))
  neg <- write_lines_tmp(c("mirna,S1", "hsa-miR-21-5p,-1"))
  expect_error(ev_read_counts(neg), "negative", class = "evmirna_error_value")
  na <- write_lines_tmp(c("mirna,S1", "hsa-miR-21-5p,"))
  expect_error(ev_read_counts(na), class = "evmirna_error_type")
  frac <- write_lines_tmp(c("mirna,S1", "hsa-miR-21-5p,1.5"))
  expect_warning(ev_read_counts(frac), class = "evmirna_warning_noninteger_counts")
  dup <- write_lines_tmp(c("mirna,S1", "hsa-miR-21-5p,1", "hsa-miR-21-5p,2"))
  expect_error(ev_read_counts(dup), class = "evmirna_error_duplicate")
})

test_that("a long table with a Cyrillic-t 'Cт' Cq header is recognised", {
  # The pattern is written with a \u escape so the R code stays ASCII.
  path <- tempfile(fileext = ".csv")
  con <- file(path, "w", encoding = "UTF-8")
  writeLines(c(paste0("Sample Name,Target Name,C", "\u0442"),
               "P1,hsa-miR-21-5p,27.5", "P2,hsa-miR-21-5p,Undetermined"), con)
  close(con)
  x <- ev_read_qpcr(path)
  expect_equal(x$steps[[1]]$layout, "long")
  expect_equal(unname(x$values[1, ]), c(27.5, NA))
  expect_equal(unname(x$missing_reason[1, ]), c(NA, "undetermined"))
})

test_that("leading # comment lines become the provenance", {
  path <- write_lines_tmp(c("# SIMULATED data, not real patients",
                            "# second line",
                            "Sample,hsa-miR-21-5p", "P1,27"))
  x <- ev_read_qpcr(path)
  expect_equal(x$provenance, "SIMULATED data, not real patients second line")
  counts <- write_lines_tmp(c("# SIMULATED counts", "mirna,S1",
                              "hsa-miR-21-5p,3"))
  expect_equal(ev_read_counts(counts)$provenance, "SIMULATED counts")
  plain <- write_lines_tmp(c("Sample,hsa-miR-21-5p", "P1,27"))
  expect_null(ev_read_qpcr(plain)$provenance)
})
