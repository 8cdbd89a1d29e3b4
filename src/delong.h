/* DeLong's (co)variance of AUCs from placement values: the one
 * implementation, used by ROC fits (roc.c), C_roc_auc_matrix and
 * C_delong_cov (api_delong.c), and callable from the panel kernel.
 * Plain C: no R headers, no allocation. */
#ifndef EVMIRNA_DELONG_H
#define EVMIRNA_DELONG_H
#include <stddef.h>

/* Covariance of the AUCs of two curves a and b on the same observations:
 * pc_* are the case placements (m1, in case order), pk_* the control
 * placements (m0), auc_* the AUCs; w1 (m1) and w0 (m0) frequency weights of
 * the cases and controls, or NULL for unit weights. With W1, W0 the total
 * weights: sum w1 (pc_a - auc_a)(pc_b - auc_b) / (W1 - 1) / W1 + the same
 * over controls (pROC's formula when unweighted). The variance of one AUC
 * is delong_cov(a, a). Returns NaN unless W1 > 1 and W0 > 1. */
double delong_cov(const double *pc_a, const double *pk_a, double auc_a,
                  const double *pc_b, const double *pk_b, double auc_b,
                  const double *w1, const double *w0, ptrdiff_t m1,
                  ptrdiff_t m0);

#endif
