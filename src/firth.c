/* Firth's bias-reduced logistic regression (Jeffreys-prior penalized
 * likelihood). The Newton-Raphson iteration follows logistf's defaults
 * (logistf.control(): start at zero, maxit = 25, maxstep = 5, no step
 * halving, lconv = gconv = xconv = 1e-5): the step is I*^{-1} U*, where
 * U* = X'(y - p + h (1/2 - p)) is the modified score and I* is the
 * information of the augmented data set, X' diag((1 + h) p (1 - p)) X; the
 * step is scaled down when its largest element exceeds maxstep. As in
 * logistf, the reported covariance is I*^{-1} of the last iteration. */
#include <R.h>
#include <Rinternals.h>
#include <math.h>
#include <string.h>
#include "wls.h"
#include "api_args.h"
#include "rlist.h"
#include "classify.h"

/* Probabilities, leverages, log|I| and augmented log-likelihood at beta.
 * Returns nonzero when I is singular or a probability is 0 or 1. */
static int firth_state(const double *x, const double *y, const double *offset,
                       int n, int k, const double *beta, double *pi, double *w,
                       double *h, double *fisher, double *work,
                       double *logdet, double *aug_loglik, double *loglik) {
  for (int i = 0; i < n; i++) {
    double e = offset[i];
    for (int j = 0; j < k; j++) e += x[i + (size_t) j * n] * beta[j];
    pi[i] = 1.0 / (1.0 + exp(-e));
    w[i] = pi[i] * (1.0 - pi[i]);
  }
  wls_crossprod(x, w, n, k, fisher, work);
  if (wls_chol(fisher, k) != 0) return 1;
  *logdet = 0.0;
  for (int j = 0; j < k; j++) *logdet += 2.0 * log(fisher[j + (size_t) j * k]);
  wls_hat(x, w, fisher, n, k, h, work);
  double la = 0.0, l = 0.0;
  for (int i = 0; i < n; i++) {
    double lp = log(pi[i]), lq = log(1.0 - pi[i]);
    if (!R_FINITE(lp) || !R_FINITE(lq)) return 2;
    double li = y[i] * lp + (1.0 - y[i]) * lq;
    l += li;
    la += li + 0.5 * h[i] * (lp + lq);
  }
  *aug_loglik = la;
  *loglik = l;
  return 0;
}

static void firth_score(const double *x, const double *y, const double *pi,
                        const double *h, int n, int k, double *u) {
  for (int j = 0; j < k; j++) {
    const double *xj = x + (size_t) j * n;
    double s = 0.0;
    for (int i = 0; i < n; i++) s += xj[i] * ((y[i] - pi[i]) + h[i] * (0.5 - pi[i]));
    u[j] = s;
  }
}

static double max_abs(const double *a, int k) {
  double m = 0.0;
  for (int j = 0; j < k; j++) if (fabs(a[j]) > m) m = fabs(a[j]);
  return m;
}

firth_info firth_fit(const double *x, const double *y, const double *offset,
                     int n, int k, const firth_control *ctl,
                     double *beta, double *cov, double *pi, double *h) {
  firth_info info = {0, 0, 0, 0, NA_REAL};
  double *w = (double *) R_alloc(n, sizeof(double));
  double *wa = (double *) R_alloc(n, sizeof(double));
  double *work = (double *) R_alloc((size_t) n * k, sizeof(double));
  double *fisher = (double *) R_alloc((size_t) k * k, sizeof(double));
  double *aug = (double *) R_alloc((size_t) k * k, sizeof(double));
  double *u = (double *) R_alloc(k, sizeof(double));
  double *delta = (double *) R_alloc(k, sizeof(double));
  double logdet, la, l;
  for (int j = 0; j < k; j++) { beta[j] = 0.0; delta[j] = 0.0; }
  int st = firth_state(x, y, offset, n, k, beta, pi, w, h, fisher, work, &logdet, &la, &l);
  if (st) { info.singular = st == 1; info.boundary = st == 2; return info; }
  firth_score(x, y, pi, h, n, k, u);
  for (int iter = 0; ; iter++) {
    R_CheckUserInterrupt();
    double la_old = la;
    for (int i = 0; i < n; i++) wa[i] = (1.0 + h[i]) * w[i];
    wls_crossprod(x, wa, n, k, aug, work);
    if (wls_chol(aug, k) != 0) { info.singular = 1; info.iter = iter; return info; }
    wls_chol_inverse(aug, k, cov);
    for (int j = 0; j < k; j++) {
      double s = 0.0;
      for (int m = 0; m < k; m++) s += cov[j + (size_t) m * k] * u[m];
      delta[j] = s;
    }
    double mx = max_abs(delta, k) / ctl->maxstep;
    if (mx > 1.0) for (int j = 0; j < k; j++) delta[j] /= mx;
    for (int j = 0; j < k; j++) beta[j] += delta[j];
    st = firth_state(x, y, offset, n, k, beta, pi, w, h, fisher, work, &logdet, &la, &l);
    /* Step halving (off by default, as in logistf): retreat while the
     * penalized likelihood falls. */
    for (int hs = 1; hs <= ctl->maxhs && (st || la < la_old - ctl->lconv); hs++) {
      for (int j = 0; j < k; j++) { delta[j] /= 2.0; beta[j] -= delta[j]; }
      st = firth_state(x, y, offset, n, k, beta, pi, w, h, fisher, work, &logdet, &la, &l);
    }
    info.iter = iter + 1;
    if (st) { info.singular = st == 1; info.boundary = st == 2; return info; }
    firth_score(x, y, pi, h, n, k, u);
    int small = max_abs(delta, k) <= ctl->xconv && max_abs(u, k) < ctl->gconv &&
                la - la_old < ctl->lconv;
    if (small) { info.converged = 1; break; }
    if (iter >= ctl->maxit) break;
  }
  info.loglik = l + 0.5 * logdet;
  return info;
}

SEXP C_firth_fit(SEXP x, SEXP y, SEXP offset, SEXP control) {
  int n, k;
  arg_dbl_matrix(x, "C_firth_fit: x", &n, &k);
  arg_dbl(y, "C_firth_fit: y", n);
  arg_dbl(offset, "C_firth_fit: offset", n);
  const double *c = arg_dbl(control, "C_firth_fit: control", 6);
  /* maxit, maxhs become ints: bounded so the cast is defined */
  arg_no_na(c, 6, "C_firth_fit: control");
  if (!(c[0] >= 0 && c[0] <= 1e6 && c[1] >= 0 && c[1] <= 1e6))
    error("C_firth_fit: control[1:2] (maxit, maxhs) must be within [0, 1e6]");
  if (n < 1 || k < 1) error("C_firth_fit: empty design");
  firth_control ctl = {(int) c[0], (int) c[1], c[2], c[3], c[4], c[5]};
  SEXP beta = PROTECT(allocVector(REALSXP, k));
  SEXP cov = PROTECT(allocMatrix(REALSXP, k, k));
  SEXP pi = PROTECT(allocVector(REALSXP, n));
  SEXP h = PROTECT(allocVector(REALSXP, n));
  memset(REAL(cov), 0, sizeof(double) * (size_t) k * k);
  firth_info info = firth_fit(REAL(x), REAL(y), REAL(offset), n, k, &ctl,
                              REAL(beta), REAL(cov), REAL(pi), REAL(h));
  named_sexp parts[] = {{"coefficients", beta}, {"cov", cov}, {"prob", pi},
                        {"hat", h}};
  SEXP out = fit_result_list(parts, 4, info.loglik, "loglik", info.iter,
                             info.converged, info.boundary, info.singular);
  UNPROTECT(4);
  return out;
}
