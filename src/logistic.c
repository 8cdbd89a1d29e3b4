/* Unpenalized logistic regression by iteratively reweighted least squares.
 * The iteration mirrors stats::glm.fit for the binomial logit model (same
 * starting values, same clamped link, same relative-deviance convergence
 * test), with each weighted least-squares step solved by a Cholesky
 * factorisation (LAPACK dpotrf/dpotrs) instead of a QR. The unscaled
 * covariance is the inverse of the last X'WX, as summary.glm reports it. */
#include <R.h>
#include <Rinternals.h>
#include <float.h>
#include <math.h>
#include <string.h>
#include "wls.h"
#include "api_args.h"
#include "rlist.h"
#include "classify.h"

#define LOGIT_THRESH 30.0

static double logit_inv(double eta) {
  double t = eta < -LOGIT_THRESH ? DBL_EPSILON
           : (eta > LOGIT_THRESH ? 1.0 / DBL_EPSILON : exp(eta));
  return t / (1.0 + t);
}

static double logit_mu_eta(double eta) {
  double e = exp(eta), op = 1.0 + e;
  return (eta > LOGIT_THRESH || eta < -LOGIT_THRESH) ? DBL_EPSILON : e / (op * op);
}

static double binomial_deviance(const double *y, const double *mu, int n) {
  double dev = 0.0;
  for (int i = 0; i < n; i++) {
    if (y[i] > 0.0) dev += 2.0 * y[i] * log(y[i] / mu[i]);
    if (y[i] < 1.0) dev += 2.0 * (1.0 - y[i]) * log((1.0 - y[i]) / (1.0 - mu[i]));
  }
  return dev;
}

/* beta (k), cov (k x k), eta and mu (n) are outputs (see classify.h). */
irls_info logistic_irls(const double *x, const double *y, const double *offset,
                        int n, int k, int maxit, double epsilon,
                        double *beta, double *cov, double *eta, double *mu) {
  irls_info info = {0, 0, 0, 0, 0.0};
  double *w = (double *) R_alloc(n, sizeof(double));
  double *z = (double *) R_alloc(n, sizeof(double));
  double *work = (double *) R_alloc((size_t) n * k, sizeof(double));
  double *xtwx = (double *) R_alloc((size_t) k * k, sizeof(double));
  for (int i = 0; i < n; i++) {
    double m = (y[i] + 0.5) / 2.0;
    eta[i] = log(m / (1.0 - m));
    mu[i] = logit_inv(eta[i]);
  }
  double devold = binomial_deviance(y, mu, n), dev = devold;
  for (int iter = 1; iter <= maxit; iter++) {
    R_CheckUserInterrupt();
    for (int i = 0; i < n; i++) {
      double me = logit_mu_eta(eta[i]);
      double var = mu[i] * (1.0 - mu[i]);
      z[i] = eta[i] - offset[i] + (y[i] - mu[i]) / me;
      w[i] = me * me / var;
    }
    wls_crossprod(x, w, n, k, xtwx, work);
    if (wls_chol(xtwx, k) != 0) { info.singular = 1; info.iter = iter; return info; }
    for (int i = 0; i < n; i++) z[i] *= w[i];
    for (int j = 0; j < k; j++) beta[j] = wls_dot(x + (size_t) j * n, z, n);
    wls_chol_solve(xtwx, k, beta);
    memcpy(eta, offset, sizeof(double) * n);
    for (int j = 0; j < k; j++) wls_axpy(eta, beta[j], x + (size_t) j * n, n);
    for (int i = 0; i < n; i++) mu[i] = logit_inv(eta[i]);
    dev = binomial_deviance(y, mu, n);
    info.iter = iter;
    if (fabs(dev - devold) / (fabs(dev) + 0.1) < epsilon) { info.converged = 1; break; }
    devold = dev;
  }
  info.deviance = dev;
  wls_chol_inverse(xtwx, k, cov);
  const double eps = 10.0 * DBL_EPSILON;
  for (int i = 0; i < n; i++) if (mu[i] > 1.0 - eps || mu[i] < eps) info.boundary = 1;
  return info;
}

SEXP C_logistic_fit(SEXP x, SEXP y, SEXP offset, SEXP maxit, SEXP epsilon) {
  int n, k;
  arg_dbl_matrix(x, "C_logistic_fit: x", &n, &k);
  arg_dbl(y, "C_logistic_fit: y", n);
  arg_dbl(offset, "C_logistic_fit: offset", n);
  int max_iter = arg_int1(maxit, "C_logistic_fit: maxit", 0, INT_MAX);
  double eps = arg_num1(epsilon, "C_logistic_fit: epsilon", 0.0, 1.0);
  if (n < 1 || k < 1) error("C_logistic_fit: empty design");
  SEXP beta = PROTECT(allocVector(REALSXP, k));
  SEXP cov = PROTECT(allocMatrix(REALSXP, k, k));
  SEXP eta = PROTECT(allocVector(REALSXP, n));
  SEXP mu = PROTECT(allocVector(REALSXP, n));
  memset(REAL(cov), 0, sizeof(double) * (size_t) k * k);
  for (int j = 0; j < k; j++) REAL(beta)[j] = NA_REAL;
  irls_info info = logistic_irls(REAL(x), REAL(y), REAL(offset), n, k,
                                 max_iter, eps,
                                 REAL(beta), REAL(cov), REAL(eta), REAL(mu));
  named_sexp parts[] = {{"coefficients", beta}, {"cov", cov},
                        {"linear", eta}, {"prob", mu}};
  SEXP out = fit_result_list(parts, 4, info.deviance, "deviance", info.iter,
                             info.converged, info.boundary, info.singular);
  UNPROTECT(4);
  return out;
}
