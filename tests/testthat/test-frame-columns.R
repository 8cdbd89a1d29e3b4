# Data frames never guess: which columns become features, and ev_filter()'s
# per-group detection rule.

cohort_frame <- function(n = 60, seed = 7) {
  set.seed(seed)
  y <- rep(c("control", "case"), length.out = n)
  data.frame(
    patient = sprintf("P%03d", seq_len(n)),
    id_number = sample(1000:9999, n),
    group = y,
    relapse = rbinom(n, 1, 0.5),
    smoker = factor(sample(c("yes", "no"), n, TRUE)),
    age = round(rnorm(n, 65, 8), 1),
    `hsa-miR-21-5p` = rnorm(n) + (y == "case"),
    `hsa-miR-16-5p` = rnorm(n),
    `Candidate-12` = rnorm(n),
    check.names = FALSE, stringsAsFactors = FALSE)
}

test_that("frame_columns keeps IDs, outcomes, text, binaries and non-miRNA names out", {
  d <- cohort_frame()
  split <- frame_columns(d, id = "patient")
  expect_equal(split$features, c("hsa-miR-21-5p", "hsa-miR-16-5p"))
  expect_equal(unname(split$why[c("patient", "id_number", "group", "relapse", "smoker", "age", "Candidate-12")]),
               c("sample ID", "ID-like: unique whole numbers", "not numeric", "binary",
                 "not numeric", "name not a miRNA", "name not a miRNA"))
  expect_match(split$message, "Candidate-12", fixed = TRUE)
  expect_match(split$message, "name them in `features`", fixed = TRUE)
  named <- frame_columns(d, features = c("Candidate-12", "age"))
  expect_equal(named$features, c("Candidate-12", "age"))
})

test_that("ev_fit on a data.frame: an ID column and a second outcome are never predictors", {
  d <- cohort_frame()
  d$id <- d$patient
  expect_message(fit <- ev_fit(d, d$group), class = "evmirna_message_features")
  expect_equal(fit$features, c("hsa-miR-21-5p", "hsa-miR-16-5p"))
  # the same model as the explicit matrix of those two columns
  m <- as.matrix(d[c("hsa-miR-21-5p", "hsa-miR-16-5p")])
  rownames(m) <- d$id
  ref <- ev_fit(m, d$group)
  expect_equal(coef(fit), coef(ref))
  # outcome given as a 0/1 column of the frame
  d$case <- as.integer(d$group == "case")
  fit2 <- suppressMessages(ev_fit(d, "case"))
  expect_false(any(c("case", "relapse", "id_number") %in% fit2$features))
  # named features are used as named, Candidate-* included
  fit3 <- ev_fit(d, d$group, features = c("hsa-miR-21-5p", "Candidate-12"))
  expect_equal(fit3$features, c("hsa-miR-21-5p", "Candidate-12"))
  none <- d[c("id", "group", "age", "Candidate-12")]
  e <- expect_error(suppressMessages(ev_fit(none, d$group)), class = "evmirna_error_empty")
  expect_equal(e$arg, "features")
  expect_match(conditionMessage(e), "Candidate-12")
})

test_that("ev_cv on a data.frame chooses the features once, with the same rules", {
  d <- cohort_frame(80, 8)
  d$id <- d$patient
  foldid <- rep_len(1:4, 80)
  msgs <- 0L
  cv <- withCallingHandlers(ev_cv(d, d$group, foldid = foldid),
                            evmirna_message_features = function(m) {
                              msgs <<- msgs + 1L
                              invokeRestart("muffleMessage")
                            })
  expect_equal(msgs, 1L)
  expect_setequal(unique(cv$stability$feature), c("hsa-miR-21-5p", "hsa-miR-16-5p"))
  m <- as.matrix(d[c("hsa-miR-21-5p", "hsa-miR-16-5p")])
  rownames(m) <- d$id
  ref <- ev_cv(m, d$group, foldid = foldid)
  expect_equal(cv$pooled$link, ref$pooled$link, tolerance = 1e-12)
})

test_that("as_evset(data.frame) says where Candidate-* columns went", {
  d <- cohort_frame(20, 9)
  names(d)[names(d) == "patient"] <- "id"
  expect_message(x <- as_evset(d, scale = "log2"), "Candidate-12",
                 class = "evmirna_message_features")
  expect_equal(rownames(x$values), c("hsa-miR-21-5p", "hsa-miR-16-5p"))
  expect_true(all(c("Candidate-12", "age", "relapse", "id_number") %in% names(x$samples)))
  y <- as_evset(d, feature_cols = c("hsa-miR-21-5p", "Candidate-12"), scale = "log2")
  expect_equal(rownames(y$values), c("hsa-miR-21-5p", "Candidate-12"))
  z <- suppressMessages(as_evset(d, scale = "log2", roles = c("Candidate-12" = "reference")))
  expect_equal(z$features$role[z$features$id == "Candidate-12"], "reference")
})

test_that("ev_filter keeps a miRNA detected in enough samples of some group", {
  cq <- rbind(`hsa-miR-21-5p` = c(25, 26, 24, 25, 26, 25),
              `hsa-miR-214-3p` = c(NA, NA, 38, 30, 31, 32),
              `hsa-miR-1-3p` = c(30, NA, NA, NA, 31, NA))
  colnames(cq) <- paste0("S", 1:6)
  x <- evset(cq, samples = data.frame(id = colnames(cq),
                                      group = rep(c("control", "case"), each = 3)))
  # overall: 214-3p detected in 3/6, 1-3p in 2/6
  expect_equal(rownames(ev_filter(x, min_feature_rate = 0.6)$values), "hsa-miR-21-5p")
  # within groups: 214-3p in 3/3 cases; 1-3p at most 1/3 in either group
  f <- ev_filter(x, min_feature_rate = 0.6, group = "group")
  expect_equal(rownames(f$values), c("hsa-miR-21-5p", "hsa-miR-214-3p"))
  expect_equal(f$steps[[1]]$group_levels, c("case", "control"))
  # the same rule from a vector, and a reference rate by hand
  g <- ev_filter(x, min_feature_rate = 0.6, group = x$samples$group)
  expect_equal(g$values, f$values)
  det <- !is.na(cq) & cq <= 35
  by_hand <- pmax(rowMeans(det[, 1:3]), rowMeans(det[, 4:6])) >= 0.6
  expect_equal(rownames(f$values), rownames(cq)[by_hand])
  expect_error(ev_filter(x, group = "batch"), class = "evmirna_error_unknown")
  expect_error(ev_filter(x, group = c("a", "b")), class = "evmirna_error_shape")
  expect_error(ev_filter(x, group = list("a")), class = "evmirna_error_shape")
  expect_error(ev_filter(x, group = c(NA, rep("a", 5))), class = "evmirna_error_value")
})
