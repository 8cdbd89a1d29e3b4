/* Registration of the C entry points called from R as .Call(C_name, ...). */
#include <R.h>
#include <Rinternals.h>
#include <R_ext/Rdynload.h>
#include <stdlib.h>

SEXP C_margin_stats(SEXP x, SEXP by_row);
SEXP C_roc_fit(SEXP x, SEXP y, SEXP w, SEXP dir);
SEXP C_roc_fit_matrix(SEXP x, SEXP y, SEXP w, SEXP dir);
SEXP C_roc_code(SEXP r, SEXP x, SEXP w, SEXP lv);
SEXP C_roc_distinct3(SEXP r);
SEXP C_roc_partial_auc(SEXP se, SEXP sp, SEXP range, SEXP focus,
                       SEXP correct, SEXP invalid_na);
SEXP C_roc_coord_at(SEXP input, SEXP other, SEXP values, SEXP decreasing);
SEXP C_roc_auc_matrix(SEXP y, SEXP x, SEXP dir);
SEXP C_roc_boot(SEXP fits, SEXP y, SEXP w, SEXP cluster, SEXP n_boot,
                SEXP stratified, SEXP stat, SEXP par, SEXP sampler);

#define CALLDEF(name, n) {#name, (DL_FUNC) &name, n}

static const R_CallMethodDef call_methods[] = {
  CALLDEF(C_margin_stats, 2),
  CALLDEF(C_roc_fit, 4),
  CALLDEF(C_roc_fit_matrix, 4),
  CALLDEF(C_roc_code, 4),
  CALLDEF(C_roc_distinct3, 1),
  CALLDEF(C_roc_partial_auc, 6),
  CALLDEF(C_roc_coord_at, 4),
  CALLDEF(C_roc_auc_matrix, 3),
  CALLDEF(C_roc_boot, 9),
  {NULL, NULL, 0}
};

void R_init_evmirna(DllInfo *dll) {
  R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
  R_useDynamicSymbols(dll, FALSE);
  R_forceSymbols(dll, TRUE);
}
