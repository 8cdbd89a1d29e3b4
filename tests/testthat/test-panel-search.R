# ev_panel_search(): apparent AUCs against glm + pROC, CV invariants, the
# permutation null, reproducibility under future plans, bad input.

panel_data <- function(n = 60, p = 6, shift = 0.8, seed = 21) {
  set.seed(seed)
  x <- matrix(stats::rnorm(n * p), n, p, dimnames = list(NULL, paste0("miR-", seq_len(p))))
  g <- rep(c("control", "case"), each = n / 2)
  x[g == "case", 1:2] <- x[g == "case", 1:2] + shift
  list(x = x, g = g)
}

test_that("apparent logistic panel AUCs and DeLong CIs equal glm + pROC", {
  need_reference("pROC")
  d <- panel_data(n = 50, p = 7, seed = 22)
  pa <- ev_panel_search(d$x, d$g, size = 1:3, validation = "apparent", positive = "case")
  y <- as.integer(d$g == "case")
  set.seed(23)
  for (i in sample(nrow(pa), 12)) {
    m <- attr(pa, "markers")[[i]]
    dd <- data.frame(y = y, d$x[, m, drop = FALSE])
    f <- stats::glm(y ~ ., data = dd, family = stats::binomial)
    r <- pROC::roc(y, stats::predict(f), levels = c(0, 1), direction = "<", quiet = TRUE)
    ci <- as.numeric(pROC::ci.auc(r, method = "delong"))
    expect_equal(pa$auc[i], ci[2], tolerance = 1e-10)
    expect_equal(pa$auc_lower[i], ci[1], tolerance = 1e-10)
    expect_equal(pa$auc_upper[i], ci[3], tolerance = 1e-10)
    expect_equal(pa$size[i], length(m))
  }
  expect_equal(nrow(pa), choose(7, 1) + choose(7, 2) + choose(7, 3))
  expect_false(is.unsorted(rev(pa$auc)))
})

test_that("cross-validated AUC equals a by-hand glm CV on the same folds", {
  need_reference("pROC")
  d <- panel_data(n = 40, p = 4, seed = 24)
  set.seed(5)
  p <- ev_panel_search(d$x, d$g, size = 2, n_folds = 4, n_repeats = 2, positive = "case")
  set.seed(5)
  folds <- ev_folds(as.integer(d$g == "case"), n_folds = 4, n_repeats = 2)
  y <- as.integer(d$g == "case")
  m <- attr(p, "markers")[[1]]
  aucs <- vapply(1:2, function(r) {
    s <- numeric(length(y))
    for (f in 1:4) {
      tr <- folds[, r] != f
      dd <- data.frame(y = y, d$x[, m])
      fit <- stats::glm(y ~ ., data = dd[tr, ], family = stats::binomial)
      s[!tr] <- stats::predict(fit, dd[!tr, ])
    }
    as.numeric(pROC::auc(pROC::roc(y, s, levels = c(0, 1), direction = "<", quiet = TRUE)))
  }, numeric(1))
  expect_equal(p$auc[1], mean(aucs), tolerance = 1e-10)
})

test_that("Firth, mean_z and the CombiROC rule", {
  need_reference("pROC")
  d <- panel_data(seed = 25)
  y <- as.integer(d$g == "case")
  fi <- ev_panel_search(d$x, d$g, size = 2, method = "firth", validation = "apparent",
                        positive = "case")
  lg <- ev_panel_search(d$x, d$g, size = 2, validation = "apparent", positive = "case")
  # without separation Firth shrinks but keeps the ranking of a 2-marker score
  expect_equal(sort(fi$auc), sort(lg$auc), tolerance = 0.05)
  mz <- ev_panel_search(d$x, d$g, size = 1, method = "mean_z", validation = "apparent",
                        positive = "case")
  single <- vapply(attr(mz, "markers"), function(m) {
    # oriented by the sign of the mean difference
    up <- mean(d$x[y == 1, m]) >= mean(d$x[y == 0, m])
    as.numeric(pROC::auc(pROC::roc(y, d$x[, m], levels = c(0, 1),
                                   direction = if (up) "<" else ">", quiet = TRUE)))
  }, numeric(1))
  expect_equal(mz$auc, single, tolerance = 1e-10)
  cr <- ev_panel_search(d$x, d$g, size = 2, method = "combiroc", thresholds = 0.3,
                        min_markers = 2, validation = "apparent", positive = "case")
  m <- attr(cr, "markers")[[1]]
  cnt <- rowSums(d$x[, m] > 0.3)
  r <- pROC::roc(y, cnt, levels = c(0, 1), direction = "<", quiet = TRUE)
  expect_equal(cr$auc[1], as.numeric(r$auc), tolerance = 1e-10)
  expect_equal(cr$sensitivity[1], mean(cnt[y == 1] >= 2))
  expect_equal(cr$specificity[1], mean(cnt[y == 0] < 2))
})

test_that("greedy and beam searches extend the best panels; auto matches exhaustive within budget", {
  d <- panel_data(p = 6, seed = 26)
  set.seed(1)
  ex <- ev_panel_search(d$x, d$g, size = 1:3, n_repeats = 1, search = "exhaustive")
  set.seed(1)
  au <- ev_panel_search(d$x, d$g, size = 1:3, n_repeats = 1)
  expect_equal(as.data.frame(ex), as.data.frame(au))
  set.seed(1)
  gr <- ev_panel_search(d$x, d$g, size = 1:3, n_repeats = 1, search = "greedy")
  expect_equal(sum(gr$size == 3), 4L)
  best1 <- gr$panel[gr$size == 1][1]
  expect_true(all(vapply(attr(gr, "markers")[gr$size == 2], function(m) best1 %in% m, TRUE)))
  set.seed(1)
  bm <- ev_panel_search(d$x, d$g, size = 3, n_repeats = 1, search = "beam", beam_width = 3)
  expect_true(all(bm$size == 3))
  # every beam panel's AUC equals that panel's AUC in the exhaustive search
  key <- match(bm$panel, ex$panel)
  expect_equal(bm$auc, ex$auc[key])
})

test_that("the permutation null: best AUCs under permuted labels, family-wise p-values", {
  d <- panel_data(n = 40, p = 5, shift = 0, seed = 27)
  set.seed(3)
  p <- ev_panel_search(d$x, d$g, size = 1:2, n_repeats = 1, n_perm = 9)
  null <- attr(p, "null")
  expect_equal(dim(null), c(9L, 2L))
  expect_true(all(null > 0.3 & null <= 1))
  expect_true(all(p$p_perm >= 1 / 10 & p$p_perm <= 1))
  i <- which(p$size == 1)[1]
  expect_equal(p$p_perm[i], (1 + sum(null[, 1] >= p$auc[i])) / 10)
  set.seed(3)
  again <- ev_panel_search(d$x, d$g, size = 1:2, n_repeats = 1, n_perm = 9)
  expect_identical(attr(again, "null"), null)
  at_floor <- p$p_perm[1] <= 1 / 10
  out <- if (at_floor) {
    expect_warning(capture.output(print(p)), class = "evmirna_warning_resolution")
  } else {
    expect_no_warning(capture.output(print(p)))
  }
  expect_match(paste(capture.output(suppressWarnings(print(p))), collapse = "\n"),
               "resolution: 1/\\(n_perm \\+ 1\\) = 0.1")
  expect_invisible(plot(p))
})

test_that("print() warns when the best panel's p sits at the floor 1/(n_perm + 1)", {
  d <- panel_data(n = 40, p = 3, shift = 3, seed = 31)
  set.seed(4)
  p <- ev_panel_search(d$x, d$g, size = 1, n_repeats = 1, n_perm = 4, positive = "case")
  expect_equal(p$p_perm[1], 1 / 5)
  expect_warning(capture.output(print(p)), "floor", class = "evmirna_warning_resolution")
})

test_that("exhaustive CV search equals glm + pROC per panel and fold, with ties and separation", {
  need_reference("pROC")
  set.seed(32)
  n <- 36
  y <- rep(0:1, each = n / 2)
  x <- cbind(a = round(stats::rnorm(n) + 0.6 * y, 1),     # ties in the values
             b = round(stats::rnorm(n), 1),
             c = stats::rnorm(n) + 0.4 * y,
             s = ifelse(y == 1, 1, -1) + stats::runif(n, -0.5, 0.5))  # separates the groups
  x <- rbind(x, x[1:4, ])                                  # tied samples
  y <- c(y, y[1:4])
  g <- ifelse(y == 1, "case", "control")
  set.seed(6)
  res <- ev_panel_search(x, g, size = 1:3, n_folds = 4, n_repeats = 2, positive = "case")
  set.seed(6)
  folds <- ev_folds(y, n_folds = 4, n_repeats = 2)
  ref <- reference_panels(x, y, folds, 1:3)
  i <- match(ref$panel, res$panel)
  expect_false(anyNA(i))
  expect_equal(res$auc[i], ref$auc, tolerance = 1e-9)
  expect_equal(res$se[i]^2, ref$var, tolerance = 1e-7)
  expect_equal(res$n_unconverged[i], as.integer(ref$unconverged))
  # the separating marker's folds went through the exact (glm.fit) path
  expect_true(any(ref$unconverged > 0) || all(grepl("s", ref$panel[ref$auc == 1])))
})

test_that("Firth panels equal logistf per fold, under separation too", {
  need_reference("pROC")
  need_reference("logistf")
  set.seed(33)
  n <- 30
  y <- rep(0:1, each = n / 2)
  x <- cbind(a = stats::rnorm(n) + 0.8 * y, b = stats::rnorm(n),
             s = ifelse(y == 1, 1, -1) + stats::runif(n, -0.5, 0.5))
  g <- ifelse(y == 1, "case", "control")
  set.seed(7)
  res <- ev_panel_search(x, g, size = 1:2, method = "firth", n_folds = 3, n_repeats = 1,
                         positive = "case")
  set.seed(7)
  folds <- ev_folds(y, n_folds = 3, n_repeats = 1)
  ref <- reference_panels(x, y, folds, 1:2, method = "firth")
  i <- match(ref$panel, res$panel)
  expect_equal(res$auc[i], ref$auc, tolerance = 1e-8)
  expect_equal(res$se[i]^2, ref$var, tolerance = 1e-6)
})

test_that("identical results for 1 and 2 threads", {
  d <- panel_data(n = 80, p = 8, seed = 34)
  run <- function(threads) {
    old <- options(evmirna.threads = threads)
    on.exit(options(old))
    set.seed(10)
    # large enough for the kernel to start a thread team
    ev_panel_search(d$x, d$g, size = 1:4, n_repeats = 6, positive = "case")
  }
  expect_identical(run(1L), run(2L))
})

test_that("the progress bar appears through progressr's handlers", {
  need_reference("progressr")
  d <- panel_data(n = 40, p = 5, seed = 35)
  f <- tempfile()
  old <- options(evmirna.progress_after = 0)
  old_handlers <- progressr::handlers()
  on.exit({
    options(old)
    progressr::handlers(old_handlers)
    unlink(f)
  })
  bar_of <- function(...) {
    con <- file(f, "w")
    progressr::handlers(progressr::handler_txtprogressbar(file = con, enable = TRUE))
    ev_panel_search(d$x, d$g, size = 1:3, n_repeats = 1, positive = "case", ...)
    close(con)
    paste(readLines(f, warn = FALSE), collapse = "")
  }
  expect_match(bar_of(n_perm = 3), "100%")
  expect_false(grepl("%", bar_of(progress = FALSE)))
  # the default bar (no handlers set) states the time left
  progressr::handlers(list())
  options(progressr.handlers = NULL)
  out <- capture.output(invisible(ev_panel_search(d$x, d$g, size = 1:2, n_repeats = 1,
                                                  positive = "case")),
                        type = "message")
  expect_match(paste(out, collapse = ""), "100% \\| about [0-9.]+ s left")
})

test_that("identical results under sequential and two-worker multisession plans", {
  need_reference("future")
  need_reference("future.apply")
  d <- panel_data(n = 40, p = 6, seed = 28)
  old <- future::plan(future::sequential)
  on.exit(future::plan(old), add = TRUE)
  set.seed(9)
  seq_res <- ev_panel_search(d$x, d$g, size = 1:3, n_repeats = 2, n_perm = 3, chunk_size = 7)
  future::plan(future::multisession, workers = 2)
  set.seed(9)
  par_res <- ev_panel_search(d$x, d$g, size = 1:3, n_repeats = 2, n_perm = 3, chunk_size = 7)
  future::plan(future::sequential)
  expect_identical(par_res, seq_res)
})

test_that("bad input gets classed errors", {
  d <- panel_data(n = 20, p = 4, seed = 29)
  expect_error(ev_panel_search(d$x, d$g, size = 5), class = "evmirna_error_value")
  expect_error(ev_panel_search(d$x, d$g, candidates = c("miR-1", "miR-9")),
               class = "evmirna_error_unknown")
  expect_error(ev_panel_search(d$x, c("a", rep("b", 19))), class = "evmirna_error_value")
  big <- matrix(stats::rnorm(20 * 40), 20, 40, dimnames = list(NULL, paste0("m", 1:40)))
  err <- tryCatch(ev_panel_search(big, d$g, size = 5, search = "exhaustive"),
                  evmirna_error = function(e) e)
  expect_s3_class(err, "evmirna_error_value")
  expect_match(conditionMessage(err), "658,008 panels")
  expect_match(conditionMessage(err), "greedy")
  expect_match(conditionMessage(err), "on this machine it would take about [0-9.]+ (s|min|h|days)")
  x <- d$x
  x[2, 3] <- NA
  expect_error(ev_panel_search(x, d$g), class = "evmirna_error_value")
  expect_error(ev_panel_search(d$x, d$g, method = "combiroc"), class = "evmirna_error_value")
  expect_error(ev_panel_search(d$x, d$g, thresholds = 1), class = "evmirna_error_value")
  expect_error(ev_panel_search(d$x, d$g, n_folds = 11), class = "evmirna_error_value")
  expect_error(ev_panel_search(d$x, d$g, size = 0), class = "evmirna_error_value")
  expect_error(ev_panel_search(d$x, d$g, bogus = 1), class = "evmirna_error_unknown")
  expect_error(ev_panel_search(d$x, d$g, max_panels = 2), "max_panels",
               class = "evmirna_error_value")
  expect_error(ev_panel_search(d$x, d$g, conf_level = 0), class = "evmirna_error_value")
  expect_error(ev_panel_search(d$x, d$g, conf_level = 1), class = "evmirna_error_value")
  dup <- d$x
  colnames(dup)[2] <- colnames(dup)[1]
  expect_error(ev_panel_search(dup, d$g), class = "evmirna_error_duplicate")
  expect_error(ev_panel_search(d$x, d$g, candidates = c("miR-1", "miR-1")),
               class = "evmirna_error_duplicate")
})

test_that("pruning keeps exactly the exhaustive best panels of the null", {
  d <- panel_data(n = 50, p = 9, shift = 0.3, seed = 36)
  null_of <- function(prune, chunk_size) {
    old <- options(evmirna.panel_prune = prune)
    on.exit(options(old))
    set.seed(12)
    attr(ev_panel_search(d$x, d$g, size = 1:3, n_repeats = 4, n_perm = 4, positive = "case",
                         chunk_size = chunk_size, progress = FALSE), "null")
  }
  exhaustive <- null_of(FALSE, 5000)
  expect_identical(null_of(TRUE, 5000), exhaustive)
  expect_identical(null_of(TRUE, 7), exhaustive)
  # the bound does prune: with the real labels' best as floor, panels stop early
  set.seed(12)
  y <- as.integer(d$g == "case")
  folds <- ev_folds(y, n_folds = 5, n_repeats = 4)
  setup <- list(X = d$x, control = panel_control("logistic", list()),
                thresholds = rep(0, ncol(d$x)), min_markers = 1L, method_code = 0L,
                threads = 1L)
  pan <- utils::combn(ncol(d$x), 2) - 1L
  storage.mode(pan) <- "integer"
  full <- call_panel_kernel(setup, y, folds, pan)
  cut <- sort(full$auc, decreasing = TRUE)[3]
  pruned <- call_panel_kernel(setup, y, folds, pan, floor = cut)
  expect_true(any(pruned$pruned))
  keep <- !pruned$pruned
  expect_identical(pruned$auc[keep], full$auc[keep])
  expect_true(all(full$auc[pruned$pruned] < cut))
  expect_identical(sort(pruned$auc, decreasing = TRUE)[1:3], sort(full$auc, decreasing = TRUE)[1:3])
})
