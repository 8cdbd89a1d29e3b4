/* Thread count for the OpenMP kernels: one rule for every kernel. */
#ifdef _OPENMP
#include <omp.h>
#endif
#include "threads.h"

int evmirna_threads(int requested) {
#ifdef _OPENMP
  int limit = omp_get_thread_limit();
  int max = omp_get_num_procs();
  if (requested < 1) requested = 1;
  if (requested > limit) requested = limit;
  if (requested > max) requested = max;
  return requested;
#else
  (void) requested;
  return 1;
#endif
}
