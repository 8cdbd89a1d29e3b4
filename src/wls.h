/* Weighted least-squares helpers shared by the logistic and Firth fitters. */
#ifndef EVMIRNA_WLS_H
#define EVMIRNA_WLS_H

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

#endif
