/* Registration of the C entry points called from R as .Call(C_name, ...). */
#include <R.h>
#include <Rinternals.h>
#include <R_ext/Rdynload.h>
#include <stdlib.h>

SEXP C_margin_stats(SEXP x, SEXP by_row);

#define CALLDEF(name, n) {#name, (DL_FUNC) &name, n}

static const R_CallMethodDef call_methods[] = {
  CALLDEF(C_margin_stats, 2),
  {NULL, NULL, 0}
};

void R_init_evmirna(DllInfo *dll) {
  R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
  R_useDynamicSymbols(dll, FALSE);
  R_forceSymbols(dll, TRUE);
}
