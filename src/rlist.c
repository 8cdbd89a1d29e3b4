/* The one builder of the named results the .Call routines return. */
#include <stdarg.h>
#include "rlist.h"

SEXP named_list(int n, ...) {
  SEXP out = PROTECT(allocVector(VECSXP, n));
  SEXP nms = PROTECT(allocVector(STRSXP, n));
  va_list items;
  va_start(items, n);
  for (int i = 0; i < n; i++) {
    const char *name = va_arg(items, const char *);
    SET_STRING_ELT(nms, i, mkChar(name));
    SET_VECTOR_ELT(out, i, va_arg(items, SEXP));
  }
  va_end(items);
  setAttrib(out, R_NamesSymbol, nms);
  UNPROTECT(2);
  return out;
}

void set_colnames(SEXP m, const char *const *names, int n) {
  SEXP cn = PROTECT(allocVector(STRSXP, n));
  for (int i = 0; i < n; i++) SET_STRING_ELT(cn, i, mkChar(names[i]));
  SEXP dn = PROTECT(allocVector(VECSXP, 2));
  SET_VECTOR_ELT(dn, 1, cn);
  setAttrib(m, R_DimNamesSymbol, dn);
  UNPROTECT(2);
}
