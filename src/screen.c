/* Single-marker screening: one pass over a features x samples matrix giving,
 * per feature (NA values left out), the detected counts, means and medians
 * per group, the AUC with its DeLong variance at a fixed direction, the
 * Wilcoxon rank-sum test as wilcox.test computes it and Welch's t-test as
 * t.test does. The ROC pieces (one sort, groups of ties, placements) are
 * those of roc.c and delong.c. */
#include "roc.h"
#include <math.h>
#include <float.h>
#include <Rmath.h>
#include <R_ext/Utils.h>

/* Columns of the result, one row per feature. */
enum {
  S_N0, S_N1, S_MEAN0, S_MEAN1, S_MED0, S_MED1, S_AUC, S_VAR, S_W, S_WP,
  S_T, S_DF, S_TP, S_NCOL
};

/* R's mean(): long double sum, then one refinement pass. */
static double mean_of(const double *v, R_xlen_t n) {
  long double s = 0.0;
  for (R_xlen_t i = 0; i < n; i++) s += v[i];
  s /= n;
  long double t = 0.0;
  for (R_xlen_t i = 0; i < n; i++) t += v[i] - s;
  return (double) (s + t / n);
}

static double var_of(const double *v, R_xlen_t n, double mean) {
  long double s = 0.0;
  for (R_xlen_t i = 0; i < n; i++) s += (v[i] - mean) * (v[i] - mean);
  return (double) (s / (n - 1));
}

/* The r-th smallest (0-based) member of one class from the per-group counts
 * (groups ascending in value). */
static double class_kth(R_xlen_t K, const double *u, const double *wt, double r) {
  double cum = 0.0;
  for (R_xlen_t k = 0; k < K; k++) {
    cum += wt[k];
    if (cum > r) return u[k];
  }
  return NA_REAL;
}

static double class_median(R_xlen_t K, const double *u, const double *wt, R_xlen_t m) {
  if (m < 1) return NA_REAL;
  double lo = class_kth(K, u, wt, (double) ((m - 1) / 2));
  if (m % 2) return lo;
  double hi = class_kth(K, u, wt, (double) (m / 2));
  return (double) (((long double) lo + hi) / 2);
}

/* wilcox.test(cases, controls)$p.value, two-sided, with its defaults
 * (exact when both groups have fewer than 50 values and no ties; normal
 * approximation with continuity and tie correction otherwise). W is the
 * Mann-Whitney count of case > control pairs, ties counting one half. */
static double wilcox_p(double W, R_xlen_t m1, R_xlen_t m0, double tie_sum,
                       int ties) {
  double nx = (double) m1, ny = (double) m0;
  if (m1 < 50 && m0 < 50 && !ties) {
    double p = W > nx * ny / 2 ? pwilcox(W - 1, nx, ny, 0, 0) : pwilcox(W, nx, ny, 1, 0);
    p *= 2;
    return p < 1 ? p : 1;
  }
  double z = W - nx * ny / 2;
  double sigma = sqrt((nx * ny / 12) *
                      ((nx + ny + 1) - tie_sum / ((nx + ny) * (nx + ny - 1))));
  double corr = z > 0 ? 0.5 : (z < 0 ? -0.5 : 0.0);
  z = (z - corr) / sigma;
  double a = pnorm(z, 0.0, 1.0, 1, 0), b = pnorm(z, 0.0, 1.0, 0, 0);
  return 2 * (a < b ? a : b);
}

/* One feature: z holds its len non-missing values with classes yy. */
static void screen_one(const double *z, const int *yy, R_xlen_t len, int dir,
                       double *o, R_xlen_t p, R_xlen_t j) {
#define OUT(col) o[j + (R_xlen_t) (col) * p]
  R_xlen_t m1 = 0;
  for (R_xlen_t i = 0; i < len; i++) m1 += yy[i];
  R_xlen_t m0 = len - m1;
  OUT(S_N0) = (double) m0;
  OUT(S_N1) = (double) m1;
  for (int c = S_MEAN0; c < S_NCOL; c++) OUT(c) = NA_REAL;
  if (len == 0) return;
  double *v0 = (double *) R_alloc(len, sizeof(double));
  double *v1 = (double *) R_alloc(len, sizeof(double));
  R_xlen_t a = 0, b = 0;
  for (R_xlen_t i = 0; i < len; i++) {
    if (yy[i]) v1[a++] = z[i]; else v0[b++] = z[i];
  }
  if (m0 > 0) OUT(S_MEAN0) = mean_of(v0, m0);
  if (m1 > 0) OUT(S_MEAN1) = mean_of(v1, m1);

  /* groups of ties in ascending value ("<" orientation) */
  double *u = (double *) R_alloc(len, sizeof(double));
  int *gid = (int *) R_alloc(len, sizeof(int));
  double *wc, *wk;
  int dir_used;
  R_xlen_t K = roc_groups(z, yy, NULL, len, 1, &dir_used, u, &wc, &wk, gid);
  OUT(S_MED0) = class_median(K, u, wk, m0);
  OUT(S_MED1) = class_median(K, u, wc, m1);
  if (m0 == 0 || m1 == 0) return;

  double mw = 0.0, cases_above = (double) m1, tie_sum = 0.0;
  for (R_xlen_t k = 0; k < K; k++) {
    cases_above -= wc[k];
    mw += wk[k] * (cases_above + 0.5 * wc[k]);
    double t = wc[k] + wk[k];
    tie_sum += t * t * t - t;
  }
  double auc_lt = mw / ((double) m1 * (double) m0);
  OUT(S_AUC) = dir == 2 ? 1 - auc_lt : auc_lt;
  OUT(S_W) = mw;
  OUT(S_WP) = wilcox_p(mw, m1, m0, tie_sum, K < len);

  if (m1 > 1 && m0 > 1) {
    double *pc = (double *) R_alloc(m1, sizeof(double));
    double *pk = (double *) R_alloc(m0, sizeof(double));
    roc_placements(K, wc, wk, gid, yy, len, pc, pk);
    /* var(placements) is the same in both directions (1 - p has p's spread) */
    double s1 = 0.0, s0 = 0.0;
    for (R_xlen_t i = 0; i < m1; i++) s1 += (pc[i] - auc_lt) * (pc[i] - auc_lt);
    for (R_xlen_t i = 0; i < m0; i++) s0 += (pk[i] - auc_lt) * (pk[i] - auc_lt);
    OUT(S_VAR) = s1 / (m1 - 1) / m1 + s0 / (m0 - 1) / m0;

    /* Welch, as t.test(cases, controls) */
    double mx = OUT(S_MEAN1), my = OUT(S_MEAN0);
    double vx = var_of(v1, m1, mx) / m1, vy = var_of(v0, m0, my) / m0;
    double se = sqrt(vx + vy);
    double big = fabs(mx) > fabs(my) ? fabs(mx) : fabs(my);
    if (!(se < 10 * DBL_EPSILON * big)) {
      double df = (vx + vy) * (vx + vy) / (vx * vx / (m1 - 1) + vy * vy / (m0 - 1));
      double t = (mx - my) / se;
      OUT(S_T) = t;
      OUT(S_DF) = df;
      OUT(S_TP) = 2 * pt(-fabs(t), df, 1, 0);
    }
  }
#undef OUT
}

/* x: features x samples (p x n, NA allowed); y: 0/1 per sample (1 = case);
 * dir: 1 = "<" (larger values in cases), 2 = ">". Returns a p x S_NCOL
 * matrix. */
SEXP C_screen(SEXP x_, SEXP y_, SEXP dir_) {
  if (!isReal(x_) || !isMatrix(x_) || !isInteger(y_)) error("C_screen: bad arguments");
  R_xlen_t p = nrows(x_), n = ncols(x_);
  if (XLENGTH(y_) != n) error("C_screen: bad dimensions");
  int dir = asInteger(dir_);
  const double *x = REAL(x_);
  const int *y = INTEGER(y_);
  SEXP out = PROTECT(allocMatrix(REALSXP, (int) p, S_NCOL));
  double *o = REAL(out);
  R_xlen_t nn = n > 0 ? n : 1;
  double *z = (double *) R_alloc(nn, sizeof(double));
  int *yy = (int *) R_alloc(nn, sizeof(int));
  for (R_xlen_t j = 0; j < p; j++) {
    const void *vmax = vmaxget();
    R_xlen_t len = 0;
    for (R_xlen_t i = 0; i < n; i++) {
      double v = x[j + i * p];
      if (ISNAN(v)) continue;
      z[len] = v;
      yy[len] = y[i] != 0;
      len++;
    }
    screen_one(z, yy, len, dir, o, p, j);
    vmaxset(vmax);
    if (j % 64 == 63) R_CheckUserInterrupt();
  }
  UNPROTECT(1);
  return out;
}
