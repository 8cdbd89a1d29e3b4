/* Argument checks for the .Call interface layer (see api_args.h). */
#include <R.h>
#include <Rinternals.h>
#include "api_args.h"

static void check_length(SEXP x, const char *what, R_xlen_t len) {
  if (len >= 0 && XLENGTH(x) != len)
    error("%s must have length %.0f, not %.0f", what, (double) len,
          (double) XLENGTH(x));
}

const double *arg_dbl(SEXP x, const char *what, R_xlen_t len) {
  if (TYPEOF(x) != REALSXP) error("%s must be a double vector", what);
  check_length(x, what, len);
  return REAL(x);
}

const int *arg_int(SEXP x, const char *what, R_xlen_t len) {
  if (TYPEOF(x) != INTSXP) error("%s must be an integer vector", what);
  check_length(x, what, len);
  return INTEGER(x);
}

const int *arg_lgl(SEXP x, const char *what, R_xlen_t len) {
  if (TYPEOF(x) != LGLSXP) error("%s must be a logical vector", what);
  check_length(x, what, len);
  return LOGICAL(x);
}

const double *arg_dbl_matrix(SEXP x, const char *what, int *nr, int *nc) {
  if (TYPEOF(x) != REALSXP || !isMatrix(x)) error("%s must be a double matrix", what);
  *nr = nrows(x);
  *nc = ncols(x);
  return REAL(x);
}

double arg_num1(SEXP x, const char *what, double lo, double hi) {
  int t = TYPEOF(x);
  if ((t != REALSXP && t != INTSXP && t != LGLSXP) || XLENGTH(x) != 1)
    error("%s must be one number", what);
  double v = asReal(x);
  if (ISNAN(v)) error("%s must not be NA", what);
  if (!(v >= lo && v <= hi)) error("%s must be within [%g, %g], not %g", what, lo, hi, v);
  return v;
}

int arg_int1(SEXP x, const char *what, int lo, int hi) {
  double v = arg_num1(x, what, (double) lo, (double) hi);
  if (v != (double) (int) v) error("%s must be a whole number", what);
  return (int) v;
}

int arg_flag(SEXP x, const char *what) {
  int t = TYPEOF(x);
  if ((t != LGLSXP && t != INTSXP && t != REALSXP) || XLENGTH(x) != 1)
    error("%s must be TRUE or FALSE", what);
  int v = asLogical(x);
  if (v == NA_LOGICAL) error("%s must be TRUE or FALSE, not NA", what);
  return v != 0;
}

void arg_ids(const int *v, R_xlen_t n, const char *what, int lo, int hi) {
  for (R_xlen_t i = 0; i < n; i++)
    if (v[i] == NA_INTEGER || v[i] < lo || v[i] > hi)
      error("%s: value %.0f at position %.0f is outside [%d, %d]", what,
            v[i] == NA_INTEGER ? NA_REAL : (double) v[i], (double) (i + 1), lo, hi);
}

void arg_finite(const double *v, R_xlen_t n, const char *what) {
  for (R_xlen_t i = 0; i < n; i++)
    if (!R_FINITE(v[i])) error("%s must be finite (position %.0f)", what, (double) (i + 1));
}

void arg_no_na(const double *v, R_xlen_t n, const char *what) {
  for (R_xlen_t i = 0; i < n; i++)
    if (ISNAN(v[i])) error("%s must not be NA (position %.0f)", what, (double) (i + 1));
}
