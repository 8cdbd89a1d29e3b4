/* Argument checks for the .Call interface layer. Every routine checks every
 * argument with these before it reads a pointer: type, length, range, NA.
 * Each raises an R error naming the routine and the argument ("what", e.g.
 * "C_tmm_factors: ratio_trim"), so no malformed input reaches a kernel.
 * Called only on the main thread, outside parallel regions. */
#ifndef EVMIRNA_API_ARGS_H
#define EVMIRNA_API_ARGS_H
#include <Rinternals.h>
#include <limits.h>

/* A double (REALSXP) vector of length len (any length when len < 0). */
const double *arg_dbl(SEXP x, const char *what, R_xlen_t len);
/* An integer vector (not factor-checked) of length len (any when < 0). */
const int *arg_int(SEXP x, const char *what, R_xlen_t len);
/* A logical vector of length len (any when < 0). */
const int *arg_lgl(SEXP x, const char *what, R_xlen_t len);
/* A double matrix; its dimensions go to *nr, *nc. */
const double *arg_dbl_matrix(SEXP x, const char *what, int *nr, int *nc);
/* One number (integer, double or logical), not NA, within [lo, hi]. */
double arg_num1(SEXP x, const char *what, double lo, double hi);
/* One whole number within [lo, hi] (not NA). */
int arg_int1(SEXP x, const char *what, int lo, int hi);
/* TRUE or FALSE (not NA); returns 1 or 0. */
int arg_flag(SEXP x, const char *what);
/* Every value of v (length n) within [lo, hi], none NA. */
void arg_ids(const int *v, R_xlen_t n, const char *what, int lo, int hi);
/* Every value of v (length n) finite (no NA, NaN or Inf). */
void arg_finite(const double *v, R_xlen_t n, const char *what);
/* Every value of v (length n) not NA/NaN. */
void arg_no_na(const double *v, R_xlen_t n, const char *what);

#endif
