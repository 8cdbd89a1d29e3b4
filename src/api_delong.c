/* .Call interface of the DeLong core (delong.c): column-wise AUC and DeLong
 * variance of a predictor matrix, and the DeLong covariance matrix of
 * several curves on the same observations. */
#include "roc.h"
#include "delong.h"
#include "api_args.h"
#include "rlist.h"
#include <R_ext/Utils.h>

/* roc_auc_matrix kernel: for each column j of x (n x p), with NA pairs
 * dropped per column, the AUC of x[, j] against y (1 = case) in direction
 * dir[j] (0 = auto by medians, 1 = "<", 2 = ">") and
 * its DeLong variance var(case placements)/m + var(control placements)/n.
 * Returns a 3 x p matrix with rows "auc", "var", "direction" (1/2). A column
 * with one class left gets NA. */
SEXP C_roc_auc_matrix(SEXP y_, SEXP x_, SEXP dir_) {
  const int *y = arg_int(y_, "C_roc_auc_matrix: y", -1);
  R_xlen_t n = XLENGTH(y_);
  const int *dir = arg_int(dir_, "C_roc_auc_matrix: dir", -1);
  R_xlen_t p = XLENGTH(dir_);
  arg_ids(dir, p, "C_roc_auc_matrix: dir", 0, 2);
  const double *x = arg_dbl(x_, "C_roc_auc_matrix: x", n * p);
  for (R_xlen_t i = 0; i < n; i++)
    if (y[i] != NA_INTEGER && (y[i] < 0 || y[i] > 1))
      error("C_roc_auc_matrix: y must be 0, 1 or NA");
  SEXP out = PROTECT(allocMatrix(REALSXP, 3, (int) p));
  {
    SEXP dn = PROTECT(allocVector(VECSXP, 2));
    SEXP rn = PROTECT(allocVector(STRSXP, 3));
    SET_STRING_ELT(rn, 0, mkChar("auc"));
    SET_STRING_ELT(rn, 1, mkChar("var"));
    SET_STRING_ELT(rn, 2, mkChar("direction"));
    SET_VECTOR_ELT(dn, 0, rn);
    setAttrib(out, R_DimNamesSymbol, dn);
    UNPROTECT(2);
  }
  double *o = REAL(out);
  for (R_xlen_t j = 0; j < p; j++) {
    const void *vmax = vmaxget();
    double *z = (double *) R_alloc(n, sizeof(double));
    int *yy = (int *) R_alloc(n, sizeof(int));
    R_xlen_t len = 0, m = 0;
    for (R_xlen_t i = 0; i < n; i++) {
      double v = x[i + j * n];
      if (ISNAN(v) || y[i] == NA_INTEGER) continue;
      z[len] = v;
      yy[len] = y[i] != 0;
      m += yy[len];
      len++;
    }
    if (m == 0 || m == len) {
      o[3 * j] = NA_REAL;
      o[3 * j + 1] = NA_REAL;
      o[3 * j + 2] = NA_REAL;
      vmaxset(vmax);
      continue;
    }
    double *u = (double *) R_alloc(len, sizeof(double));
    double *wc, *wk;
    int *gid = (int *) R_alloc(len, sizeof(int));
    int dir_used;
    R_xlen_t K = roc_groups(z, yy, NULL, len, dir[j], &dir_used, u, &wc, &wk, gid);
    double auc = roc_curve(K, u, wc, wk, NULL, NULL, NULL);
    double *pc = (double *) R_alloc(m, sizeof(double));
    double *pk = (double *) R_alloc(len - m, sizeof(double));
    roc_placements(K, wc, wk, gid, yy, len, pc, pk);
    double v = delong_cov(pc, pk, auc, pc, pk, auc, NULL, NULL, m, len - m);
    o[3 * j] = auc;
    o[3 * j + 2] = dir_used;
    o[3 * j + 1] = ISNAN(v) ? NA_REAL : v;
    vmaxset(vmax);
    if (j % 64 == 63) R_CheckUserInterrupt();
  }
  UNPROTECT(1);
  return out;
}

/* DeLong covariance matrix of k curves on the same observations: cases and
 * controls are lists of k placement vectors (m1 and m0 long, as C_roc_fit
 * returns them), auc the k AUCs, w1 / w0 NULL or the weights of the cases
 * and controls. Returns a k x k matrix (NA when a class weighs 1 or less). */
SEXP C_delong_cov(SEXP cases_, SEXP controls_, SEXP auc_, SEXP w1_, SEXP w0_) {
  if (TYPEOF(cases_) != VECSXP || TYPEOF(controls_) != VECSXP)
    error("C_delong_cov: cases and controls must be lists");
  R_xlen_t k = XLENGTH(cases_);
  if (k < 1) error("C_delong_cov: need at least one curve");
  if (XLENGTH(controls_) != k) error("C_delong_cov: controls must have %.0f entries", (double) k);
  const double *auc = arg_dbl(auc_, "C_delong_cov: auc", k);
  R_xlen_t m1 = XLENGTH(VECTOR_ELT(cases_, 0)), m0 = XLENGTH(VECTOR_ELT(controls_, 0));
  const double **pc = (const double **) R_alloc(k, sizeof(double *));
  const double **pk = (const double **) R_alloc(k, sizeof(double *));
  for (R_xlen_t a = 0; a < k; a++) {
    pc[a] = arg_dbl(VECTOR_ELT(cases_, a), "C_delong_cov: case placements", m1);
    pk[a] = arg_dbl(VECTOR_ELT(controls_, a), "C_delong_cov: control placements", m0);
  }
  const double *w1 = isNull(w1_) ? NULL : arg_dbl(w1_, "C_delong_cov: w1", m1);
  const double *w0 = isNull(w0_) ? NULL : arg_dbl(w0_, "C_delong_cov: w0", m0);
  SEXP out = PROTECT(allocMatrix(REALSXP, (int) k, (int) k));
  double *o = REAL(out);
  for (R_xlen_t a = 0; a < k; a++) {
    for (R_xlen_t b = a; b < k; b++) {
      double v = delong_cov(pc[a], pk[a], auc[a], pc[b], pk[b], auc[b], w1, w0, m1, m0);
      o[a + b * k] = o[b + a * k] = ISNAN(v) ? NA_REAL : v;
    }
  }
  UNPROTECT(1);
  return out;
}
