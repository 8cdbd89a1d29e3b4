/* Panel search kernel: for each panel (a set of candidate columns), the
 * cross-validated (or apparent) AUC of a classifier built on those columns
 * and its DeLong variance. Per repeat of the fold assignment, each fold's
 * model is fitted on the other folds and scores its own samples; the pooled
 * out-of-fold scores give one AUC and DeLong variance; repeats are averaged.
 * Classifiers: logistic (the IRLS of logistic.c), Firth (firth.c), the mean
 * of training-standardized, training-oriented markers ("mean_z"), and
 * CombiROC's count of markers above fixed thresholds.
 * This is the exact path: one panel at a time, glm.fit's own iteration for
 * logistic, scratch from R_alloc, so never inside a parallel region. The
 * fast logistic path is panel_kernel.c; the R interface is api_panel.c. */
#include "roc.h"
#include "panel.h"
#include "panel_kernel.h"
#include <math.h>
#include <string.h>
#include <R_ext/Utils.h>


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

void panel_exact(const panel_setup *st, const int *y, const int *folds, int R,
                 int F, const int *cols, int size, double *out) {
  const int n = st->n;
  const void *vmax = vmaxget();
  int *train = (int *) R_alloc(n, sizeof(int));
  int *test = (int *) R_alloc(n, sizeof(int));
  double *score = (double *) R_alloc(n, sizeof(double));
  double *u = (double *) R_alloc(n, sizeof(double));
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
      int s = fit_and_score(st, cols, size, y, train, test, score);
      if (s < 0) failed = 1; else unconv += s;
    }
    if (failed) break;
    double a, v;
    panel_auc_delong(score, y, n, u, NULL, &a, &v);
    auc_sum += a;
    var_sum += v;
    if (st->method == M_COUNT) {
      for (int i = 0; i < n; i++) {
        int pos = score[i] >= st->min_markers;
        if (y[i]) { tp += pos; fn += !pos; } else { tn += !pos; fp += pos; }
      }
    }
  }
  out[0] = failed ? NA_REAL : auc_sum / R;
  out[1] = failed ? NA_REAL : var_sum / R;
  out[2] = unconv;
  out[3] = (st->method == M_COUNT && !failed) ? tp / (tp + fn) : NA_REAL;
  out[4] = (st->method == M_COUNT && !failed) ? tn / (tn + fp) : NA_REAL;
  vmaxset(vmax);
}
