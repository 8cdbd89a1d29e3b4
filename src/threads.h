/* Thread count for the OpenMP kernels. */
#ifndef EVMIRNA_THREADS_H
#define EVMIRNA_THREADS_H

/* The requested count (from getOption("evmirna.threads")), capped by
 * OMP_THREAD_LIMIT and the number of processors; 1 without OpenMP. */
int evmirna_threads(int requested);

#endif
