/* Registration of the C entry points called from R as .Call(C_name, ...). */
#include <R.h>
#include <Rinternals.h>
#include <R_ext/Rdynload.h>
#include <stdlib.h>

SEXP C_margin_stats(SEXP x, SEXP by_row);
SEXP C_logistic_fit(SEXP x, SEXP y, SEXP offset, SEXP maxit, SEXP epsilon);
SEXP C_firth_fit(SEXP x, SEXP y, SEXP offset, SEXP control);
SEXP C_column_sd(SEXP x);
SEXP C_elnet_cv(SEXP x, SEXP y, SEXP foldid, SEXP penalty, SEXP alpha,
                SEXP standardize, SEXP nlambda, SEXP flmin, SEXP lambda, SEXP s_,
                SEXP thresh, SEXP maxit, SEXP dfmax, SEXP pmax, SEXP threads);
SEXP C_elnet_path(SEXP x, SEXP y, SEXP weights, SEXP penalty, SEXP alpha,
                  SEXP standardize, SEXP nlambda, SEXP lambda_min_ratio,
                  SEXP lambda, SEXP thresh, SEXP maxit, SEXP dfmax, SEXP pmax);
SEXP C_elnet_interp(SEXP lambda, SEXP s);
SEXP C_lda_fit(SEXP x, SEXP y, SEXP diagonal, SEXP prior1);
SEXP C_quantile_normalize(SEXP x, SEXP mult);
SEXP C_quantile_apply(SEXP x, SEXP target, SEXP mult);
SEXP C_log_cpm(SEXP x, SEXP lib, SEXP prior, SEXP mean_lib);
SEXP C_delta_cq(SEXP cq, SEXP anchor, SEXP slope);
SEXP C_col_quantile(SEXP x, SEXP keep, SEXP p);
SEXP C_tmm_factors(SEXP x, SEXP ref, SEXP lib, SEXP ref_lib, SEXP ratio_trim,
                   SEXP sum_trim, SEXP weighting, SEXP a_cutoff, SEXP threads);
SEXP C_count_summary(SEXP x);
SEXP C_genorm(SEXP x, SEXP scale);
SEXP C_normfinder(SEXP x, SEXP group, SEXP n_groups);
SEXP C_roc_fit(SEXP x, SEXP y, SEXP w, SEXP dir);
SEXP C_roc_fit_matrix(SEXP x, SEXP y, SEXP w, SEXP dir);
SEXP C_roc_code(SEXP r, SEXP x, SEXP w, SEXP lv);
SEXP C_roc_distinct3(SEXP r);
SEXP C_roc_partial_auc(SEXP se, SEXP sp, SEXP range, SEXP focus,
                       SEXP correct, SEXP invalid_na);
SEXP C_roc_coord_at(SEXP input, SEXP other, SEXP values, SEXP decreasing);
SEXP C_roc_auc_matrix(SEXP y, SEXP x, SEXP dir);
SEXP C_delong_cov(SEXP cases, SEXP controls, SEXP auc, SEXP w1, SEXP w0);
SEXP C_roc_boot(SEXP fits, SEXP y, SEXP w, SEXP cluster, SEXP n_boot,
                SEXP stratified, SEXP stat, SEXP par, SEXP sampler);
SEXP C_thread_count(SEXP requested);
SEXP C_screen(SEXP x, SEXP y, SEXP dir, SEXP features_in_rows, SEXP threads);
SEXP C_panel_auc(SEXP x, SEXP y, SEXP panels, SEXP folds, SEXP method,
                 SEXP control, SEXP thresholds, SEXP min_markers, SEXP threads,
                 SEXP floor);
SEXP C_score_panel(SEXP x, SEXP rows, SEXP coef, SEXP intercept, SEXP lo,
                   SEXP hi, SEXP ok, SEXP ids);
SEXP C_score_qc(SEXP x, SEXP mean_rows, SEXP need_rows, SEXP detection,
                SEXP hemo_rows, SEXP spike_rows, SEXP spike_med);

#define CALLDEF(name, n) {#name, (DL_FUNC) &name, n}

static const R_CallMethodDef call_methods[] = {
  CALLDEF(C_margin_stats, 2),
  CALLDEF(C_logistic_fit, 5),
  CALLDEF(C_firth_fit, 4),
  CALLDEF(C_elnet_path, 13),
  CALLDEF(C_elnet_cv, 15),
  CALLDEF(C_elnet_interp, 2),
  CALLDEF(C_column_sd, 1),
  CALLDEF(C_lda_fit, 4),
  CALLDEF(C_quantile_normalize, 2),
  CALLDEF(C_quantile_apply, 3),
  CALLDEF(C_log_cpm, 4),
  CALLDEF(C_delta_cq, 3),
  CALLDEF(C_col_quantile, 3),
  CALLDEF(C_tmm_factors, 9),
  CALLDEF(C_count_summary, 1),
  CALLDEF(C_genorm, 2),
  CALLDEF(C_normfinder, 3),
  CALLDEF(C_roc_fit, 4),
  CALLDEF(C_roc_fit_matrix, 4),
  CALLDEF(C_roc_code, 4),
  CALLDEF(C_roc_distinct3, 1),
  CALLDEF(C_roc_partial_auc, 6),
  CALLDEF(C_roc_coord_at, 4),
  CALLDEF(C_roc_auc_matrix, 3),
  CALLDEF(C_delong_cov, 5),
  CALLDEF(C_roc_boot, 9),
  CALLDEF(C_thread_count, 1),
  CALLDEF(C_screen, 5),
  CALLDEF(C_panel_auc, 10),
  CALLDEF(C_score_panel, 8),
  CALLDEF(C_score_qc, 7),
  {NULL, NULL, 0}
};

void R_init_evmirna(DllInfo *dll) {
  R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
  R_useDynamicSymbols(dll, FALSE);
  R_forceSymbols(dll, TRUE);
}
