# Formula interfaces: `outcome ~ .` means the miRNA columns only; named
# non-miRNA terms are covariates; same numbers as the data-frame call.

formula_patients <- function() {
  set.seed(11)   # SIMULATED patients
  n <- 80
  d <- data.frame(id = sprintf("P%02d", seq_len(n)),
                  outcome = rep(c("control", "case"), n / 2),
                  `hsa-miR-21-5p` = rnorm(n), `hsa-miR-214-3p` = rnorm(n),
                  `hsa-miR-133a-3p` = rnorm(n), age = rnorm(n, 65, 6),
                  smoker = rbinom(n, 1, 0.3), sex = sample(c("F", "M"), n, TRUE),
                  check.names = FALSE)
  d$`hsa-miR-21-5p` <- d$`hsa-miR-21-5p` + (d$outcome == "case")
  d
}

test_that("outcome ~ . takes the miRNA columns only and equals the data-frame call", {
  d <- formula_patients()
  mirs <- c("hsa-miR-21-5p", "hsa-miR-214-3p", "hsa-miR-133a-3p")
  f <- ev_fit(outcome ~ ., data = d, positive = "case")
  expect_identical(f$features, mirs)
  expect_identical(f$terms, mirs)
  ref <- ev_fit(d, "outcome", features = mirs, positive = "case")
  expect_identical(coef(f), coef(ref))
  # data by position, as lm(y ~ ., df)
  expect_identical(coef(ev_fit(outcome ~ ., d, positive = "case")), coef(ref))
})

test_that("named non-miRNA terms become covariates", {
  d <- formula_patients()
  f <- ev_fit(outcome ~ `hsa-miR-21-5p` + age + sex, data = d, positive = "case")
  ref <- ev_fit(d, "outcome", features = "hsa-miR-21-5p", covariates = c("age", "sex"),
                positive = "case")
  expect_identical(f$features, "hsa-miR-21-5p")
  expect_identical(coef(f), coef(ref))
  g <- ev_fit(outcome ~ . + age, data = d, positive = "case")
  expect_identical(g$features, c("hsa-miR-21-5p", "hsa-miR-214-3p", "hsa-miR-133a-3p"))
  expect_true("age" %in% g$terms)
  expect_false("smoker" %in% g$terms)
})

test_that("ev_cv(formula, data) equals the data-frame call", {
  d <- formula_patients()
  set.seed(4)
  a <- ev_cv(outcome ~ ., data = d, n_folds = 4, positive = "case")
  set.seed(4)
  b <- ev_cv(d, "outcome", n_folds = 4, positive = "case",
             features = c("hsa-miR-21-5p", "hsa-miR-214-3p", "hsa-miR-133a-3p"))
  expect_identical(a$predictions, b$predictions)
})

test_that("formula misuse gets classed errors", {
  d <- formula_patients()
  expect_ev_error(ev_fit(outcome ~ log(age), data = d), "evmirna_error_value", "x")
  expect_ev_error(ev_fit(outcome ~ ., data = as.list(d)), "evmirna_error_type", "data")
  expect_ev_error(ev_fit(status ~ ., data = d), "evmirna_error_unknown", "x")
  expect_ev_error(ev_fit(~ ., data = d), "evmirna_error_value", "x")
  expect_ev_error(ev_fit(outcome ~ age, data = d), "evmirna_error_empty", "x")
})
