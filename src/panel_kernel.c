/* Fast path of the logistic panel search; see panel_kernel.h. Per fold the
 * training and test rows are gathered once into contiguous blocks with their
 * cross-products. A panel's fit starts warm from its parent's (the panel
 * without its last marker, fitted once per parent and thread); a single
 * marker's first Newton step (from the intercept-only fit, where every
 * weight is ybar (1 - ybar)) is a k x k sub-block solve of the fold's
 * cross-products. Each further step is one pass over the fold's rows. */
#include "panel_kernel.h"
#include "roc.h"
#include "wls.h"
#include <math.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* Alignment of every carved piece. */
static size_t round8(size_t b) { return (b + 7u) & ~(size_t) 7u; }

static void block_counts(int n, const int *folds, int R, int F, int *ntr, int *nte) {
  if (F == 0) {
    ntr[0] = nte[0] = n;
    return;
  }
  for (int b = 0; b < R * F; b++) ntr[b] = nte[b] = 0;
  for (int r = 0; r < R; r++)
    for (int i = 0; i < n; i++) {
      int f = folds[i + (size_t) r * n] - 1;
      for (int g = 0; g < F; g++) (g == f ? nte : ntr)[r * F + g]++;
    }
}

size_t panel_design_bytes(int n, int p, const int *folds, int R, int F) {
  int nb = F == 0 ? 1 : R * F;
  size_t str = F == 0 ? (size_t) n : (size_t) R * (F - 1) * n;
  size_t ste = F == 0 ? (size_t) n : (size_t) R * n;
  (void) folds;
  size_t b = 0;
  b += round8(sizeof(double) * (str + ste) * p);               /* xtr, xte */
  b += round8(sizeof(double) * nb * ((size_t) p + (size_t) p * p)); /* colsum, gram */
  b += round8(sizeof(double) * (str + nb + (size_t) nb * p));  /* ytr, ybar, xty */
  b += round8(sizeof(size_t) * 2 * nb);
  b += round8(sizeof(int) * (2 * (size_t) nb + str + ste));
  return b;
}

void panel_design_init(panel_design *d, void *mem, const double *x, int n,
                       int p, const int *folds, int R, int F) {
  int nb = F == 0 ? 1 : R * F;
  size_t str = F == 0 ? (size_t) n : (size_t) R * (F - 1) * n;
  size_t ste = F == 0 ? (size_t) n : (size_t) R * n;
  char *m = (char *) mem;
  d->n = n; d->p = p; d->R = F == 0 ? 1 : R; d->F = F; d->nb = nb;
  d->xtr = (double *) m; d->xte = d->xtr + str * p;
  m += round8(sizeof(double) * (str + ste) * p);
  d->colsum = (double *) m; d->gram = d->colsum + (size_t) nb * p;
  m += round8(sizeof(double) * nb * ((size_t) p + (size_t) p * p));
  d->ytr = (double *) m; d->ybar = d->ytr + str; d->xty = d->ybar + nb;
  m += round8(sizeof(double) * (str + nb + (size_t) nb * p));
  d->tr_off = (size_t *) m; d->te_off = d->tr_off + nb;
  m += round8(sizeof(size_t) * 2 * nb);
  d->ntr = (int *) m; d->nte = d->ntr + nb; d->tr_rows = d->nte + nb;
  d->te_rows = d->tr_rows + str;

  block_counts(n, folds, R, F, d->ntr, d->nte);
  size_t otr = 0, ote = 0;
  for (int b = 0; b < nb; b++) {
    d->tr_off[b] = otr; d->te_off[b] = ote;
    otr += d->ntr[b]; ote += d->nte[b];
  }
  /* row lists in sample order */
  for (int b = 0; b < nb; b++) {
    int r = F == 0 ? 0 : b / F, f = F == 0 ? 0 : b % F + 1;
    int *tr = d->tr_rows + d->tr_off[b], *te = d->te_rows + d->te_off[b];
    int a = 0, c = 0;
    for (int i = 0; i < n; i++) {
      int fi = F == 0 ? 0 : folds[i + (size_t) r * n];
      if (F == 0 || fi != f) tr[a++] = i;
      if (F == 0 || fi == f) te[c++] = i;
    }
  }
  for (int b = 0; b < nb; b++) {
    int nt = d->ntr[b], ne = d->nte[b];
    double *xt = d->xtr + d->tr_off[b] * p, *xe = d->xte + d->te_off[b] * p;
    const int *tr = d->tr_rows + d->tr_off[b], *te = d->te_rows + d->te_off[b];
    for (int j = 0; j < p; j++) {
      const double *xj = x + (size_t) j * n;
      for (int i = 0; i < nt; i++) xt[i + (size_t) j * nt] = xj[tr[i]];
      for (int i = 0; i < ne; i++) xe[i + (size_t) j * ne] = xj[te[i]];
    }
    double *cs = d->colsum + (size_t) b * p, *g = d->gram + (size_t) b * p * p;
    for (int j = 0; j < p; j++) {
      const double *a = xt + (size_t) j * nt;
      double s = 0.0;
      for (int i = 0; i < nt; i++) s += a[i];
      cs[j] = s;
      for (int l = 0; l <= j; l++) {
        double v = wls_dot(a, xt + (size_t) l * nt, nt);
        g[j + (size_t) l * p] = g[l + (size_t) j * p] = v;
      }
    }
  }
}

void panel_design_labels(panel_design *d, const int *y) {
  const int p = d->p;
  for (int b = 0; b < d->nb; b++) {
    int nt = d->ntr[b];
    const int *tr = d->tr_rows + d->tr_off[b];
    double *yt = d->ytr + d->tr_off[b], s = 0.0;
    for (int i = 0; i < nt; i++) s += yt[i] = y[tr[i]] ? 1.0 : 0.0;
    d->ybar[b] = nt > 0 ? s / nt : 0.0;
    const double *xt = d->xtr + d->tr_off[b] * p;
    for (int j = 0; j < p; j++)
      d->xty[(size_t) b * p + j] = wls_dot(xt + (size_t) j * nt, yt, nt);
  }
}

/* Per-thread work: pooled scores and ROC scratch over n, test-row scores
 * over the largest block, the coefficients, and the fits of the current
 * parent panel (the panel without its last marker) in every block, which
 * start its children's fits. */
typedef struct {
  double *score, *eta, *beta, *pbeta;
  int *pok, *pcols;
  int psize;
  void *roc;
} fast_work;

static int max_rows(const panel_design *d) {
  int m = 1;
  for (int b = 0; b < d->nb; b++) {
    if (d->ntr[b] > m) m = d->ntr[b];
    if (d->nte[b] > m) m = d->nte[b];
  }
  return m;
}

static size_t work_doubles(const panel_design *d, int size) {
  size_t k = (size_t) size + 1;
  return (size_t) d->n + (size_t) max_rows(d) + k + (size_t) d->nb * k;
}

size_t panel_fast_scratch_bytes(const panel_design *d, int size) {
  return round8(sizeof(double) * work_doubles(d, size)) +
         round8(sizeof(int) * ((size_t) d->nb + (size_t) size + 1)) +
         panel_auc_scratch_bytes(d->n);
}

static fast_work carve_work(const panel_design *d, int size, void *mem) {
  size_t k = (size_t) size + 1;
  fast_work w;
  w.score = (double *) mem;
  w.eta = w.score + d->n;
  w.beta = w.eta + max_rows(d);
  w.pbeta = w.beta + k;
  char *c = (char *) mem + round8(sizeof(double) * work_doubles(d, size));
  w.pok = (int *) c;
  w.pcols = w.pok + d->nb;
  w.psize = -1;
  w.roc = c + round8(sizeof(int) * ((size_t) d->nb + k));
  return w;
}

size_t panel_auc_scratch_bytes(int n) {
  return round8(sizeof(double) * (size_t) (n > 0 ? n : 1)) + ROC_SCRATCH_BYTES(n);
}

void panel_auc_delong(const double *s, const int *y, int n, double *u,
                      void *sort_space, double *auc, double *var) {
  double *wc, *wk;
  int dir_used, m1 = 0;
  for (int i = 0; i < n; i++) m1 += y[i] != 0;
  int m0 = n - m1;
  R_xlen_t K = roc_groups_scratch(s, y, NULL, n, 1, &dir_used, u, &wc, &wk, NULL,
                                  sort_space);
  double a = roc_curve(K, u, wc, wk, NULL, NULL, NULL), s1, s0;
  roc_placement_ss(K, wc, wk, a, &s1, &s0);
  *auc = a;
  *var = (m1 > 1 && m0 > 1) ? s1 / (m1 - 1) / m1 + s0 / (m0 - 1) / m0 : NAN;
}

/* Weights below this mean fitted probabilities at 0 or 1: separation, where
 * the glm.fit trajectory (not the limit) decides the scores. */
#define FAST_MIN_WEIGHT 1e-10

/* Cholesky solve of the k x k system h z = g (upper triangle of h used,
 * overwritten; g becomes z) for the tiny k of a panel: no LAPACK call
 * overhead. Returns 1 when h is not positive definite. */
static inline int small_chol_solve(double *h, double *g, int k) {
  for (int j = 0; j < k; j++) {
    double d = h[j + j * k];
    for (int l = 0; l < j; l++) d -= h[l + j * k] * h[l + j * k];
    if (!(d > 1e-13 * (h[j + j * k] > 0 ? h[j + j * k] : 1.0))) return 1;
    d = sqrt(d);
    h[j + j * k] = d;
    for (int c = j + 1; c < k; c++) {
      double v = h[j + c * k];
      for (int l = 0; l < j; l++) v -= h[l + j * k] * h[l + c * k];
      h[j + c * k] = v / d;
    }
  }
  for (int j = 0; j < k; j++) {          /* R' z = g */
    double v = g[j];
    for (int l = 0; l < j; l++) v -= h[l + j * k] * g[l];
    g[j] = v / h[j + j * k];
  }
  for (int j = k - 1; j >= 0; j--) {     /* R x = z */
    double v = g[j];
    for (int l = j + 1; l < k; l++) v -= h[j + l * k] * g[l];
    g[j] = v / h[j + j * k];
  }
  return 0;
}

/* Newton-Raphson on training block b for the columns cols[0..S); beta
 * (S + 1, intercept first) in w. 0 = converged cleanly, 1 = flag. One pass
 * over the rows per iteration builds the linear predictor, weights,
 * gradient and Hessian; S is a compile-time constant in each instance so
 * the accumulators stay in registers. */
static inline __attribute__((always_inline))
int fit_block_s(const panel_design *d, int b, const int *cols, const int S,
                int maxit, double tol, const double *start, double *beta) {
  enum { KMAX = PANEL_FAST_MAX_SIZE + 1 };
  const int p = d->p, nt = d->ntr[b], k = S + 1;
  const double ybar = d->ybar[b];
  if (!(ybar > 0.0 && ybar < 1.0)) return 1;
  const double *xt = d->xtr + d->tr_off[b] * p, *yt = d->ytr + d->tr_off[b];
  const double *cs = d->colsum + (size_t) b * p, *G = d->gram + (size_t) b * p * p;
  const double *xty = d->xty + (size_t) b * p;
  const double *xc[KMAX];
  for (int j = 0; j < S; j++) xc[j] = xt + (size_t) cols[j] * nt;
  double h[KMAX * KMAX], g[KMAX];
  if (start) {
    /* the parent's fit, the new marker's coefficient at 0 */
    for (int j = 0; j < S; j++) beta[j] = start[j];
    beta[S] = 0.0;
    goto newton;
  }
  /* first step from the intercept-only fit: constant weights, so the
   * system is the fold's cross-products restricted to the panel */
  const double w0 = ybar * (1.0 - ybar);
  h[0] = w0 * nt;
  g[0] = 0.0;
  for (int j = 0; j < S; j++) {
    int cj = cols[j];
    h[(j + 1) * k] = w0 * cs[cj];
    g[j + 1] = xty[cj] - ybar * cs[cj];
    for (int l = 0; l <= j; l++) h[(l + 1) + (j + 1) * k] = w0 * G[cols[l] + (size_t) cj * p];
  }
  if (small_chol_solve(h, g, k)) return 1;
  beta[0] = log(ybar / (1.0 - ybar)) + g[0];
  for (int j = 1; j < k; j++) beta[j] = g[j];
newton:
  for (int it = 1; it <= maxit; it++) {
    double hh[KMAX * KMAX] = {0.0}, gg[KMAX] = {0.0}, wmin = 1.0;
    for (int i = 0; i < nt; i++) {
      double e = beta[0], xi[KMAX];
#pragma GCC unroll 8
      for (int j = 0; j < S; j++) {
        xi[j] = xc[j][i];
        e += beta[j + 1] * xi[j];
      }
      double a = exp(-fabs(e)), q = 1.0 / (1.0 + a);
      double pi = e >= 0 ? q : a * q;
      double wi = q * (a * q);          /* pi (1 - pi) without cancellation */
      double r = yt[i] - pi;
      wmin = wi < wmin ? wi : wmin;
      hh[0] += wi;
      gg[0] += r;
#pragma GCC unroll 8
      for (int j = 0; j < S; j++) {
        double wx = wi * xi[j];
        gg[j + 1] += r * xi[j];
        hh[(j + 1) * k] += wx;
#pragma GCC unroll 8
        for (int l = 0; l <= j; l++) hh[(l + 1) + (j + 1) * k] += wx * xi[l];
      }
    }
    if (wmin < FAST_MIN_WEIGHT) return 1;
    if (small_chol_solve(hh, gg, k)) return 1;
    double step = 0.0;
    for (int j = 0; j < k; j++) {
      beta[j] += gg[j];
      double r = fabs(gg[j]) / (1.0 + fabs(beta[j]));
      if (r > step) step = r;
    }
    /* Newton converges quadratically: after a step this small the error
     * left is of order step^2, below tol */
    if (step * step < tol) return 0;
  }
  return 1;
}

static int fit_block(const panel_design *d, int b, const int *cols, int size,
                     int maxit, double tol, const double *start, double *beta) {
  switch (size) {
  case 1: return fit_block_s(d, b, cols, 1, maxit, tol, start, beta);
  case 2: return fit_block_s(d, b, cols, 2, maxit, tol, start, beta);
  case 3: return fit_block_s(d, b, cols, 3, maxit, tol, start, beta);
  case 4: return fit_block_s(d, b, cols, 4, maxit, tol, start, beta);
  case 5: return fit_block_s(d, b, cols, 5, maxit, tol, start, beta);
  case 6: return fit_block_s(d, b, cols, 6, maxit, tol, start, beta);
  case 7: return fit_block_s(d, b, cols, 7, maxit, tol, start, beta);
  default: return fit_block_s(d, b, cols, 8, maxit, tol, start, beta);
  }
}

/* Makes w's parent cache hold the fits of cols[0..size-1) in every block
 * (refitted only when the parent changes; a fit depends only on the block
 * and the columns, so which thread made it does not matter). */
static void parent_fits(const panel_design *d, const int *cols, int size, int maxit,
                        double tol, fast_work *w) {
  const int ps = size - 1;
  if (w->psize == ps) {
    int same = 1;
    for (int j = 0; j < ps; j++) same &= w->pcols[j] == cols[j];
    if (same) return;
  }
  for (int b = 0; b < d->nb; b++)
    w->pok[b] = !fit_block(d, b, cols, ps, maxit, tol, NULL, w->pbeta + (size_t) b * size);
  for (int j = 0; j < ps; j++) w->pcols[j] = cols[j];
  w->psize = ps;
}

static void eval_panel(const panel_design *d, const int *y, const int *cols,
                       int size, int maxit, double tol, double floor, fast_work *w,
                       double *auc, double *var, int *flag) {
  const int p = d->p, F = d->F == 0 ? 1 : d->F;
  double asum = 0.0, vsum = 0.0;
  if (size > 1) parent_fits(d, cols, size, maxit, tol, w);
  for (int r = 0; r < d->R; r++) {
    for (int f = 0; f < F; f++) {
      int b = r * F + f;
      const double *start = size > 1 && w->pok[b] ? w->pbeta + (size_t) b * size : NULL;
      if (fit_block(d, b, cols, size, maxit, tol, start, w->beta)) {
        *flag = 1;
        return;
      }
      int ne = d->nte[b];
      const double *xe = d->xte + d->te_off[b] * p;
      const int *te = d->te_rows + d->te_off[b];
      double *e = w->eta;               /* free again: test-row scores */
      for (int i = 0; i < ne; i++) e[i] = w->beta[0];
      for (int j = 0; j < size; j++) wls_axpy(e, w->beta[j + 1], xe + (size_t) cols[j] * ne, ne);
      for (int i = 0; i < ne; i++) w->score[te[i]] = e[i];
    }
    double a, v;
    panel_auc_delong(w->score, y, d->n, (double *) w->roc,
                     (char *) w->roc + round8(sizeof(double) * (size_t) d->n), &a, &v);
    asum += a;
    vsum += v;
    /* even AUCs of 1 in every remaining repeat could not reach the floor */
    if (r + 1 < d->R && (asum + (d->R - r - 1)) / d->R < floor - 1e-12) {
      *auc = *var = NAN;
      *flag = 2;
      return;
    }
  }
  *auc = asum / d->R;
  *var = vsum / d->R;
  *flag = 0;
}

void panel_fast_logistic(const panel_design *d, const int *y, const int *panels,
                         int size, int m, int maxit, double tol, double floor, int threads,
                         void *scratch, size_t scratch_bytes, double *auc,
                         double *var, int *flag) {
#ifdef _OPENMP
#pragma omp parallel num_threads(threads)
  {
    int t = omp_get_thread_num();
#else
  {
    int t = 0;
    (void) threads;
#endif
    fast_work w = carve_work(d, size, (char *) scratch + (size_t) t * scratch_bytes);
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 8)
#endif
    for (int q = 0; q < m; q++)
      eval_panel(d, y, panels + (size_t) q * size, size, maxit, tol, floor, &w, auc + q,
                 var + q, flag + q);
  }
}
