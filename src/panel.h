/* The exact (serial) panel evaluation of panel.c, shared by the interface
 * api_panel.c. */
#ifndef EVMIRNA_PANEL_H
#define EVMIRNA_PANEL_H

#include "classify.h"

enum { M_LOGISTIC = 0, M_FIRTH = 1, M_MEAN_Z = 2, M_COUNT = 3 };

typedef struct {
  const double *x;        /* n x p candidates, no NA */
  int n, p;
  int method, maxit;
  double epsilon;
  firth_control firth;
  const double *thresholds;
  int min_markers;
} panel_setup;

/* One panel (columns cols[0..size)) for labels y and folds (n x R values
 * 1..F, or NULL for the apparent AUC): out[0..4] = mean AUC over repeats,
 * mean DeLong variance, unconverged fits, and (count method) the out-of-fold
 * sensitivity and specificity; NA AUC when a fit fails. Uses R_alloc. */
void panel_exact(const panel_setup *st, const int *y, const int *folds, int R,
                 int F, const int *cols, int size, double *out);

#endif
