/* Two-class linear discriminant analysis. With a pooled within-class
 * covariance S (denominator n - 2, as MASS::lda's "moment" method) the
 * posterior log-odds of class 1 are linear in x:
 *   log P(1|x)/P(0|x) = x' S^{-1} (m1 - m0) - (m1 + m0)' S^{-1} (m1 - m0) / 2
 *                       + log(prior1 / prior0).
 * Diagonal LDA keeps only the diagonal of S (for p near or above n). */
#define USE_FC_LEN_T
#include <R.h>
#include <Rinternals.h>
#include <R_ext/BLAS.h>
#include <math.h>
#include <string.h>
#ifndef FCONE
#define FCONE
#endif
#include "wls.h"
#include "api_args.h"
#include "rlist.h"

/* Fills coef (p) and returns the intercept; *status 1 if S is singular. */
static double lda_fit(const double *x, const double *y, int n, int p,
                      int diagonal, double prior1, double *coef,
                      double *pooled, int *status) {
  double *m0 = (double *) R_alloc(p, sizeof(double));
  double *m1 = (double *) R_alloc(p, sizeof(double));
  double *xc = (double *) R_alloc((size_t) n * p, sizeof(double));
  int n1 = 0;
  for (int i = 0; i < n; i++) n1 += y[i] > 0.5;
  int n0 = n - n1;
  for (int j = 0; j < p; j++) {
    const double *xj = x + (size_t) j * n;
    double s0 = 0.0, s1 = 0.0;
    for (int i = 0; i < n; i++) { if (y[i] > 0.5) s1 += xj[i]; else s0 += xj[i]; }
    m0[j] = s0 / n0; m1[j] = s1 / n1;
    double *cj = xc + (size_t) j * n;
    for (int i = 0; i < n; i++) cj[i] = xj[i] - (y[i] > 0.5 ? m1[j] : m0[j]);
  }
  double scale = 1.0 / (n - 2), zero = 0.0;
  *status = 0;
  if (diagonal) {
    memset(pooled, 0, sizeof(double) * (size_t) p * p);
    for (int j = 0; j < p; j++) {
      const double *cj = xc + (size_t) j * n;
      double s = 0.0;
      for (int i = 0; i < n; i++) s += cj[i] * cj[i];
      pooled[j + (size_t) j * p] = s * scale;
      if (!(s > 0.0)) *status = 1;
    }
    if (*status) return NA_REAL;
    for (int j = 0; j < p; j++) coef[j] = (m1[j] - m0[j]) / pooled[j + (size_t) j * p];
  } else {
    F77_CALL(dsyrk)("U", "T", &p, &n, &scale, xc, &n, &zero, pooled, &p
                    FCONE FCONE);
    for (int j = 0; j < p; j++)
      for (int i = j + 1; i < p; i++) pooled[i + (size_t) j * p] = pooled[j + (size_t) i * p];
    double *chol = (double *) R_alloc((size_t) p * p, sizeof(double));
    memcpy(chol, pooled, sizeof(double) * (size_t) p * p);
    if (wls_chol(chol, p) != 0) { *status = 1; return NA_REAL; }
    for (int j = 0; j < p; j++) coef[j] = m1[j] - m0[j];
    wls_chol_solve(chol, p, coef);
  }
  double a = log(prior1 / (1.0 - prior1));
  for (int j = 0; j < p; j++) a -= 0.5 * (m1[j] + m0[j]) * coef[j];
  return a;
}

SEXP C_lda_fit(SEXP x, SEXP y, SEXP diagonal, SEXP prior1) {
  int n, p;
  arg_dbl_matrix(x, "C_lda_fit: x", &n, &p);
  const double *yy = arg_dbl(y, "C_lda_fit: y", n);
  for (int i = 0; i < n; i++)
    if (yy[i] != 0 && yy[i] != 1) error("C_lda_fit: y must be 0 or 1");
  int diag = arg_flag(diagonal, "C_lda_fit: diagonal");
  double prior = arg_num1(prior1, "C_lda_fit: prior1", 0.0, 1.0);
  if (n < 3 || p < 1) error("C_lda_fit: too few samples");
  SEXP coef = PROTECT(allocVector(REALSXP, p));
  SEXP pooled = PROTECT(allocMatrix(REALSXP, p, p));
  int status = 0;
  double a = lda_fit(REAL(x), yy, n, p, diag, prior, REAL(coef), REAL(pooled),
                     &status);
  SEXP a_ = PROTECT(ScalarReal(a));
  SEXP s_ = PROTECT(ScalarLogical(status));
  SEXP out = named_list(4, "intercept", a_, "coefficients", coef,
                        "covariance", pooled, "singular", s_);
  UNPROTECT(4);
  return out;
}
