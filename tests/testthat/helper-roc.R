# Random data sets for the pROC cross-checks, with the edge cases the
# engine must get right: heavy ties, integer values, one case, all values
# equal, perfect separation (both ways), reversed levels.
roc_case <- function(i) {
  set.seed(1000 + i)
  kind <- c("normal", "ties", "integer", "one_case", "constant", "perfect",
            "perfect_rev", "small")[(i %% 8) + 1]
  n <- switch(kind, small = sample(2:6, 1), sample(10:150, 1))
  y <- rbinom(n, 1, runif(1, 0.2, 0.8))
  if (kind == "one_case") y <- c(1L, rep(0L, n - 1))[sample(n)]
  if (sum(y) == 0) y[1] <- 1L
  if (sum(y) == n) y[2] <- 0L
  shift <- rnorm(1, 0, 1.5)
  x <- switch(kind,
    normal = rnorm(n, shift * y),
    ties = round(rnorm(n, shift * y), 0),
    integer = sample(0:4, n, replace = TRUE) + y * sample(0:2, 1),
    one_case = rnorm(n),
    constant = rep(3.5, n),
    perfect = ifelse(y == 1, runif(n, 2, 3), runif(n, 0, 1)),
    perfect_rev = ifelse(y == 1, -runif(n, 2, 3), runif(n, 0, 1)),
    small = round(rnorm(n), 1))
  x2 <- x + rnorm(n, 0, sample(c(0.3, 1, 3), 1))
  if (kind %in% c("ties", "integer")) x2 <- round(x2)
  labels <- sample(list(c("ctl", "case"), c("b", "a")), 1)[[1]]
  resp <- factor(ifelse(y == 1, labels[2], labels[1]), levels = sample(labels))
  list(kind = kind, y = y, x = x, x2 = x2, resp = resp, labels = labels,
       direction = sample(c("auto", "<", ">"), 1, prob = c(0.6, 0.2, 0.2)))
}

proc_roc <- function(resp, x, levels, direction) {
  suppressWarnings(pROC::roc(resp, x, levels = levels, direction = direction,
                             quiet = TRUE))
}
