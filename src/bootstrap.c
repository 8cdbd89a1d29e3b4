/* Bootstrap of ROC statistics without re-sorting: each replicate draws
 * multiplicities over the observations (stratified by class, plain, or by
 * cluster), sums them into the groups of the one global order and rebuilds
 * the curve in O(n + K). Draws come from R's RNG (controls, then cases, as
 * pROC's sample() calls), so set.seed() reproduces a run whatever the
 * thread count; see draw_index for the two samplers. Several curves on the same
 * observations share the draws (paired). */
#include "roc.h"
#include "api_args.h"
#include "interrupt.h"
#include <math.h>
#include <string.h>
#include <limits.h>
#include <stdint.h>
#include <R_ext/Random.h>
#include <R_ext/Utils.h>

enum { STAT_AUC = 0, STAT_PAUC = 1, STAT_SE_AT_SP = 2, STAT_SP_AT_SE = 3,
       STAT_BEST = 4 };

/* Uniform index in [0, n) from R's unif_rand() stream, two ways:
 * - FAST (default): Lemire's multiply-and-reject on random integers taken
 *   from the uniforms' 32 bits, unbiased. For n <= 2^16 each uniform gives
 *   two 16-bit integers (a redraw happens with probability < n / 2^16),
 *   otherwise one 32-bit integer (probability < n / 2^32).
 * - SAMPLE: exactly the draws of R_unif_index(), i.e. of sample() ("Rejection":
 *   ceil(log2 n) bits taken 16 at a time, retried while >= n; or "Rounding":
 *   floor(n * u)), which reproduces pROC's replicates; ~1.5-2 uniforms per
 *   draw. */
enum { SAMPLER_FAST = 0, SAMPLER_REJECTION = 1, SAMPLER_ROUNDING = 2 };

typedef struct {
  double dn;
  int kind, bits, narrow, have_half;
  uint64_t mask;
  uint32_t n32, reject_below, half;
} index_sampler;

static index_sampler make_sampler(double dn, int kind) {
  index_sampler s;
  s.dn = dn;
  s.kind = kind;
  if (kind == SAMPLER_FAST && dn >= 4294967296.0) s.kind = SAMPLER_REJECTION;
  s.bits = dn > 0 ? (int) ceil(log2(dn)) : 0;
  s.mask = (((uint64_t) 1) << s.bits) - 1;
  s.n32 = dn >= 1 && dn < 4294967296.0 ? (uint32_t) dn : 1;
  s.narrow = s.n32 <= 65536;
  s.reject_below = s.narrow ? (uint32_t) (65536 % s.n32)
                            : (uint32_t) (-s.n32) % s.n32;   /* 2^k mod n */
  s.have_half = 0;
  s.half = 0;
  return s;
}

static R_INLINE uint32_t random_u32(void) {
  return (uint32_t) (unif_rand() * 4294967296.0);
}

static R_INLINE R_xlen_t draw_index(index_sampler *s) {
  if (s->kind == SAMPLER_FAST) {
    if (s->narrow) {
      for (;;) {
        uint32_t x;
        if (s->have_half) {
          x = s->half;
          s->have_half = 0;
        } else {
          uint32_t r = random_u32();
          x = r & 0xFFFF;
          s->half = r >> 16;
          s->have_half = 1;
        }
        uint32_t m = x * s->n32;
        if ((m & 0xFFFF) >= s->reject_below) return (R_xlen_t) (m >> 16);
      }
    }
    for (;;) {
      uint64_t m = (uint64_t) random_u32() * s->n32;
      if ((uint32_t) m >= s->reject_below) return (R_xlen_t) (m >> 32);
    }
  }
  if (s->kind == SAMPLER_ROUNDING) return (R_xlen_t) floor(s->dn * unif_rand());
  if (s->dn <= 0) return 0;
  double dv;
  do {
    uint64_t v = 0;
    for (int b = 0; b <= s->bits; b += 16)
      v = 65536 * v + (uint64_t) floor(unif_rand() * 65536);
    dv = (double) (v & s->mask);
  } while (s->dn <= dv);
  return (R_xlen_t) dv;
}

typedef struct {
  R_xlen_t K;
  const int *gid;
  const double *u;
  double *bc, *bk;            /* replicate weights per group: cases, controls */
} curve_state;

/* Statistics of one replicate of one curve, written to out[0..nout-1]. */
static void replicate_stat(curve_state *cs, int stat, const double *par,
                           R_xlen_t npar, double *cu, double *cwc,
                           double *cwk, double *thr, double *se, double *sp,
                           double *wx, double *wy, double *out) {
  if (stat == STAT_AUC) {
    out[0] = roc_mw_auc(cs->K, cs->bc, cs->bk);
    return;
  }
  R_xlen_t K = 0;
  double W1 = 0.0, W0 = 0.0;
  for (R_xlen_t k = 0; k < cs->K; k++) {
    if (cs->bc[k] > 0 || cs->bk[k] > 0) {
      cu[K] = cs->u[k];
      cwc[K] = cs->bc[k];
      cwk[K] = cs->bk[k];
      W1 += cs->bc[k];
      W0 += cs->bk[k];
      K++;
    }
  }
  R_xlen_t nout = (stat == STAT_SE_AT_SP || stat == STAT_SP_AT_SE) ? npar :
                  (stat == STAT_BEST ? 3 : 1);
  if (!(W1 > 0) || !(W0 > 0)) {
    for (R_xlen_t j = 0; j < nout; j++) out[j] = NA_REAL;
    return;
  }
  roc_curve(K, cu, cwc, cwk, thr, se, sp);
  R_xlen_t len = K + 1;
  switch (stat) {
  case STAT_PAUC:
    out[0] = roc_partial_auc(se, sp, len, par[0], par[1], (int) par[2],
                             (int) par[3], 0, wx, wy);
    break;
  case STAT_SE_AT_SP:
    for (R_xlen_t j = 0; j < npar; j++)
      out[j] = roc_coord_at(sp, se, len, par[j], 0, NULL);
    break;
  case STAT_SP_AT_SE:
    for (R_xlen_t j = 0; j < npar; j++)
      out[j] = roc_coord_at(se, sp, len, par[j], 1, NULL);
    break;
  case STAT_BEST: {
    double r = par[1], best = R_NegInf;
    R_xlen_t at = 0;
    for (R_xlen_t k = 0; k < len; k++) {
      double crit = par[0] == 0 ? se[k] + r * sp[k]
        : -((1 - se[k]) * (1 - se[k]) + r * (1 - sp[k]) * (1 - sp[k]));
      if (crit > best) {
        best = crit;
        at = k;
      }
    }
    out[0] = thr[at];
    out[1] = sp[at];
    out[2] = se[at];
    break;
  }
  }
}

/* fits: list of fits from C_roc_fit on the same observations; y: 0/1; w:
 * NULL or weights; cluster: NULL or 1-based cluster ids; stratified: draw
 * controls and cases separately (ignored with clusters); stat/par: the
 * statistic; sampler: SAMPLER_* above. Returns an
 * n_boot x (n_curves * n_stat) matrix. */
/* Element `name` of list x, or R_NilValue. */
static SEXP list_elt(SEXP x, const char *name) {
  SEXP nms = getAttrib(x, R_NamesSymbol);
  if (TYPEOF(nms) != STRSXP) return R_NilValue;
  for (R_xlen_t i = 0; i < XLENGTH(x); i++)
    if (strcmp(CHAR(STRING_ELT(nms, i)), name) == 0) return VECTOR_ELT(x, i);
  return R_NilValue;
}

SEXP C_roc_boot(SEXP fits, SEXP y_, SEXP w_, SEXP cluster_, SEXP n_boot_,
                SEXP stratified_, SEXP stat_, SEXP par_, SEXP sampler_) {
  int sampler = arg_int1(sampler_, "C_roc_boot: sampler", SAMPLER_FAST, SAMPLER_ROUNDING);
  const int *y = arg_int(y_, "C_roc_boot: y", -1);
  R_xlen_t n = XLENGTH(y_);
  arg_ids(y, n, "C_roc_boot: y", 0, 1);
  if (TYPEOF(fits) != VECSXP || XLENGTH(fits) < 1) error("C_roc_boot: fits must be a non-empty list");
  int nc = LENGTH(fits), stat = arg_int1(stat_, "C_roc_boot: stat", STAT_AUC, STAT_BEST);
  int n_boot = arg_int1(n_boot_, "C_roc_boot: n_boot", 1, 10000000);
  int stratified = arg_flag(stratified_, "C_roc_boot: stratified");
  const double *w = isNull(w_) ? NULL : arg_dbl(w_, "C_roc_boot: w", n);
  if (w) arg_finite(w, n, "C_roc_boot: w");
  const double *par = arg_dbl(par_, "C_roc_boot: par", -1);
  R_xlen_t npar = XLENGTH(par_);
  if (stat == STAT_PAUC) {
    if (npar != 4) error("C_roc_boot: par must hold 4 numbers for a partial AUC");
    arg_no_na(par, 4, "C_roc_boot: par");
    if (par[2] != 0 && par[2] != 1) error("C_roc_boot: par[3] (focus) must be 0 or 1");
  }
  if (stat == STAT_BEST && npar != 2) error("C_roc_boot: par must hold 2 numbers for the best threshold");
  R_xlen_t nstat = (stat == STAT_SE_AT_SP || stat == STAT_SP_AT_SE) ? npar :
                   (stat == STAT_BEST ? 3 : 1);

  curve_state *cs = (curve_state *) R_alloc(nc, sizeof(curve_state));
  R_xlen_t Kmax = 0;
  for (int c = 0; c < nc; c++) {
    SEXP f = VECTOR_ELT(fits, c);
    if (TYPEOF(f) != VECSXP) error("C_roc_boot: each fit must be a list");
    SEXP g = list_elt(f, "group"), u = list_elt(f, "values");
    cs[c].u = arg_dbl(u, "C_roc_boot: fit$values", -1);
    cs[c].K = XLENGTH(u);
    cs[c].gid = arg_int(g, "C_roc_boot: fit$group (fits must share the observations)", n);
    arg_ids(cs[c].gid, n, "C_roc_boot: fit$group", 0, (int) (cs[c].K - 1));
    cs[c].bc = (double *) R_alloc(cs[c].K, sizeof(double));
    cs[c].bk = (double *) R_alloc(cs[c].K, sizeof(double));
    if (cs[c].K > Kmax) Kmax = cs[c].K;
  }
  double *cu = (double *) R_alloc(Kmax, sizeof(double));
  double *cwc = (double *) R_alloc(Kmax, sizeof(double));
  double *cwk = (double *) R_alloc(Kmax, sizeof(double));
  double *thr = (double *) R_alloc(Kmax + 1, sizeof(double));
  double *se = (double *) R_alloc(Kmax + 1, sizeof(double));
  double *sp = (double *) R_alloc(Kmax + 1, sizeof(double));
  double *wx = (double *) R_alloc(Kmax + 1, sizeof(double));
  double *wy = (double *) R_alloc(Kmax + 1, sizeof(double));
  double *tmp = (double *) R_alloc(nstat, sizeof(double));

  /* Observation lists: controls and cases in original order, or clusters. */
  R_xlen_t n1 = 0;
  for (R_xlen_t i = 0; i < n; i++) n1 += y[i] != 0;
  R_xlen_t n0 = n - n1;
  R_xlen_t *ctrl = (R_xlen_t *) R_alloc(n0 > 0 ? n0 : 1, sizeof(R_xlen_t));
  R_xlen_t *cases = (R_xlen_t *) R_alloc(n1 > 0 ? n1 : 1, sizeof(R_xlen_t));
  for (R_xlen_t i = 0, a = 0, b = 0; i < n; i++) {
    if (y[i]) cases[a++] = i; else ctrl[b++] = i;
  }
  int G = 0;
  R_xlen_t *cl_start = NULL, *cl_obs = NULL;
  if (!isNull(cluster_)) {
    const int *cl = arg_int(cluster_, "C_roc_boot: cluster", n);
    arg_ids(cl, n, "C_roc_boot: cluster", 1, n > 0 ? (int) n : 1);
    for (R_xlen_t i = 0; i < n; i++) if (cl[i] > G) G = cl[i];
    cl_start = (R_xlen_t *) R_alloc(G + 1, sizeof(R_xlen_t));
    R_xlen_t *pos = (R_xlen_t *) R_alloc(G, sizeof(R_xlen_t));
    cl_obs = (R_xlen_t *) R_alloc(n, sizeof(R_xlen_t));
    memset(cl_start, 0, (size_t) (G + 1) * sizeof(R_xlen_t));
    /* cluster c (0-based) occupies cl_obs[cl_start[c] .. cl_start[c+1]) */
    for (R_xlen_t i = 0; i < n; i++) cl_start[cl[i]]++;
    for (int g = 1; g <= G; g++) cl_start[g] += cl_start[g - 1];
    for (int g = 0; g < G; g++) pos[g] = cl_start[g];
    for (R_xlen_t i = 0; i < n; i++) cl_obs[pos[cl[i] - 1]++] = i;
  }

  SEXP out = PROTECT(allocMatrix(REALSXP, n_boot, (int) (nc * nstat)));
  double *o = REAL(out);
  index_sampler s_all = make_sampler((double) n, sampler);
  index_sampler s_ctrl = make_sampler((double) n0, sampler);
  index_sampler s_case = make_sampler((double) n1, sampler);
  index_sampler s_cl = make_sampler((double) G, sampler);
  ev_tick tick = {0.0};
  GetRNGstate();
  for (int b = 0; b < n_boot; b++) {
    ev_tick_add(&tick, (double) nc * (n + Kmax));
    for (int c = 0; c < nc; c++) {
      memset(cs[c].bc, 0, (size_t) cs[c].K * sizeof(double));
      memset(cs[c].bk, 0, (size_t) cs[c].K * sizeof(double));
    }
#define ADD_OBS(i) do { R_xlen_t i_ = (i); double w_i = w ? w[i_] : 1.0; \
      for (int c = 0; c < nc; c++) { \
        if (y[i_]) cs[c].bc[cs[c].gid[i_]] += w_i; \
        else cs[c].bk[cs[c].gid[i_]] += w_i; } } while (0)
    if (G > 0) {
      for (int g = 0; g < G; g++) {
        R_xlen_t pick = draw_index(&s_cl);
        for (R_xlen_t t = cl_start[pick]; t < cl_start[pick + 1]; t++) ADD_OBS(cl_obs[t]);
      }
    } else if (stratified) {
      for (R_xlen_t t = 0; t < n0; t++) ADD_OBS(ctrl[draw_index(&s_ctrl)]);
      for (R_xlen_t t = 0; t < n1; t++) ADD_OBS(cases[draw_index(&s_case)]);
    } else {
      for (R_xlen_t t = 0; t < n; t++) ADD_OBS(draw_index(&s_all));
    }
#undef ADD_OBS
    for (int c = 0; c < nc; c++) {
      replicate_stat(&cs[c], stat, par, npar, cu, cwc, cwk, thr, se, sp, wx,
                     wy, tmp);
      for (R_xlen_t j = 0; j < nstat; j++)
        o[b + (R_xlen_t) n_boot * (c * nstat + j)] = tmp[j];
    }
  }
  PutRNGstate();
  UNPROTECT(1);
  return out;
}
