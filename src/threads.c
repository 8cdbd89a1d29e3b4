/* Thread count for the OpenMP kernels: one rule for every kernel. */
#ifdef _OPENMP
#include <omp.h>
#endif
#include "threads.h"
#include <Rinternals.h>

int evmirna_threads(int requested) {
#ifdef _OPENMP
  int limit = omp_get_thread_limit();   /* OMP_THREAD_LIMIT */
  int max = omp_get_max_threads();      /* OMP_NUM_THREADS, else the cores */
  int procs = omp_get_num_procs();
  if (requested < 1) requested = 1;
  if (requested > limit) requested = limit;
  if (requested > max) requested = max;
  if (requested > procs) requested = procs;
  return requested;
#else
  (void) requested;
  return 1;
#endif
}

/* The thread count the kernels would use for a request (1 without
 * OpenMP): lets R and the tests see the effect of the caps. */
SEXP C_thread_count(SEXP requested) {
  int r = asInteger(requested);
  return ScalarInteger(evmirna_threads(r == NA_INTEGER ? 1 : r));
}
