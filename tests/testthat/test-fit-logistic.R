test_that("logistic coefficients and SEs match stats::glm to 1e-8", {
  for (cfg in list(c(40, 2, 1), c(120, 6, 2), c(300, 15, 3), c(250, 30, 4))) {
    d <- sim_panel(cfg[1], cfg[2], cfg[3], signal = c(0.8, -0.6))
    fit <- ev_fit(d$x, d$group, method = "logistic")
    ref <- stats::glm(d$y ~ d$x, family = stats::binomial())
    expect_equal(unname(coef(fit)), unname(coef(ref)), tolerance = 1e-8)
    expect_equal(fit$table$std_error, unname(sqrt(diag(stats::vcov(ref)))),
                 tolerance = 1e-8)
    expect_equal(unname(fit$train$prob), unname(stats::fitted(ref)), tolerance = 1e-8)
  }
})

test_that("logistic with numeric and factor covariates matches glm", {
  d <- sim_panel(150, 5, 11)
  cov <- data.frame(age = round(rnorm(150, 65, 9)),
                    sex = sample(c("F", "M"), 150, TRUE),
                    site = sample(c("A", "B", "C"), 150, TRUE))
  fit <- ev_fit(d$x, d$group, covariates = cov)
  ref <- stats::glm(d$y ~ d$x + age + sex + site, data = cov, family = stats::binomial())
  expect_equal(unname(coef(fit)), unname(coef(ref)), tolerance = 1e-8)
  expect_equal(fit$table$std_error, unname(sqrt(diag(stats::vcov(ref)))), tolerance = 1e-8)
  expect_equal(fit$terms, c(colnames(d$x), "age", "sexM", "siteB", "siteC"))
  # predict() rebuilds the covariate columns from a data.frame
  p <- predict(fit, d$x[1:10, ], covariates = cov[1:10, ], type = "link")
  expect_equal(unname(p), unname(stats::predict(ref)[1:10]), tolerance = 1e-8)
})

test_that("odds ratios and Wald CIs follow from the estimates", {
  d <- sim_panel(200, 3, 5)
  fit <- ev_fit(d$x, d$group, conf_level = 0.9)
  tab <- fit$table[-1, ]
  expect_equal(tab$odds_ratio, exp(tab$estimate))
  expect_equal(tab$or_lower, exp(tab$estimate - stats::qnorm(0.95) * tab$std_error))
  expect_equal(tab$standardized, tab$estimate * apply(d$x, 2, stats::sd), ignore_attr = TRUE)
})

test_that("predict types are consistent and evsets work", {
  d <- sim_panel(80, 3, 7)
  fit <- ev_fit(d$x, d$group)
  link <- predict(fit, d$x, type = "link")
  expect_equal(predict(fit, d$x), stats::plogis(link))
  cls <- predict(fit, d$x, type = "class")
  expect_equal(as.character(cls), ifelse(link > 0, "case", "control"), ignore_attr = TRUE)
  expect_equal(predict(fit, type = "link"), link)
  es <- evset(t(d$x), samples = data.frame(id = rownames(d$x), status = d$group),
              scale = "log2", steps = list(list(name = "normalize", reference = "miR-1")))
  fit2 <- ev_fit(es, "status", features = colnames(d$x))
  expect_equal(coef(fit2), coef(fit))
  expect_identical(fit2$steps, es$steps)
  expect_equal(fit2$train$id, rownames(d$x))
  expect_equal(predict(fit2, es), predict(fit, d$x))
})

test_that("separation gives a classed warning pointing to Firth", {
  x <- matrix(c(1:10, rnorm(10)), 10, dimnames = list(NULL, c("a", "b")))
  g <- rep(c("ctl", "case"), each = 5)
  expect_warning(ev_fit(x, g), class = "evmirna_warning_separation")
  w <- tryCatch(ev_fit(x, g), warning = function(w) conditionMessage(w))
  expect_match(w, "firth")
})

test_that("non-convergence is reported, not silently returned", {
  d <- sim_panel(100, 3, 8)
  expect_warning(ev_fit(d$x, d$group, maxit = 1), class = "evmirna_warning_convergence")
  expect_warning(ev_fit(d$x, d$group, method = "elastic_net", maxit = 5),
                 class = "evmirna_warning_convergence")
})

test_that("logistic models are invariant to swapping the classes", {
  d <- sim_panel(90, 3, 9)
  a <- ev_fit(d$x, d$group)
  b <- ev_fit(d$x, d$group, positive = "control")
  expect_equal(coef(b), -coef(a), tolerance = 1e-10)
  expect_equal(b$train$prob, 1 - a$train$prob, tolerance = 1e-10)
})
