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
#include "api_args.h"
#include "rlist.h"

/* Eight partial sums (fixed order, so both clones give the same bits). */
WLS_SIMD
double wls_dot(const double *restrict a, const double *restrict b, int n) {
  double s[8] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
  int i = 0;
  for (; i + 7 < n; i += 8) {
    for (int k = 0; k < 8; k++) s[k] += a[i + k] * b[i + k];
  }
  for (; i < n; i++) s[0] += a[i] * b[i];
  return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
}

WLS_SIMD
void wls_axpy(double *restrict y, double a, const double *restrict x, int n) {
  int i = 0;
  for (; i + 3 < n; i += 4) {
    for (int k = 0; k < 4; k++) y[i + k] += a * x[i + k];
  }
  for (; i < n; i++) y[i] += a * x[i];
}

/* Column by column: (w * x_a)' x_b for b <= a. For the small k of these
 * models this beats the reference BLAS dsyrk several times over. */
void wls_crossprod(const double *x, const double *w, int n, int k,
                   double *xtwx, double *work_nk) {
  double *t = work_nk;
  for (int a = 0; a < k; a++) {
    const double *xa = x + (size_t) a * n;
    for (int i = 0; i < n; i++) t[i] = w[i] * xa[i];
    for (int b = 0; b <= a; b++) xtwx[b + (size_t) a * k] = wls_dot(t, x + (size_t) b * n, n);
  }
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

/* Column standard deviations (denominator n - 1) of an n x p double matrix,
 * with the arithmetic of R's sqrt(colSums((x - colMeans(x))^2) / (n - 1))
 * (long double sums), without its n x p temporaries. */
SEXP C_column_sd(SEXP x) {
  int n, p;
  arg_dbl_matrix(x, "C_column_sd: x", &n, &p);
  SEXP out = PROTECT(allocVector(REALSXP, p));
  const double *xx = REAL(x);
  double *sd = REAL(out);
  for (int j = 0; j < p; j++) {
    const double *xj = xx + (size_t) j * n;
    if (n < 2) { sd[j] = NA_REAL; continue; }
    long double sum = 0.0;
    for (int i = 0; i < n; i++) sum += xj[i];
    sum /= n;
    double mean = (double) sum;
    long double ss = 0.0;
    for (int i = 0; i < n; i++) {
      double c = xj[i] - mean;
      ss += c * c;
    }
    sd[j] = sqrt((double) ss / (n - 1));
  }
  UNPROTECT(1);
  return out;
}
