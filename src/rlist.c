/* Small R-object helpers shared by the kernels' SEXP wrappers. */
#include <stdarg.h>
#include "rlist.h"

SEXP list_of(int n, ...) {
  SEXP out = PROTECT(allocVector(VECSXP, n));
  va_list items;
  va_start(items, n);
  for (int i = 0; i < n; i++) SET_VECTOR_ELT(out, i, va_arg(items, SEXP));
  va_end(items);
  UNPROTECT(1);
  return out;
}
