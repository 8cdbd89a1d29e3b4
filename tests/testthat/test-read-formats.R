# Instrument exports: each fixture (tests/testthat/fixtures, SIMULATED
# values written in the vendor's layout) read to its expected Cq matrix,
# missing reasons and replicate record.

fixture <- function(name) test_path("fixtures", name)

read_quiet <- function(...) {
  msg <- NULL
  x <- withCallingHandlers(ev_read_qpcr(...), evmirna_message_read = function(m) {
    msg <<- conditionMessage(m)
    invokeRestart("muffleMessage")
  })
  attr(x, "read_message") <- msg
  x
}

expect_cells <- function(x, values, reasons) {
  dn <- dimnames(x$values)
  expect_equal(x$values, matrix(values, length(dn[[1]]), dimnames = dn))
  expect_equal(x$missing_reason, matrix(reasons, length(dn[[1]]), dimnames = dn))
}

test_that("QuantStudio/ViiA 7 results: Omit, Amp Status, CQCONF, OUTLIERRG, NTC, triplicates", {
  path <- system.file("extdata", "quantstudio_results_example.txt", package = "evmirna")
  x <- read_quiet(path)
  expect_equal(x$steps[[1]]$format, "quantstudio")
  expect_equal(dimnames(x$values),
               list(c("hsa-miR-21-5p", "hsa-miR-16-5p", "cel-miR-39-3p"), c("P1", "P2")))
  # P1/miR-21: wells 27.1, 27.3 and an omitted 31.9; P2/miR-21: Undetermined
  # and an Inconclusive 35.8; P1/cel-miR-39: its only well is an outlier.
  expect_cells(x, c(27.2, 21.1, NA, NA, 22.5, 22.0),
               c(NA, NA, "outlier", "undetermined", NA, NA))
  expect_equal(x$replicates$wells, matrix(c(3L, 2L, 1L, 2L, 2L, 1L), 3, dimnames = dimnames(x$values)))
  expect_equal(x$replicates$used, matrix(c(2L, 2L, 0L, 0L, 2L, 1L), 3, dimnames = dimnames(x$values)))
  expect_equal(x$replicates$sd[, "P1"],
               c(sd(c(27.1, 27.3)), sd(c(20.5, 21.7)), NA), ignore_attr = TRUE)
  flags <- x$steps[[1]]$flag_columns
  expect_equal(unlist(flags), c(Omit = 1L, `Amp Status` = 2L, CQCONF = 1L,
                                EXPFAIL = 0L, NOAMP = 1L, OUTLIERRG = 1L))
  msg <- attr(x, "read_message")
  expect_match(msg, "flags read from \"Omit\" (1 well)", fixed = TRUE)
  expect_match(msg, "1 control wells", fixed = TRUE)
  expect_equal(x$provenance,
               "SIMULATED QuantStudio/ViiA 7 results export written for evmirna (not real patients)")
  # The numeric Cq Conf is used only against a threshold.
  y <- read_quiet(path, min_cq_conf = 0.975)
  expect_equal(y$values["hsa-miR-21-5p", "P1"], 27.1)
  expect_equal(y$values["cel-miR-39-3p", "P2"], NA_real_)
  expect_equal(y$missing_reason["cel-miR-39-3p", "P2"], "low_cq_confidence")
  # Flags can be switched off; the omitted well then counts.
  z <- read_quiet(path, flag_cols = character(0))
  expect_equal(z$values["hsa-miR-21-5p", "P1"], mean(c(27.1, 27.3, 31.9)))
})

test_that("StepOne export: UTF-8 BOM, CRLF line ends, Cyrillic C\u0442 header", {
  path <- fixture("stepone_results_bom_crlf.csv")
  bytes <- readBin(path, "raw", 3)
  expect_equal(bytes, as.raw(c(0xEF, 0xBB, 0xBF)))
  x <- read_quiet(path)
  expect_equal(x$steps[[1]]$format, "quantstudio")
  expect_cells(x, c(18.25, 24.9, 19.1, NA), c(NA, NA, NA, "undetermined"))
  expect_equal(x$replicates$sd["hsa-miR-451a", "S1"], sd(c(18.2, 18.3)))
  expect_equal(x$features$role, c("hemolysis", "hemolysis"))
})

test_that("SDS 2.x RQ results with CR-only line ends and an Omit column", {
  path <- fixture("sds_rq_results_cr.txt")
  raw <- readBin(path, "raw", file.size(path))
  expect_false(any(raw == as.raw(0x0A)))
  x <- read_quiet(path)
  expect_equal(x$steps[[1]]$format, "sds")
  expect_cells(x, c(26.6, 22.0, 38.0, NA), c(NA, NA, NA, "omitted"))
  expect_equal(x$replicates$used["hsa-miR-21-5p", "P2"], 1L)
  expect_true(is.na(x$replicates$sd["hsa-miR-21-5p", "P2"]))
})

test_that("Bio-Rad CFX Cq results: semicolons, decimal commas, NaN, NTC, trailing columns", {
  x <- read_quiet(fixture("cfx_quantification_cq_results_semicolon.csv"))
  expect_equal(x$steps[[1]]$format, "cfx")
  expect_cells(x, c(mean(c(27.41, 27.58)), NA, 26.9, 31.25), c(NA, "no_ct", NA, NA))
  expect_equal(colnames(x$values), c("P1", "P2"))
  # The same file with the decimal mark given explicitly.
  y <- read_quiet(fixture("cfx_quantification_cq_results_semicolon.csv"), dec = ",", sep = ";")
  expect_equal(y$values, x$values)
})

test_that("LightCycler 480 text export: Name split, blank Cp, Include FALSE", {
  x <- read_quiet(fixture("lightcycler480_abs_quant.txt"))
  expect_equal(x$steps[[1]]$format, "lightcycler")
  expect_cells(x, c(mean(c(26.12, 26.3)), 20.05, NA, 21.4), c(NA, NA, "excluded", NA))
  expect_equal(x$replicates$wells["hsa-miR-21-5p", "P2"], 2L)
  expect_equal(x$replicates$used["hsa-miR-21-5p", "P2"], 0L)
})

test_that("TaqMan OpenArray: ThroughHole Outlier and Cq Conf threshold", {
  x <- read_quiet(fixture("openarray_results.csv"))
  expect_equal(x$steps[[1]]$format, "openarray")
  expect_cells(x, c(26.0, 19.8, 24.95, NA), c(NA, NA, NA, "undetermined"))
  y <- read_quiet(fixture("openarray_results.csv"), min_cq_conf = 0.92)
  expect_equal(y$missing_reason["hsa-miR-21", "P2"], "outlier")
  expect_equal(y$values["hsa-miR-21", "P1"], 26.0)
})

test_that("Fluidigm BioMark: two header rows, Ct 999 and Call Fail", {
  x <- read_quiet(fixture("biomark_table_results.csv"))
  expect_equal(x$steps[[1]]$format, "biomark")
  expect_cells(x, c(24.51, 19.87, NA, NA), c(NA, NA, "no_ct", "call_failed"))
  expect_null(x$replicates)
})

test_that("a Flag column in a long export makes flagged wells missing", {
  x <- read_quiet(fixture("long_flag_excel.csv"))
  expect_cells(x, c(27.1, NA, 26.0, NA), c(NA, "spreadsheet_error", NA, "undetermined"))
  expect_match(attr(x, "read_message"), "\"Flag\" (2 wells)", fixed = TRUE)
  expect_equal(x$replicates$wells["hsa-miR-21-5p", "P1"], 2L)
  expect_equal(x$replicates$used["hsa-miR-21-5p", "P1"], 1L)
  expect_error(read_quiet(fixture("long_flag_excel.csv"), flag_cols = "Nope"),
               class = "evmirna_error_unknown")
})

test_that("a wide European export: sep= line, semicolons, decimal commas, #N/A, trailing columns", {
  x <- ev_read_qpcr(fixture("wide_excel_semicolon.csv"))
  expect_cells(x, c(27.3, 20.1, NA, 21.45), c(NA, NA, "spreadsheet_error", NA))
})

test_that("format can be forced, and a forced long format names what it lacks", {
  x <- read_quiet(fixture("sds_rq_results_cr.txt"), format = "long")
  expect_equal(x$values["RNU48", "P1"], 22)
  e <- expect_error(ev_read_qpcr(fixture("wide_excel_semicolon.csv"), format = "long"),
                    class = "evmirna_error_file")
  expect_match(conditionMessage(e), "Columns found: \"Sample\", \"hsa-miR-21-5p\"")
  expect_match(conditionMessage(e), "Needed:")
  expect_error(ev_read_qpcr(fixture("sds_rq_results_cr.txt"), format = "vendor"),
               class = "evmirna_error_value")
})

test_that("reader errors are classed and name the argument", {
  arg_of <- function(expr, class) {
    e <- expect_error(expr, class = class)
    e$arg
  }
  empty <- tempfile(fileext = ".csv")
  file.create(empty)
  expect_equal(arg_of(ev_read_qpcr(empty), "evmirna_error_file"), "file")
  comments <- write_lines_tmp(c("# SIMULATED", "# nothing else"))
  e <- expect_error(ev_read_qpcr(comments), class = "evmirna_error_file")
  expect_match(conditionMessage(e), "only comment lines")
  blank <- write_lines_tmp(c("", "  ", ""))
  expect_error(ev_read_qpcr(blank), "empty", class = "evmirna_error_file")
  e <- expect_error(ev_read_qpcr(tempdir()), class = "evmirna_error_file")
  expect_match(conditionMessage(e), "directory")
  expect_error(ev_read_counts(tempdir()), class = "evmirna_error_file")
  e <- expect_error(ev_read_qpcr(fixture("wide_latin1.csv")), class = "evmirna_error_file")
  expect_equal(e$arg, "encoding")
  expect_match(conditionMessage(e), "encoding = \"latin1\"", fixed = TRUE)
  x <- ev_read_qpcr(fixture("wide_latin1.csv"), encoding = "latin1")
  expect_equal(colnames(x$values), c("P\u00e9rez", "M\u00fcller"))
  expect_equal(unname(x$values[1, ]), c(27.1, 26.4))
  expect_equal(arg_of(ev_read_qpcr(fixture("wide_latin1.csv"), encoding = "no-such-code"),
                      "evmirna_error_file"), "encoding")
  ok <- write_lines_tmp(c("Sample,hsa-miR-21-5p", "P1,27"))
  for (bad in list(NA_character_, "", ",;", c(",", ";"), 1)) {
    expect_equal(arg_of(ev_read_qpcr(ok, sep = bad), "evmirna_error"), "sep")
    expect_equal(arg_of(ev_read_qpcr(ok, dec = bad), "evmirna_error"), "dec")
    expect_equal(arg_of(ev_read_counts(ok, sep = bad), "evmirna_error"), "sep")
  }
  expect_equal(arg_of(ev_read_qpcr(ok, dec = ";"), "evmirna_error_value"), "dec")
  expect_equal(arg_of(ev_read_qpcr(ok, sep = ",", dec = ","), "evmirna_error_value"), "dec")
  long <- write_lines_tmp(c("Sample,Target,Cq", "P1,hsa-miR-21-5p,27"))
  for (col in c("sample_col", "target_col", "cq_col")) {
    args <- list(long)
    args[[col]] <- c("Sample", "Target")
    expect_equal(arg_of(do.call(ev_read_qpcr, args), "evmirna_error_type"), col)
    args[[col]] <- NA_character_
    expect_equal(arg_of(do.call(ev_read_qpcr, args), "evmirna_error_type"), col)
  }
  e <- expect_error(ev_read_qpcr(long, cq_col = "Ct"), class = "evmirna_error_unknown")
  expect_equal(e$arg, "cq_col")
  expect_match(conditionMessage(e), "Columns found: \"Sample\", \"Target\", \"Cq\"", fixed = TRUE)
  utf16 <- tempfile(fileext = ".csv")
  writeBin(c(as.raw(c(0xFF, 0xFE)), iconv("Sample,hsa-miR-21-5p\nP1,27\n", "UTF-8", "UTF-16LE", toRaw = TRUE)[[1]]), utf16)
  expect_equal(ev_read_qpcr(utf16)$values[1, 1], 27)
})

test_that("replicate wells and their SD reach ev_qc()", {
  path <- system.file("extdata", "quantstudio_results_example.txt", package = "evmirna")
  x <- suppressMessages(ev_read_qpcr(path))
  q <- ev_qc(x)
  cells <- attr(q, "replicates")
  # P1/miR-16-5p: wells 20.5 and 21.7, SD 0.85 > 0.5; P2/cel-miR-39-3p: one well.
  expect_equal(cells$feature, c("hsa-miR-16-5p", "cel-miR-39-3p"))
  expect_equal(cells$sample, c("P1", "P2"))
  expect_equal(cells$reason, c("replicate_sd", "too_few_wells"))
  expect_equal(cells$sd[1], sd(c(20.5, 21.7)))
  expect_equal(q$replicate_flags, c(1L, 1L))
  # An outlier well is a failed measurement, not a non-detect.
  expect_equal(q$n_nondetect, c(0, 1))
  lc <- suppressMessages(ev_read_qpcr(fixture("biomark_table_results.csv")))
  expect_equal(ev_qc(lc)$n_nondetect, c(0, 1))
  expect_output(print(q), "replicate wells flagged: 2 values")
  loose <- attr(ev_qc(x, max_replicate_sd = 1, min_wells = 1), "replicates")
  expect_equal(nrow(loose), 0L)
  # Subsetting keeps the replicate record aligned with the values.
  y <- x[c("cel-miR-39-3p", "hsa-miR-16-5p"), "P2"]
  expect_equal(y$replicates$wells, matrix(c(1L, 2L), 2, dimnames = list(c("cel-miR-39-3p", "hsa-miR-16-5p"), "P2")))
  expect_equal(attr(ev_qc(y), "replicates")$reason, "too_few_wells")
  # Singlicate data carry no replicate record and no replicate flags.
  single <- ev_read_qpcr(write_lines_tmp(c("Sample,hsa-miR-21-5p", "P1,27")))
  expect_null(single$replicates)
  expect_equal(ev_qc(single)$replicate_flags, 0L)
  expect_error(ev_qc(x, max_replicate_sd = -1), class = "evmirna_error_value")
  expect_error(evset(x$values, replicates = list(wells = 1)), class = "evmirna_error_shape")
  bad <- x
  bad$replicates <- "a"
  e <- expect_error(ev_qc(bad), class = "evmirna_error_corrupt")
  expect_match(conditionMessage(e), "replicates")
  expect_error(bad[1, ], class = "evmirna_error_corrupt")
})

test_that("quoted fields may hold the separator, and CR-only wide files read as CRLF ones", {
  crlf <- tempfile(fileext = ".csv")
  cr <- tempfile(fileext = ".csv")
  lines <- c("Sample,hsa-miR-21-5p,hsa-miR-16-5p", "\"P1, visit 2\",27.5,20.1", "P2,\"26.0\",Undetermined")
  writeBin(charToRaw(paste0(paste(lines, collapse = "\r\n"), "\r\n")), crlf)
  writeBin(charToRaw(paste(lines, collapse = "\r")), cr)
  a <- ev_read_qpcr(crlf)
  b <- ev_read_qpcr(cr)
  expect_equal(colnames(a$values), c("P1, visit 2", "P2"))
  expect_equal(a$values, b$values)
  expect_equal(a$missing_reason["hsa-miR-16-5p", "P2"], "undetermined")
})
