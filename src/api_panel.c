/* R interface of the panel search: checks every argument, runs the fast
 * logistic kernel (panel_kernel.c) over chunks of panels with interrupt
 * checks between chunks, then the exact path (panel.c) serially for the
 * panels the kernel flagged and for the other methods, and returns a named
 * list. */
#include <R.h>
#include <Rinternals.h>
#include <R_ext/Utils.h>
#include "panel.h"
#include "panel_kernel.h"
#include "roc.h"
#include "threads.h"

/* Convergence of the fast path: relative change taken as the MLE. */
#define PANEL_FAST_TOL 1e-10

static void bad(const char *what) { error("C_panel_auc: bad `%s`", what); }

/* x: n x p finite doubles; y: 0/1 integers (n); panels: size x m 0-based
 * candidate columns; folds: NULL (apparent) or n x R integers 1..F; method:
 * 0 logistic, 1 firth, 2 mean_z, 3 count; control: maxit, epsilon, then the
 * six Firth controls; thresholds: p doubles; min_markers; threads; floor:
 * logistic panels whose mean AUC provably stays below it stop early (-Inf:
 * never). Returns list(auc, var, n_unconverged, sensitivity, specificity,
 * exact, pruned): one entry per panel; `exact` marks panels evaluated by the
 * exact path, `pruned` those stopped by the floor (NA AUC). */
SEXP C_panel_auc(SEXP x_, SEXP y_, SEXP panels_, SEXP folds_, SEXP method_,
                 SEXP control_, SEXP thresholds_, SEXP min_markers_, SEXP threads_,
                 SEXP floor_) {
  if (!isReal(x_) || !isMatrix(x_)) bad("x");
  const int n = nrows(x_), p = ncols(x_);
  if (n < 2 || p < 1) bad("x");
  const double *x = REAL(x_);
  for (R_xlen_t q = 0; q < XLENGTH(x_); q++) if (!R_FINITE(x[q])) bad("x");
  if (!isInteger(y_) || XLENGTH(y_) != n) bad("y");
  const int *y = INTEGER(y_);
  int m1 = 0;
  for (int i = 0; i < n; i++) {
    if (y[i] != 0 && y[i] != 1) bad("y");
    m1 += y[i];
  }
  if (m1 == 0 || m1 == n) bad("y");
  if (!isInteger(panels_) || !isMatrix(panels_)) bad("panels");
  const int size = nrows(panels_), m = ncols(panels_);
  if (size < 1 || size > p) bad("panels");
  const int *panels = INTEGER(panels_);
  for (R_xlen_t q = 0; q < (R_xlen_t) size * m; q++)
    if (panels[q] == NA_INTEGER || panels[q] < 0 || panels[q] >= p) bad("panels");
  int R = 1, F = 0;
  const int *folds = NULL;
  if (!isNull(folds_)) {
    if (!isInteger(folds_) || XLENGTH(folds_) == 0 || XLENGTH(folds_) % n) bad("folds");
    folds = INTEGER(folds_);
    R = (int) (XLENGTH(folds_) / n);
    for (R_xlen_t q = 0; q < XLENGTH(folds_); q++) {
      if (folds[q] == NA_INTEGER || folds[q] < 1 || folds[q] > n) bad("folds");
      if (folds[q] > F) F = folds[q];
    }
    if (F < 2) bad("folds");
  }
  if (!isInteger(method_) || XLENGTH(method_) != 1) bad("method");
  const int method = INTEGER(method_)[0];
  if (method < M_LOGISTIC || method > M_COUNT) bad("method");
  if (!isReal(control_) || XLENGTH(control_) != 8) bad("control");
  const double *ctl = REAL(control_);
  for (int j = 0; j < 8; j++) if (!R_FINITE(ctl[j]) || ctl[j] < 0) bad("control");
  if (ctl[0] < 1 || ctl[0] > 1e6 || ctl[2] < 1 || ctl[2] > 1e6) bad("control");
  if (!isReal(thresholds_) || XLENGTH(thresholds_) != p) bad("thresholds");
  if (!isInteger(min_markers_) || XLENGTH(min_markers_) != 1 ||
      INTEGER(min_markers_)[0] == NA_INTEGER) bad("min_markers");
  if (!isInteger(threads_) || XLENGTH(threads_) != 1 || INTEGER(threads_)[0] == NA_INTEGER)
    bad("threads");
  if (!isReal(floor_) || XLENGTH(floor_) != 1 || ISNAN(REAL(floor_)[0])) bad("floor");
  const double floor = REAL(floor_)[0];

  panel_setup st;
  st.x = x;
  st.n = n;
  st.p = p;
  st.method = method;
  st.maxit = (int) ctl[0];
  st.epsilon = ctl[1];
  st.firth = (firth_control) {(int) ctl[2], (int) ctl[3], ctl[4], ctl[5], ctl[6], ctl[7]};
  st.thresholds = REAL(thresholds_);
  st.min_markers = INTEGER(min_markers_)[0];

  const char *names[] = {"auc", "var", "n_unconverged", "sensitivity", "specificity",
                         "exact", "pruned", ""};
  SEXP out = PROTECT(mkNamed(VECSXP, names));
  const SEXPTYPE types[] = {REALSXP, REALSXP, INTSXP, REALSXP, REALSXP, LGLSXP, LGLSXP};
  for (int j = 0; j < 7; j++) SET_VECTOR_ELT(out, j, allocVector(types[j], m));
  SEXP auc_ = VECTOR_ELT(out, 0), var_ = VECTOR_ELT(out, 1), unc_ = VECTOR_ELT(out, 2),
       sens_ = VECTOR_ELT(out, 3), spec_ = VECTOR_ELT(out, 4), exact_ = VECTOR_ELT(out, 5),
       pruned_ = VECTOR_ELT(out, 6);
  double *auc = REAL(auc_), *var = REAL(var_), *sens = REAL(sens_), *spec = REAL(spec_);
  int *unc = INTEGER(unc_), *exact = LOGICAL(exact_), *pruned = LOGICAL(pruned_);
  for (int q = 0; q < m; q++) {
    exact[q] = 1;
    pruned[q] = 0;
    unc[q] = 0;
    sens[q] = spec[q] = NA_REAL;
  }

  if (method == M_LOGISTIC && size <= PANEL_FAST_MAX_SIZE && n < ROC_SMALL_SORT && m > 0) {
    panel_design d;
    void *mem = R_alloc(panel_design_bytes(n, p, folds, R, F), 1);
    panel_design_init(&d, mem, x, n, p, folds, R, F);
    panel_design_labels(&d, y);
    /* work units of one panel: rows x passes x accumulators */
    double per_panel = 4.0 * d.R * (F ? F : 1) * (double) n * (size + 1) * (size + 4);
    /* a thread team costs more than a few milliseconds of work saves */
    const int threads = per_panel * m < 2e7 ? 1 : evmirna_threads(INTEGER(threads_)[0]);
    const size_t sb = panel_fast_scratch_bytes(&d, size);
    void *scratch = R_alloc((size_t) threads * sb, 1);
    /* chunks of about 1e8 units (~0.1 s on one core) between interrupt checks */
    int chunk = (int) (1e8 * threads / per_panel);
    if (chunk < 1) chunk = 1;
    for (int q0 = 0; q0 < m; q0 += chunk) {
      int len = m - q0 < chunk ? m - q0 : chunk;
      panel_fast_logistic(&d, y, panels + (size_t) q0 * size, size, len, st.maxit,
                          PANEL_FAST_TOL, floor, threads, scratch, sb, auc + q0,
                          var + q0, exact + q0);
      R_CheckUserInterrupt();
    }
    for (int q = 0; q < m; q++) {
      if (exact[q] == 2) {
        exact[q] = 0;
        pruned[q] = 1;
      }
    }
  }
  double res[5];
  int done = 0;
  for (int q = 0; q < m; q++) {
    if (!exact[q]) continue;
    panel_exact(&st, y, folds, R, F ? F : 1, panels + (size_t) q * size, size, res);
    auc[q] = res[0];
    var[q] = res[1];
    unc[q] = (int) res[2];
    sens[q] = res[3];
    spec[q] = res[4];
    if (++done % 16 == 0) R_CheckUserInterrupt();
  }
  UNPROTECT(1);
  return out;
}
