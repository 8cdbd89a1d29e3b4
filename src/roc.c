/* ROC curve kernels: one sort of the predictor, groups of tied values, the
 * curve with pROC's thresholds, the Mann-Whitney AUC, partial AUC and the
 * coordinate look-up. See roc.h for the conventions. */
#include "roc.h"
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <R_ext/Utils.h>

/* ---- sorting ----------------------------------------------------------- */

/* Doubles as unsigned keys that sort in the same order (-0 folded into +0). */
static uint64_t double_key(double v) {
  uint64_t k;
  if (v == 0.0) v = 0.0;
  memcpy(&k, &v, sizeof k);
  return (k >> 63) ? ~k : (k | ((uint64_t) 1 << 63));
}

#define RADIX_BITS 16
#define RADIX_SIZE (1 << RADIX_BITS)
#define SMALL_SORT 20000

/* LSD radix sort on 16-bit digits: four O(n) passes, skipped when a digit is
 * constant, so the cost is linear whatever the ties. */
static void radix_order(const double *z, R_xlen_t n, R_xlen_t *ord) {
  uint64_t *key = (uint64_t *) R_alloc(n, sizeof(uint64_t));
  uint64_t *key2 = (uint64_t *) R_alloc(n, sizeof(uint64_t));
  R_xlen_t *scratch = (R_xlen_t *) R_alloc(n, sizeof(R_xlen_t));
  R_xlen_t *count = (R_xlen_t *) R_alloc(RADIX_SIZE, sizeof(R_xlen_t));
  R_xlen_t *cur = ord, *nxt = scratch;
  for (R_xlen_t i = 0; i < n; i++) {
    key[i] = double_key(z[i]);
    cur[i] = i;
  }
  for (int pass = 0; pass < 64 / RADIX_BITS; pass++) {
    int shift = pass * RADIX_BITS;
    memset(count, 0, RADIX_SIZE * sizeof(R_xlen_t));
    for (R_xlen_t i = 0; i < n; i++) count[(key[i] >> shift) & (RADIX_SIZE - 1)]++;
    if (count[(key[0] >> shift) & (RADIX_SIZE - 1)] == n) continue;
    R_xlen_t pos = 0;
    for (int b = 0; b < RADIX_SIZE; b++) {
      R_xlen_t c = count[b];
      count[b] = pos;
      pos += c;
    }
    for (R_xlen_t i = 0; i < n; i++) {
      R_xlen_t dst = count[(key[i] >> shift) & (RADIX_SIZE - 1)]++;
      key2[dst] = key[i];
      nxt[dst] = cur[i];
    }
    uint64_t *tk = key; key = key2; key2 = tk;
    R_xlen_t *to = cur; cur = nxt; nxt = to;
    R_CheckUserInterrupt();
  }
  if (cur != ord) memcpy(ord, cur, (size_t) n * sizeof(R_xlen_t));
}

void roc_order(const double *z, R_xlen_t n, R_xlen_t *ord) {
  if (n <= 0) return;
  if (n < SMALL_SORT) {
    double *v = (double *) R_alloc(n, sizeof(double));
    int *ix = (int *) R_alloc(n, sizeof(int));
    for (R_xlen_t i = 0; i < n; i++) {
      v[i] = z[i];
      ix[i] = (int) i;
    }
    R_qsort_I(v, ix, 1, (int) n);
    for (R_xlen_t i = 0; i < n; i++) ord[i] = ix[i];
    return;
  }
  radix_order(z, n, ord);
}

/* ---- groups, curve, AUC ------------------------------------------------ */

R_xlen_t roc_groups(const double *z, const int *y, const double *w,
                    R_xlen_t n, double *u, double *wcase, double *wctrl,
                    int *gid) {
  if (n <= 0) return 0;
  R_xlen_t *ord = (R_xlen_t *) R_alloc(n, sizeof(R_xlen_t));
  roc_order(z, n, ord);
  R_xlen_t K = -1;
  double last = 0.0;
  for (R_xlen_t r = 0; r < n; r++) {
    R_xlen_t i = ord[r];
    double v = z[i];
    if (K < 0 || v != last) {
      K++;
      u[K] = v;
      wcase[K] = 0.0;
      wctrl[K] = 0.0;
      last = v;
    }
    double wi = w ? w[i] : 1.0;
    if (y[i]) wcase[K] += wi; else wctrl[K] += wi;
    if (gid) gid[i] = (int) K;
  }
  return K + 1;
}

/* pROC's threshold between two adjacent distinct values: the midpoint, halved
 * first when the sum would overflow, and never equal to the lower value
 * (x >= threshold must separate the two). */
static double midpoint(double a, double b) {
  double t = (a + b) / 2;
  if (fabs(t) > 1e100) t = a / 2 + b / 2;
  if (t == a) t = b;
  return t;
}

double roc_curve(R_xlen_t K, const double *u, const double *wcase,
                 const double *wctrl, double *thr, double *se, double *sp) {
  double W1 = 0.0, W0 = 0.0;
  for (R_xlen_t k = 0; k < K; k++) {
    W1 += wcase[k];
    W0 += wctrl[k];
  }
  /* Point k classifies groups k..K-1 as positive. Counts accumulate exactly
   * (integers in the unweighted case), then one division, as pROC does. */
  double cases_at_or_above = W1, controls_below = 0.0, mw = 0.0;
  for (R_xlen_t k = 0; k <= K; k++) {
    if (thr) {
      if (k == 0) thr[k] = R_NegInf;
      else if (k == K) thr[k] = R_PosInf;
      else thr[k] = midpoint(u[k - 1], u[k]);
    }
    if (se) se[k] = cases_at_or_above / W1;
    if (sp) sp[k] = controls_below / W0;
    if (k < K) {
      cases_at_or_above -= wcase[k];
      /* controls in group k beat the cases above and tie with those in k */
      mw += wctrl[k] * (cases_at_or_above + 0.5 * wcase[k]);
      controls_below += wctrl[k];
    }
  }
  return mw / (W1 * W0);
}

/* ---- partial AUC -------------------------------------------------------- */

double roc_partial_area(const double *x, const double *y, R_xlen_t len,
                        double lo, double hi) {
  double area = 0.0;
  for (R_xlen_t i = 0; i + 1 < len; i++) {
    double x0 = x[i], x1 = x[i + 1];
    if (!(x1 > x0)) continue;            /* vertical step: no width */
    double a = x0 > lo ? x0 : lo, b = x1 < hi ? x1 : hi;
    if (!(b > a)) continue;
    double slope_span = x1 - x0;
    double ya = (a == x0) ? y[i] : y[i] + (y[i + 1] - y[i]) * ((a - x0) / slope_span);
    double yb = (b == x1) ? y[i + 1] : y[i] + (y[i + 1] - y[i]) * ((b - x0) / slope_span);
    area += (b - a) * (ya + yb) / 2;
  }
  return area;
}

double roc_partial_auc(const double *se, const double *sp, R_xlen_t len,
                       double lo, double hi, int focus, int correct,
                       int invalid_na, double *work_x, double *work_y) {
  double area;
  if (focus == 0) {
    area = roc_partial_area(sp, se, len, lo, hi);
  } else {
    /* sensitivities fall along the curve: read it backwards */
    for (R_xlen_t i = 0; i < len; i++) {
      work_x[i] = se[len - 1 - i];
      work_y[i] = sp[len - 1 - i];
    }
    area = roc_partial_area(work_x, work_y, len, lo, hi);
  }
  if (correct) {
    /* McClish: map [area under the diagonal, full box] onto [0.5, 1] */
    double min = ((1 - lo) + (1 - hi)) * (hi - lo) / 2, max = hi - lo;
    if (invalid_na && area < min) return NA_REAL;
    area = (1 + (area - min) / (max - min)) / 2;
  }
  return area;
}

/* ---- coordinates -------------------------------------------------------- */

double roc_coord_at(const double *input, const double *other, R_xlen_t len,
                    double value, int decreasing, R_xlen_t *idx) {
  R_xlen_t hit = -1;
  for (R_xlen_t i = 0; i < len; i++) {
    if (input[i] == value) {
      hit = i;
      if (!decreasing) break;
    }
  }
  if (idx) *idx = hit;
  if (hit >= 0) return other[hit];
  R_xlen_t nx = -1;
  for (R_xlen_t i = 0; i < len; i++) {
    if (decreasing ? input[i] < value : input[i] > value) {
      nx = i;
      break;
    }
  }
  if (nx <= 0) return NA_REAL;
  double prop = (value - input[nx]) / (input[nx - 1] - input[nx]);
  return other[nx] + prop * (other[nx - 1] - other[nx]);
}

/* ---- R entry points ----------------------------------------------------- */

void roc_placements(R_xlen_t K, const double *wcase, const double *wctrl,
                    const int *gid, const int *y, R_xlen_t n, double *pcase,
                    double *pctrl);

/* Full fit of one curve: z oriented (larger = case), y 0/1, w NULL or
 * weights. Returns the curve, the AUC, the groups and DeLong placements.
 * The element order is relied on by C_roc_boot (values 4, group 7). */
static SEXP fit_one(const double *z, const int *y, const double *w, R_xlen_t n) {
  const void *vmax = vmaxget();
  double *u = (double *) R_alloc(n, sizeof(double));
  double *wc = (double *) R_alloc(n, sizeof(double));
  double *wk = (double *) R_alloc(n, sizeof(double));
  SEXP gid_ = PROTECT(allocVector(INTSXP, n));
  int *gid = INTEGER(gid_);
  R_xlen_t K = roc_groups(z, y, w, n, u, wc, wk, gid);

  const char *names[] = {"thresholds", "sensitivities", "specificities",
                         "auc", "values", "case_weight", "control_weight",
                         "group", "placements_cases", "placements_controls",
                         ""};
  SEXP out = PROTECT(mkNamed(VECSXP, names));
  SEXP thr = allocVector(REALSXP, K + 1); SET_VECTOR_ELT(out, 0, thr);
  SEXP se = allocVector(REALSXP, K + 1);  SET_VECTOR_ELT(out, 1, se);
  SEXP sp = allocVector(REALSXP, K + 1);  SET_VECTOR_ELT(out, 2, sp);
  double auc = roc_curve(K, u, wc, wk, REAL(thr), REAL(se), REAL(sp));
  SET_VECTOR_ELT(out, 3, ScalarReal(auc));
  SEXP uu = allocVector(REALSXP, K); SET_VECTOR_ELT(out, 4, uu);
  SEXP cw = allocVector(REALSXP, K); SET_VECTOR_ELT(out, 5, cw);
  SEXP kw = allocVector(REALSXP, K); SET_VECTOR_ELT(out, 6, kw);
  memcpy(REAL(uu), u, (size_t) K * sizeof(double));
  memcpy(REAL(cw), wc, (size_t) K * sizeof(double));
  memcpy(REAL(kw), wk, (size_t) K * sizeof(double));
  SET_VECTOR_ELT(out, 7, gid_);
  R_xlen_t m = 0;
  for (R_xlen_t i = 0; i < n; i++) m += y[i] != 0;
  SEXP pc = allocVector(REALSXP, m); SET_VECTOR_ELT(out, 8, pc);
  SEXP pk = allocVector(REALSXP, n - m); SET_VECTOR_ELT(out, 9, pk);
  roc_placements(K, wc, wk, gid, y, n, REAL(pc), REAL(pk));
  vmaxset(vmax);
  UNPROTECT(2);
  return out;
}

SEXP C_roc_fit(SEXP z_, SEXP y_, SEXP w_) {
  R_xlen_t n = XLENGTH(z_);
  if (!isReal(z_) || !isInteger(y_) || XLENGTH(y_) != n)
    error("C_roc_fit: bad arguments");
  if (!isNull(w_) && (!isReal(w_) || XLENGTH(w_) != n)) error("C_roc_fit: bad weights");
  return fit_one(REAL(z_), INTEGER(y_), isNull(w_) ? NULL : REAL(w_), n);
}

/* One curve per column of x (n x p) sharing y and w, in one call. Column j is
 * oriented by sign[j]; rows where it is NA are left out of that column's fit
 * (the 1-based kept rows are returned as attribute "kept" when any are). */
SEXP C_roc_fit_matrix(SEXP x_, SEXP y_, SEXP w_, SEXP sign_) {
  R_xlen_t n = XLENGTH(y_);
  if (!isReal(x_) || !isInteger(y_) || !isReal(sign_)) error("C_roc_fit_matrix: bad arguments");
  R_xlen_t p = XLENGTH(sign_);
  if (XLENGTH(x_) != n * p) error("C_roc_fit_matrix: bad dimensions");
  if (!isNull(w_) && (!isReal(w_) || XLENGTH(w_) != n)) error("C_roc_fit_matrix: bad weights");
  const double *x = REAL(x_), *sgn = REAL(sign_), *w = isNull(w_) ? NULL : REAL(w_);
  const int *y = INTEGER(y_);
  SEXP out = PROTECT(allocVector(VECSXP, p));
  for (R_xlen_t j = 0; j < p; j++) {
    const void *vmax = vmaxget();
    double *z = (double *) R_alloc(n > 0 ? n : 1, sizeof(double));
    double *ww = w ? (double *) R_alloc(n > 0 ? n : 1, sizeof(double)) : NULL;
    int *yy = (int *) R_alloc(n > 0 ? n : 1, sizeof(int));
    R_xlen_t len = 0;
    for (R_xlen_t i = 0; i < n; i++) {
      double v = x[i + j * n];
      if (ISNAN(v)) continue;
      z[len] = sgn[j] * v;
      yy[len] = y[i];
      if (w) ww[len] = w[i];
      len++;
    }
    SEXP f = PROTECT(fit_one(z, yy, ww, len));
    if (len < n) {
      SEXP kept = PROTECT(allocVector(INTSXP, len));
      for (R_xlen_t i = 0, a = 0; i < n; i++)
        if (!ISNAN(x[i + j * n])) INTEGER(kept)[a++] = (int) (i + 1);
      setAttrib(f, install("kept"), kept);
      UNPROTECT(1);
    }
    SET_VECTOR_ELT(out, j, f);
    UNPROTECT(1);
    vmaxset(vmax);
    R_CheckUserInterrupt();
  }
  UNPROTECT(1);
  return out;
}

/* Partial AUC of a stored curve (one implementation for fits and replicates). */
SEXP C_roc_partial_auc(SEXP se_, SEXP sp_, SEXP range_, SEXP focus_,
                       SEXP correct_, SEXP invalid_na_) {
  R_xlen_t len = XLENGTH(se_);
  if (XLENGTH(sp_) != len || XLENGTH(range_) != 2) error("C_roc_partial_auc: bad arguments");
  double *wx = (double *) R_alloc(len, sizeof(double));
  double *wy = (double *) R_alloc(len, sizeof(double));
  double r = roc_partial_auc(REAL(se_), REAL(sp_), len, REAL(range_)[0],
                             REAL(range_)[1], asInteger(focus_),
                             asInteger(correct_), asInteger(invalid_na_), wx, wy);
  return ScalarReal(r);
}

/* Coordinates at given values of a rising or falling input coordinate;
 * returns the other coordinate and the 1-based matching point (NA if
 * interpolated). */
SEXP C_roc_coord_at(SEXP input_, SEXP other_, SEXP values_, SEXP decreasing_) {
  R_xlen_t len = XLENGTH(input_), nv = XLENGTH(values_);
  if (XLENGTH(other_) != len) error("C_roc_coord_at: bad arguments");
  int decreasing = asLogical(decreasing_);
  SEXP val = PROTECT(allocVector(REALSXP, nv));
  SEXP idx = PROTECT(allocVector(INTSXP, nv));
  for (R_xlen_t j = 0; j < nv; j++) {
    R_xlen_t hit;
    REAL(val)[j] = roc_coord_at(REAL(input_), REAL(other_), len,
                                REAL(values_)[j], decreasing, &hit);
    INTEGER(idx)[j] = hit >= 0 ? (int) (hit + 1) : NA_INTEGER;
  }
  SEXP out = PROTECT(allocVector(VECSXP, 2));
  SET_VECTOR_ELT(out, 0, val);
  SET_VECTOR_ELT(out, 1, idx);
  UNPROTECT(3);
  return out;
}
