# Random two-class panels for the classifier cross-checks.
sim_panel <- function(n, p, seed, signal = c(1, -1)) {
  set.seed(seed)
  x <- matrix(rnorm(n * p), n, p,
              dimnames = list(sprintf("S%03d", seq_len(n)), sprintf("miR-%d", seq_len(p))))
  k <- min(length(signal), p)
  eta <- drop(x[, seq_len(k), drop = FALSE] %*% signal[seq_len(k)])
  y <- rbinom(n, 1, stats::plogis(eta))
  list(x = x, y = y,
       group = factor(ifelse(y == 1, "case", "control"), levels = c("control", "case")))
}
