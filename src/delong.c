/* DeLong placement values in O(n) after the one sort (Sun & Xu 2014): a
 * case's placement is the share of controls it beats (ties count one half),
 * a control's the share of cases that beat it. Their means are the AUC and
 * their variances give DeLong's variance. Also the column-wise AUC and DeLong
 * variance of a matrix of predictors, for screening. */
#include "roc.h"
#include <math.h>
#include <R_ext/Utils.h>

void roc_placements(R_xlen_t K, const double *wcase, const double *wctrl,
                    const int *gid, const int *y, R_xlen_t n, double *pcase,
                    double *pctrl) {
  double *work = (double *) R_alloc(2 * (K > 0 ? K : 1), sizeof(double));
  roc_placements_work(K, wcase, wctrl, gid, y, n, pcase, pctrl, work);
}

void roc_placements_work(R_xlen_t K, const double *wcase, const double *wctrl,
                         const int *gid, const int *y, R_xlen_t n, double *pcase,
                         double *pctrl, double *work) {
  /* per group: share of controls below (+ half the tied ones), share of
   * cases above (+ half the tied ones); then one pass in original order */
  double *below_ctrl = work;
  double *above_case = work + (K > 0 ? K : 1);
  double W1 = 0.0, W0 = 0.0;
  for (R_xlen_t k = 0; k < K; k++) {
    below_ctrl[k] = W0 + 0.5 * wctrl[k];
    W0 += wctrl[k];
  }
  for (R_xlen_t k = K - 1; k >= 0; k--) {
    above_case[k] = W1 + 0.5 * wcase[k];
    W1 += wcase[k];
  }
  R_xlen_t a = 0, b = 0;
  for (R_xlen_t i = 0; i < n; i++) {
    if (y[i]) pcase[a++] = below_ctrl[gid[i]] / W0;
    else pctrl[b++] = above_case[gid[i]] / W1;
  }
}

void roc_placement_ss(R_xlen_t K, const double *wcase, const double *wctrl,
                      double auc, double *ss_case, double *ss_ctrl) {
  double W1 = 0.0, W0 = 0.0;
  for (R_xlen_t k = 0; k < K; k++) {
    W1 += wcase[k];
    W0 += wctrl[k];
  }
  /* walk up the groups: controls below and cases above each one */
  double below = 0.0, above = W1, s1 = 0.0, s0 = 0.0;
  const double r0 = 1.0 / W0, r1 = 1.0 / W1;
  for (R_xlen_t k = 0; k < K; k++) {
    above -= wcase[k];
    double d1 = (below + 0.5 * wctrl[k]) * r0 - auc;
    double d0 = (above + 0.5 * wcase[k]) * r1 - auc;
    s1 += wcase[k] * d1 * d1;     /* zero weight adds nothing */
    s0 += wctrl[k] * d0 * d0;
    below += wctrl[k];
  }
  *ss_case = s1;
  *ss_ctrl = s0;
}

/* Weighted mean and (frequency-weighted) variance with divisor W - 1. */
static void weighted_var(const double *v, const double *w, R_xlen_t len,
                         double center, double *var) {
  double s = 0.0, W = 0.0;
  for (R_xlen_t i = 0; i < len; i++) {
    double wi = w ? w[i] : 1.0, d = v[i] - center;
    s += wi * d * d;
    W += wi;
  }
  *var = W > 1 ? s / (W - 1) : NA_REAL;
}

/* roc_auc_matrix kernel: for each column j of x (n x p), with NA pairs
 * dropped per column, the AUC of x[, j] against y (1 = case) in direction
 * dir[j] (0 = auto by medians, 1 = "<", 2 = ">") and
 * its DeLong variance var(case placements)/m + var(control placements)/n.
 * Returns a 3 x p matrix (auc, var, direction 1/2). A column with one class
 * left gets NA. */
SEXP C_roc_auc_matrix(SEXP y_, SEXP x_, SEXP dir_) {
  R_xlen_t n = XLENGTH(y_);
  if (!isInteger(y_) || !isReal(x_) || !isInteger(dir_)) error("C_roc_auc_matrix: bad arguments");
  R_xlen_t p = XLENGTH(x_) / (n > 0 ? n : 1);
  if (XLENGTH(x_) != n * p || XLENGTH(dir_) != p) error("C_roc_auc_matrix: bad dimensions");
  const int *y = INTEGER(y_);
  const double *x = REAL(x_);
  const int *dir = INTEGER(dir_);
  SEXP out = PROTECT(allocMatrix(REALSXP, 3, (int) p));
  double *o = REAL(out);
  for (R_xlen_t j = 0; j < p; j++) {
    const void *vmax = vmaxget();
    double *z = (double *) R_alloc(n, sizeof(double));
    int *yy = (int *) R_alloc(n, sizeof(int));
    R_xlen_t len = 0, m = 0;
    for (R_xlen_t i = 0; i < n; i++) {
      double v = x[i + j * n];
      if (ISNAN(v) || y[i] == NA_INTEGER) continue;
      z[len] = v;
      yy[len] = y[i] != 0;
      m += yy[len];
      len++;
    }
    if (m == 0 || m == len) {
      o[3 * j] = NA_REAL;
      o[3 * j + 1] = NA_REAL;
      o[3 * j + 2] = NA_REAL;
      vmaxset(vmax);
      continue;
    }
    double *u = (double *) R_alloc(len, sizeof(double));
    double *wc, *wk;
    int *gid = (int *) R_alloc(len, sizeof(int));
    int dir_used;
    R_xlen_t K = roc_groups(z, yy, NULL, len, dir[j], &dir_used, u, &wc, &wk, gid);
    double auc = roc_curve(K, u, wc, wk, NULL, NULL, NULL);
    double *pc = (double *) R_alloc(m, sizeof(double));
    double *pk = (double *) R_alloc(len - m, sizeof(double));
    roc_placements(K, wc, wk, gid, yy, len, pc, pk);
    double v1, v0;
    weighted_var(pc, NULL, m, auc, &v1);
    weighted_var(pk, NULL, len - m, auc, &v0);
    o[3 * j] = auc;
    o[3 * j + 2] = dir_used;
    o[3 * j + 1] = (m > 1 && len - m > 1) ? v1 / (double) m + v0 / (double) (len - m) : NA_REAL;
    vmaxset(vmax);
    if (j % 64 == 63) R_CheckUserInterrupt();
  }
  UNPROTECT(1);
  return out;
}
