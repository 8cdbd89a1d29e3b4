# pROC habits that must give pROC's numbers: formula ROC, partial.auc in
# pROC's order, coords "all" and its youden column, roc objects as input.

aSAH_data <- function() {
  need_reference("pROC")
  e <- new.env()
  utils::data("aSAH", package = "pROC", envir = e)
  e$aSAH
}

test_that("ev_roc(formula, data) gives one pROC curve per right-hand term", {
  aSAH <- aSAH_data()
  ours <- ev_roc(outcome ~ s100b + ndka, data = aSAH)
  theirs <- pROC::roc(outcome ~ s100b + ndka, data = aSAH, quiet = TRUE)
  expect_s3_class(ours, "ev_roc_list")
  expect_identical(names(ours), names(theirs))
  for (nm in names(theirs)) {
    expect_equal(ours[[nm]]$auc, as.numeric(theirs[[nm]]$auc), tolerance = 1e-12, info = nm)
    expect_equal(ours[[nm]]$thresholds, theirs[[nm]]$thresholds, tolerance = 1e-12, info = nm)
    expect_identical(ours[[nm]]$direction, theirs[[nm]]$direction, info = nm)
  }
  one <- ev_roc(outcome ~ s100b, data = aSAH)
  expect_s3_class(one, "ev_roc")
  expect_equal(one$auc, as.numeric(pROC::roc(outcome ~ s100b, aSAH, quiet = TRUE)$auc),
               tolerance = 1e-12)
  # data given by position, as in roc(outcome ~ s100b, aSAH)
  expect_equal(ev_roc(outcome ~ s100b, aSAH)$auc, one$auc)
  expect_ev_error(ev_roc(outcome ~ s100b, data = list(1)), "evmirna_error_type", "data")
})

test_that("positive = names the case class, as levels = c(control, case)", {
  aSAH <- aSAH_data()
  a <- ev_roc(aSAH$outcome, aSAH$s100b, positive = "Poor")
  b <- ev_roc(aSAH$outcome, aSAH$s100b, levels = c("Good", "Poor"))
  expect_identical(a$levels, b$levels)
  expect_equal(a$auc, b$auc)
  flipped <- ev_roc(aSAH$outcome, aSAH$s100b, positive = "Good", direction = "<")
  expect_identical(flipped$levels, c("Poor", "Good"))
  expect_ev_error(ev_roc(aSAH$outcome, aSAH$s100b, positive = "Bad"), "evmirna_error_unknown",
                  "positive")
  expect_ev_error(ev_roc(aSAH$outcome, aSAH$s100b, positive = "Poor", levels = c("Good", "Poor")),
                  "evmirna_error_value", "positive")
})

test_that("partial AUC accepts pROC's c(1, 0.9) order", {
  aSAH <- aSAH_data()
  r <- ev_roc(aSAH$outcome, aSAH$s100b)
  p <- pROC::roc(aSAH$outcome, aSAH$s100b, quiet = TRUE)
  for (focus in c("specificity", "sensitivity")) {
    for (correct in c(FALSE, TRUE)) {
      ref <- as.numeric(pROC::auc(p, partial.auc = c(1, 0.9), partial.auc.focus = focus,
                                  partial.auc.correct = correct))
      expect_equal(ev_auc(r, partial = c(1, 0.9), focus = focus, correct = correct), ref,
                   tolerance = 1e-12)
      expect_equal(ev_auc(r, partial = c(0.9, 1), focus = focus, correct = correct), ref,
                   tolerance = 1e-12)
    }
  }
  expect_ev_error(ev_auc(r, partial = c(0.9, 0.9)), "evmirna_error_value", "partial")
})

test_that("ev_coords() defaults to all points and its youden column is pROC's", {
  aSAH <- aSAH_data()
  r <- ev_roc(aSAH$outcome, aSAH$s100b)
  p <- pROC::roc(aSAH$outcome, aSAH$s100b, quiet = TRUE)
  ret <- c("threshold", "specificity", "sensitivity", "youden")
  ours <- ev_coords(r, ret = ret)
  theirs <- pROC::coords(p, ret = ret)      # x missing: pROC returns "all"
  expect_equal(as.matrix(ours), as.matrix(theirs), tolerance = 1e-12, ignore_attr = TRUE)
  expect_identical(ev_coords(r), ev_coords(r, "all"))
  for (bw in list(c(1, 0.5), c(2, 0.3))) {
    a <- ev_coords(r, "best", best_weights = bw, ret = c("threshold", "youden"))
    b <- pROC::coords(p, "best", best.weights = bw, ret = c("threshold", "youden"))
    expect_equal(as.matrix(a), as.matrix(b), tolerance = 1e-12, ignore_attr = TRUE)
  }
  j <- ev_coords(r, "best", ret = c("sensitivity", "specificity", "youden_j", "youden"))
  expect_equal(j$youden_j, j$sensitivity + j$specificity - 1)
  expect_equal(j$youden_j, j$youden - 1)   # default weights: J is pROC's youden minus 1
})

test_that("thresholds = 'observed' reports observed values with the same calls", {
  aSAH <- aSAH_data()
  for (dir in c("<", ">")) {
    r <- ev_roc(aSAH$outcome, aSAH$s100b, direction = dir)
    mid <- ev_coords(r, ret = c("threshold", "sensitivity", "specificity"))
    obs <- ev_coords(r, thresholds = "observed",
                     ret = c("threshold", "sensitivity", "specificity"))
    expect_equal(obs[c("sensitivity", "specificity")], mid[c("sensitivity", "specificity")])
    finite <- is.finite(obs$threshold)
    expect_true(all(obs$threshold[finite] %in% aSAH$s100b))
    # each observed cut classifies the data exactly as the midpoint does
    y <- aSAH$outcome == "Poor"
    for (i in which(finite)) {
      call_mid <- if (dir == "<") aSAH$s100b >= mid$threshold[i] else aSAH$s100b <= mid$threshold[i]
      call_obs <- if (dir == "<") aSAH$s100b >= obs$threshold[i] else aSAH$s100b <= obs$threshold[i]
      expect_identical(call_obs, call_mid)
    }
    expect_equal(mean(call_obs[y]), obs$sensitivity[i])
  }
  best <- ev_coords(ev_roc(c(0, 0, 1, 1), c(1, 2, 3, 4)), "best", thresholds = "observed")
  expect_identical(best$threshold, 3)   # "case when x >= 3", not 2.5
})

test_that("ev_roc() of a pROC roc object reproduces its AUC", {
  aSAH <- aSAH_data()
  for (dir in c("<", ">")) {
    p <- pROC::roc(aSAH$outcome, aSAH$wfns, direction = dir, quiet = TRUE)
    r <- ev_roc(p)
    expect_equal(r$auc, as.numeric(p$auc), tolerance = 1e-12)
    expect_identical(r$direction, p$direction)
    expect_identical(r$levels, p$levels)
    expect_equal(r$sensitivities, p$sensitivities, tolerance = 1e-12)
  }
  expect_ev_error(ev_roc(structure(list(), class = "roc")), "evmirna_error_type", "response")
})

test_that("x = 'local maximas' gives pROC's local maxima", {
  need_reference("pROC")
  aSAH <- aSAH_data()
  ret <- c("threshold", "specificity", "sensitivity")
  for (v in c("s100b", "ndka", "age")) {
    r <- ev_roc(aSAH$outcome, aSAH[[v]])
    p <- pROC::roc(aSAH$outcome, aSAH[[v]], quiet = TRUE)
    expect_equal(as.matrix(ev_coords(r, "local maximas", ret = ret)),
                 as.matrix(pROC::coords(p, "local maximas", ret = ret)),
                 tolerance = 1e-12, ignore_attr = TRUE, info = v)
  }
  for (i in 1:150) {
    d <- roc_case(i)
    r <- ev_roc(d$resp, d$x, levels = d$labels, direction = d$direction)
    p <- proc_roc(d$resp, d$x, d$labels, d$direction)
    expect_equal(as.matrix(ev_coords(r, "local_maxima", ret = ret)),
                 as.matrix(pROC::coords(p, "local maximas", ret = ret)),
                 tolerance = 1e-12, ignore_attr = TRUE, info = i)
  }
})
