# Simulated panels for the QC and normalization tests.
sim_counts <- function(n_features = 300, n_samples = 8, seed = 1) {
  set.seed(seed)
  mu <- rgamma(n_features, 0.5, 0.01)
  depth <- runif(n_samples, 0.5, 2)
  y <- matrix(rnbinom(n_features * n_samples, mu = outer(mu, depth), size = 3),
              n_features, n_samples,
              dimnames = list(sprintf("hsa-miR-%d-5p", seq_len(n_features)),
                              sprintf("S%02d", seq_len(n_samples))))
  y[1:3, ] <- 0L
  y
}

sim_cq <- function(n_features = 40, n_samples = 10, seed = 1, na = 0) {
  set.seed(seed)
  base <- runif(n_features, 20, 33)
  cq <- outer(base, rnorm(n_samples, 0, 1), "+") +
    matrix(rnorm(n_features * n_samples, 0, 0.5), n_features)
  cq <- round(cq, 2)
  if (na > 0) cq[sample(length(cq), na)] <- NA
  dimnames(cq) <- list(sprintf("hsa-miR-%d-3p", seq_len(n_features)),
                       sprintf("P%02d", seq_len(n_samples)))
  cq
}
