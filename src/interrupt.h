/* Interrupt checks paced by work done, for serial loops on the main thread
 * (never inside a parallel region): R_CheckUserInterrupt once about every
 * EV_TICK_WORK units of work (a few milliseconds of arithmetic). */
#ifndef EVMIRNA_INTERRUPT_H
#define EVMIRNA_INTERRUPT_H
#include <R_ext/Utils.h>

#define EV_TICK_WORK 2.0e6

typedef struct {
  double done;
} ev_tick;

static inline void ev_tick_add(ev_tick *t, double work) {
  t->done += work;
  if (t->done >= EV_TICK_WORK) {
    t->done = 0.0;
    R_CheckUserInterrupt();
  }
}

#endif
