/* Normalization kernels: quantile normalization (training target and frozen
 * application) with preprocessCore's rules for ties and missing values,
 * type-7 column quantiles, and edgeR's TMM factor of each sample against a
 * frozen reference profile. Pure-C kernels below, SEXP wrappers at the end.
 * Nothing here modifies its arguments. */
#include <R.h>
#include <Rinternals.h>
#include <R_ext/Utils.h>
#include <Rmath.h>
#include <float.h>
#include <math.h>

#define SNAP_EPS (4.0 * DBL_EPSILON)

/* ---- quantile normalization --------------------------------------------- */

/* Value at 1-based fractional position pos = 1 + (m - 1) * pct of the sorted
 * vector s (length m), interpolating linearly; positions within a few ulps of
 * an integer snap to it, as preprocessCore does. */
static double interpolate_sorted(const double *s, int m, double pos) {
  double fl = floor(pos + SNAP_EPS);
  double frac = pos - fl;
  if (fabs(frac) <= SNAP_EPS) frac = 0.0;
  int idx;
  if (frac == 0.0) {
    idx = (int) floor(fl + 0.5);
    return s[idx - 1];
  }
  if (frac == 1.0) {
    idx = (int) floor(fl + 1.5);
    return s[idx - 1];
  }
  idx = (int) floor(fl + 0.5);
  if (idx < m && idx > 0) return (1.0 - frac) * s[idx - 1] + frac * s[idx];
  if (idx >= m) return s[m - 1];
  return s[0];
}

/* Gathers the observed values of one column with their row indices and sorts
 * them; returns how many were observed. */
static int sort_observed(const double *col, int n, double *val, int *idx) {
  int k = 0;
  for (int i = 0; i < n; i++) {
    if (!ISNAN(col[i])) {
      val[k] = col[i];
      idx[k] = i;
      k++;
    }
  }
  if (k > 1) R_qsort_I(val, idx, 1, k);
  return k;
}

/* Writes target values into out[] for one sorted column val[0..k-1]: the
 * average rank of a tied run picks (or averages) target quantiles. */
static void distribute_target(const double *val, const int *idx, int k,
                              const double *target, int n, double *out) {
  int i = 0;
  while (i < k) {
    int j = i;
    while (j < k - 1 && val[j] == val[j + 1]) j++;
    double rank = (i == j) ? (double) (i + 1) : (i + j + 2) / 2.0;
    double res;
    if (k == n) {
      int fl = (int) floor(rank);
      res = (rank - floor(rank) > 0.4) ? 0.5 * (target[fl - 1] + target[fl])
                                      : target[fl - 1];
    } else {
      double pct = (rank - 1.0) / (double) (k - 1);
      res = interpolate_sorted(target, n, 1.0 + ((double) n - 1.0) * pct);
    }
    for (int t = i; t <= j; t++) out[idx[t]] = res;
    i = j + 1;
  }
}

/* Adds one sorted column's contribution (its quantiles at the n target
 * positions) to the running sums. */
static void accumulate_target(const double *val, int k, int n,
                              long double *sum) {
  if (k == n) {
    for (int i = 0; i < n; i++) sum[i] += val[i];
    return;
  }
  for (int i = 0; i < n; i++) {
    double pct = (double) i / (double) (n - 1);
    sum[i] += interpolate_sorted(val, k, 1.0 + ((double) k - 1.0) * pct);
  }
}

/* Checks every column has at least two observed values; returns the first
 * offending column (0-based) or -1. */
static int first_short_column(const double *x, int n, int m) {
  for (int j = 0; j < m; j++) {
    int k = 0;
    const double *col = x + (R_xlen_t) j * n;
    for (int i = 0; i < n && k < 2; i++) if (!ISNAN(col[i])) k++;
    if (k < 2) return j;
  }
  return -1;
}

SEXP C_quantile_normalize(SEXP x_) {
  if (!isReal(x_) || !isMatrix(x_)) error("x must be a double matrix");
  int n = nrows(x_), m = ncols(x_);
  const double *x = REAL(x_);
  if (n < 2) error("x needs at least two rows");
  int bad = first_short_column(x, n, m);
  if (bad >= 0) error("column %d has fewer than two observed values", bad + 1);
  R_xlen_t len = (R_xlen_t) n * m;
  SEXP out = PROTECT(allocMatrix(REALSXP, n, m));
  SEXP target = PROTECT(allocVector(REALSXP, n));
  double *o = REAL(out), *tg = REAL(target);
  double *sorted = (double *) R_alloc(len, sizeof(double));
  int *order = (int *) R_alloc(len, sizeof(int));
  int *nobs = (int *) R_alloc(m, sizeof(int));
  long double *sum = (long double *) R_alloc(n, sizeof(long double));
  for (int i = 0; i < n; i++) sum[i] = 0.0L;
  /* one sort per column serves both the target and the assignment */
  for (int j = 0; j < m; j++) {
    if (j % 64 == 0) R_CheckUserInterrupt();
    R_xlen_t off = (R_xlen_t) j * n;
    nobs[j] = sort_observed(x + off, n, sorted + off, order + off);
    accumulate_target(sorted + off, nobs[j], n, sum);
  }
  for (int i = 0; i < n; i++) tg[i] = (double) (sum[i] / (long double) m);
  for (R_xlen_t t = 0; t < len; t++) o[t] = NA_REAL;
  for (int j = 0; j < m; j++) {
    if (j % 64 == 0) R_CheckUserInterrupt();
    R_xlen_t off = (R_xlen_t) j * n;
    distribute_target(sorted + off, order + off, nobs[j], tg, n, o + off);
  }
  SEXP res = PROTECT(allocVector(VECSXP, 2));
  SET_VECTOR_ELT(res, 0, out);
  SET_VECTOR_ELT(res, 1, target);
  UNPROTECT(3);
  return res;
}

SEXP C_quantile_apply(SEXP x_, SEXP target_) {
  if (!isReal(x_) || !isMatrix(x_)) error("x must be a double matrix");
  if (!isReal(target_)) error("target must be double");
  int n = nrows(x_), m = ncols(x_);
  if (XLENGTH(target_) != n) error("target length must equal nrow(x)");
  const double *x = REAL(x_), *tg = REAL(target_);
  if (n < 2) error("x needs at least two rows");
  int bad = first_short_column(x, n, m);
  if (bad >= 0) error("column %d has fewer than two observed values", bad + 1);
  SEXP out = PROTECT(allocMatrix(REALSXP, n, m));
  double *o = REAL(out);
  double *val = (double *) R_alloc(n, sizeof(double));
  int *idx = (int *) R_alloc(n, sizeof(int));
  for (R_xlen_t t = 0; t < (R_xlen_t) n * m; t++) o[t] = NA_REAL;
  for (int j = 0; j < m; j++) {
    if (j % 64 == 0) R_CheckUserInterrupt();
    R_xlen_t off = (R_xlen_t) j * n;
    int k = sort_observed(x + off, n, val, idx);
    distribute_target(val, idx, k, tg, n, o + off);
  }
  UNPROTECT(1);
  return out;
}

/* ---- column quantiles (R's type 7) -------------------------------------- */

static double quantile_type7(double *buf, int n, double p) {
  double index = 1.0 + (double) (n - 1) * p;
  int lo = (int) floor(index), hi = (int) ceil(index);
  rPsort(buf, n, lo - 1);
  double qs = buf[lo - 1];
  if (hi != lo) {
    /* after the partial sort the next order statistic is the minimum of
       what lies beyond position lo */
    double xhi = buf[lo];
    for (int i = lo + 1; i < n; i++) if (buf[i] < xhi) xhi = buf[i];
    if (index > lo && xhi != qs) {
      double h = index - lo;
      qs = (1.0 - h) * qs + h * xhi;
    }
  }
  return qs;
}

/* Quantile p of each column over the rows flagged in keep (logical). */
SEXP C_col_quantile(SEXP x_, SEXP keep_, SEXP p_) {
  if (!isReal(x_) || !isMatrix(x_)) error("x must be a double matrix");
  int n = nrows(x_), m = ncols(x_);
  if (!isLogical(keep_) || XLENGTH(keep_) != n) error("bad keep");
  const double *x = REAL(x_);
  const int *keep = LOGICAL(keep_);
  double p = asReal(p_);
  SEXP out = PROTECT(allocVector(REALSXP, m));
  double *buf = (double *) R_alloc(n > 0 ? n : 1, sizeof(double));
  for (int j = 0; j < m; j++) {
    int k = 0;
    const double *col = x + (R_xlen_t) j * n;
    for (int i = 0; i < n; i++) if (keep[i] == TRUE) buf[k++] = col[i];
    REAL(out)[j] = k > 0 ? quantile_type7(buf, k, p) : NA_REAL;
  }
  UNPROTECT(1);
  return out;
}

/* ---- TMM ----------------------------------------------------------------- */

/* Marks values whose average rank (ties averaged, as rank()) lies in
 * [lo, hi], using two selections instead of a full sort. */
static void mark_rank_range(const double *v, int n, int lo, int hi,
                            double *buf, int *keep) {
  if (lo > hi || n == 0) {
    for (int i = 0; i < n; i++) keep[i] = 0;
    return;
  }
  for (int i = 0; i < n; i++) buf[i] = v[i];
  rPsort(buf, n, lo - 1);
  double a = buf[lo - 1];
  rPsort(buf, n, hi - 1);
  double b = buf[hi - 1];
  double less_a = 0, eq_a = 0, less_b = 0, eq_b = 0;
  for (int i = 0; i < n; i++) {
    if (v[i] < a) less_a++; else if (v[i] == a) eq_a++;
    if (v[i] < b) less_b++; else if (v[i] == b) eq_b++;
  }
  double rank_a = less_a + (eq_a + 1.0) / 2.0;
  double rank_b = less_b + (eq_b + 1.0) / 2.0;
  int keep_a = rank_a >= lo && rank_a <= hi;
  int keep_b = rank_b >= lo && rank_b <= hi;
  for (int i = 0; i < n; i++) {
    if (v[i] == a) keep[i] = keep_a;
    else if (v[i] == b) keep[i] = keep_b;
    else keep[i] = v[i] > a && v[i] < b;
  }
}

/* R's mean(): long double sum, then one refinement pass. */
static double mean_refined(const double *v, const int *keep, int n) {
  long double s = 0.0L;
  int k = 0;
  for (int i = 0; i < n; i++) if (keep[i]) { s += v[i]; k++; }
  if (k == 0) return NA_REAL;
  s /= k;
  long double t = 0.0L;
  for (int i = 0; i < n; i++) if (keep[i]) t += v[i] - s;
  return (double) (s + t / k);
}

typedef struct {
  double *logr, *abse, *var, *buf;
  int *keep_l, *keep_s;
} tmm_work;

static double tmm_factor(const double *obs, const double *ref, int n,
                         double n_obs, double n_ref, double ratio_trim,
                         double sum_trim, int weighting, double a_cutoff,
                         tmm_work *w) {
  int k = 0;
  double max_abs = R_NegInf;
  for (int i = 0; i < n; i++) {
    if (!(obs[i] > 0) || !(ref[i] > 0)) continue; /* log-ratio not finite */
    double po = obs[i] / n_obs, pr = ref[i] / n_ref;
    double lr = log2(po / pr);
    double ae = (log2(po) + log2(pr)) / 2;
    if (!R_FINITE(lr) || !R_FINITE(ae) || !(ae > a_cutoff)) continue;
    w->logr[k] = lr;
    w->abse[k] = ae;
    w->var[k] = (n_obs - obs[i]) / n_obs / obs[i] +
                (n_ref - ref[i]) / n_ref / ref[i];
    if (fabs(lr) > max_abs) max_abs = fabs(lr);
    k++;
  }
  if (max_abs < 1e-6) return 1.0;
  int lo_l = (int) floor(k * ratio_trim) + 1, hi_l = k + 1 - lo_l;
  int lo_s = (int) floor(k * sum_trim) + 1, hi_s = k + 1 - lo_s;
  mark_rank_range(w->logr, k, lo_l, hi_l, w->buf, w->keep_l);
  mark_rank_range(w->abse, k, lo_s, hi_s, w->buf, w->keep_s);
  for (int i = 0; i < k; i++) w->keep_l[i] = w->keep_l[i] && w->keep_s[i];
  double f;
  if (weighting) {
    long double num = 0.0L, den = 0.0L;
    for (int i = 0; i < k; i++) {
      if (!w->keep_l[i]) continue;
      double t1 = w->logr[i] / w->var[i], t2 = 1.0 / w->var[i];
      if (!ISNAN(t1)) num += t1;
      if (!ISNAN(t2)) den += t2;
    }
    f = (double) num / (double) den;
  } else {
    f = mean_refined(w->logr, w->keep_l, k);
  }
  if (ISNAN(f)) f = 0.0;
  return R_pow(2.0, f);
}

/* Unscaled TMM factor of every column of x against the reference profile
 * ref (library size ref_lib); lib holds the columns' library sizes. */
SEXP C_tmm_factors(SEXP x_, SEXP ref_, SEXP lib_, SEXP ref_lib_,
                   SEXP ratio_trim_, SEXP sum_trim_, SEXP weighting_,
                   SEXP a_cutoff_) {
  if (!isReal(x_) || !isMatrix(x_)) error("x must be a double matrix");
  int n = nrows(x_), m = ncols(x_);
  if (!isReal(ref_) || XLENGTH(ref_) != n) error("bad ref");
  if (!isReal(lib_) || XLENGTH(lib_) != m) error("bad lib");
  const double *x = REAL(x_), *ref = REAL(ref_), *lib = REAL(lib_);
  double ref_lib = asReal(ref_lib_), ratio_trim = asReal(ratio_trim_);
  double sum_trim = asReal(sum_trim_), a_cutoff = asReal(a_cutoff_);
  int weighting = asLogical(weighting_);
  int nn = n > 0 ? n : 1;
  tmm_work w;
  w.logr = (double *) R_alloc(nn, sizeof(double));
  w.abse = (double *) R_alloc(nn, sizeof(double));
  w.var = (double *) R_alloc(nn, sizeof(double));
  w.buf = (double *) R_alloc(nn, sizeof(double));
  w.keep_l = (int *) R_alloc(nn, sizeof(int));
  w.keep_s = (int *) R_alloc(nn, sizeof(int));
  SEXP out = PROTECT(allocVector(REALSXP, m));
  for (int j = 0; j < m; j++) {
    if (j % 256 == 0) R_CheckUserInterrupt();
    REAL(out)[j] = tmm_factor(x + (R_xlen_t) j * n, ref, n, lib[j], ref_lib,
                              ratio_trim, sum_trim, weighting, a_cutoff, &w);
  }
  UNPROTECT(1);
  return out;
}
