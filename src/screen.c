/* Single-marker screening: one pass over a features x samples matrix giving,
 * per feature (NA values left out), the detected counts, means and medians
 * per group, the AUC with its DeLong variance at a fixed direction, the
 * Wilcoxon rank-sum test as wilcox.test computes it and Welch's t-test as
 * t.test does. The ROC pieces (one sort, groups of ties, placements) are
 * those of roc.c and delong.c. */
#include "roc.h"
#include "threads.h"
#include "api_args.h"
#include "rlist.h"
#include <math.h>
#include <float.h>
#include <Rmath.h>
#include <R_ext/Utils.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* Columns of the result, one row per feature; named by screen_cols. */
enum {
  S_N0, S_N1, S_MEAN0, S_MEAN1, S_MED0, S_MED1, S_AUC, S_VAR, S_W, S_WP,
  S_T, S_DF, S_TP, S_NINF, S_NCOL
};
static const char *const screen_cols[S_NCOL] = {
  "n_control", "n_case", "mean_control", "mean_case", "median_control",
  "median_case", "auc", "auc_var", "w", "p_wilcoxon", "t", "df", "p_t",
  "n_infinite"};

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

/* Per-thread work space for one feature of up to n values. */
typedef struct {
  double *z, *u;
  int *yy;
  void *sort;
} screen_work;

/* One feature (its len non-missing values in w->z, classes in w->yy); no R
 * API calls, so it may run inside a parallel region. The exact Wilcoxon
 * p-value (pwilcox keeps a static cache) is left to the caller: *exact is
 * set when it applies. */
static void screen_one(screen_work *w, R_xlen_t len, R_xlen_t m1, double sum0,
                       double sum1, int dir, double *o, R_xlen_t p, R_xlen_t j,
                       int *exact) {
#define OUT(col) o[j + (R_xlen_t) (col) * p]
  const double *z = w->z;
  const int *yy = w->yy;
  R_xlen_t m0 = len - m1;
  *exact = 0;
  OUT(S_N0) = (double) m0;
  OUT(S_N1) = (double) m1;
  for (int c = S_MEAN0; c < S_NINF; c++) OUT(c) = NA_REAL;
  if (len == 0) return;
  /* means: the gathering pass summed; one refinement pass, as R's mean()
   * (which sums in long double; the refinement brings double sums within
   * an ulp or two). The same pass gives the squared deviations for Welch:
   * sum (z - mean)^2 = sum (z - s)^2 - t^2 / m. */
  double s0 = m0 > 0 ? sum0 / m0 : 0.0, s1 = m1 > 0 ? sum1 / m1 : 0.0;
  double t0 = 0.0, t1 = 0.0, q0 = 0.0, q1 = 0.0;
  for (R_xlen_t i = 0; i < len; i++) {
    double d = z[i] - (yy[i] ? s1 : s0);
    t1 += yy[i] ? d : 0.0;
    t0 += yy[i] ? 0.0 : d;
    q1 += yy[i] ? d * d : 0.0;
    q0 += yy[i] ? 0.0 : d * d;
  }
  double mean0 = m0 > 0 ? s0 + t0 / m0 : NA_REAL;
  double mean1 = m1 > 0 ? s1 + t1 / m1 : NA_REAL;
  OUT(S_MEAN0) = mean0;
  OUT(S_MEAN1) = mean1;

  /* groups of ties in ascending value ("<" orientation) */
  double *wc, *wk;
  int dir_used;
  R_xlen_t K = roc_groups_scratch(z, yy, NULL, len, 1, &dir_used, w->u, &wc,
                                  &wk, NULL, w->sort);
  const double *u = w->u;
  /* one walk up the groups: Mann-Whitney count, tie sizes, and the order
   * statistics that make each class's median */
  double mw = 0.0, cases_above = (double) m1, tie_sum = 0.0;
  double cum0 = 0.0, cum1 = 0.0;
  const double lo0 = (double) ((m0 - 1) / 2), hi0 = (double) (m0 / 2);
  const double lo1 = (double) ((m1 - 1) / 2), hi1 = (double) (m1 / 2);
  double med0_lo = NA_REAL, med0_hi = NA_REAL, med1_lo = NA_REAL, med1_hi = NA_REAL;
  for (R_xlen_t k = 0; k < K; k++) {
    cases_above -= wc[k];
    mw += wk[k] * (cases_above + 0.5 * wc[k]);
    double t = wc[k] + wk[k];
    tie_sum += t * t * t - t;
    double next0 = cum0 + wk[k], next1 = cum1 + wc[k];
    if (cum0 <= lo0 && lo0 < next0) med0_lo = u[k];
    if (cum0 <= hi0 && hi0 < next0) med0_hi = u[k];
    if (cum1 <= lo1 && lo1 < next1) med1_lo = u[k];
    if (cum1 <= hi1 && hi1 < next1) med1_hi = u[k];
    cum0 = next0;
    cum1 = next1;
  }
  if (m0 > 0) OUT(S_MED0) = m0 % 2 ? med0_lo : (double) (((long double) med0_lo + med0_hi) / 2);
  if (m1 > 0) OUT(S_MED1) = m1 % 2 ? med1_lo : (double) (((long double) med1_lo + med1_hi) / 2);
  if (m0 == 0 || m1 == 0) return;

  double auc_lt = mw / ((double) m1 * (double) m0);
  OUT(S_AUC) = dir == 2 ? 1 - auc_lt : auc_lt;
  OUT(S_W) = mw;
  int ties = K < len;
  if (m1 < 50 && m0 < 50 && !ties) *exact = 1;
  else OUT(S_WP) = wilcox_p(mw, m1, m0, tie_sum, ties);

  if (m1 > 1 && m0 > 1) {
    double v1, v0;
    roc_placement_ss(K, wc, wk, auc_lt, &v1, &v0);
    OUT(S_VAR) = v1 / (m1 - 1) / m1 + v0 / (m0 - 1) / m0;

    /* Welch, as t.test(cases, controls) */
    double ss1 = q1 - t1 * t1 / m1, ss0 = q0 - t0 * t0 / m0;
    double vx = ss1 / (m1 - 1) / m1, vy = ss0 / (m0 - 1) / m0;
    double se = sqrt(vx + vy);
    double big = fabs(mean1) > fabs(mean0) ? fabs(mean1) : fabs(mean0);
    if (!(se < 10 * DBL_EPSILON * big)) {
      double df = (vx + vy) * (vx + vy) / (vx * vx / (m1 - 1) + vy * vy / (m0 - 1));
      double t = (mean1 - mean0) / se;
      OUT(S_T) = t;
      OUT(S_DF) = df;
      OUT(S_TP) = 2 * pt(-fabs(t), df, 1, 0);
    }
  }
#undef OUT
}

/* Gathers feature j's finite values and screens them (no R API unless
 * n >= ROC_SMALL_SORT, which runs only serially). */
static void screen_feature(screen_work *w, const double *x, const int *y,
                           R_xlen_t n, R_xlen_t fstride, R_xlen_t sstride,
                           int dir, double *o, R_xlen_t p, R_xlen_t j,
                           int *exact) {
  R_xlen_t len = 0, n_inf = 0, m1 = 0;
  double sum0 = 0.0, sum1 = 0.0;
  for (R_xlen_t i = 0; i < n; i++) {
    double v = x[j * fstride + i * sstride];
    if (!R_FINITE(v)) {
      n_inf += !ISNAN(v);
      continue;
    }
    int c = y[i] != 0;
    w->z[len] = v;
    w->yy[len] = c;
    m1 += c;
    sum1 += c ? v : 0.0;
    sum0 += c ? 0.0 : v;
    len++;
  }
  screen_one(w, len, m1, sum0, sum1, dir, o, p, j, &exact[j]);
  o[j + (R_xlen_t) S_NINF * p] = (double) n_inf;
}

/* x: features x samples (features_in_rows = TRUE) or samples x features,
 * NA allowed; y: 0/1 per sample (1 = case); dir: 1 = "<" (larger values in
 * cases), 2 = ">"; threads: OpenMP threads over features (used when n is
 * below ROC_SMALL_SORT; results do not depend on it). Returns a p x S_NCOL
 * matrix with named columns (screen_cols); "n_infinite" counts infinite
 * values (left out, for the caller to refuse). Attribute "threads" is the
 * number of threads that ran. */
SEXP C_screen(SEXP x_, SEXP y_, SEXP dir_, SEXP features_in_rows_, SEXP threads_) {
  int nr, nc;
  const double *x = arg_dbl_matrix(x_, "C_screen: x", &nr, &nc);
  int in_rows = arg_flag(features_in_rows_, "C_screen: features_in_rows");
  R_xlen_t p = in_rows ? nr : nc, n = in_rows ? nc : nr;
  /* element (feature j, sample i) sits at j * fstride + i * sstride */
  R_xlen_t fstride = in_rows ? 1 : n, sstride = in_rows ? p : 1;
  const int *y = arg_int(y_, "C_screen: y", n);
  arg_ids(y, n, "C_screen: y", 0, 1);
  int dir = arg_int1(dir_, "C_screen: dir", 1, 2);
  int req = arg_int1(threads_, "C_screen: threads", 1, INT_MAX);
  int n_threads = n < ROC_SMALL_SORT ? evmirna_threads(req) : 1;
  SEXP out = PROTECT(allocMatrix(REALSXP, (int) p, S_NCOL));
  set_colnames(out, screen_cols, S_NCOL);
  double *o = REAL(out);
  int *exact = (int *) R_alloc(p > 0 ? p : 1, sizeof(int));
  R_xlen_t nn = n > 0 ? n : 1;
  screen_work *work = (screen_work *) R_alloc(n_threads, sizeof(screen_work));
  for (int t = 0; t < n_threads; t++) {
    screen_work *w = &work[t];
    w->z = (double *) R_alloc(nn, sizeof(double));
    w->u = (double *) R_alloc(nn, sizeof(double));
    w->yy = (int *) R_alloc(nn, sizeof(int));
    w->sort = (void *) R_alloc(ROC_SCRATCH_BYTES(n), 1);
  }
  /* blocks of features between interrupt checks (outside the parallel
   * region); threads share a block. Inputs of ROC_SMALL_SORT values or more
   * take the radix sort, which allocates: those run serially, outside any
   * parallel region. */
  R_xlen_t block = ((R_xlen_t) 1 << 23) / (n + 1);
  if (block < 1) block = 1;
  if (block > 65536) block = 65536;
  int used = 1;
  for (R_xlen_t j0 = 0; j0 < p; j0 += block) {
    R_xlen_t j1 = j0 + block < p ? j0 + block : p;
    if (n_threads > 1) {
#ifdef _OPENMP
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 8)
      for (R_xlen_t j = j0; j < j1; j++) {
        if (j == j0) used = omp_get_num_threads();
        screen_feature(&work[omp_get_thread_num()], x, y, n, fstride, sstride,
                       dir, o, p, j, exact);
      }
#endif
    } else {
      for (R_xlen_t j = j0; j < j1; j++) {
        /* the radix sort's R_alloc'ed buckets are released per feature */
        const void *vmax = vmaxget();
        screen_feature(&work[0], x, y, n, fstride, sstride, dir, o, p, j, exact);
        vmaxset(vmax);
      }
    }
    R_CheckUserInterrupt();
  }
  /* exact Wilcoxon p-values, serially (pwilcox caches in static memory) */
  for (R_xlen_t j = 0; j < p; j++) {
    if (!exact[j]) continue;
    o[j + (R_xlen_t) S_WP * p] = wilcox_p(o[j + (R_xlen_t) S_W * p], (R_xlen_t) o[j + (R_xlen_t) S_N1 * p],
                                          (R_xlen_t) o[j + (R_xlen_t) S_N0 * p], 0.0, 0);
  }
  SEXP used_ = PROTECT(ScalarInteger(used));
  setAttrib(out, install("threads"), used_);
  UNPROTECT(2);
  return out;
}
