test_that("folds are balanced, stratified and reproducible", {
  y <- rep(c("control", "case"), c(23, 17))
  set.seed(3)
  f <- ev_folds(y, n_folds = 5, n_repeats = 3)
  expect_equal(dim(f), c(40L, 3L))
  for (r in 1:3) {
    expect_setequal(unique(f[, r]), 1:5)
    expect_true(all(table(f[, r]) %in% c(8L)))
    per_class <- table(f[, r], y)
    expect_true(all(apply(per_class, 2, function(k) diff(range(k)) <= 1)))
  }
  set.seed(3)
  expect_identical(ev_folds(y, n_folds = 5, n_repeats = 3), f)
  set.seed(4)
  g <- ev_folds(y, 7, stratified = FALSE)
  expect_true(diff(range(table(g))) <= 1)
})

test_that("fold arguments are checked", {
  expect_error(ev_folds(c("a", "b"), n_folds = 3), class = "evmirna_error_value")
  expect_error(ev_folds(c("a", NA)), class = "evmirna_error_value")
  expect_error(ev_folds(1:10, n_folds = 2.5), class = "evmirna_error_value")
  expect_error(ev_folds(list(1, 2)), class = "evmirna_error_type")
})
