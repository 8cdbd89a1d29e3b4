# The 40 feature IDs of the simulated RT-qPCR panel, in file order.
simulated_panel_ids <- c(
  "hsa-miR-214-3p", "hsa-miR-23a-5p", "hsa-miR-196a-5p", "hsa-miR-885-5p",
  "hsa-miR-151a-5p", "hsa-miR-155-5p", "hsa-miR-31-5p", "hsa-miR-503-3p",
  "hsa-miR-21-5p", "hsa-miR-20a-5p", "hsa-miR-133a-3p", "hsa-miR-122-5p",
  "hsa-miR-125b-5p", "hsa-miR-148a-3p", "hsa-miR-24-3p", "hsa-miR-27a-3p",
  "hsa-miR-100-5p", "hsa-miR-29b-3p", "hsa-miR-30c-5p", "hsa-miR-142-3p",
  "hsa-miR-146a-5p", "hsa-miR-223-3p", "hsa-miR-126-3p", "hsa-let-7a-5p",
  "hsa-miR-92a-3p", "hsa-miR-150-5p", "hsa-miR-181a-5p", "hsa-miR-17-5p",
  "hsa-miR-19b-3p", "hsa-miR-26a-5p", "hsa-miR-342-3p", "hsa-miR-144-3p",
  "hsa-miR-486-5p", "hsa-miR-320a-3p", "hsa-miR-16-5p", "hsa-miR-191-5p",
  "hsa-miR-93-5p", "hsa-miR-451a", "hsa-miR-23a-3p", "cel-miR-39-3p")

# A slow, obvious R reference of the panel search: for every panel, every
# repeat and fold, glm() (or logistf() for Firth) on the training samples,
# linear predictors of the held-out ones, then pROC's AUC and DeLong
# variance of the pooled out-of-fold scores, averaged over repeats.
reference_panels <- function(x, y, folds, size, method = "logistic") {
  panels <- unlist(lapply(size, function(k) asplit(utils::combn(ncol(x), k), 2L)),
                   recursive = FALSE)
  rows <- lapply(panels, function(cols) {
    per_repeat <- lapply(seq_len(ncol(folds)), function(r) {
      s <- numeric(length(y))
      unconverged <- 0L
      for (f in sort(unique(folds[, r]))) {
        tr <- folds[, r] != f
        d <- data.frame(y = y, x[, cols, drop = FALSE])
        if (method == "logistic") {
          fit <- suppressWarnings(stats::glm(y ~ ., data = d[tr, ], family = stats::binomial))
          unconverged <- unconverged + !fit$converged
          b <- stats::coef(fit)
        } else {
          fit <- logistf::logistf(y ~ ., data = d[tr, ], pl = FALSE)
          b <- stats::coef(fit)
        }
        s[!tr] <- drop(cbind(1, x[!tr, cols, drop = FALSE]) %*% b)
      }
      roc <- pROC::roc(y, s, levels = c(0, 1), direction = "<", quiet = TRUE)
      c(auc = as.numeric(roc$auc), var = suppressWarnings(pROC::var(roc, method = "delong")),
        unconverged = unconverged)
    })
    colMeans(do.call(rbind, per_repeat)) * c(1, 1, ncol(folds))
  })
  out <- as.data.frame(do.call(rbind, rows))
  out$panel <- vapply(panels, function(cols) paste(colnames(x)[cols], collapse = " + "), "")
  out
}
