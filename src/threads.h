/* Thread count for the OpenMP kernels. */
#ifndef EVMIRNA_THREADS_H
#define EVMIRNA_THREADS_H

/* The requested count (R passes getOption("evmirna.threads"), see
 * R/threads.R), capped by OMP_THREAD_LIMIT, OMP_NUM_THREADS and the number
 * of processors; 1 without OpenMP. */
int evmirna_threads(int requested);

#endif
