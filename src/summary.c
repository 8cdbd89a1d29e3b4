/* One pass over a features x samples matrix: per-row and per-column counts of
 * observed (non-NA) values, sums, sums of squared deviations (Welford, for
 * stability), minima and maxima. Used by summary() and the QC verbs. */
#include <R.h>
#include <Rinternals.h>
#include <math.h>
#include "api_args.h"
#include "rlist.h"

typedef struct {
  double n, mean, m2, min, max;
} running_stats;

static void stats_reset(running_stats *s) {
  s->n = 0.0; s->mean = 0.0; s->m2 = 0.0;
  s->min = R_PosInf; s->max = R_NegInf;
}

static void stats_add(running_stats *s, double v) {
  s->n += 1.0;
  double delta = v - s->mean;
  s->mean += delta / s->n;
  s->m2 += delta * (v - s->mean);
  if (v < s->min) s->min = v;
  if (v > s->max) s->max = v;
}

/* Writes n, mean, sd, min, max into column k of a 5-column result. */
static void stats_store(const running_stats *s, double *out, R_xlen_t nrow,
                        R_xlen_t k) {
  out[k] = s->n;
  out[k + nrow] = s->n > 0 ? s->mean : NA_REAL;
  out[k + 2 * nrow] = s->n > 1 ? sqrt(s->m2 / (s->n - 1.0)) : NA_REAL;
  out[k + 3 * nrow] = s->n > 0 ? s->min : NA_REAL;
  out[k + 4 * nrow] = s->n > 0 ? s->max : NA_REAL;
}

SEXP C_margin_stats(SEXP x_, SEXP by_row_) {
  int nr_, nc_;
  const double *x = arg_dbl_matrix(x_, "C_margin_stats: x", &nr_, &nc_);
  int by_row = arg_flag(by_row_, "C_margin_stats: by_row");
  R_xlen_t nr = nr_, nc = nc_;
  R_xlen_t nout = by_row ? nr : nc;
  SEXP out = PROTECT(allocMatrix(REALSXP, (int) nout, 5));
  static const char *const cols[] = {"n", "mean", "sd", "min", "max"};
  set_colnames(out, cols, 5);
  double *o = REAL(out);
  running_stats s;
  if (by_row) {
    for (R_xlen_t i = 0; i < nr; i++) {
      if (i % 1024 == 0) R_CheckUserInterrupt();
      stats_reset(&s);
      for (R_xlen_t j = 0; j < nc; j++) {
        double v = x[i + j * nr];
        if (!ISNAN(v)) stats_add(&s, v);
      }
      stats_store(&s, o, nout, i);
    }
  } else {
    for (R_xlen_t j = 0; j < nc; j++) {
      if (j % 1024 == 0) R_CheckUserInterrupt();
      stats_reset(&s);
      const double *col = x + j * nr;
      for (R_xlen_t i = 0; i < nr; i++) {
        if (!ISNAN(col[i])) stats_add(&s, col[i]);
      }
      stats_store(&s, o, nout, j);
    }
  }
  UNPROTECT(1);
  return out;
}
