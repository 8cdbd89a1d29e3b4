# Every deprecated spelling still works for one release: the same result as
# the new spelling, with exactly one evmirna_warning_deprecated naming it.

expect_one_deprecation <- function(expr, new) {
  warnings <- list()
  value <- withCallingHandlers(expr, evmirna_warning_deprecated = function(w) {
    warnings[[length(warnings) + 1L]] <<- w
    invokeRestart("muffleWarning")
  })
  expect_length(warnings, 1L)
  expect_match(conditionMessage(warnings[[1L]]), sprintf("`%s`", new), fixed = TRUE)
  value
}

test_that("each old spelling gives the new spelling's result and one warning", {
  d <- sim_panel(60, 3, seed = 7)
  cases <- list(
    list(old = function() ev_folds(y = d$group, n_folds = 4),
         new = function() ev_folds(group = d$group, n_folds = 4), name = "group"),
    list(old = function() ev_folds(d$group, folds = 4, n_repeats = 2),
         new = function() ev_folds(d$group, n_folds = 4, n_repeats = 2), name = "n_folds"),
    list(old = function() ev_folds(d$group, n_folds = 4, repeats = 2),
         new = function() ev_folds(d$group, n_folds = 4, n_repeats = 2), name = "n_repeats"),
    list(old = function() ev_cv(d$x, d$group, folds = 4)$auc_repeats,
         new = function() ev_cv(d$x, d$group, n_folds = 4)$auc_repeats, name = "n_folds"),
    list(old = function() ev_cv(d$x, d$group, n_folds = 3, repeats = 2)$auc_repeats,
         new = function() ev_cv(d$x, d$group, n_folds = 3, n_repeats = 2)$auc_repeats,
         name = "n_repeats"),
    list(old = function() ev_cv_lambda(d$x, d$group, folds = 4)$cvm,
         new = function() ev_cv_lambda(d$x, d$group, n_folds = 4)$cvm, name = "n_folds"),
    list(old = function() ev_panel_search(d$x, d$group, size = 1, folds = 3, n_repeats = 1,
                                          progress = FALSE)$auc,
         new = function() ev_panel_search(d$x, d$group, size = 1, n_folds = 3, n_repeats = 1,
                                          progress = FALSE)$auc, name = "n_folds"),
    list(old = function() ev_panel_search(d$x, d$group, size = 1, n_folds = 3, repeats = 1,
                                          progress = FALSE)$auc,
         new = function() ev_panel_search(d$x, d$group, size = 1, n_folds = 3, n_repeats = 1,
                                          progress = FALSE)$auc, name = "n_repeats"),
    list(old = function() ev_fit(d$x, d$group, method = "elastic_net", nlambda = 20)$path$lambda,
         new = function() ev_fit(d$x, d$group, method = "elastic_net", n_lambda = 20)$path$lambda,
         name = "n_lambda"),
    list(old = function() ev_fit(d$x, d$group, method = "elastic_net",
                                 lambda_path = c(0.2, 0.1, 0.05))$path,
         new = function() ev_fit(d$x, d$group, method = "elastic_net",
                                 lambda = c(0.2, 0.1, 0.05))$path, name = "lambda"),
    list(old = function() coef(ev_fit(d$x, d$group, method = "elastic_net", lambda = 0.05)),
         new = function() coef(ev_fit(d$x, d$group, method = "elastic_net", s = 0.05)),
         name = "s"),
    list(old = function() ev_validate_bootstrap(d$x, d$group, method = "elastic_net",
                                                lambda = 0.05, n_boot = 3)$table,
         new = function() ev_validate_bootstrap(d$x, d$group, method = "elastic_net",
                                                s = 0.05, n_boot = 3)$table, name = "s"),
    list(old = function() ev_cv_lambda(d$x, d$group, n_folds = 3,
                                       lambda_path = c(0.2, 0.1, 0.05))$cvm,
         new = function() ev_cv_lambda(d$x, d$group, n_folds = 3,
                                       lambda = c(0.2, 0.1, 0.05))$cvm, name = "lambda")
  )
  for (case in cases) {
    set.seed(3)
    old <- expect_one_deprecation(case$old(), case$name)
    set.seed(3)
    expect_identical(old, case$new())
  }
})

test_that("giving both spellings is refused, naming the old one", {
  d <- sim_panel(40, 2, seed = 8)
  expect_ev_error(ev_folds(d$group, n_folds = 4, folds = 4), "evmirna_error_value", "folds")
  expect_ev_error(ev_fit(d$x, d$group, method = "elastic_net", nlambda = 5, n_lambda = 5),
                  "evmirna_error_value", "nlambda")
})

test_that("result classes are named after their verbs, old class second", {
  d <- sim_panel(60, 3, seed = 9)
  expect_identical(class(ev_fit(d$x, d$group))[1:2], c("ev_fit", "ev_model"))
  p <- ev_panel_search(d$x, d$group, size = 1, n_repeats = 1, progress = FALSE)
  expect_identical(class(p)[1:2], c("ev_panel_search", "ev_panels"))
  set.seed(1)
  v <- ev_validate_bootstrap(d$x, d$group, n_boot = 5)
  expect_identical(class(v)[1:2], c("ev_validate_bootstrap", "ev_validation"))
})

test_that("ev_cv tables use rep_id, not the reserved word repeat", {
  d <- sim_panel(60, 2, seed = 10)
  set.seed(2)
  cv <- ev_cv(d$x, d$group, n_folds = 3, n_repeats = 2)
  for (tab in list(cv$predictions, cv$fold_auc, cv$tuning, cv$selection)) {
    expect_true("rep_id" %in% names(tab))
    expect_false("repeat" %in% names(tab))
  }
  expect_setequal(unique(cv$predictions$rep_id), 1:2)
})
