/* Pure-C kernel of the logistic panel search (no SEXP, no R API, no
 * allocation): per-fold design blocks built once per call, each panel's
 * IRLS read from the fold's blocks, pooled out-of-fold AUC and DeLong
 * variance per repeat. Fits that are not clean (separation, one class,
 * singular, no convergence within the budget) are flagged for the exact
 * glm.fit-style path of panel.c, which the interface (api_panel.c) runs
 * serially afterwards. */
#ifndef EVMIRNA_PANEL_KERNEL_H
#define EVMIRNA_PANEL_KERNEL_H

#include <stddef.h>

/* Largest panel the fast path handles (k = size + 1 coefficients). */
#define PANEL_FAST_MAX_SIZE 8

/* Blocks: repeat r, fold f is block b = r * F + f; with F = 0 (apparent)
 * one block trains and tests on every sample. Label-dependent parts (ytr,
 * ybar, xty) are refilled by panel_design_labels(). */
typedef struct {
  int n, p, R, F, nb;
  int *ntr, *nte;            /* per block */
  size_t *tr_off, *te_off;   /* offsets into the row lists */
  int *tr_rows, *te_rows;    /* sample numbers (0-based) */
  double *xtr, *xte;         /* gathered blocks, each rows x p, column-major */
  double *colsum, *gram;     /* per block: p sums, p x p cross-products */
  double *ytr, *ybar, *xty;  /* labels: per training row, per block, per block x p */
} panel_design;

/* Bytes the design needs (one allocation the caller provides). */
size_t panel_design_bytes(int n, int p, const int *folds, int R, int F);
/* Fills the design from x (n x p) and folds (n x R values 1..F, or NULL for
 * apparent) in mem (panel_design_bytes bytes, 8-byte aligned). */
void panel_design_init(panel_design *d, void *mem, const double *x, int n,
                       int p, const int *folds, int R, int F);
/* The label-dependent parts for 0/1 labels y. */
void panel_design_labels(panel_design *d, const int *y);

/* Scratch bytes one thread needs for panels of `size` markers. */
size_t panel_fast_scratch_bytes(const panel_design *d, int size);

/* Scratch bytes of the thread-safe panel_auc_delong for n samples: n
 * doubles for u, then the sort space. */
size_t panel_auc_scratch_bytes(int n);
/* Pooled AUC ("<": larger scores in cases, ties one half) and DeLong
 * variance of scores s over n samples; u holds n doubles. With sort_space
 * (ROC_SCRATCH_BYTES(n), n < ROC_SMALL_SORT) no allocation and no R API;
 * with NULL, R's allocator (serial callers only). The one AUC of the panel
 * search: re-point it at the core's single AUC walk. */
void panel_auc_delong(const double *s, const int *y, int n, double *u,
                      void *sort_space, double *auc, double *var);

/* Evaluates panels q in [0, m) (columns of the size x m matrix `panels`,
 * 0-based candidates). tol is the squared relative Newton step taken as
 * full convergence; maxit the iteration budget. floor prunes: a panel whose
 * mean AUC over repeats cannot reach it, even with AUCs of 1 in the repeats
 * left, stops early (-Inf: never). Outputs auc, var and flag (0: done; 1:
 * the panel needs the exact path; 2: pruned; auc/var unset). threads >= 1
 * OpenMP threads; scratch holds threads x scratch_bytes. Results do not
 * depend on the thread count. */
void panel_fast_logistic(const panel_design *d, const int *y, const int *panels,
                         int size, int m, int maxit, double tol, double floor,
                         int threads,
                         void *scratch, size_t scratch_bytes, double *auc,
                         double *var, int *flag);

#endif
