test_that("save -> load -> score gives identical numbers", {
  need_reference("jsonlite")
  f <- score_fixture()
  path <- tempfile(fileext = ".json")
  expect_identical(ev_save_model(f$frozen, path), path)
  loaded <- ev_load_model(path)
  expect_identical(loaded$recipe, f$frozen$recipe)
  expect_identical(loaded$coefficients, f$frozen$coefficients)
  expect_identical(loaded$steps, f$frozen$steps)
  expect_identical(as.data.frame(ev_score(loaded, f$new), values = TRUE, contributions = TRUE),
                   as.data.frame(ev_score(f$frozen, f$new), values = TRUE, contributions = TRUE))
  m <- t(f$new$values[, colSums(is.na(f$new$values)) == 0])
  expect_identical(predict(loaded, ev_apply_steps(f$new[, 1:3], loaded$recipe$steps)),
                   predict(f$frozen, ev_apply_steps(f$new[, 1:3], loaded$recipe$steps)))
  # saving the loaded model writes the same file
  path2 <- tempfile(fileext = ".json")
  ev_save_model(loaded, path2)
  expect_identical(readLines(path2), readLines(path))
})

test_that("the file encoding round-trips doubles, NA, names, factors and data frames exactly", {
  need_reference("jsonlite")
  set.seed(5)
  x <- list(d = c(rnorm(500) * 10^runif(500, -300, 300), 0.1, 1 / 3, 5e-324,
                  .Machine$double.xmax, NA, NaN, Inf, -Inf),
            s = c("NA", NA, "", "a\"b"), i = c(1L, NA), l = c(TRUE, NA),
            f = factor(c("b", NA, "a")), named = c(x = 0.1, y = 2),
            m = matrix(1:4, 2, dimnames = list(NULL, c("u", "v"))),
            df = data.frame(p = 1:2, q = c("x", NA), stringsAsFactors = FALSE),
            empty = list(), none = NULL, chr0 = character(0))
  enc <- evmirna:::encode_value(x)
  json <- jsonlite::toJSON(enc, digits = I(17), na = "string", null = "null")
  back <- evmirna:::decode_value(jsonlite::fromJSON(json, simplifyVector = FALSE))
  expect_identical(back, x)
})

test_that("loading refuses altered, corrupt, foreign and other-version files", {
  need_reference("jsonlite")
  f <- score_fixture()
  path <- tempfile(fileext = ".json")
  ev_save_model(f$frozen, path)
  lines <- readLines(path)
  # change one coefficient digit
  doc <- jsonlite::fromJSON(path, simplifyVector = FALSE)
  altered <- tempfile(fileext = ".json")
  txt <- paste(lines, collapse = "\n")
  coef <- format(f$frozen$coefficients[[2]], digits = 17)
  expect_true(grepl(coef, txt, fixed = TRUE))
  writeLines(sub(coef, format(f$frozen$coefficients[[2]] + 1, digits = 17), txt, fixed = TRUE),
             altered)
  expect_error(ev_load_model(altered), "checksum", class = "evmirna_error_model_checksum")
  corrupt <- tempfile(fileext = ".json")
  writeLines(lines[1:(length(lines) %/% 2)], corrupt)
  expect_error(ev_load_model(corrupt), class = "evmirna_error_file")
  foreign <- tempfile(fileext = ".json")
  writeLines('{"format": "something-else"}', foreign)
  expect_error(ev_load_model(foreign), "not an evmirna model", class = "evmirna_error_file")
  newer <- tempfile(fileext = ".json")
  writeLines(sub('"format_version": 1', '"format_version": 2', txt, fixed = TRUE), newer)
  expect_error(ev_load_model(newer), "version 2", class = "evmirna_error_model_version")
  expect_error(ev_load_model(tempfile()), "does not exist", class = "evmirna_error_file")
  expect_error(ev_save_model(f$model, path), class = "evmirna_error_type")
})
