/* Normalization kernels: quantile normalization (training target and frozen
 * application) with preprocessCore's rules for ties and missing values,
 * type-7 column quantiles, and edgeR's TMM factor of each sample against a
 * frozen reference profile. Pure-C kernels below, SEXP wrappers at the end.
 * Nothing here modifies its arguments. */
#include <R.h>
#include <Rinternals.h>
#include "threads.h"
#include "rlist.h"
#include "api_args.h"
#include <R_ext/Utils.h>
#include <Rmath.h>
#include <float.h>
#include <math.h>

#ifdef _OPENMP
#include <omp.h>
#endif

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

/* Training: target = mean of the columns' quantiles; values = the target
 * distributed back by rank, times mult (e.g. -log2(E) for Cq). Only the sort
 * order is kept between the two passes, so scratch memory is half the input. */
SEXP C_quantile_normalize(SEXP x_, SEXP mult_) {
  int n, m;
  const double *x = arg_dbl_matrix(x_, "C_quantile_normalize: x", &n, &m);
  double mult = arg_num1(mult_, "C_quantile_normalize: mult", -DBL_MAX, DBL_MAX);
  if (n < 2) error("x needs at least two rows");
  int bad = first_short_column(x, n, m);
  if (bad >= 0) error("column %d has fewer than two observed values", bad + 1);
  R_xlen_t len = (R_xlen_t) n * m;
  SEXP out = PROTECT(allocMatrix(REALSXP, n, m));
  SEXP target = PROTECT(allocVector(REALSXP, n));
  double *o = REAL(out), *tg = REAL(target);
  int *order = (int *) R_alloc(len, sizeof(int));
  int *nobs = (int *) R_alloc(m, sizeof(int));
  double *val = (double *) R_alloc(n, sizeof(double));
  long double *sum = (long double *) R_alloc(n, sizeof(long double));
  for (int i = 0; i < n; i++) sum[i] = 0.0L;
  for (int j = 0; j < m; j++) {
    if (j % 64 == 0) R_CheckUserInterrupt();
    R_xlen_t off = (R_xlen_t) j * n;
    nobs[j] = sort_observed(x + off, n, val, order + off);
    accumulate_target(val, nobs[j], n, sum);
  }
  for (int i = 0; i < n; i++) tg[i] = (double) (sum[i] / (long double) m);
  for (R_xlen_t t = 0; t < len; t++) o[t] = NA_REAL;
  for (int j = 0; j < m; j++) {
    if (j % 64 == 0) R_CheckUserInterrupt();
    R_xlen_t off = (R_xlen_t) j * n;
    const int *idx = order + off;
    for (int i = 0; i < nobs[j]; i++) val[i] = x[off + idx[i]];
    distribute_target(val, idx, nobs[j], tg, n, o + off);
    if (mult != 1.0) {
      for (int i = 0; i < n; i++) o[off + i] = o[off + i] * mult;
    }
  }
  setAttrib(out, R_DimNamesSymbol, getAttrib(x_, R_DimNamesSymbol));
  SEXP res = named_list(2, "values", out, "target", target);
  UNPROTECT(2);
  return res;
}

SEXP C_quantile_apply(SEXP x_, SEXP target_, SEXP mult_) {
  int n, m;
  const double *x = arg_dbl_matrix(x_, "C_quantile_apply: x", &n, &m);
  double mult = arg_num1(mult_, "C_quantile_apply: mult", -DBL_MAX, DBL_MAX);
  const double *tg = arg_dbl(target_, "C_quantile_apply: target", n);
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
    if (mult != 1.0) {
      for (int i = 0; i < n; i++) o[off + i] = o[off + i] * mult;
    }
  }
  setAttrib(out, R_DimNamesSymbol, getAttrib(x_, R_DimNamesSymbol));
  UNPROTECT(1);
  return out;
}

/* ---- column quantiles (R's type 7) -------------------------------------- */

static void select_kth(double *a, int n, int k);

static double quantile_type7(double *buf, int n, double p) {
  double index = 1.0 + (double) (n - 1) * p;
  int lo = (int) floor(index), hi = (int) ceil(index);
  select_kth(buf, n, lo - 1);
  double qs = buf[lo - 1];
  if (hi != lo) {
    /* after the selection the next order statistic is the minimum of what
       lies beyond position lo */
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
  int n, m;
  const double *x = arg_dbl_matrix(x_, "C_col_quantile: x", &n, &m);
  const int *keep = arg_lgl(keep_, "C_col_quantile: keep", n);
  double p = arg_num1(p_, "C_col_quantile: p", 0.0, 1.0);
  SEXP out = PROTECT(allocVector(REALSXP, m));
  double *buf = (double *) R_alloc(n > 0 ? n : 1, sizeof(double));
  for (int j = 0; j < m; j++) {
    int k = 0;
    const double *col = x + (R_xlen_t) j * n;
    for (int i = 0; i < n; i++) if (keep[i] == TRUE) buf[k++] = col[i];
    /* the selection needs ordered values: NaN has no place */
    arg_no_na(buf, k, "C_col_quantile: x (kept rows)");
    REAL(out)[j] = k > 0 ? quantile_type7(buf, k, p) : NA_REAL;
  }
  UNPROTECT(1);
  return out;
}

/* ---- count summaries ---------------------------------------------------- */

/* One pass over a count matrix: library sizes (column sums, long double as
 * colSums), features with any positive count, columns with a missing value. */
SEXP C_count_summary(SEXP x_) {
  int n, m;
  const double *x = arg_dbl_matrix(x_, "C_count_summary: x", &n, &m);
  SEXP lib = PROTECT(allocVector(REALSXP, m));
  SEXP expressed = PROTECT(allocVector(LGLSXP, n));
  SEXP has_na = PROTECT(allocVector(LGLSXP, m));
  int *e = LOGICAL(expressed);
  for (int i = 0; i < n; i++) e[i] = FALSE;
  for (int j = 0; j < m; j++) {
    const double *col = x + (R_xlen_t) j * n;
    long double s = 0.0L;
    int na = FALSE;
    for (int i = 0; i < n; i++) {
      double v = col[i];
      if (ISNAN(v)) { na = TRUE; continue; }
      s += v;
      if (v > 0) e[i] = TRUE;
    }
    REAL(lib)[j] = (double) s;
    LOGICAL(has_na)[j] = na;
  }
  SEXP res = named_list(3, "lib_size", lib, "expressed", expressed, "has_na", has_na);
  UNPROTECT(3);
  return res;
}

/* ---- TMM ----------------------------------------------------------------- */

/* Moves the k-th smallest (0-based) of a[0..n-1] to a[k], smaller-or-equal
 * values before it (Hoare selection; the values hold no NaN). Inline
 * comparisons make it several times faster than rPsort here. */
static void select_kth(double *a, int n, int k) {
  int lo = 0, hi = n - 1;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    /* median of three as pivot */
    double p1 = a[lo], p2 = a[mid], p3 = a[hi], v;
    if (p1 < p2) v = (p2 < p3) ? p2 : ((p1 < p3) ? p3 : p1);
    else v = (p1 < p3) ? p1 : ((p2 < p3) ? p3 : p2);
    int i = lo, j = hi;
    while (i <= j) {
      while (a[i] < v) i++;
      while (v < a[j]) j--;
      if (i <= j) {
        double w = a[i]; a[i] = a[j]; a[j] = w;
        i++; j--;
      }
    }
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
}

/* Which values have an average rank (ties averaged, as rank()) in [lo, hi]:
 * found with two selections instead of a full sort. Values strictly between
 * the lo-th and hi-th order statistics a and b are inside; values equal to a
 * or b are inside when the average rank of their tie run is. */
typedef struct {
  double a, b;
  int keep_a, keep_b, empty;
} rank_window;

/* The k1-th and k2-th smallest (0-based) of v[0..n-1], v untouched. A sorted
 * sample of the values brackets each answer; one branch-free pass counts the
 * values below each bracket and gathers those inside it, and a selection on
 * each small band finishes. A bracket that misses falls back to a full
 * selection, so the answers are always exact. */
#define ORDER_SAMPLE 128
#define ORDER_MARGIN 14

static void bracket(const double *sample, int n, int k, double *low,
                    double *high) {
  int pos = (int) ((double) k / (n - 1) * (ORDER_SAMPLE - 1));
  int lo_s = pos - ORDER_MARGIN, hi_s = pos + ORDER_MARGIN;
  *low = lo_s > 0 ? sample[lo_s] : -INFINITY;
  *high = hi_s < ORDER_SAMPLE - 1 ? sample[hi_s] : INFINITY;
}

static double full_select(const double *v, int n, int k, double *buf) {
  for (int i = 0; i < n; i++) buf[i] = v[i];
  select_kth(buf, n, k);
  return buf[k];
}

/* Shell sort for the small sample (pure C: runs inside parallel regions). */
static void sort_small(double *a, int n) {
  static const int gaps[] = {57, 23, 10, 4, 1};
  for (int g = 0; g < 5; g++) {
    int gap = gaps[g];
    for (int i = gap; i < n; i++) {
      double t = a[i];
      int j = i;
      while (j >= gap && a[j - gap] > t) {
        a[j] = a[j - gap];
        j -= gap;
      }
      a[j] = t;
    }
  }
}

static void two_order_stats(const double *v, int n, int k1, int k2,
                            double *buf1, double *buf2, double *out1,
                            double *out2) {
  if (n <= 4 * ORDER_SAMPLE) {
    for (int i = 0; i < n; i++) buf1[i] = v[i];
    select_kth(buf1, n, k1);
    *out1 = buf1[k1];
    /* everything from k1 on is >= out1 */
    select_kth(buf1 + k1, n - k1, k2 - k1);
    *out2 = buf1[k2];
    return;
  }
  double sample[ORDER_SAMPLE];
  for (int s = 0; s < ORDER_SAMPLE; s++) {
    sample[s] = v[(R_xlen_t) s * (n - 1) / (ORDER_SAMPLE - 1)];
  }
  sort_small(sample, ORDER_SAMPLE);
  double low1, high1, low2, high2;
  bracket(sample, n, k1, &low1, &high1);
  bracket(sample, n, k2, &low2, &high2);
  int below1 = 0, m1 = 0, below2 = 0, m2 = 0;
  for (int i = 0; i < n; i++) {
    double x = v[i];
    below1 += x < low1;
    buf1[m1] = x;
    m1 += (x >= low1) & (x <= high1);
    below2 += x < low2;
    buf2[m2] = x;
    m2 += (x >= low2) & (x <= high2);
  }
  if (k1 >= below1 && k1 < below1 + m1) {
    select_kth(buf1, m1, k1 - below1);
    *out1 = buf1[k1 - below1];
  } else {
    *out1 = full_select(v, n, k1, buf1);
  }
  if (k2 >= below2 && k2 < below2 + m2) {
    select_kth(buf2, m2, k2 - below2);
    *out2 = buf2[k2 - below2];
  } else {
    *out2 = full_select(v, n, k2, buf2);
  }
}

static rank_window find_rank_window(const double *v, int n, int lo, int hi,
                                    double *buf, double *buf2) {
  rank_window w = {0.0, 0.0, 0, 0, 1};
  if (lo > hi || n == 0) return w;
  two_order_stats(v, n, lo - 1, hi - 1, buf, buf2, &w.a, &w.b);
  int less_a = 0, eq_a = 0, less_b = 0, eq_b = 0;
  for (int i = 0; i < n; i++) {
    less_a += v[i] < w.a;
    eq_a += v[i] == w.a;
    less_b += v[i] < w.b;
    eq_b += v[i] == w.b;
  }
  double rank_a = less_a + (eq_a + 1.0) / 2.0;
  double rank_b = less_b + (eq_b + 1.0) / 2.0;
  w.keep_a = rank_a >= lo && rank_a <= hi;
  w.keep_b = rank_b >= lo && rank_b <= hi;
  w.empty = 0;
  return w;
}

static inline int in_window(double v, const rank_window *w) {
  if (w->empty) return 0;
  if (v == w->a) return w->keep_a;
  if (v == w->b) return w->keep_b;
  return v > w->a && v < w->b;
}

#define LOG_CACHE 4096

/* Per-thread scratch for one column at a time. */
typedef struct {
  double *logr, *abse, *buf, *buf2, *cache, *cache_p, *cache_v;
  int *row, *stamp;
} tmm_work;

/* Per-row reference terms, computed once with edgeR's expressions. */
typedef struct {
  const double *pr, *log_pr, *var_r;
} tmm_ref;

/* log2 of the TMM factor of one sample (obs) against the reference, with
 * edgeR's expressions so that ties among log-ratios are the same; NaN-free
 * pure C, safe inside a parallel region. */
static double tmm_log_factor(const double *obs, const double *ref,
                             const tmm_ref *rf, int n, double n_obs,
                             double ratio_trim, double sum_trim,
                             int weighting, double a_cutoff, tmm_work *w,
                             int column) {
  int k = 0;
  double max_abs = -INFINITY;
  for (int i = 0; i < n; i++) {
    if (!(obs[i] > 0) || !(ref[i] > 0)) continue; /* log-ratio not finite */
    double po, lpo;
    int c = obs[i] < LOG_CACHE ? (int) obs[i] : -1;
    if (c >= 0 && (double) c == obs[i]) {
      /* small integer counts repeat: their terms are computed once */
      if (w->stamp[c] != column) {
        w->cache_p[c] = obs[i] / n_obs;
        w->cache[c] = log2(w->cache_p[c]);
        w->cache_v[c] = (n_obs - obs[i]) / n_obs / obs[i];
        w->stamp[c] = column;
      }
      po = w->cache_p[c];
      lpo = w->cache[c];
    } else {
      po = obs[i] / n_obs;
      lpo = log2(po);
    }
    double lr = log2(po / rf->pr[i]);
    double ae = (lpo + rf->log_pr[i]) / 2;
    if (!isfinite(lr) || !isfinite(ae) || !(ae > a_cutoff)) continue;
    w->logr[k] = lr;
    w->abse[k] = ae;
    w->row[k] = i;
    if (fabs(lr) > max_abs) max_abs = fabs(lr);
    k++;
  }
  if (max_abs < 1e-6) return 0.0;
  int lo_l = (int) floor(k * ratio_trim) + 1, hi_l = k + 1 - lo_l;
  int lo_s = (int) floor(k * sum_trim) + 1, hi_s = k + 1 - lo_s;
  rank_window wl = find_rank_window(w->logr, k, lo_l, hi_l, w->buf, w->buf2);
  rank_window ws = find_rank_window(w->abse, k, lo_s, hi_s, w->buf, w->buf2);
  double f;
  if (weighting) {
    long double num = 0.0L, den = 0.0L;
    for (int t = 0; t < k; t++) {
      if (!in_window(w->logr[t], &wl) || !in_window(w->abse[t], &ws)) continue;
      int i = w->row[t];
      int c = obs[i] < LOG_CACHE ? (int) obs[i] : -1;
      double var_o = (c >= 0 && (double) c == obs[i]) ?
        w->cache_v[c] : (n_obs - obs[i]) / n_obs / obs[i];
      double v = var_o + rf->var_r[i];
      double t1 = w->logr[t] / v, t2 = 1.0 / v;
      if (!isnan(t1)) num += t1;
      if (!isnan(t2)) den += t2;
    }
    f = (double) num / (double) den;
  } else {
    /* R's mean(): long double sum, then one refinement pass */
    long double sum = 0.0L;
    int m = 0;
    for (int t = 0; t < k; t++) {
      if (in_window(w->logr[t], &wl) && in_window(w->abse[t], &ws)) {
        sum += w->logr[t];
        m++;
      }
    }
    if (m == 0) {
      f = NAN;
    } else {
      sum /= m;
      long double corr = 0.0L;
      for (int t = 0; t < k; t++) {
        if (in_window(w->logr[t], &wl) && in_window(w->abse[t], &ws)) {
          corr += w->logr[t] - sum;
        }
      }
      f = (double) (sum + corr / m);
    }
  }
  if (isnan(f)) f = 0.0;
  return f;
}

/* Unscaled TMM factor of every column of x against the reference profile
 * ref (library size ref_lib); lib holds the columns' library sizes. Columns
 * are independent, so the result does not depend on the thread count. */
SEXP C_tmm_factors(SEXP x_, SEXP ref_, SEXP lib_, SEXP ref_lib_,
                   SEXP ratio_trim_, SEXP sum_trim_, SEXP weighting_,
                   SEXP a_cutoff_, SEXP threads_) {
  int n, m;
  const double *x = arg_dbl_matrix(x_, "C_tmm_factors: x", &n, &m);
  const double *ref = arg_dbl(ref_, "C_tmm_factors: ref", n);
  const double *lib = arg_dbl(lib_, "C_tmm_factors: lib", m);
  /* trims beyond one half leave an empty window; below zero the order
   * statistics would be read before the first value */
  double ratio_trim = arg_num1(ratio_trim_, "C_tmm_factors: ratio_trim", 0.0, 0.5);
  double sum_trim = arg_num1(sum_trim_, "C_tmm_factors: sum_trim", 0.0, 0.5);
  double ref_lib = arg_num1(ref_lib_, "C_tmm_factors: ref_lib", DBL_MIN, DBL_MAX);
  double a_cutoff = arg_num1(a_cutoff_, "C_tmm_factors: a_cutoff", R_NegInf, R_PosInf);
  int weighting = arg_flag(weighting_, "C_tmm_factors: weighting");
  int n_threads = evmirna_threads(arg_int1(threads_, "C_tmm_factors: threads", 1, INT_MAX));
  int nn = n > 0 ? n : 1;
  double *pr = (double *) R_alloc(nn, sizeof(double));
  double *log_pr = (double *) R_alloc(nn, sizeof(double));
  double *var_r = (double *) R_alloc(nn, sizeof(double));
  for (int i = 0; i < n; i++) {
    pr[i] = ref[i] / ref_lib;
    log_pr[i] = log2(pr[i]);
    var_r[i] = (ref_lib - ref[i]) / ref_lib / ref[i];
  }
  tmm_ref rf = {pr, log_pr, var_r};
  tmm_work *work = (tmm_work *) R_alloc(n_threads, sizeof(tmm_work));
  for (int t = 0; t < n_threads; t++) {
    work[t].logr = (double *) R_alloc(nn, sizeof(double));
    work[t].abse = (double *) R_alloc(nn, sizeof(double));
    work[t].buf = (double *) R_alloc(nn, sizeof(double));
    work[t].buf2 = (double *) R_alloc(nn, sizeof(double));
    work[t].row = (int *) R_alloc(nn, sizeof(int));
    work[t].cache = (double *) R_alloc(LOG_CACHE, sizeof(double));
    work[t].cache_p = (double *) R_alloc(LOG_CACHE, sizeof(double));
    work[t].cache_v = (double *) R_alloc(LOG_CACHE, sizeof(double));
    work[t].stamp = (int *) R_alloc(LOG_CACHE, sizeof(int));
    for (int c = 0; c < LOG_CACHE; c++) work[t].stamp[c] = -1;
  }
  SEXP out = PROTECT(allocVector(REALSXP, m));
  double *o = REAL(out);
  const int chunk = 256;
  for (int start = 0; start < m; start += chunk) {
    int end = start + chunk < m ? start + chunk : m;
#ifdef _OPENMP
#pragma omp parallel for num_threads(n_threads) schedule(static)
#endif
    for (int j = start; j < end; j++) {
#ifdef _OPENMP
      tmm_work *w = &work[omp_get_thread_num()];
#else
      tmm_work *w = &work[0];
#endif
      o[j] = tmm_log_factor(x + (R_xlen_t) j * n, ref, &rf, n, lib[j],
                            ratio_trim, sum_trim, weighting, a_cutoff, w, j);
    }
    R_CheckUserInterrupt();
  }
  for (int j = 0; j < m; j++) o[j] = R_pow(2.0, o[j]);
  UNPROTECT(1);
  return out;
}

/* ---- log-CPM ------------------------------------------------------------- */

/* log2 CPM with edgeR's prior rule; prior_j = prior * lib_j / mean_lib. The
 * arithmetic is the same as the vectorized R expression. */
SEXP C_log_cpm(SEXP x_, SEXP lib_, SEXP prior_, SEXP mean_lib_) {
  int n, m;
  const double *x = arg_dbl_matrix(x_, "C_log_cpm: x", &n, &m);
  const double *lib = arg_dbl(lib_, "C_log_cpm: lib", m);
  double prior = arg_num1(prior_, "C_log_cpm: prior", 0.0, DBL_MAX);
  double mean_lib = arg_num1(mean_lib_, "C_log_cpm: mean_lib", DBL_MIN, DBL_MAX);
  SEXP out = PROTECT(allocMatrix(REALSXP, n, m));
  double *o = REAL(out);
  for (int j = 0; j < m; j++) {
    if (j % 256 == 0) R_CheckUserInterrupt();
    double p = prior * lib[j] / mean_lib;
    double denom = lib[j] + 2 * p;
    R_xlen_t off = (R_xlen_t) j * n;
    for (int i = 0; i < n; i++) o[off + i] = log2((x[off + i] + p) / denom * 1e6);
  }
  setAttrib(out, R_DimNamesSymbol, getAttrib(x_, R_DimNamesSymbol));
  UNPROTECT(1);
  return out;
}

/* Delta-Cq against a per-sample anchor on the log2 scale:
 * out[i, j] = -(cq[i, j] - anchor[j]) * slope, in the same operation order
 * as the R expression it replaces, so results are bit-identical; one pass
 * and one allocation instead of four full-size temporaries.
 * anchor_ is either the anchors (double, one per sample) or the 0-based rows
 * (integer) whose column means are the anchors: then they are computed in
 * the same pass, as colMeans() does (long double sum over the rows in the
 * given order, divided by their number), and the result is list(values,
 * anchor), or NULL when an anchor row is missing in some sample (the caller
 * reports which). */
SEXP C_delta_cq(SEXP cq_, SEXP anchor_, SEXP slope_) {
  int nr_, nc_;
  arg_dbl_matrix(cq_, "C_delta_cq: cq", &nr_, &nc_);
  R_xlen_t nr = nr_, nc = nc_;
  int by_rows = isInteger(anchor_);
  if (!by_rows && (!isReal(anchor_) || XLENGTH(anchor_) != nc))
    error("anchor must have one value per sample");
  const int *rows = by_rows ? INTEGER(anchor_) : NULL;
  R_xlen_t nrows_anchor = by_rows ? XLENGTH(anchor_) : 0;
  for (R_xlen_t k = 0; k < nrows_anchor; k++)
    if (rows[k] < 0 || rows[k] >= nr) error("anchor rows out of range");
  double slope = arg_num1(slope_, "C_delta_cq: slope", -DBL_MAX, DBL_MAX);
  const double *cq = REAL(cq_);
  SEXP anc = PROTECT(by_rows ? allocVector(REALSXP, nc) : anchor_);
  double *anchor = REAL(anc);
  SEXP out = PROTECT(allocMatrix(REALSXP, (int) nr, (int) nc));
  double *o = REAL(out);
  for (R_xlen_t j = 0; j < nc; j++) {
    if (j % 65536 == 0) R_CheckUserInterrupt();
    const double *col = cq + j * nr;
    if (by_rows) {
      long double sum = 0.0;  /* as colMeans() */
      int na = 0;
      for (R_xlen_t k = 0; k < nrows_anchor; k++) {
        double v = col[rows[k]];
        na |= ISNAN(v);
        sum += v;
      }
      if (na) {
        UNPROTECT(2);
        return R_NilValue;
      }
      sum /= nrows_anchor;
      anchor[j] = (double) sum;
    }
    const double a = anchor[j];
    double *dst = o + j * nr;
    for (R_xlen_t i = 0; i < nr; i++) dst[i] = -(col[i] - a) * slope;
  }
  setAttrib(out, R_DimNamesSymbol, getAttrib(cq_, R_DimNamesSymbol));
  if (!by_rows) {
    UNPROTECT(2);
    return out;
  }
  SEXP res = named_list(2, "values", out, "anchor", anc);
  UNPROTECT(2);
  return res;
}
