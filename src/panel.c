/* Panel search kernel: for each panel (a set of candidate columns), the
 * cross-validated (or apparent) AUC of a classifier built on those columns
 * and its DeLong variance. Per repeat of the fold assignment, each fold's
 * model is fitted on the other folds and scores its own samples; the pooled
 * out-of-fold scores give one AUC and DeLong variance; repeats are averaged.
 * Classifiers: logistic (the IRLS of logistic.c), Firth (firth.c), the mean
 * of training-standardized, training-oriented markers ("mean_z"), and
 * CombiROC's count of markers above fixed thresholds. */
#include "roc.h"
#include "classify.h"
#include <math.h>
#include <string.h>
#include <R_ext/Utils.h>

enum { M_LOGISTIC = 0, M_FIRTH = 1, M_MEAN_Z = 2, M_COUNT = 3 };
enum { P_AUC, P_VAR, P_UNCONV, P_SENS, P_SPEC, P_NCOL };

typedef struct {
  const double *x;        /* n x p candidates, no NA */
  int n, p;
  int method, maxit;
  double epsilon;
  firth_control firth;
  const double *thresholds;
  int min_markers;
} panel_setup;

/* AUC ("<": larger scores in cases) and DeLong variance of scores s. */
static void auc_delong(const double *s, const int *y, int n, double *auc,
                       double *var) {
  int m1 = 0;
  for (int i = 0; i < n; i++) m1 += y[i];
  int m0 = n - m1;
  double *u = (double *) R_alloc(n, sizeof(double));
  int *gid = (int *) R_alloc(n, sizeof(int));
  double *wc, *wk;
  int dir_used;
  R_xlen_t K = roc_groups(s, y, NULL, n, 1, &dir_used, u, &wc, &wk, gid);
  double a = roc_curve(K, u, wc, wk, NULL, NULL, NULL);
  double *pc = (double *) R_alloc(m1, sizeof(double));
  double *pk = (double *) R_alloc(m0, sizeof(double));
  roc_placements(K, wc, wk, gid, y, n, pc, pk);
  double s1 = 0.0, s0 = 0.0;
  for (int i = 0; i < m1; i++) s1 += (pc[i] - a) * (pc[i] - a);
  for (int i = 0; i < m0; i++) s0 += (pk[i] - a) * (pk[i] - a);
  *auc = a;
  *var = (m1 > 1 && m0 > 1) ? s1 / (m1 - 1) / m1 + s0 / (m0 - 1) / m0 : NA_REAL;
}

/* Fits on the rows with train[i] != 0 and scores the rows with test[i] != 0
 * (score[i]); the panel's columns are cols[0..size). Returns 1 when the fit
 * did not converge, -1 when it failed (singular), 0 otherwise. */
static int fit_and_score(const panel_setup *st, const int *cols, int size,
                         const int *y, const int *train, const int *test,
                         double *score) {
  const int n = st->n;
  const double *x = st->x;
  if (st->method == M_COUNT) {
    for (int i = 0; i < n; i++) {
      if (!test[i]) continue;
      int c = 0;
      for (int j = 0; j < size; j++)
        c += x[i + (R_xlen_t) cols[j] * n] > st->thresholds[cols[j]];
      score[i] = c;
    }
    return 0;
  }
  int nt = 0;
  for (int i = 0; i < n; i++) nt += train[i] != 0;
  if (st->method == M_MEAN_Z) {
    for (int i = 0; i < n; i++) if (test[i]) score[i] = 0.0;
    for (int j = 0; j < size; j++) {
      const double *xj = x + (R_xlen_t) cols[j] * n;
      double s0 = 0.0, s1 = 0.0, s = 0.0;
      int n0 = 0, n1 = 0;
      for (int i = 0; i < n; i++) {
        if (!train[i]) continue;
        s += xj[i];
        if (y[i]) { s1 += xj[i]; n1++; } else { s0 += xj[i]; n0++; }
      }
      double mu = s / nt, ss = 0.0;
      for (int i = 0; i < n; i++) if (train[i]) ss += (xj[i] - mu) * (xj[i] - mu);
      double sd = nt > 1 ? sqrt(ss / (nt - 1)) : 0.0;
      if (!(sd > 0)) continue;               /* constant marker: no vote */
      double sign = (n1 > 0 && n0 > 0 && s1 / n1 < s0 / n0) ? -1.0 : 1.0;
      for (int i = 0; i < n; i++)
        if (test[i]) score[i] += sign * (xj[i] - mu) / sd / size;
    }
    return 0;
  }
  const int k = size + 1;
  double *X = (double *) R_alloc((size_t) nt * k, sizeof(double));
  double *yt = (double *) R_alloc(nt, sizeof(double));
  double *off = (double *) R_alloc(nt, sizeof(double));
  double *beta = (double *) R_alloc(k, sizeof(double));
  double *cov = (double *) R_alloc((size_t) k * k, sizeof(double));
  double *e1 = (double *) R_alloc(nt, sizeof(double));
  double *e2 = (double *) R_alloc(nt, sizeof(double));
  int r = 0;
  for (int i = 0; i < n; i++) {
    if (!train[i]) continue;
    X[r] = 1.0;
    for (int j = 0; j < size; j++) X[r + (size_t) (j + 1) * nt] = x[i + (R_xlen_t) cols[j] * n];
    yt[r] = y[i];
    off[r] = 0.0;
    r++;
  }
  int status = 0;
  if (st->method == M_LOGISTIC) {
    irls_info info = logistic_irls(X, yt, off, nt, k, st->maxit, st->epsilon,
                                   beta, cov, e1, e2);
    if (info.singular) return -1;
    status = !info.converged;
  } else {
    for (int j = 0; j < k; j++) beta[j] = 0.0;
    firth_info info = firth_fit(X, yt, off, nt, k, &st->firth, beta, cov, e1, e2);
    if (info.singular || info.boundary) return -1;
    status = !info.converged;
  }
  for (int i = 0; i < n; i++) {
    if (!test[i]) continue;
    double e = beta[0];
    for (int j = 0; j < size; j++) e += beta[j + 1] * x[i + (R_xlen_t) cols[j] * n];
    score[i] = e;
  }
  return status;
}

/* x: n x p candidates; y: 0/1; panels: size x m (0-based columns);
 * folds: n x R fold numbers 1..F, or NULL for the apparent AUC (fit and
 * score on all samples); method as in the enum; control: maxit, epsilon,
 * then the six Firth controls; thresholds: p (count method); min_markers.
 * Returns m x P_NCOL: mean AUC over repeats, mean DeLong variance, number
 * of unconverged fits, and (count method) the out-of-fold sensitivity and
 * specificity of "at least min_markers above threshold". A panel whose fit
 * fails in any fold gets NA. */
SEXP C_panel_auc(SEXP x_, SEXP y_, SEXP panels_, SEXP folds_, SEXP method_,
                 SEXP control_, SEXP thresholds_, SEXP min_markers_) {
  if (!isReal(x_) || !isMatrix(x_) || !isInteger(y_) || !isInteger(panels_) ||
      !isMatrix(panels_) || !isReal(control_) || XLENGTH(control_) != 8 ||
      !isReal(thresholds_))
    error("C_panel_auc: bad arguments");
  panel_setup st;
  st.x = REAL(x_);
  st.n = nrows(x_);
  st.p = ncols(x_);
  st.method = asInteger(method_);
  const double *ctl = REAL(control_);
  st.maxit = (int) ctl[0];
  st.epsilon = ctl[1];
  st.firth = (firth_control) {(int) ctl[2], (int) ctl[3], ctl[4], ctl[5], ctl[6], ctl[7]};
  st.thresholds = REAL(thresholds_);
  st.min_markers = asInteger(min_markers_);
  const int n = st.n, size = nrows(panels_), m = ncols(panels_);
  if (XLENGTH(y_) != n || XLENGTH(thresholds_) != st.p || size < 1) error("C_panel_auc: bad dimensions");
  const int *y = INTEGER(y_), *panels = INTEGER(panels_);
  for (R_xlen_t q = 0; q < (R_xlen_t) size * m; q++)
    if (panels[q] < 0 || panels[q] >= st.p) error("C_panel_auc: panel column out of range");
  int R = 1;
  const int *folds = NULL;
  int F = 1;
  if (!isNull(folds_)) {
    if (!isInteger(folds_) || XLENGTH(folds_) % n) error("C_panel_auc: bad folds");
    folds = INTEGER(folds_);
    R = (int) (XLENGTH(folds_) / n);
    for (R_xlen_t q = 0; q < XLENGTH(folds_); q++) {
      if (folds[q] < 1) error("C_panel_auc: bad folds");
      if (folds[q] > F) F = folds[q];
    }
  }
  SEXP out = PROTECT(allocMatrix(REALSXP, m, P_NCOL));
  double *o = REAL(out);
  int *train = (int *) R_alloc(n, sizeof(int));
  int *test = (int *) R_alloc(n, sizeof(int));
  double *score = (double *) R_alloc(n, sizeof(double));
  for (int q = 0; q < m; q++) {
    const void *vmax = vmaxget();
    const int *cols = panels + (R_xlen_t) q * size;
    double auc_sum = 0.0, var_sum = 0.0;
    int unconv = 0, failed = 0;
    double tp = 0, fn = 0, tn = 0, fp = 0;
    for (int r = 0; r < R && !failed; r++) {
      for (int f = 1; f <= F && !failed; f++) {
        for (int i = 0; i < n; i++) {
          if (folds) {
            int fi = folds[i + (R_xlen_t) r * n];
            test[i] = fi == f;
            train[i] = fi != f;
          } else {
            test[i] = train[i] = 1;
          }
        }
        int s = fit_and_score(&st, cols, size, y, train, test, score);
        if (s < 0) failed = 1; else unconv += s;
      }
      if (failed) break;
      double a, v;
      auc_delong(score, y, n, &a, &v);
      auc_sum += a;
      var_sum += v;
      if (st.method == M_COUNT) {
        for (int i = 0; i < n; i++) {
          int pos = score[i] >= st.min_markers;
          if (y[i]) { tp += pos; fn += !pos; } else { tn += !pos; fp += pos; }
        }
      }
    }
    o[q + (R_xlen_t) P_AUC * m] = failed ? NA_REAL : auc_sum / R;
    o[q + (R_xlen_t) P_VAR * m] = failed ? NA_REAL : var_sum / R;
    o[q + (R_xlen_t) P_UNCONV * m] = unconv;
    o[q + (R_xlen_t) P_SENS * m] = (st.method == M_COUNT && !failed) ? tp / (tp + fn) : NA_REAL;
    o[q + (R_xlen_t) P_SPEC * m] = (st.method == M_COUNT && !failed) ? tn / (tn + fp) : NA_REAL;
    vmaxset(vmax);
    if (q % 16 == 15) R_CheckUserInterrupt();
  }
  UNPROTECT(1);
  return out;
}
