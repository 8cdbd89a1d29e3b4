/* Weighted cross-products and Cholesky solves through BLAS/LAPACK. */
#define USE_FC_LEN_T
#include <R.h>
#include <R_ext/BLAS.h>
#include <R_ext/Lapack.h>
#include <math.h>
#include <string.h>
#ifndef FCONE
#define FCONE
#endif
#include "wls.h"

void wls_crossprod(const double *x, const double *w, int n, int k,
                   double *xtwx, double *work_nk) {
  for (int j = 0; j < k; j++) {
    const double *xj = x + (size_t) j * n;
    double *zj = work_nk + (size_t) j * n;
    for (int i = 0; i < n; i++) zj[i] = sqrt(w[i]) * xj[i];
  }
  double one = 1.0, zero = 0.0;
  F77_CALL(dsyrk)("U", "T", &k, &n, &one, work_nk, &n, &zero, xtwx, &k
                  FCONE FCONE);
}

int wls_chol(double *a, int k) {
  int info = 0;
  F77_CALL(dpotrf)("U", &k, a, &k, &info FCONE);
  return info;
}

void wls_chol_solve(const double *r, int k, double *b) {
  int one = 1, info = 0;
  F77_CALL(dpotrs)("U", &k, &one, r, &k, b, &k, &info FCONE);
}

int wls_chol_inverse(const double *r, int k, double *inv) {
  int info = 0;
  memcpy(inv, r, sizeof(double) * (size_t) k * k);
  F77_CALL(dpotri)("U", &k, inv, &k, &info FCONE);
  for (int j = 0; j < k; j++)
    for (int i = j + 1; i < k; i++) inv[i + (size_t) j * k] = inv[j + (size_t) i * k];
  return info;
}

/* With Z = diag(sqrt w) X and R'R = Z'Z, h_i = || R^{-T} z_i ||^2. */
void wls_hat(const double *x, const double *w, const double *r, int n, int k,
             double *h, double *work_nk) {
  for (int j = 0; j < k; j++) {
    const double *xj = x + (size_t) j * n;
    double *zj = work_nk + (size_t) j * n;
    for (int i = 0; i < n; i++) zj[i] = sqrt(w[i]) * xj[i];
  }
  double one = 1.0;
  /* Z R^{-1}: rows are (R^{-T} z_i)'. */
  F77_CALL(dtrsm)("R", "U", "N", "N", &n, &k, &one, r, &k, work_nk, &n
                  FCONE FCONE FCONE FCONE);
  for (int i = 0; i < n; i++) h[i] = 0.0;
  for (int j = 0; j < k; j++) {
    const double *zj = work_nk + (size_t) j * n;
    for (int i = 0; i < n; i++) h[i] += zj[i] * zj[i];
  }
}

SEXP fit_result_list(const named_sexp *parts, int n_parts, double objective,
                     const char *objective_name, int iter, int converged,
                     int boundary, int singular) {
  const char *flags[] = {"iter", "converged", "boundary", "singular"};
  int n = n_parts + 5;
  SEXP out = PROTECT(allocVector(VECSXP, n));
  SEXP nms = PROTECT(allocVector(STRSXP, n));
  for (int i = 0; i < n_parts; i++) {
    SET_VECTOR_ELT(out, i, parts[i].value);
    SET_STRING_ELT(nms, i, mkChar(parts[i].name));
  }
  SET_VECTOR_ELT(out, n_parts, ScalarReal(objective));
  SET_STRING_ELT(nms, n_parts, mkChar(objective_name));
  SET_VECTOR_ELT(out, n_parts + 1, ScalarInteger(iter));
  SET_VECTOR_ELT(out, n_parts + 2, ScalarLogical(converged));
  SET_VECTOR_ELT(out, n_parts + 3, ScalarLogical(boundary));
  SET_VECTOR_ELT(out, n_parts + 4, ScalarLogical(singular));
  for (int i = 0; i < 4; i++) SET_STRING_ELT(nms, n_parts + 1 + i, mkChar(flags[i]));
  setAttrib(out, R_NamesSymbol, nms);
  UNPROTECT(2);
  return out;
}
