/* Binomial elastic-net path by cyclic coordinate descent.
 *
 * Minimises, for each lambda of a decreasing path,
 *   -(1/W) sum_i w_i loglik_i(b0, b) + lambda * sum_j vp_j (alpha |b_j| + (1 - alpha) b_j^2 / 2)
 * with an IRLS (Newton) outer loop on the binomial log-likelihood, warm starts
 * along the path, sequential strong rules and a KKT check on the variables
 * the strong rule left out. The path, its convergence tests and its stopping
 * rules follow glmnet's documented behaviour (Friedman, Hastie & Tibshirani
 * 2010; glmnet.control()), so the numbers agree with glmnet on the same lambda
 * sequence. Features are centred (and scaled when standardizing) internally;
 * coefficients are returned on the original scale. */
#include <R.h>
#include <Rinternals.h>
#include "threads.h"
#include "api_args.h"
#include "rlist.h"
#include "wls.h"
#include <math.h>
#include <string.h>
#include <float.h>

#define ELNET_PMIN 1e-9      /* glmnet.control()$pmin */
#define ELNET_FDEV 1e-5      /* minimum change of the deviance ratio */
#define ELNET_DEVMAX 0.999   /* stop when this much deviance is explained */
#define ELNET_EPS 1e-6       /* smallest lambda.min.ratio honoured */
#define ELNET_BIG 9.9e35     /* "infinite" first lambda */
#define ELNET_MNLAM 5        /* no early stop before this many lambdas */

#ifdef _OPENMP
#include <omp.h>
#endif

/* The hot loops are written 4- or 8-wide so that GCC's SLP vectorizer packs
 * them at -O2; on x86-64 Linux an AVX2 clone is chosen at load time. The
 * explicit partial sums fix the order of every floating-point operation, so
 * both clones (and any thread count) give bit-identical results. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    defined(__linux__) && __GNUC__ >= 6
#define ELNET_SIMD __attribute__((target_clones("avx2", "default")))
#else
#define ELNET_SIMD
#endif

typedef struct {
  int n, p;             /* rows used, columns */
  int ldx;              /* rows of the x matrix */
  const int *rows;      /* n 0-based rows of x, or NULL for rows 0..n-1 */
  const double *x;      /* ldx x p, column-major, original scale */
  const double *y;      /* 0/1, length n (already subset) */
  const double *w;      /* observation weights (any positive scale), length n */
  const double *vp;     /* penalty factors, length p */
  double alpha;
  int standardize;
  int nlam;
  double flmin;         /* lambda.min.ratio; ignored when ulam given */
  const double *ulam;   /* user lambdas (decreasing) or NULL */
  double thresh;
  int maxit;
  int dfmax, pmax;
  int interrupts;       /* call R_CheckUserInterrupt (main thread only) */
  double lam_stop;      /* > 0: stop after the first lambda <= lam_stop (from
                           the third on), the last one predictions need */
} elnet_spec;

typedef struct {
  int nfit;             /* lambdas actually fitted */
  double *lambda;       /* nlam */
  double *a0;           /* nlam */
  double *beta;         /* p x nlam, original scale */
  double *dev_ratio;    /* nlam */
  double nulldev;       /* null deviance (weights normalised to sum 1) */
  int npasses;
  int status;           /* 0 ok; >0 maxit reached at that lambda; <0 pmax exceeded */
} elnet_result;

/* Scratch of one path fit; allocated by the caller (R_alloc on the main
 * thread) so that the kernel itself can run inside a parallel region. */
typedef struct {
  double *xs, *xm, *xsd, *w, *vp, *b, *bs, *xv, *ga, *r, *v, *q;
  double *znorm, *dref, *rref;
  int *keep, *strong, *pos, *active;
} elnet_work;

static void elnet_work_alloc(elnet_work *wk, int n, int p) {
  size_t nd = (size_t) n * p + 7 * (size_t) p + 2 * ((size_t) p + 1) + 5 * (size_t) n;
  double *d = (double *) R_alloc(nd, sizeof(double));
  int *iw = (int *) R_alloc(4 * (size_t) p, sizeof(int));
  wk->xs = d; d += (size_t) n * p;
  wk->xm = d; d += p;
  wk->xsd = d; d += p;
  wk->vp = d; d += p;
  wk->xv = d; d += p;
  wk->ga = d; d += p;
  wk->znorm = d; d += p;
  wk->dref = d; d += p;
  wk->rref = d; d += n;
  wk->b = d; d += p + 1;
  wk->bs = d; d += p + 1;
  wk->w = d; d += n;
  wk->r = d; d += n;
  wk->v = d; d += n;
  wk->q = d;
  wk->keep = iw; wk->strong = iw + p; wk->pos = iw + 2 * (size_t) p;
  wk->active = iw + 3 * (size_t) p;
}

/* r -= d * v * z, the residual update after a coordinate moves by d. */
ELNET_SIMD
static void resid_update(double *restrict r, double d, const double *restrict v,
                         const double *restrict z, int n) {
  int i = 0;
  for (; i + 3 < n; i += 4) {
    for (int k = 0; k < 4; k++) r[i + k] -= d * v[i + k] * z[i + k];
  }
  for (; i < n; i++) r[i] -= d * v[i] * z[i];
}

/* q += b * z, building the linear predictor. */
ELNET_SIMD
static void axpy_n(double *restrict q, double b, const double *restrict z, int n) {
  int i = 0;
  for (; i + 3 < n; i += 4) {
    for (int k = 0; k < 4; k++) q[i + k] += b * z[i + k];
  }
  for (; i < n; i++) q[i] += b * z[i];
}

/* sum_i v_i z_i^2, the coordinate's curvature. */
ELNET_SIMD
static double wsq_n(const double *restrict v, const double *restrict z, int n) {
  double s[8] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
  int i = 0;
  for (; i + 7 < n; i += 8) {
    for (int k = 0; k < 8; k++) s[k] += v[i + k] * z[i + k] * z[i + k];
  }
  for (; i < n; i++) s[0] += v[i] * z[i] * z[i];
  return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
}

/* Centres (and scales) one gathered column in place; returns 0 when the
 * column is constant (it is then zeroed and never enters). */
ELNET_SIMD
static int standardize_column(double *restrict z, const double *restrict w, int n,
                              int scale, double *mean, double *sd) {
  *mean = 0.0; *sd = 1.0;
  int varies = 0;
  for (int i = 1; i < n; i++) if (z[i] != z[0]) { varies = 1; break; }
  if (!varies) { memset(z, 0, sizeof(double) * n); return 0; }
  double m = wls_dot(w, z, n);
  for (int i = 0; i < n; i++) z[i] -= m;
  *mean = m;
  if (scale) {
    double s = sqrt(wsq_n(w, z, n));
    for (int i = 0; i < n; i++) z[i] /= s;
    *sd = s;
  }
  return 1;
}

/* Screening with a bound. The strong rule and the KKT check only ask
 * whether |r'z_k| exceeds a threshold. Since |r'z_k| <= |r0'z_k| +
 * ||r - r0|| ||z_k||, a value computed exactly at an earlier residual r0,
 * plus the residual's drift since then, often proves the answer is "no"
 * without reading column k. Every "yes" and every undecided case is
 * computed exactly, so the decisions (and the path) are those of the plain
 * algorithm. The slack covers rounding in the dot products and the drift. */
typedef struct {
  double drift;   /* sum of ||r_t - r_{t-1}|| over the checks so far */
  double rmax;    /* largest ||r|| seen at a check */
} elnet_screen;

static double screen_bound(const elnet_screen *sc, const elnet_work *wk, int k, int n) {
  double moved = sc->drift - wk->dref[k];
  double slack = 1e-6 * moved + 8.0 * DBL_EPSILON * sc->drift +
                 (4.0 * n + 64.0) * DBL_EPSILON * sc->rmax;
  return wk->ga[k] + (moved + slack) * wk->znorm[k];
}

/* Records the residual at a check: its drift from the last one. */
ELNET_SIMD
static void screen_advance(elnet_screen *sc, double *restrict rref,
                           const double *restrict r, int n) {
  double d2 = 0.0, r2 = 0.0;
  for (int i = 0; i < n; i++) {
    double d = r[i] - rref[i];
    d2 += d * d;
    r2 += r[i] * r[i];
    rref[i] = r[i];
  }
  sc->drift += sqrt(d2);
  if (sqrt(r2) > sc->rmax) sc->rmax = sqrt(r2);
}

/* Soft-thresholded, ridge-shrunk coordinate update. */
static double cd_update(double u, double xv, double vp, double l1, double l2) {
  double au = fabs(u) - vp * l1;
  if (au <= 0.0) return 0.0;
  return copysign(au, u) / (xv + vp * l2);
}

/* One coordinate-descent pass, then the intercept's update: over the strong
 * set (strong_pass; a variable that moves for the first time joins the
 * active set, unless that would exceed pmax: then *too_many is set and the
 * pass stops before the intercept) or over the active set. Returns the
 * largest weighted squared move. */
static double cd_pass(int strong_pass, int p, int n, const double *xs,
                      const int *strong, int *active, int *pos, int *nin,
                      int pmax, const double *xv, const double *vp, double l1,
                      double l2, const double *v, double vsum, double *r,
                      double *b, int *too_many) {
  double dlx = 0.0;
  const int count = strong_pass ? p : *nin;
  for (int t = 0; t < count; t++) {
    const int k = strong_pass ? t : active[t];
    if (strong_pass && !strong[k]) continue;
    const double *zk = xs + (size_t) k * n;
    double bk = b[k + 1];
    double u = wls_dot(r, zk, n) + xv[k] * bk;
    b[k + 1] = cd_update(u, xv[k], vp[k], l1, l2);
    double d = b[k + 1] - bk;
    if (d == 0.0) continue;
    if (xv[k] * d * d > dlx) dlx = xv[k] * d * d;
    resid_update(r, d, v, zk, n);
    if (strong_pass && pos[k] == 0) {
      if (*nin >= pmax) {
        *too_many = 1;
        return dlx;
      }
      active[(*nin)++] = k;
      pos[k] = *nin;
    }
  }
  double d = 0.0;
  for (int i = 0; i < n; i++) d += r[i];
  d /= vsum;
  if (d != 0.0) {
    b[0] += d;
    if (vsum * d * d > dlx) dlx = vsum * d * d;
    for (int i = 0; i < n; i++) r[i] -= d * v[i];
  }
  return dlx;
}

static void elnet_binomial(const elnet_spec *s, const elnet_work *wk, elnet_result *res) {
  const int n = s->n, p = s->p;
  double *xs = wk->xs, *xm = wk->xm, *xsd = wk->xsd, *w = wk->w, *vp = wk->vp;
  int *keep = wk->keep;
  double sw = 0.0;
  for (int i = 0; i < n; i++) sw += s->w[i];
  for (int i = 0; i < n; i++) w[i] = s->w[i] / sw;

  /* Constant columns never enter; the rest are centred (and scaled). */
  double svp = 0.0;
  for (int j = 0; j < p; j++) {
    vp[j] = s->vp[j] > 0.0 ? s->vp[j] : 0.0;
    svp += vp[j];
  }
  for (int j = 0; j < p; j++) vp[j] = vp[j] * p / svp;
  for (int j = 0; j < p; j++) {
    const double *xj = s->x + (size_t) j * s->ldx;
    double *zj = xs + (size_t) j * n;
    if (s->rows == NULL) memcpy(zj, xj, sizeof(double) * n);
    else for (int i = 0; i < n; i++) zj[i] = xj[s->rows[i]];
    keep[j] = standardize_column(zj, w, n, s->standardize, xm + j, xsd + j);
    wk->znorm[j] = sqrt(wls_dot(zj, zj, n));
  }

  const double fmax = log(1.0 / ELNET_PMIN - 1.0), fmin = -fmax;
  const double vmin = (1.0 + ELNET_PMIN) * ELNET_PMIN * (1.0 - ELNET_PMIN);
  const double alpha = s->alpha;
  double *b = wk->b;   /* b[0] intercept */
  double *bs = wk->bs;
  double *xv = wk->xv, *ga = wk->ga, *r = wk->r, *v = wk->v, *q = wk->q;
  int *strong = wk->strong, *pos = wk->pos, *active = wk->active;
  int nin = 0;

  double q0 = wls_dot(w, s->y, n);
  double b0 = log(q0 / (1.0 - q0));
  double vi = q0 * (1.0 - q0);
  b[0] = b0;
  for (int j = 0; j < p; j++) { b[j + 1] = 0.0; bs[j + 1] = 0.0; strong[j] = 0; pos[j] = 0; }
  bs[0] = 0.0;
  for (int i = 0; i < n; i++) {
    v[i] = vi * w[i]; r[i] = w[i] * (s->y[i] - q0); q[i] = q0;
  }
  double vsum = vi;
  double dev1 = -(b0 * q0 + log(1.0 - q0));
  double dev0 = dev1;
  for (int i = 0; i < n; i++) {
    if (s->y[i] > 0.0) dev0 += w[i] * s->y[i] * log(s->y[i]);
    if (s->y[i] < 1.0) dev0 += w[i] * (1.0 - s->y[i]) * log(1.0 - s->y[i]);
  }
  res->nulldev = dev0;
  double ratio = 1.0;
  if (s->ulam == NULL) {
    double eqs = s->flmin > ELNET_EPS ? s->flmin : ELNET_EPS;
    ratio = pow(eqs, 1.0 / (s->nlam - 1));
  }
  const double shr = s->thresh * dev0;
  elnet_screen sc = {0.0, 0.0};
  double *dref = wk->dref;
  memcpy(wk->rref, r, sizeof(double) * n);
  screen_advance(&sc, wk->rref, r, n);
  for (int j = 0; j < p; j++) {
    ga[j] = keep[j] ? fabs(wls_dot(r, xs + (size_t) j * n, n)) : 0.0;
    dref[j] = 0.0;
  }

  int nlp = 0, status = 0, nfit = 0;
  double al = 0.0;
  for (int ilm = 0; ilm < s->nlam; ilm++) {
    if (s->interrupts) R_CheckUserInterrupt();
    double al_prev = al;
    if (s->ulam != NULL) {
      al = s->ulam[ilm];
    } else if (ilm == 0) {
      al = ELNET_BIG;
    } else if (ilm == 1) {
      al_prev = 0.0;
      for (int j = 0; j < p; j++) {
        if (keep[j] && vp[j] > 0.0 && ga[j] / vp[j] > al_prev) al_prev = ga[j] / vp[j];
      }
      al_prev /= (alpha > 1e-3 ? alpha : 1e-3);
      al = ratio * al_prev;
    } else {
      al *= ratio;
    }
    const double l2 = al * (1.0 - alpha), l1 = al * alpha;
    const double tlam = alpha * (2.0 * al - al_prev);
    for (int k = 0; k < p; k++) {
      if (strong[k] || !keep[k]) continue;
      if (dref[k] != sc.drift) {   /* ga[k] is from an earlier residual */
        if (screen_bound(&sc, wk, k, n) <= tlam * vp[k]) continue;
        ga[k] = fabs(wls_dot(r, xs + (size_t) k * n, n));
        dref[k] = sc.drift;
      }
      if (ga[k] > tlam * vp[k]) strong[k] = 1;
    }
    int too_many = 0, vanished = 0;
    for (;;) { /* IRLS iterations, re-entered after KKT violations */
      bs[0] = b[0];
      for (int l = 0; l < nin; l++) bs[active[l] + 1] = b[active[l] + 1];
      for (int j = 0; j < p; j++) {
        if (strong[j]) xv[j] = wsq_n(v, xs + (size_t) j * n, n);
      }
      for (;;) { /* full pass over the strong set, then the active set */
        nlp++;
        double dlx = cd_pass(1, p, n, xs, strong, active, pos, &nin, s->pmax,
                             xv, vp, l1, l2, v, vsum, r, b, &too_many);
        if (too_many) break;
        if (dlx < shr) break;
        if (nlp > s->maxit) { status = ilm + 1; goto done; }
        for (;;) {
          nlp++;
          dlx = cd_pass(0, p, n, xs, strong, active, pos, &nin, s->pmax, xv,
                        vp, l1, l2, v, vsum, r, b, &too_many);
          if (dlx < shr) break;
          if (nlp > s->maxit) { status = ilm + 1; goto done; }
        }
      }
      if (too_many) break;
      /* New working weights and residuals at the current fit. */
      for (int i = 0; i < n; i++) q[i] = b[0];
      for (int l = 0; l < nin; l++) {   /* column-wise: contiguous access */
        int k = active[l];
        const double *zk = xs + (size_t) k * n;
        if (b[k + 1] != 0.0) axpy_n(q, b[k + 1], zk, n);
      }
      for (int i = 0; i < n; i++) {
        double f = q[i];
        q[i] = f < fmin ? 0.0 : (f > fmax ? 1.0 : 1.0 / (1.0 + exp(-f)));
      }
      vsum = 0.0;
      for (int i = 0; i < n; i++) { v[i] = w[i] * q[i] * (1.0 - q[i]); vsum += v[i]; }
      if (vsum <= vmin) { vanished = 1; break; }
      for (int i = 0; i < n; i++) r[i] = w[i] * (s->y[i] - q[i]);
      int moved = vsum * (b[0] - bs[0]) * (b[0] - bs[0]) >= shr;
      for (int l = 0; l < nin && !moved; l++) {
        int k = active[l];
        double d = b[k + 1] - bs[k + 1];
        if (xv[k] * d * d >= shr) moved = 1;
      }
      if (moved) continue;
      /* KKT check on the variables the strong rule discarded. */
      int violated = 0;
      screen_advance(&sc, wk->rref, r, n);
      for (int k = 0; k < p; k++) {
        if (strong[k] || !keep[k]) continue;
        /* The first lambda's values set the path's start: always exact. */
        if (ilm > 0 && screen_bound(&sc, wk, k, n) <= l1 * vp[k]) continue;
        ga[k] = fabs(wls_dot(r, xs + (size_t) k * n, n));
        dref[k] = sc.drift;
        if (ga[k] > l1 * vp[k]) { strong[k] = 1; violated = 1; }
      }
      if (!violated) break;
    }
    if (too_many) { status = -(ilm + 1); break; }
    /* Store this lambda's solution on the original scale. */
    double *bcol = res->beta + (size_t) ilm * p;
    double a0 = b[0];
    int nonzero = 0;
    for (int j = 0; j < p; j++) {
      bcol[j] = pos[j] ? b[j + 1] / xsd[j] : 0.0;
      a0 -= bcol[j] * xm[j];
      if (pos[j] && b[j + 1] != 0.0) nonzero++;
    }
    res->a0[ilm] = a0;
    res->lambda[ilm] = al;
    double devi = 0.0;
    for (int i = 0; i < n; i++) {
      double pi = q[i] < ELNET_PMIN ? ELNET_PMIN : (q[i] > 1.0 - ELNET_PMIN ? 1.0 - ELNET_PMIN : q[i]);
      devi -= w[i] * (s->y[i] * log(pi) + (1.0 - s->y[i]) * log(1.0 - pi));
    }
    res->dev_ratio[ilm] = (dev1 - devi) / dev0;
    nfit = ilm + 1;
    if (vanished) break;
    if (s->lam_stop > 0.0 && ilm >= 2 && al <= s->lam_stop) break;
    if (ilm + 1 < (s->nlam < ELNET_MNLAM ? s->nlam : ELNET_MNLAM)) continue;
    if (s->ulam != NULL) continue;
    if (nonzero > s->dfmax) break;
    if (res->dev_ratio[ilm] > ELNET_DEVMAX) break;
    if (res->dev_ratio[ilm] - res->dev_ratio[ilm - 1] < ELNET_FDEV) break;
  }
done:
  res->nfit = nfit;
  res->npasses = nlp;
  res->status = status;
}

/* A default path runs its first lambda as "infinite"; it is reported as the
 * smallest value with all coefficients zero, extrapolated from the next two
 * on the log-linear grid (glmnet's rule). */
static void report_first_lambda(double *lam, int k, int user_path) {
  if (!user_path && k >= 3) lam[0] = exp(2.0 * log(lam[1]) - log(lam[2]));
}

/* Where penalty s falls on a decreasing path lam[0..k): the fit at s is
 * frac * fit[left] + (1 - frac) * fit[right], linear in lambda and clamped
 * to the path's range (glmnet's predict(exact = FALSE) rule); left == right
 * (frac 1) on a path point. The one lambda interpolation (R's coef(s = )
 * calls it through C_elnet_interp). */
static void lambda_interp(const double *lam, int k, double s, int *left,
                          int *right, double *frac) {
  int r = 0, l = 0;
  double f = 1.0;
  if (k > 1) {
    double si = s;
    if (si > lam[0]) si = lam[0];
    if (si < lam[k - 1]) si = lam[k - 1];
    while (r < k - 1 && lam[r] > si) r++;
    if (lam[r] != si && r > 0) {
      l = r - 1;
      f = (si - lam[r]) / (lam[l] - lam[r]);
    } else {
      l = r;
    }
  }
  *left = l;
  *right = r;
  *frac = f;
}

/* y: finite values in [0, 1]. */
static void check_response(const double *y, int n, const char *what) {
  for (int i = 0; i < n; i++)
    if (!(y[i] >= 0.0 && y[i] <= 1.0)) error("%s must lie within [0, 1]", what);
}

/* User lambdas: at least one, finite, >= 0, non-increasing. */
static void check_lambda(const double *lam, int nlam, const char *what) {
  if (nlam < 1) error("%s must not be empty", what);
  for (int l = 0; l < nlam; l++) {
    if (!(lam[l] >= 0 && lam[l] < R_PosInf)) error("%s must be finite and >= 0", what);
    if (l > 0 && lam[l] > lam[l - 1]) error("%s must be decreasing", what);
  }
}

/* .Call entry. x: n x p double matrix; y: 0/1 doubles; weights; penalty
 * factors; alpha; standardize; nlambda; lambda.min.ratio; user lambdas
 * (NULL or decreasing); thresh; maxit; dfmax; pmax. */
SEXP C_elnet_path(SEXP x, SEXP y, SEXP weights, SEXP penalty, SEXP alpha,
                  SEXP standardize, SEXP nlambda, SEXP lambda_min_ratio,
                  SEXP lambda, SEXP thresh, SEXP maxit, SEXP dfmax, SEXP pmax) {
  int n, p;
  elnet_spec s;
  s.x = arg_dbl_matrix(x, "C_elnet_path: x", &n, &p);
  arg_finite(s.x, (R_xlen_t) n * p, "C_elnet_path: x");
  s.y = arg_dbl(y, "C_elnet_path: y", n);
  check_response(s.y, n, "C_elnet_path: y");
  s.w = arg_dbl(weights, "C_elnet_path: weights", n);
  for (int i = 0; i < n; i++)
    if (!(s.w[i] >= 0 && s.w[i] < R_PosInf)) error("C_elnet_path: weights must be finite and >= 0");
  s.vp = arg_dbl(penalty, "C_elnet_path: penalty", p);
  arg_finite(s.vp, p, "C_elnet_path: penalty");
  s.n = n; s.p = p; s.ldx = n; s.rows = NULL; s.interrupts = 1; s.lam_stop = 0.0;
  s.alpha = arg_num1(alpha, "C_elnet_path: alpha", 0.0, 1.0);
  s.standardize = arg_flag(standardize, "C_elnet_path: standardize");
  s.flmin = arg_num1(lambda_min_ratio, "C_elnet_path: lambda_min_ratio", 0.0, 1.0);
  s.thresh = arg_num1(thresh, "C_elnet_path: thresh", DBL_MIN, 1.0);
  s.maxit = arg_int1(maxit, "C_elnet_path: maxit", 1, INT_MAX - 1);
  s.dfmax = arg_int1(dfmax, "C_elnet_path: dfmax", 0, INT_MAX);
  s.pmax = arg_int1(pmax, "C_elnet_path: pmax", 0, INT_MAX);
  if (isNull(lambda)) {
    s.ulam = NULL;
    s.nlam = arg_int1(nlambda, "C_elnet_path: nlambda", 1, 100000);
  } else {
    s.ulam = arg_dbl(lambda, "C_elnet_path: lambda", -1);
    s.nlam = LENGTH(lambda);
    check_lambda(s.ulam, s.nlam, "C_elnet_path: lambda");
  }
  if (n < 2 || p < 1 || s.nlam < 1) error("empty problem");
  double svp = 0.0;
  for (int j = 0; j < p; j++) svp += s.vp[j] > 0.0 ? s.vp[j] : 0.0;
  if (!(svp > 0.0)) error("all penalty factors are zero");
  double q0 = 0.0, sw = 0.0;
  for (int i = 0; i < n; i++) { q0 += s.w[i] * s.y[i]; sw += s.w[i]; }
  q0 /= sw;
  if (!(q0 > ELNET_PMIN && q0 < 1.0 - ELNET_PMIN)) error("`y` has a single class");

  SEXP lam = PROTECT(allocVector(REALSXP, s.nlam));
  SEXP a0 = PROTECT(allocVector(REALSXP, s.nlam));
  SEXP beta = PROTECT(allocMatrix(REALSXP, p, s.nlam));
  SEXP dev = PROTECT(allocVector(REALSXP, s.nlam));
  elnet_result res;
  res.lambda = REAL(lam); res.a0 = REAL(a0); res.beta = REAL(beta);
  res.dev_ratio = REAL(dev);
  memset(res.beta, 0, sizeof(double) * (size_t) p * s.nlam);
  for (int l = 0; l < s.nlam; l++) { res.lambda[l] = NA_REAL; res.a0[l] = NA_REAL; res.dev_ratio[l] = NA_REAL; }
  elnet_work wk;
  elnet_work_alloc(&wk, n, p);
  elnet_binomial(&s, &wk, &res);
  report_first_lambda(res.lambda, res.nfit, s.ulam != NULL);
  SEXP nfit_ = PROTECT(ScalarInteger(res.nfit));
  SEXP nulldev_ = PROTECT(ScalarReal(res.nulldev));
  SEXP status_ = PROTECT(ScalarInteger(res.status));
  SEXP out = named_list(7, "lambda", lam, "a0", a0, "beta", beta, "dev_ratio", dev,
                        "nfit", nfit_, "nulldev", nulldev_, "status", status_);
  UNPROTECT(7);
  return out;
}

/* ---- cross-validation of a path -------------------------------------------
 * Each fold's path is fitted on the other folds' rows, either on a given
 * lambda sequence or on its own default sequence (as cv.glmnet does), and
 * the held-out rows get their linear predictor at the target penalties s,
 * interpolated linearly in lambda along the fold's path and clamped to its
 * range (glmnet's predict(s = ) rule). Folds run in parallel; each fold's
 * arithmetic is the same whatever the thread count. */


typedef struct {
  elnet_work wk;
  int *rows, *test;
  double *y, *w, *lambda, *a0, *beta, *dev, *tlink;
} elnet_fold_work;

/* Held-out links at the targets s from one fitted fold path. */
static void fold_predict(const elnet_result *res, int user_path, const double *x, int n,
                         int p, const int *test, int nte, const double *s, int ns,
                         double *tlink, double *link) {
  int k = res->nfit;
  double *lam = res->lambda;
  report_first_lambda(lam, k, user_path);
  for (int c = 0; c < k; c++) {   /* held-out link of every path column */
    const double *bc = res->beta + (size_t) c * p;
    double *tc = tlink + (size_t) c * nte;
    for (int t = 0; t < nte; t++) tc[t] = res->a0[c];
    for (int j = 0; j < p; j++) {
      if (bc[j] == 0.0) continue;
      const double *xj = x + (size_t) j * n;
      for (int t = 0; t < nte; t++) tc[t] += bc[j] * xj[test[t]];
    }
  }
  for (int l = 0; l < ns; l++) {
    int right, left;
    double frac;
    lambda_interp(lam, k, s[l], &left, &right, &frac);
    const double *tl = tlink + (size_t) left * nte, *tr = tlink + (size_t) right * nte;
    for (int t = 0; t < nte; t++) {
      link[test[t] + (size_t) l * n] = left == right ? tr[t] : frac * tl[t] + (1.0 - frac) * tr[t];
    }
  }
}

/* Fold f (0-based): fits the path on the other folds' rows and writes the
 * held-out links; nf/st receive its nfit and status (NA: no data or one
 * class). No R API unless base->interrupts (serial use only). */
static void cv_fold(const elnet_spec *base, elnet_fold_work *u, int f, int n,
                    int p, int nlam, int user_path, const int *fid,
                    const double *yy, const double *xx, const double *fl,
                    const double *ss, int ns, int *nf, int *st, double *lk) {
  int nt = 0, nte = 0;
  for (int i = 0; i < n; i++) {
    if (fid[i] != f + 1) { u->rows[nt] = i; u->y[nt] = yy[i]; u->w[nt] = 1.0; nt++; }
    else u->test[nte++] = i;
  }
  double q0 = 0.0;
  for (int i = 0; i < nt; i++) q0 += u->y[i];
  nf[f] = 0; st[f] = 0;
  if (nt < 2 || nte == 0 || !(q0 / nt > ELNET_PMIN && q0 / nt < 1.0 - ELNET_PMIN)) {
    st[f] = NA_INTEGER;  /* a fold without data or with one class */
    return;
  }
  elnet_spec sp = *base;
  sp.n = nt; sp.rows = u->rows; sp.y = u->y; sp.w = u->w; sp.flmin = fl[f];
  elnet_result res;
  res.lambda = u->lambda; res.a0 = u->a0; res.beta = u->beta; res.dev_ratio = u->dev;
  memset(res.beta, 0, sizeof(double) * (size_t) p * nlam);
  elnet_binomial(&sp, &u->wk, &res);
  nf[f] = res.nfit; st[f] = res.status;
  if (res.nfit < 1) return;
  fold_predict(&res, user_path, xx, n, p, u->test, nte, ss, ns, u->tlink, lk);
}

/* x: n x p; y: 0/1; foldid: 1..K; penalty; alpha; standardize; nlambda;
 * flmin (one lambda.min.ratio per fold); lambda (NULL: each fold's default
 * path, or the decreasing sequence every fold uses); s (target penalties);
 * thresh; maxit; dfmax; pmax; threads. Returns list(link = n x length(s)
 * held-out linear predictors, nfit, status) with one nfit/status per fold. */
SEXP C_elnet_cv(SEXP x, SEXP y, SEXP foldid, SEXP penalty, SEXP alpha,
                SEXP standardize, SEXP nlambda, SEXP flmin, SEXP lambda, SEXP s_,
                SEXP thresh, SEXP maxit, SEXP dfmax, SEXP pmax, SEXP threads) {
  int n, p;
  const double *xx = arg_dbl_matrix(x, "C_elnet_cv: x", &n, &p);
  arg_finite(xx, (R_xlen_t) n * p, "C_elnet_cv: x");
  const double *yy = arg_dbl(y, "C_elnet_cv: y", n);
  check_response(yy, n, "C_elnet_cv: y");
  const int *fid = arg_int(foldid, "C_elnet_cv: foldid", n);
  arg_ids(fid, n, "C_elnet_cv: foldid", 1, n > 0 ? n : 1);
  arg_finite(arg_dbl(penalty, "C_elnet_cv: penalty", p), p, "C_elnet_cv: penalty");
  const double *ss = arg_dbl(s_, "C_elnet_cv: s", -1);
  if (LENGTH(s_) < 1) error("C_elnet_cv: s must not be empty");
  arg_finite(ss, LENGTH(s_), "C_elnet_cv: s");
  int nfolds = 0;
  for (int i = 0; i < n; i++) if (fid[i] > nfolds) nfolds = fid[i];
  const double *fl = arg_dbl(flmin, "C_elnet_cv: flmin (one value per fold)", nfolds);
  for (int f = 0; f < nfolds; f++)
    if (!(fl[f] >= 0 && fl[f] <= 1)) error("C_elnet_cv: flmin must be within [0, 1]");
  int user_path = !isNull(lambda);
  int nlam;
  if (user_path) {
    arg_dbl(lambda, "C_elnet_cv: lambda", -1);
    nlam = LENGTH(lambda);
    check_lambda(REAL(lambda), nlam, "C_elnet_cv: lambda");
  } else {
    nlam = arg_int1(nlambda, "C_elnet_cv: nlambda", 1, 100000);
  }
  int ns = LENGTH(s_);
  elnet_spec base;
  base.p = p; base.ldx = n; base.x = xx; base.vp = REAL(penalty);
  base.alpha = arg_num1(alpha, "C_elnet_cv: alpha", 0.0, 1.0);
  base.standardize = arg_flag(standardize, "C_elnet_cv: standardize");
  base.nlam = nlam; base.ulam = user_path ? REAL(lambda) : NULL;
  base.thresh = arg_num1(thresh, "C_elnet_cv: thresh", DBL_MIN, 1.0);
  base.maxit = arg_int1(maxit, "C_elnet_cv: maxit", 1, INT_MAX - 1);
  base.dfmax = arg_int1(dfmax, "C_elnet_cv: dfmax", 0, INT_MAX);
  base.pmax = arg_int1(pmax, "C_elnet_cv: pmax", 0, INT_MAX);
  base.interrupts = 0;
  {
    double svp = 0.0;
    for (int j = 0; j < p; j++) svp += base.vp[j] > 0.0 ? base.vp[j] : 0.0;
    if (!(svp > 0.0)) error("C_elnet_cv: all penalty factors are zero");
  }
  /* Predictions only read the path down to the first lambda <= min(s). */
  base.lam_stop = REAL(s_)[0];
  for (int l = 1; l < ns; l++) if (REAL(s_)[l] < base.lam_stop) base.lam_stop = REAL(s_)[l];
  if (!(base.lam_stop > 0.0)) base.lam_stop = 0.0;
  int n_threads = evmirna_threads(arg_int1(threads, "C_elnet_cv: threads", 1, INT_MAX));
  if (n_threads > nfolds) n_threads = nfolds;
  if (n_threads < 1) n_threads = 1;

  SEXP link = PROTECT(allocMatrix(REALSXP, n, ns));
  SEXP nfit = PROTECT(allocVector(INTSXP, nfolds));
  SEXP status = PROTECT(allocVector(INTSXP, nfolds));
  double *lk = REAL(link);
  for (R_xlen_t i = 0; i < (R_xlen_t) n * ns; i++) lk[i] = NA_REAL;
  elnet_fold_work *fw = (elnet_fold_work *) R_alloc(n_threads, sizeof(elnet_fold_work));
  for (int t = 0; t < n_threads; t++) {
    elnet_work_alloc(&fw[t].wk, n, p);
    fw[t].rows = (int *) R_alloc(n, sizeof(int));
    fw[t].test = (int *) R_alloc(n, sizeof(int));
    fw[t].y = (double *) R_alloc(n, sizeof(double));
    fw[t].w = (double *) R_alloc(n, sizeof(double));
    fw[t].lambda = (double *) R_alloc(nlam, sizeof(double));
    fw[t].a0 = (double *) R_alloc(nlam, sizeof(double));
    fw[t].dev = (double *) R_alloc(nlam, sizeof(double));
    fw[t].beta = (double *) R_alloc((size_t) p * nlam, sizeof(double));
    fw[t].tlink = (double *) R_alloc((size_t) n * nlam, sizeof(double));
  }
  int *nf = INTEGER(nfit), *st = INTEGER(status);
  /* One thread: the folds run serially, outside any parallel region, and
   * the kernel checks for interrupts at every lambda. Several threads: one
   * fold per thread per chunk, an interrupt check between chunks. */
  if (n_threads == 1) {
    base.interrupts = 1;
    for (int f = 0; f < nfolds; f++)
      cv_fold(&base, &fw[0], f, n, p, nlam, user_path, fid, yy, xx, fl, ss, ns, nf, st, lk);
  } else {
    for (int f0 = 0; f0 < nfolds; f0 += n_threads) {
      R_CheckUserInterrupt();
      int f1 = f0 + n_threads < nfolds ? f0 + n_threads : nfolds;
#ifdef _OPENMP
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 1)
      for (int f = f0; f < f1; f++)
        cv_fold(&base, &fw[omp_get_thread_num()], f, n, p, nlam, user_path, fid,
                yy, xx, fl, ss, ns, nf, st, lk);
#endif
    }
  }
  SEXP out = named_list(3, "link", link, "nfit", nfit, "status", status);
  UNPROTECT(3);
  return out;
}

/* Interpolation weights of penalties s on a decreasing path lambda (see
 * lambda_interp): list(left, right, frac), positions 1-based. */
SEXP C_elnet_interp(SEXP lambda, SEXP s_) {
  const double *lam = arg_dbl(lambda, "C_elnet_interp: lambda", -1);
  int k = LENGTH(lambda);
  if (k < 1) error("C_elnet_interp: lambda must not be empty");
  check_lambda(lam, k, "C_elnet_interp: lambda");
  const double *s = arg_dbl(s_, "C_elnet_interp: s", -1);
  int ns = LENGTH(s_);
  arg_no_na(s, ns, "C_elnet_interp: s");
  SEXP left = PROTECT(allocVector(INTSXP, ns));
  SEXP right = PROTECT(allocVector(INTSXP, ns));
  SEXP frac = PROTECT(allocVector(REALSXP, ns));
  for (int l = 0; l < ns; l++) {
    int a, b;
    lambda_interp(lam, k, s[l], &a, &b, REAL(frac) + l);
    INTEGER(left)[l] = a + 1;
    INTEGER(right)[l] = b + 1;
  }
  SEXP out = named_list(3, "left", left, "right", right, "frac", frac);
  UNPROTECT(3);
  return out;
}
