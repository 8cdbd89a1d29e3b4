/* Weighted least-squares helpers shared by the logistic and Firth fitters. */
#ifndef EVMIRNA_WLS_H
#define EVMIRNA_WLS_H

/* Hot loops get an AVX2 clone on x86-64 Linux (chosen at load time). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    defined(__linux__) && __GNUC__ >= 6
#define WLS_SIMD __attribute__((target_clones("avx2", "default")))
#else
#define WLS_SIMD
#endif

/* sum a_i b_i and y += a x, in a fixed order of operations. */
double wls_dot(const double *a, const double *b, int n);
void wls_axpy(double *y, double a, const double *x, int n);
/* xtwx (k x k, upper triangle) = X' diag(w) X for X n x k column-major. */
void wls_crossprod(const double *x, const double *w, int n, int k,
                   double *xtwx, double *work_nk);
/* Cholesky factor of the k x k matrix a in place (upper); 0 on success. */
int wls_chol(double *a, int k);
/* Solves (R'R) z = b in place for the Cholesky factor R from wls_chol. */
void wls_chol_solve(const double *r, int k, double *b);
/* Inverse from the Cholesky factor: a full symmetric k x k matrix. */
int wls_chol_inverse(const double *r, int k, double *inv);
/* Leverages h_i = w_i x_i' (X'WX)^{-1} x_i from the Cholesky factor R. */
void wls_hat(const double *x, const double *w, const double *r, int n, int k,
             double *h, double *work_nk);

/* The result list both fitters return: coefficients, covariance, two
 * per-sample vectors, the objective and the fit diagnostics. The SEXP
 * arguments must be protected by the caller; the list is returned
 * unprotected. */
#include <Rinternals.h>
typedef struct {
  const char *name;
  SEXP value;
} named_sexp;
SEXP fit_result_list(const named_sexp *parts, int n_parts, double objective,
                     const char *objective_name, int iter, int converged,
                     int boundary, int singular);

#endif
