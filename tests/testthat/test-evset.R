test_that("evset aligns metadata and guesses roles from names", {
  x <- evset(toy_cq(), samples = toy_samples())
  expect_s3_class(x, "evset")
  expect_equal(dim(x), c(4L, 3L))
  expect_equal(dimnames(x), dimnames(toy_cq()))
  expect_equal(x$features$role,
               c("target", "hemolysis", "hemolysis", "spike_in"))
  expect_equal(x$features$mirna, rownames(toy_cq()))
  expect_equal(x$samples$group, toy_samples()$group)
  expect_equal(x$missing_reason[is.na(x$values)], "missing")
  expect_true(all(is.na(x$missing_reason[!is.na(x$values)])))
})

test_that("subsetting keeps features, samples and reasons aligned", {
  x <- evset(toy_cq(), samples = toy_samples())
  y <- x[c("cel-miR-39-3p", "hsa-miR-23a-3p"), c(FALSE, TRUE, TRUE)]
  expect_equal(rownames(y$values), c("cel-miR-39-3p", "hsa-miR-23a-3p"))
  expect_equal(y$features$id, rownames(y$values))
  expect_equal(y$samples$id, c("P2", "P3"))
  expect_equal(y$samples$age, c(70, 66))
  expect_equal(y$values, toy_cq()[c(4, 3), 2:3])
  expect_equal(dim(y$missing_reason), dim(y$values))
  expect_equal(x[-1, ]$features$id, rownames(toy_cq())[-1])
  expect_error(x["miR-nope", ], class = "evmirna_error_unknown")
  expect_error(x[c(1, 1), ], class = "evmirna_error_duplicate")
  expect_error(x[, 7], class = "evmirna_error_value")
  expect_error(x[integer(0), ], class = "evmirna_error_empty")
})

test_that("as.data.frame gives one row per sample", {
  x <- evset(toy_cq(), samples = toy_samples())
  df <- as.data.frame(x)
  expect_equal(nrow(df), 3L)
  expect_equal(names(df), c("id", "group", "age", rownames(toy_cq())))
  expect_equal(df[["hsa-miR-451a"]], unname(toy_cq()["hsa-miR-451a", ]))
  back <- as_evset(df, scale = "cq")
  expect_equal(back$values, x$values)
  expect_equal(back$samples, x$samples)
})

test_that("bad input is refused with classed errors naming the argument", {
  m <- toy_cq()
  expect_error(evset(matrix("a", 1, 1)), class = "evmirna_error_type")
  expect_error(evset(as.data.frame(m)), class = "evmirna_error_type")
  expect_error(evset(m[0, ]), class = "evmirna_error_empty")
  m2 <- m; m2[1, 1] <- Inf
  expect_error(evset(m2), "NaN or infinite", class = "evmirna_error_value")
  m2[1, 1] <- NaN
  expect_error(evset(m2), class = "evmirna_error_value")
  m2[1, 1] <- 55
  err <- expect_error(evset(m2), class = "evmirna_error_value")
  expect_match(conditionMessage(err), "hsa-miR-214-3p/P1")
  expect_equal(err$arg, "values")
  m2[1, 1] <- 0
  expect_error(evset(m2), class = "evmirna_error_value")
  expect_error(evset(-m, scale = "counts"), "negative",
               class = "evmirna_error_value")
  expect_silent(evset(-m, scale = "log2"))
  m3 <- m; rownames(m3)[2] <- rownames(m3)[1]
  expect_error(evset(m3), class = "evmirna_error_duplicate")
  s <- toy_samples()
  expect_error(evset(m, samples = s[1:2, ]), class = "evmirna_error_shape")
  expect_error(evset(m, samples = s[c(2, 1, 3), ]), "line up",
               class = "evmirna_error_shape")
  expect_error(evset(m, features = data.frame(id = rownames(m),
                                              role = "bogus")),
               class = "evmirna_error_value")
  expect_error(evset(m, scale = "ct"), class = "evmirna_error_value")
})

test_that("the caller's objects are not modified", {
  m <- toy_cq()
  s <- toy_samples()
  m_copy <- m
  s_copy <- s
  x <- evset(m, samples = s)
  x$values[1, 1] <- 1
  y <- x[1:2, ]
  expect_identical(m, m_copy)
  expect_identical(s, s_copy)
})

test_that("summary statistics equal a naive R computation", {
  set.seed(1)
  m <- matrix(runif(60, 18, 38), 6,
              dimnames = list(paste0("hsa-miR-", 1:6), paste0("S", 1:10)))
  m[sample(60, 9)] <- NA
  s <- summary(evset(m))
  expect_equal(s$features$n_observed, unname(rowSums(!is.na(m))))
  expect_equal(s$features$mean, unname(rowMeans(m, na.rm = TRUE)))
  expect_equal(s$features$sd, unname(apply(m, 1, sd, na.rm = TRUE)))
  expect_equal(s$samples$min, unname(apply(m, 2, min, na.rm = TRUE)))
  expect_equal(s$samples$max, unname(apply(m, 2, max, na.rm = TRUE)))
  expect_equal(s$samples$detection_rate, unname(colMeans(!is.na(m))))
  expect_output(print(s), "evset summary: 6 features x 10 samples")
})

test_that("print shows roles, missing reasons and groups", {
  x <- evset(toy_cq(), samples = toy_samples(),
             provenance = "SIMULATED toy panel")
  expect_snapshot(print(x))
})

test_that("SummarizedExperiment round trip keeps values and metadata", {
  need_reference("SummarizedExperiment")
  x <- evset(toy_cq(), samples = toy_samples())
  se <- as_summarized_experiment(x)
  back <- as_evset(se, scale = "cq")
  expect_equal(back$values, x$values)
  expect_equal(back$samples, x$samples)
  expect_equal(back$features$role, x$features$role)
})
