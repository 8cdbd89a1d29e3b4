/* DeLong core (pure C, no R API): placement values in O(n) after the one
 * sort (Sun & Xu 2014) -- a case's placement is the share of controls it
 * beats (ties count one half), a control's the share of cases that beat it;
 * their means are the AUC -- and DeLong's (co)variance from them. The
 * grouped form roc_placement_ss gives the same variance sums from the tie
 * groups alone (every member of a group shares one placement). */
#include "roc.h"
#include "delong.h"
#include <math.h>

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

double delong_cov(const double *pc_a, const double *pk_a, double auc_a,
                  const double *pc_b, const double *pk_b, double auc_b,
                  const double *w1, const double *w0, ptrdiff_t m1,
                  ptrdiff_t m0) {
  double s1 = 0.0, s0 = 0.0, W1 = 0.0, W0 = 0.0;
  for (ptrdiff_t i = 0; i < m1; i++) {
    double wi = w1 ? w1[i] : 1.0;
    s1 += wi * (pc_a[i] - auc_a) * (pc_b[i] - auc_b);
    W1 += wi;
  }
  for (ptrdiff_t i = 0; i < m0; i++) {
    double wi = w0 ? w0[i] : 1.0;
    s0 += wi * (pk_a[i] - auc_a) * (pk_b[i] - auc_b);
    W0 += wi;
  }
  if (!(W1 > 1) || !(W0 > 1)) return NAN;
  return s1 / (W1 - 1) / W1 + s0 / (W0 - 1) / W0;
}
