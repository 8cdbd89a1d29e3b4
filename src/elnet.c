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
#include <math.h>
#include <string.h>

#define ELNET_PMIN 1e-9      /* glmnet.control()$pmin */
#define ELNET_FDEV 1e-5      /* minimum change of the deviance ratio */
#define ELNET_DEVMAX 0.999   /* stop when this much deviance is explained */
#define ELNET_EPS 1e-6       /* smallest lambda.min.ratio honoured */
#define ELNET_BIG 9.9e35     /* "infinite" first lambda */
#define ELNET_MNLAM 5        /* no early stop before this many lambdas */

typedef struct {
  int n, p;
  const double *x;      /* n x p, column-major, original scale */
  const double *y;      /* 0/1 */
  const double *w;      /* observation weights (any positive scale) */
  const double *vp;     /* penalty factors, length p */
  double alpha;
  int standardize;
  int nlam;
  double flmin;         /* lambda.min.ratio; ignored when ulam given */
  const double *ulam;   /* user lambdas (decreasing) or NULL */
  double thresh;
  int maxit;
  int dfmax, pmax;
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

/* Four independent partial sums let the compiler keep several multiply-adds
 * in flight (a plain reduction is serialised by floating-point ordering). */
static double dot_n(const double *a, const double *b, int n) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  int i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

/* r -= d * v * z, the residual update after a coordinate moves by d. */
static void resid_update(double *restrict r, double d, const double *restrict v,
                         const double *restrict z, int n) {
  int i = 0;
  for (; i + 3 < n; i += 4) {
    r[i] -= d * v[i] * z[i];
    r[i + 1] -= d * v[i + 1] * z[i + 1];
    r[i + 2] -= d * v[i + 2] * z[i + 2];
    r[i + 3] -= d * v[i + 3] * z[i + 3];
  }
  for (; i < n; i++) r[i] -= d * v[i] * z[i];
}

/* sum_i v_i z_i^2, the coordinate's curvature. */
static double wsq_n(const double *v, const double *z, int n) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  int i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += v[i] * z[i] * z[i];
    s1 += v[i + 1] * z[i + 1] * z[i + 1];
    s2 += v[i + 2] * z[i + 2] * z[i + 2];
    s3 += v[i + 3] * z[i + 3] * z[i + 3];
  }
  for (; i < n; i++) s0 += v[i] * z[i] * z[i];
  return (s0 + s1) + (s2 + s3);
}

/* Soft-thresholded, ridge-shrunk coordinate update. */
static double cd_update(double u, double xv, double vp, double l1, double l2) {
  double au = fabs(u) - vp * l1;
  if (au <= 0.0) return 0.0;
  return copysign(au, u) / (xv + vp * l2);
}

static void elnet_binomial(const elnet_spec *s, elnet_result *res) {
  const int n = s->n, p = s->p;
  double *xs = (double *) R_alloc((size_t) n * p, sizeof(double));
  double *xm = (double *) R_alloc(p, sizeof(double));
  double *xsd = (double *) R_alloc(p, sizeof(double));
  double *w = (double *) R_alloc(n, sizeof(double));
  double *vp = (double *) R_alloc(p, sizeof(double));
  int *keep = (int *) R_alloc(p, sizeof(int));
  double sw = 0.0;
  for (int i = 0; i < n; i++) sw += s->w[i];
  for (int i = 0; i < n; i++) w[i] = s->w[i] / sw;

  /* Constant columns never enter; the rest are centred (and scaled). */
  double svp = 0.0;
  for (int j = 0; j < p; j++) {
    const double *xj = s->x + (size_t) j * n;
    keep[j] = 0;
    for (int i = 1; i < n; i++) if (xj[i] != xj[0]) { keep[j] = 1; break; }
    vp[j] = s->vp[j] > 0.0 ? s->vp[j] : 0.0;
    svp += vp[j];
  }
  for (int j = 0; j < p; j++) vp[j] = vp[j] * p / svp;
  for (int j = 0; j < p; j++) {
    const double *xj = s->x + (size_t) j * n;
    double *zj = xs + (size_t) j * n;
    xm[j] = 0.0; xsd[j] = 1.0;
    if (!keep[j]) { memset(zj, 0, sizeof(double) * n); continue; }
    xm[j] = dot_n(w, xj, n);
    for (int i = 0; i < n; i++) zj[i] = xj[i] - xm[j];
    if (s->standardize) {
      double v = 0.0;
      for (int i = 0; i < n; i++) v += w[i] * zj[i] * zj[i];
      xsd[j] = sqrt(v);
      for (int i = 0; i < n; i++) zj[i] /= xsd[j];
    }
  }

  const double fmax = log(1.0 / ELNET_PMIN - 1.0), fmin = -fmax;
  const double vmin = (1.0 + ELNET_PMIN) * ELNET_PMIN * (1.0 - ELNET_PMIN);
  const double alpha = s->alpha;
  double *b = (double *) R_alloc(p + 1, sizeof(double)); /* b[0] intercept */
  double *bs = (double *) R_alloc(p + 1, sizeof(double));
  double *xv = (double *) R_alloc(p, sizeof(double));
  double *ga = (double *) R_alloc(p, sizeof(double));
  double *r = (double *) R_alloc(n, sizeof(double));
  double *v = (double *) R_alloc(n, sizeof(double));
  double *q = (double *) R_alloc(n, sizeof(double));
  int *strong = (int *) R_alloc(p, sizeof(int));
  int *pos = (int *) R_alloc(p, sizeof(int));   /* 1-based slot in active list */
  int *active = (int *) R_alloc(p, sizeof(int));
  int nin = 0;

  double q0 = dot_n(w, s->y, n);
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
  for (int j = 0; j < p; j++) {
    ga[j] = keep[j] ? fabs(dot_n(r, xs + (size_t) j * n, n)) : 0.0;
  }

  int nlp = 0, status = 0, nfit = 0;
  double al = 0.0;
  for (int ilm = 0; ilm < s->nlam; ilm++) {
    R_CheckUserInterrupt();
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
      if (!strong[k] && keep[k] && ga[k] > tlam * vp[k]) strong[k] = 1;
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
        double dlx = 0.0;
        for (int k = 0; k < p; k++) {
          if (!strong[k]) continue;
          const double *zk = xs + (size_t) k * n;
          double bk = b[k + 1];
          double u = dot_n(r, zk, n) + xv[k] * bk;
          b[k + 1] = cd_update(u, xv[k], vp[k], l1, l2);
          double d = b[k + 1] - bk;
          if (d == 0.0) continue;
          if (xv[k] * d * d > dlx) dlx = xv[k] * d * d;
          resid_update(r, d, v, zk, n);
          if (pos[k] == 0) {
            if (nin >= s->pmax) { too_many = 1; break; }
            active[nin++] = k;
            pos[k] = nin;
          }
        }
        if (too_many) break;
        double d = 0.0;
        for (int i = 0; i < n; i++) d += r[i];
        d /= vsum;
        if (d != 0.0) {
          b[0] += d;
          if (vsum * d * d > dlx) dlx = vsum * d * d;
          for (int i = 0; i < n; i++) r[i] -= d * v[i];
        }
        if (dlx < shr) break;
        if (nlp > s->maxit) { status = ilm + 1; goto done; }
        for (;;) {
          nlp++;
          dlx = 0.0;
          for (int l = 0; l < nin; l++) {
            int k = active[l];
            const double *zk = xs + (size_t) k * n;
            double bk = b[k + 1];
            double u = dot_n(r, zk, n) + xv[k] * bk;
            b[k + 1] = cd_update(u, xv[k], vp[k], l1, l2);
            double dk = b[k + 1] - bk;
            if (dk == 0.0) continue;
            if (xv[k] * dk * dk > dlx) dlx = xv[k] * dk * dk;
            resid_update(r, dk, v, zk, n);
          }
          double d0 = 0.0;
          for (int i = 0; i < n; i++) d0 += r[i];
          d0 /= vsum;
          if (d0 != 0.0) {
            b[0] += d0;
            if (vsum * d0 * d0 > dlx) dlx = vsum * d0 * d0;
            for (int i = 0; i < n; i++) r[i] -= d0 * v[i];
          }
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
        double bk = b[k + 1];
        if (bk != 0.0) for (int i = 0; i < n; i++) q[i] += bk * zk[i];
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
      for (int k = 0; k < p; k++) {
        if (strong[k] || !keep[k]) continue;
        ga[k] = fabs(dot_n(r, xs + (size_t) k * n, n));
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

/* .Call entry. x: n x p double matrix; y: 0/1 doubles; weights; penalty
 * factors; alpha; standardize; nlambda; lambda.min.ratio; user lambdas
 * (NULL or decreasing); thresh; maxit; dfmax; pmax. */
SEXP C_elnet_path(SEXP x, SEXP y, SEXP weights, SEXP penalty, SEXP alpha,
                  SEXP standardize, SEXP nlambda, SEXP lambda_min_ratio,
                  SEXP lambda, SEXP thresh, SEXP maxit, SEXP dfmax, SEXP pmax) {
  if (!isReal(x) || !isMatrix(x)) error("`x` must be a double matrix");
  int n = nrows(x), p = ncols(x);
  if (!isReal(y) || XLENGTH(y) != n) error("`y` must be a double vector of length nrow(x)");
  if (!isReal(weights) || XLENGTH(weights) != n) error("`weights` has the wrong length");
  if (!isReal(penalty) || XLENGTH(penalty) != p) error("`penalty` has the wrong length");
  elnet_spec s;
  s.n = n; s.p = p;
  s.x = REAL(x); s.y = REAL(y); s.w = REAL(weights); s.vp = REAL(penalty);
  s.alpha = asReal(alpha);
  s.standardize = asLogical(standardize);
  s.flmin = asReal(lambda_min_ratio);
  s.thresh = asReal(thresh);
  s.maxit = asInteger(maxit);
  s.dfmax = asInteger(dfmax);
  s.pmax = asInteger(pmax);
  if (isNull(lambda)) {
    s.ulam = NULL;
    s.nlam = asInteger(nlambda);
  } else {
    if (!isReal(lambda)) error("`lambda` must be double");
    s.ulam = REAL(lambda);
    s.nlam = LENGTH(lambda);
  }
  if (n < 2 || p < 1 || s.nlam < 1) error("empty problem");
  double svp = 0.0;
  for (int j = 0; j < p; j++) svp += s.vp[j] > 0.0 ? s.vp[j] : 0.0;
  if (!(svp > 0.0)) error("all penalty factors are zero");
  double q0 = 0.0, sw = 0.0;
  for (int i = 0; i < n; i++) { q0 += s.w[i] * s.y[i]; sw += s.w[i]; }
  q0 /= sw;
  if (!(q0 > ELNET_PMIN && q0 < 1.0 - ELNET_PMIN)) error("`y` has a single class");

  SEXP out = PROTECT(allocVector(VECSXP, 7));
  SEXP lam = PROTECT(allocVector(REALSXP, s.nlam));
  SEXP a0 = PROTECT(allocVector(REALSXP, s.nlam));
  SEXP beta = PROTECT(allocMatrix(REALSXP, p, s.nlam));
  SEXP dev = PROTECT(allocVector(REALSXP, s.nlam));
  elnet_result res;
  res.lambda = REAL(lam); res.a0 = REAL(a0); res.beta = REAL(beta);
  res.dev_ratio = REAL(dev);
  memset(res.beta, 0, sizeof(double) * (size_t) p * s.nlam);
  for (int l = 0; l < s.nlam; l++) { res.lambda[l] = NA_REAL; res.a0[l] = NA_REAL; res.dev_ratio[l] = NA_REAL; }
  elnet_binomial(&s, &res);
  SET_VECTOR_ELT(out, 0, lam);
  SET_VECTOR_ELT(out, 1, a0);
  SET_VECTOR_ELT(out, 2, beta);
  SET_VECTOR_ELT(out, 3, dev);
  SET_VECTOR_ELT(out, 4, ScalarInteger(res.nfit));
  SET_VECTOR_ELT(out, 5, ScalarReal(res.nulldev));
  SET_VECTOR_ELT(out, 6, ScalarInteger(res.status));
  SEXP nms = PROTECT(allocVector(STRSXP, 7));
  const char *names[] = {"lambda", "a0", "beta", "dev_ratio", "nfit", "nulldev", "status"};
  for (int i = 0; i < 7; i++) SET_STRING_ELT(nms, i, mkChar(names[i]));
  setAttrib(out, R_NamesSymbol, nms);
  UNPROTECT(6);
  return out;
}
