/* Registration of the C entry points called from R as .Call(C_name, ...). */
#include <R.h>
#include <Rinternals.h>
#include <R_ext/Rdynload.h>
#include <stdlib.h>

SEXP C_margin_stats(SEXP x, SEXP by_row);
SEXP C_roc_fit(SEXP z, SEXP y, SEXP w);
SEXP C_roc_fit_matrix(SEXP x, SEXP y, SEXP w, SEXP sign);
SEXP C_roc_partial_auc(SEXP se, SEXP sp, SEXP range, SEXP focus,
                       SEXP correct, SEXP invalid_na);
SEXP C_roc_coord_at(SEXP input, SEXP other, SEXP values, SEXP decreasing);
SEXP C_roc_auc_matrix(SEXP y, SEXP x, SEXP sign);
SEXP C_roc_boot(SEXP fits, SEXP y, SEXP w, SEXP cluster, SEXP n_boot,
                SEXP stratified, SEXP stat, SEXP par);

#define CALLDEF(name, n) {#name, (DL_FUNC) &name, n}

static const R_CallMethodDef call_methods[] = {
  CALLDEF(C_margin_stats, 2),
  CALLDEF(C_roc_fit, 3),
  CALLDEF(C_roc_fit_matrix, 4),
  CALLDEF(C_roc_partial_auc, 6),
  CALLDEF(C_roc_coord_at, 4),
  CALLDEF(C_roc_auc_matrix, 3),
  CALLDEF(C_roc_boot, 8),
  {NULL, NULL, 0}
};

void R_init_evmirna(DllInfo *dll) {
  R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
  R_useDynamicSymbols(dll, FALSE);
  R_forceSymbols(dll, TRUE);
}
