# Threads for the OpenMP kernels (results do not depend on it): the
# evmirna.threads option, 2 by default. The C side (src/threads.c) caps the
# count by OMP_THREAD_LIMIT, OMP_NUM_THREADS and the number of processors.
evmirna_threads <- function() {
  n <- getOption("evmirna.threads", 2L)
  if (!is.numeric(n) || length(n) != 1L || is.na(n) || n < 1) 1L else as.integer(min(n, 1024))
}
