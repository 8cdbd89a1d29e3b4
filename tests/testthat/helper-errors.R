# A classed evmirna error naming `arg`; returns the condition.
expect_ev_error <- function(expr, class, arg) {
  e <- tryCatch(expr, evmirna_error = function(e) e)
  expect_s3_class(e, class)
  expect_identical(e$arg, arg)
  expect_true(grepl(paste0("`", arg), conditionMessage(e), fixed = TRUE))
  invisible(e)
}
