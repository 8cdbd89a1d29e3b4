# Model files: exact round trips, verified bytes, signatures and refusals.
# make test runs this file under Debian's jsonlite 1.8.4 and CRAN's too.


saved_model <- function(key = NULL) {
  path <- tempfile(fileext = ".json")
  ev_save_model(score_fixture()$frozen, path, key = key)
  path
}

# The payload text exactly as stored, and a writer that puts an edited
# payload back with a matching SHA-256 (what a careless or hostile editor
# can always do).
file_text <- function(path) rawToChar(readBin(path, "raw", file.size(path)))
# (the file ends in "\n}\n"; the payload is what lies between)
payload_text <- function(text) {
  at <- regexpr("\n  \"payload\": ", text, fixed = TRUE)
  substr(text, at + attr(at, "match.length"), nchar(text) - 3L)
}
write_payload <- function(text, payload, path = tempfile(fileext = ".json")) {
  old <- payload_text(text)
  sum <- paste0("sha256:", as.character(openssl::sha256(charToRaw(payload))))
  text <- sub("sha256:[0-9a-f]{64}", sum, text)
  writeBin(charToRaw(sub(old, payload, text, fixed = TRUE)), path)
  path
}
bits <- function(x) writeBin(as.double(x), raw())

test_that("save -> load -> score gives identical numbers", {
  need_model_file()
  f <- score_fixture()
  path <- tempfile(fileext = ".json")
  expect_identical(ev_save_model(f$frozen, path), path)
  loaded <- ev_load_model(path)
  expect_identical(loaded$recipe, f$frozen$recipe)
  expect_identical(loaded$coefficients, f$frozen$coefficients)
  expect_identical(loaded$table, f$frozen$table)
  expect_identical(loaded$standardized, f$frozen$standardized)
  expect_identical(loaded$steps, f$frozen$steps)
  expect_identical(as.data.frame(ev_score(loaded, f$new), values = TRUE, contributions = TRUE),
                   as.data.frame(ev_score(f$frozen, f$new), values = TRUE, contributions = TRUE))
  expect_identical(predict(loaded, ev_apply_steps(f$new[, 1:3], loaded$recipe$steps)),
                   predict(f$frozen, ev_apply_steps(f$new[, 1:3], loaded$recipe$steps)))
  # saving the loaded model writes the same bytes
  path2 <- tempfile(fileext = ".json")
  ev_save_model(loaded, path2)
  expect_identical(file_text(path2), file_text(path))
  # the header states the SHA-256 of the payload text as stored
  text <- file_text(path)
  expect_match(text, paste0("\"checksum\": \"sha256:",
                            as.character(openssl::sha256(charToRaw(payload_text(text)))), "\""),
               fixed = TRUE)
})

test_that("every finite double round-trips bit for bit through the file text", {
  need_model_file()
  set.seed(5)
  tiny <- c(5e-324, 2^-1074 * c(3, 12345), 2.2250738585072009e-308, 2.2250738585072014e-308)
  x <- c(rnorm(2000) * 10^runif(2000, -320, 308), runif(500), 0.1, 1 / 3, 2 / 3,
         tiny, -tiny, 1e308, -1e308, .Machine$double.xmax, -.Machine$double.xmax,
         0, -0, 1, -1, 2^53, 2^53 + 2, 2^63, 1e17, 123456789012345678, 1e22, 1e23,
         .Machine$integer.max + 0, -.Machine$integer.max - 1)
  # random bit patterns cover the whole exponent range
  raw_bits <- as.raw(sample(0:255, 8 * 3000, replace = TRUE))
  y <- readBin(raw_bits, "double", 3000)
  x <- c(x, y[is.finite(y)])
  enc <- evmirna:::encode_value(x)
  text <- evmirna:::json_text(enc)
  back <- evmirna:::decode_value(jsonlite::fromJSON(text, simplifyVector = FALSE))
  expect_identical(bits(back), bits(x))
  expect_identical(1 / back[x == 0], 1 / x[x == 0])  # the sign of zero survives
  # at most 17 significant digits per number, fewer where they suffice
  tokens <- strsplit(gsub(".*\"values\": \\[|\\].*", "", text), ", ")[[1]]
  digits <- nchar(gsub("^-|e.*$|\\.", "", sub("^-?0\\.0*", "", tokens)))
  expect_lte(max(digits), 17L)
  expect_identical(tokens[x == 0.1], "0.1")
})

test_that("the encoding round-trips NA, NaN, names, factors, matrices and data frames", {
  need_model_file()
  x <- list(d = c(1.5, NA, NaN, Inf, -Inf),
            s = c("NA", NA, "", "a\"b", "tab\there", "line\nbreak", "\u00e9\u00df\u4e2d", "\\"),
            i = c(1L, NA, -.Machine$integer.max), l = c(TRUE, NA, FALSE),
            f = factor(c("b", NA, "a")), named = c(x = 0.1, y = 2),
            m = matrix(1:4, 2, dimnames = list(NULL, c("u", "v"))),
            df = data.frame(p = 1:2, q = c("x", NA), stringsAsFactors = FALSE),
            df0 = data.frame(), empty = list(), none = NULL, chr0 = character(0))
  text <- evmirna:::json_text(evmirna:::encode_value(x))
  expect_true(jsonlite::validate(text))
  back <- evmirna:::decode_value(jsonlite::fromJSON(text, simplifyVector = FALSE))
  expect_identical(back, x)
})

test_that("the coefficients are stored once and drive both predict() and ev_score()", {
  need_model_file()
  f <- score_fixture()
  text <- payload_text(file_text(saved_model()))
  # the slope of miR-214-3p appears once in the whole payload
  token <- evmirna:::json_doubles(f$frozen$coefficients[["hsa-miR-214-3p"]])
  expect_identical(lengths(regmatches(text, gregexpr(token, text, fixed = TRUE))), 1L)
  loaded <- ev_load_model(saved_model())
  expect_identical(loaded$recipe$panel$coefficient,
                   unname(f$frozen$coefficients[loaded$recipe$panel$id]))
  # an edit of the one copy moves both scoring paths alike
  edited <- loaded
  edited$coefficients[["hsa-miR-214-3p"]] <- edited$coefficients[["hsa-miR-214-3p"]] + 1
  new <- f$new[, 1:6]
  s <- ev_score(edited, new)
  p <- predict(edited, ev_apply_steps(new[, s$scored], edited$recipe$steps), type = "link")
  expect_equal(unname(s$link[s$scored]), unname(p), tolerance = 1e-12)
  expect_false(isTRUE(all.equal(s$link, ev_score(loaded, new)$link)))
})

test_that("an edited file is refused: checksum without a key, signature with one", {
  need_model_file()
  f <- score_fixture()
  coef <- f$frozen$coefficients[["hsa-miR-214-3p"]]
  token <- evmirna:::json_doubles(coef)
  edit <- function(path) {
    text <- file_text(path)
    expect_true(grepl(token, text, fixed = TRUE))
    list(text = text, payload = sub(token, evmirna:::json_doubles(coef + 1), payload_text(text),
                                    fixed = TRUE))
  }
  # edited digit, checksum left alone
  e <- edit(saved_model())
  altered <- tempfile(fileext = ".json")
  writeBin(charToRaw(sub(payload_text(e$text), e$payload, e$text, fixed = TRUE)), altered)
  expect_error(ev_load_model(altered), "fails its checksum",
               class = "evmirna_error_model_checksum")
  # re-formatting the payload changes its bytes: refused as well
  reformatted <- tempfile(fileext = ".json")
  writeBin(charToRaw(sub(payload_text(e$text), gsub("\n +", "\n", payload_text(e$text)),
                         e$text, fixed = TRUE)), reformatted)
  expect_error(ev_load_model(reformatted), class = "evmirna_error_model_checksum")
  # a checksum stops accidents only: recomputed, the unsigned edit loads
  forged <- write_payload(e$text, e$payload)
  expect_identical(ev_load_model(forged)$coefficients[["hsa-miR-214-3p"]], coef + 1)
  # HMAC: the same edit of a signed file is refused by whoever holds the key
  secret <- as.raw(1:32)
  signed <- saved_model(key = secret)
  expect_identical(ev_load_model(signed, key = secret)$coefficients, f$frozen$coefficients)
  forged <- write_payload(edit(signed)$text, edit(signed)$payload)
  expect_error(ev_load_model(forged, key = secret), "does not match",
               class = "evmirna_error_model_signature")
  expect_error(ev_load_model(signed, key = as.raw(2:33)), "does not match",
               class = "evmirna_error_model_signature")
  expect_error(ev_load_model(saved_model(), key = secret), "not signed",
               class = "evmirna_error_model_signature")
  expect_warning(ev_load_model(signed), "no key was given",
                 class = "evmirna_warning_model_unverified")
  expect_error(ev_save_model(f$frozen, tempfile(), key = "short"), "16 bytes",
               class = "evmirna_error_value")
  # Ed25519: signed with the private key, checked with the public one
  k <- openssl::ed25519_keygen()
  signed <- saved_model(key = k)
  expect_identical(ev_load_model(signed, key = k$pubkey)$coefficients, f$frozen$coefficients)
  forged <- write_payload(edit(signed)$text, edit(signed)$payload)
  expect_error(ev_load_model(forged, key = k$pubkey), class = "evmirna_error_model_signature")
  expect_error(ev_load_model(signed, key = openssl::ed25519_keygen()$pubkey),
               class = "evmirna_error_model_signature")
  expect_error(ev_load_model(signed, key = secret), "signed with ed25519",
               class = "evmirna_error_model_signature")
  expect_error(ev_save_model(f$frozen, tempfile(), key = k$pubkey), "private key",
               class = "evmirna_error_value")
})

test_that("key files: PEM key pairs and raw secrets", {
  need_model_file()
  k <- openssl::ed25519_keygen()
  priv <- tempfile()
  pub <- tempfile()
  openssl::write_pem(k, priv)
  openssl::write_pem(k$pubkey, pub)
  secret <- tempfile()
  writeLines("0123456789abcdef-secret", secret)
  expect_true(inherits(ev_read_key(priv), "key"))
  expect_identical(openssl::write_der(ev_read_key(pub)), openssl::write_der(k$pubkey))
  expect_identical(ev_read_key(secret), charToRaw("0123456789abcdef-secret"))
  signed <- saved_model(key = ev_read_key(priv))
  expect_silent(ev_load_model(signed, key = ev_read_key(pub)))
  expect_error(ev_read_key(tempfile()), class = "evmirna_error_file")
})

test_that("the checks run in order: size, JSON, header, checksum, schema, each classed", {
  need_model_file()
  path <- saved_model()
  text <- file_text(path)
  expect_error(ev_load_model(path, max_size = 100), "more than `max_size`",
               class = "evmirna_error_model_size")
  # a 60-byte file claiming a billion NAs is refused by its size or its
  # schema, without allocating what it declares
  bomb_payload <- '{"type": "double", "values": [1], "na": [1e9]}'
  bomb <- write_payload(text, bomb_payload)
  expect_error(ev_load_model(bomb), "\\$na", class = "evmirna_error_model_schema")
  dim_bomb <- write_payload(text, '{"type": "integer", "values": [1], "dim": [100000, 100000]}')
  expect_error(ev_load_model(dim_bomb), "dim", class = "evmirna_error_model_schema")
  tiny <- tempfile()
  writeLines('{"type":"double","values":[1],"na":[1e9]}', tiny)
  expect_error(ev_load_model(tiny), class = "evmirna_error_model_json")
  # unknown and missing fields
  unknown <- write_payload(text, sub('"type": "list",', '"type": "list", "extra": 1,',
                                     payload_text(text), fixed = TRUE))
  expect_error(ev_load_model(unknown), "unexpected", class = "evmirna_error_model_schema")
  not_model <- write_payload(text, '{"type": "list", "items": []}')
  expect_error(ev_load_model(not_model), "expected exactly the fields",
               class = "evmirna_error_model_schema")
  bad_type <- write_payload(text, sub('"type": "character",\n        "values": ["logistic"]',
                                      '"type": "double",\n        "values": ["logistic"]',
                                      payload_text(text), fixed = TRUE))
  expect_error(ev_load_model(bad_type), "not all double", class = "evmirna_error_model_schema")
  # not JSON, not ours, other versions
  corrupt <- tempfile(fileext = ".json")
  writeBin(charToRaw(substr(text, 1, nchar(text) %/% 2)), corrupt)
  expect_error(ev_load_model(corrupt), "not well-formed JSON", class = "evmirna_error_model_json")
  foreign <- tempfile(fileext = ".json")
  writeLines('{"format": "something-else"}', foreign)
  expect_error(ev_load_model(foreign), "not an evmirna model", class = "evmirna_error_file")
  newer <- tempfile(fileext = ".json")
  writeLines(sub('"format_version": 2', '"format_version": 3', text, fixed = TRUE), newer)
  expect_error(ev_load_model(newer), "version 3", class = "evmirna_error_model_version")
  old <- tempfile(fileext = ".json")
  writeLines(c("{", '  "format": "evmirna-model",', '  "format_version": 1,',
               '  "evmirna_version": "0.1.0",', '  "checksum": "0123",',
               '  "payload": {}', "}"), old)
  expect_error(ev_load_model(old), "version 1 .*ev_freeze", class = "evmirna_error_model_version")
  expect_error(ev_load_model(tempfile()), "does not exist", class = "evmirna_error_file")
  expect_error(ev_save_model(score_fixture()$model, path), class = "evmirna_error_type")
})

test_that("devices, FIFOs, directories and empty files are refused before reading", {
  need_model_file()
  expect_error(ev_load_model("/dev/zero"), "not a regular file", class = "evmirna_error_file")
  expect_error(ev_load_model("/dev/null"), "not a regular file", class = "evmirna_error_file")
  expect_error(ev_load_model(tempdir()), "a directory", class = "evmirna_error_file")
  empty <- tempfile()
  file.create(empty)
  expect_error(ev_load_model(empty), class = "evmirna_error_file")
  fifo <- tempfile()
  skip_if(system2("mkfifo", fifo) != 0L, "mkfifo not available")
  expect_error(ev_load_model(fifo), "not a regular file", class = "evmirna_error_file")
})

test_that("saving never replaces a FIFO, device or directory (the rename would, as root)", {
  need_model_file()
  model <- score_fixture()$frozen
  dir <- tempfile("not-a-file")
  dir.create(dir)
  expect_error(ev_save_model(model, dir), "not a regular file", class = "evmirna_error_file")
  expect_true(dir.exists(dir))
  fifo <- tempfile()
  skip_if(system2("mkfifo", fifo) != 0L, "mkfifo not available")
  expect_error(ev_save_model(model, fifo), "not a regular file", class = "evmirna_error_file")
  expect_identical(system2("test", c("-p", shQuote(fifo))), 0L)
})

test_that("a failed write leaves the previous file and no partial file behind", {
  dir <- tempfile("atomic")
  dir.create(dir)
  path <- file.path(dir, "out.txt")
  writeLines("old content", path)
  # writeLines() fails on a non-character value after opening its file
  expect_error(evmirna:::write_text_file(list(1), path, "file"), "cannot write",
               class = "evmirna_error_file")
  expect_identical(readLines(path), "old content")
  expect_identical(list.files(dir, all.files = TRUE, no.. = TRUE), "out.txt")
  expect_error(evmirna:::write_text_file("x", file.path(dir, "no", "such.txt"), "file"),
               class = "evmirna_error_file")
  evmirna:::write_text_file(c("new", "content"), path, "file")
  expect_identical(readLines(path), c("new", "content"))
  expect_identical(list.files(dir, all.files = TRUE, no.. = TRUE), "out.txt")
})

test_that("every classifier's frozen model round-trips identically", {
  need_model_file()
  f <- score_fixture()
  fits <- list(
    firth = ev_fit(f$normalized, "group", features = f$panel, method = "firth"),
    lda = ev_fit(f$normalized, "group", features = f$panel, method = "lda"),
    dlda = ev_fit(f$normalized, "group", features = f$panel, method = "dlda"),
    elastic_net = ev_fit(f$normalized, "group", features = f$panel, method = "elastic_net",
                         s = 0.01))
  for (method in names(fits)) {
    set.seed(3)
    frozen <- ev_freeze(fits[[method]], f$x, qc = f$qc, n_boot = 50)
    path <- tempfile(fileext = ".json")
    ev_save_model(frozen, path)
    loaded <- ev_load_model(path)
    for (field in c("coefficients", "intercept_link", "table", "standardized", "recipe",
                    "lambda", "term_sd")) {
      expect_identical(loaded[[field]], frozen[[field]], label = paste(method, field))
    }
    expect_identical(ev_score(loaded, f$new)$link, ev_score(frozen, f$new)$link)
  }
})
