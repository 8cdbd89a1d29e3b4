test_that("bad input gets classed errors naming the argument", {
  d <- sim_panel(40, 3, 51)
  expect_error(ev_fit(d$x, rep("a", 40)), class = "evmirna_error_one_class")
  expect_error(ev_fit(d$x, d$group[-1]), class = "evmirna_error_shape")
  g <- d$group; g[3] <- NA
  expect_error(ev_fit(d$x, g), class = "evmirna_error_value")
  x <- d$x; x[2, 2] <- NA
  e <- expect_error(ev_fit(x, d$group), class = "evmirna_error_value")
  expect_match(conditionMessage(e), "S002/miR-2")
  x <- d$x; x[1, 1] <- Inf
  expect_error(ev_fit(x, d$group), class = "evmirna_error_value")
  xc <- matrix(as.character(d$x), 40)
  expect_error(ev_fit(xc, d$group), class = "evmirna_error_type")
  expect_error(ev_fit(list(1), d$group), class = "evmirna_error_type")
  e <- expect_error(ev_fit(d$x, d$group, features = c("miR-1", "miR-99")),
                    class = "evmirna_error_unknown")
  expect_equal(e$arg, "features")
  expect_error(ev_fit(d$x, d$group, method = "svm"), class = "evmirna_error_value")
  expect_error(ev_fit(d$x, rep(c("a", "b", "c"), length.out = 40)), class = "evmirna_error_value")
  expect_error(ev_fit(d$x, d$group, method = "logistic", alpha = 1), class = "evmirna_error_unknown")
  expect_error(ev_fit(d$x, d$group, lambda = 0.1), class = "evmirna_error_value")
  expect_error(ev_fit(d$x, d$group, covariates = "age"), class = "evmirna_error_type")
  expect_error(ev_fit(d$x, d$group, covariates = data.frame(age = 1:3)),
               class = "evmirna_error_shape")
  x <- d$x; x[, 3] <- 1
  expect_error(ev_fit(x, d$group), class = "evmirna_error_value")
  expect_error(ev_fit(d$x, d$group, method = "elastic_net", alpha = 2),
               class = "evmirna_error_value")
})

test_that("p >= n with logistic points to elastic net", {
  d <- sim_panel(20, 25, 52)
  e <- expect_error(ev_fit(d$x, d$group), class = "evmirna_error_shape")
  expect_match(conditionMessage(e), "elastic_net")
})

test_that("evset inputs: group column, counts refused, unknown column", {
  d <- sim_panel(30, 3, 53)
  es <- evset(t(d$x), samples = data.frame(id = rownames(d$x), grp = d$group), scale = "log2")
  expect_error(ev_fit(es, "nope"), class = "evmirna_error_unknown")
  cnt <- evset(matrix(rpois(90, 20), 3, dimnames = dimnames(t(d$x))), scale = "counts")
  expect_error(ev_fit(cnt, d$group), class = "evmirna_error_value")
  fit <- ev_fit(es, "grp", positive = "control")
  expect_equal(fit$levels, c("case", "control"))
})

test_that("predict checks newdata", {
  d <- sim_panel(40, 3, 54)
  fit <- ev_fit(d$x, d$group)
  expect_error(predict(fit, d$x[, 1:2]), class = "evmirna_error_unknown")
  x <- d$x; x[1, 1] <- NA
  expect_error(predict(fit, x), class = "evmirna_error_value")
  expect_error(predict(fit, d$x, s = 0.1), class = "evmirna_error_value")
  df <- data.frame(id = rownames(d$x), d$x, check.names = FALSE)
  expect_equal(predict(fit, df), predict(fit, d$x))
})

test_that("caller's objects are not modified", {
  d <- sim_panel(40, 3, 55)
  x0 <- d$x
  fit <- ev_fit(d$x, d$group, method = "elastic_net", s = 0.01)
  fit2 <- ev_fit(d$x, d$group, method = "firth")
  expect_identical(d$x, x0)
})

test_that("print, summary and plot run", {
  d <- sim_panel(60, 4, 56)
  fit <- ev_fit(d$x, d$group)
  expect_output(print(fit), "logistic regression")
  expect_output(print(summary(fit)), "Wald")
  net <- ev_fit(d$x, d$group, method = "elastic_net")
  expect_output(print(net), "no lambda chosen")
  expect_error(summary(net), class = "evmirna_error_value")
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_invisible(plot(fit))
  expect_invisible(plot(net))
  expect_error(plot(fit, what = "path"), class = "evmirna_error_value")
})
