/* Scoring kernel: linear predictor of a frozen panel and the count of panel
 * values outside the training range, one sample at a time. The sum runs in
 * the panel's order for every sample, so a patient's score does not depend
 * on the batch. */
#include <R.h>
#include <Rinternals.h>
#include <string.h>
#include <math.h>
#include "rlist.h"

/* x: nrow x n values (column-major); rows: 0-based panel rows; ok: samples
 * to score. link[i] = intercept + sum_k coef[k] * x[rows[k], i], NA when
 * !ok[i] or a panel value is NA; n_out[i] counts values outside [lo, hi]. */
static void score_panel(const double *x, R_xlen_t nrow, R_xlen_t n,
                        const int *rows, int p, const double *coef,
                        double intercept, const double *lo, const double *hi,
                        const int *ok, double *link, int *n_out) {
  for (R_xlen_t i = 0; i < n; i++) {
    if ((i & 0xFFFF) == 0) R_CheckUserInterrupt();
    const double *col = x + i * nrow;
    double s = intercept;
    int out = 0, na = 0;
    for (int k = 0; k < p; k++) {
      double v = col[rows[k]];
      if (ISNAN(v)) {
        na = 1;
        continue;
      }
      s += coef[k] * v;
      out += (v < lo[k]) | (v > hi[k]);
    }
    link[i] = (ok[i] && !na) ? s : NA_REAL;
    n_out[i] = ok[i] ? out : 0;
  }
}

/* "id1, id2" naming the panel miRNAs outside [lo, hi] for each flagged
 * sample (n_out > 0), "" for the others: strings are built for the flagged
 * samples only. */
static SEXP out_of_range_names(const double *x, R_xlen_t nrow, R_xlen_t n,
                               const int *rows, int p, const double *lo,
                               const double *hi, const int *n_out, SEXP ids) {
  SEXP names = PROTECT(allocVector(STRSXP, n));
  SEXP empty = PROTECT(mkChar(""));
  size_t cap = 1;
  for (int k = 0; k < p; k++) cap += strlen(translateCharUTF8(STRING_ELT(ids, k))) + 2;
  char *buf = R_alloc(cap, 1);
  for (R_xlen_t i = 0; i < n; i++) {
    if (n_out[i] <= 0) {
      SET_STRING_ELT(names, i, empty);
      continue;
    }
    const double *col = x + i * nrow;
    size_t len = 0;
    for (int k = 0; k < p; k++) {
      double v = col[rows[k]];
      if (ISNAN(v) || !((v < lo[k]) | (v > hi[k]))) continue;
      if (len) {
        memcpy(buf + len, ", ", 2);
        len += 2;
      }
      const char *id = translateCharUTF8(STRING_ELT(ids, k));
      size_t l = strlen(id);
      memcpy(buf + len, id, l);
      len += l;
    }
    SET_STRING_ELT(names, i, mkCharLenCE(buf, (int) len, CE_UTF8));
  }
  UNPROTECT(2);
  return names;
}

/* Returns list(link, n_out, names): names as out_of_range_names() for the
 * panel miRNA ids. */
SEXP C_score_panel(SEXP x, SEXP rows, SEXP coef, SEXP intercept, SEXP lo,
                   SEXP hi, SEXP ok, SEXP ids) {
  if (!isReal(x) || !isMatrix(x) || !isInteger(rows) || !isReal(coef) ||
      !isReal(lo) || !isReal(hi) || !isLogical(ok) || !isReal(intercept) ||
      !isString(ids))
    error("C_score_panel: bad argument types");
  R_xlen_t nrow = Rf_nrows(x), n = Rf_ncols(x);
  int p = LENGTH(rows);
  if (LENGTH(coef) != p || LENGTH(lo) != p || LENGTH(hi) != p ||
      XLENGTH(ok) != n || LENGTH(intercept) != 1 || LENGTH(ids) != p)
    error("C_score_panel: lengths do not match");
  const int *r = INTEGER(rows);
  for (int k = 0; k < p; k++)
    if (r[k] < 0 || r[k] >= nrow) error("C_score_panel: row out of range");
  SEXP link = PROTECT(allocVector(REALSXP, n));
  SEXP n_out = PROTECT(allocVector(INTSXP, n));
  score_panel(REAL(x), nrow, n, r, p, REAL(coef), REAL(intercept)[0],
              REAL(lo), REAL(hi), LOGICAL(ok), REAL(link), INTEGER(n_out));
  SEXP names = PROTECT(out_of_range_names(REAL(x), nrow, n, r, p, REAL(lo),
                                          REAL(hi), INTEGER(n_out), ids));
  SEXP res = named_list(3, "link", link, "n_out", n_out, "out_of_range", names);
  UNPROTECT(3);
  return res;
}

/* Per-sample QC summaries for scoring, in one pass over each column:
 * the global-mean Cq over the `mean_rows` values that are observed and at
 * most `detection` (NaN when none), the number of missing values among
 * `need_rows`; with hemo_rows = c(a, b) the hemolysis delta-Cq x[a] - x[b]
 * (else NULL); with spike-in rows and their training medians, the largest
 * deviation from a median by absolute value (first one on ties, 0 when none,
 * Inf when a spike-in is missing) and whether one is missing (else NULL).
 * Rows are 0-based. Returns a named list (global_mean, n_missing,
 * hemolysis_dcq, spike_worst, spike_undetected; absent parts NULL). */
SEXP C_score_qc(SEXP x, SEXP mean_rows, SEXP need_rows, SEXP detection,
                SEXP hemo_rows, SEXP spike_rows, SEXP spike_med) {
  if (!isReal(x) || !isMatrix(x) || !isInteger(mean_rows) ||
      !isInteger(need_rows) || !isReal(detection) || LENGTH(detection) != 1 ||
      !isInteger(hemo_rows) || !isInteger(spike_rows) || !isReal(spike_med) ||
      LENGTH(spike_rows) != LENGTH(spike_med) ||
      (LENGTH(hemo_rows) != 0 && LENGTH(hemo_rows) != 2))
    error("C_score_qc: bad argument types");
  R_xlen_t nrow = Rf_nrows(x), n = Rf_ncols(x);
  int pm = LENGTH(mean_rows), pn = LENGTH(need_rows), ph = LENGTH(hemo_rows),
      ps = LENGTH(spike_rows);
  const int *mr = INTEGER(mean_rows), *nr = INTEGER(need_rows),
            *hr = INTEGER(hemo_rows), *sr = INTEGER(spike_rows);
  const double *smed = REAL(spike_med);
  for (int k = 0; k < pm; k++)
    if (mr[k] < 0 || mr[k] >= nrow) error("C_score_qc: row out of range");
  for (int k = 0; k < pn; k++)
    if (nr[k] < 0 || nr[k] >= nrow) error("C_score_qc: row out of range");
  for (int k = 0; k < ph; k++)
    if (hr[k] < 0 || hr[k] >= nrow) error("C_score_qc: row out of range");
  for (int k = 0; k < ps; k++)
    if (sr[k] < 0 || sr[k] >= nrow) error("C_score_qc: row out of range");
  double det = REAL(detection)[0];
  const char *res_names[] = {"global_mean", "n_missing", "hemolysis_dcq",
                             "spike_worst", "spike_undetected", ""};
  SEXP res = PROTECT(mkNamed(VECSXP, res_names));
  SEXP gm = allocVector(REALSXP, n);    SET_VECTOR_ELT(res, 0, gm);
  SEXP n_miss = allocVector(INTSXP, n); SET_VECTOR_ELT(res, 1, n_miss);
  double *dcq = NULL, *worst = NULL;
  int *undet = NULL;
  if (ph) {
    SEXP d = allocVector(REALSXP, n);
    SET_VECTOR_ELT(res, 2, d);
    dcq = REAL(d);
  }
  if (ps) {
    SEXP w = allocVector(REALSXP, n);
    SET_VECTOR_ELT(res, 3, w);
    SEXP u = allocVector(LGLSXP, n);
    SET_VECTOR_ELT(res, 4, u);
    worst = REAL(w);
    undet = LOGICAL(u);
  }
  double *g = REAL(gm);
  int *m = INTEGER(n_miss);
  const double *v = REAL(x);
  for (R_xlen_t i = 0; i < n; i++) {
    if ((i & 0xFFFF) == 0) R_CheckUserInterrupt();
    const double *col = v + i * nrow;
    long double s = 0; /* as colMeans(), which ev_qc() uses */
    int c = 0, miss = 0;
    for (int k = 0; k < pm; k++) {
      double a = col[mr[k]];
      if (!ISNAN(a) && a <= det) {
        s += a;
        c++;
      }
    }
    for (int k = 0; k < pn; k++) miss += ISNAN(col[nr[k]]);
    g[i] = c ? (double) (s / c) : R_NaN;
    m[i] = miss;
    if (dcq) dcq[i] = col[hr[0]] - col[hr[1]];
    if (worst) {
      double w = 0.0;
      int un = 0;
      for (int k = 0; k < ps; k++) {
        double d = col[sr[k]] - smed[k];
        if (ISNAN(d)) un = 1;
        else if (fabs(d) > fabs(w)) w = d;
      }
      worst[i] = un ? R_PosInf : w;
      undet[i] = un;
    }
  }
  UNPROTECT(1);
  return res;
}
