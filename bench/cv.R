# Benchmarks ev_cv(): 10-fold x 5 repeats of nested elastic net (penalty
# tuned by 5-fold inner CV on each training part) on a simulated 200 x 40
# panel, and
# of logistic regression on 5 features. No reference package runs this
# pipeline, so the reference is a hand-written loop over the same folds:
# glmnet::cv.glmnet (nfolds = 5, deviance) + predict at lambda.min, and
# stats::glm + predict. Prints mean time, the ratio, the pooled AUCs, and
# peak R heap memory (gc() "max used"; glmnet's C++ workspace is outside
# R's heap).
suppressPackageStartupMessages({
  library(evmirna)
  library(glmnet)
})

bench_file <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1L])
source(file.path(dirname(bench_file), "lib", "utils.R"))  # peak_mb()

time_of <- function(expr, reps, env = parent.frame()) {
  system.time(for (i in seq_len(reps)) eval(expr, env))[["elapsed"]] / reps
}

# A simulated 200 x 40 panel (standard normal features, signal in five),
# and the first five features for the logistic model.
set.seed(20)
mat <- matrix(rnorm(200 * 40), 200, 40, dimnames = list(NULL, sprintf("miR-%d", 1:40)))
y <- rbinom(200, 1, plogis(drop(mat[, 1:5] %*% c(0.8, -0.6, 0.5, 0.4, -0.3))))
group <- factor(y, levels = 0:1)
five <- colnames(mat)[1:5]
set.seed(1)
foldid <- ev_folds(group, n_folds = 10, n_repeats = 5)
cat(sprintf("panel: %d samples x %d features; 10 folds x 5 repeats\n", nrow(mat), ncol(mat)))

auc <- function(y, s) {
  r <- rank(s)
  (sum(r[y == 1]) - sum(y) * (sum(y) + 1) / 2) / (sum(y) * sum(1 - y))
}

loop_glmnet <- function() {
  link <- matrix(NA_real_, nrow(mat), ncol(foldid))
  for (r in seq_len(ncol(foldid))) {
    for (k in 1:10) {
      te <- foldid[, r] == k
      cvf <- cv.glmnet(mat[!te, ], y[!te], family = "binomial", nfolds = 5)
      link[te, r] <- predict(cvf, mat[te, , drop = FALSE], s = "lambda.min")
    }
  }
  link
}

loop_glm <- function() {
  dat <- data.frame(y = y, mat[, five])
  link <- matrix(NA_real_, nrow(mat), ncol(foldid))
  for (r in seq_len(ncol(foldid))) {
    for (k in 1:10) {
      te <- foldid[, r] == k
      fit <- glm(y ~ ., binomial, dat[!te, ])
      link[te, r] <- predict(fit, dat[te, ])
    }
  }
  link
}

line <- function(label, ours, ref, ref_name, auc_ours, auc_ref, mem_ours, mem_ref) {
  cat(sprintf("%-30s ev_cv %7.3f s | %-14s %7.3f s | ratio %5.2f | AUC %.3f vs %.3f | peak +MB %5.1f vs %5.1f\n",
              label, ours, ref_name, ref, ours / ref, auc_ours, auc_ref, mem_ours, mem_ref))
}

set.seed(2)
m_net <- peak_mb(cv_net <- ev_cv(mat, group, method = "elastic_net", foldid = foldid,
                                 inner_folds = 5))
set.seed(2)
m_ref <- peak_mb(ref_net <- loop_glmnet())
t_net <- time_of(quote(ev_cv(mat, group, method = "elastic_net", foldid = foldid,
                             inner_folds = 5)), 1)
t_ref <- time_of(quote(loop_glmnet()), 1)
line("nested elastic net, 40 feat.", t_net, t_ref, "cv.glmnet loop",
     cv_net$roc$auc, auc(y, rowMeans(ref_net)), m_net, m_ref)

m_lr <- peak_mb(cv_lr <- ev_cv(mat, group, method = "logistic", foldid = foldid,
                               features = five))
m_glm <- peak_mb(ref_lr <- loop_glm())
t_lr <- time_of(quote(ev_cv(mat, group, method = "logistic", foldid = foldid,
                            features = five)), 5)
t_glm <- time_of(quote(loop_glm()), 5)
line("logistic, 5 features", t_lr, t_glm, "glm loop", cv_lr$roc$auc,
     auc(y, rowMeans(ref_lr)), m_lr, m_glm)
cat(sprintf("logistic out-of-fold log-odds, max |ev_cv - glm loop|: %.2e\n",
            max(abs(matrix(cv_lr$predictions$link, nrow(mat)) - ref_lr))))
