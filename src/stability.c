/* Reference-miRNA stability: geNorm (Vandesompele et al. 2002) and NormFinder
 * (Andersen et al. 2004) on a complete candidates x samples log2 matrix.
 * The loops check for interrupts (paced by work) on the main thread; inputs
 * are never modified. */
#include <R.h>
#include <Rinternals.h>
#include "rlist.h"
#include "api_args.h"
#include "interrupt.h"
#include <math.h>
#include <float.h>

/* Sample SD of x[a, ] - x[b, ] over the n columns (two passes). */
static double sd_of_difference(const double *x, int k, int n, int a, int b) {
  long double s = 0.0L;
  for (int j = 0; j < n; j++) s += x[a + (R_xlen_t) j * k] - x[b + (R_xlen_t) j * k];
  double mean = (double) (s / n);
  long double ss = 0.0L;
  for (int j = 0; j < n; j++) {
    double d = x[a + (R_xlen_t) j * k] - x[b + (R_xlen_t) j * k] - mean;
    ss += (long double) d * d;
  }
  return sqrt((double) (ss / (n - 1)));
}

static double sd_vector(const double *v, int n) {
  long double s = 0.0L;
  for (int j = 0; j < n; j++) s += v[j];
  double mean = (double) (s / n);
  long double ss = 0.0L;
  for (int j = 0; j < n; j++) ss += (long double) (v[j] - mean) * (v[j] - mean);
  return sqrt((double) (ss / (n - 1)));
}

/* geNorm: pairwise variation matrix, M of the active candidates at each
 * exclusion step, exclusion order, final ranking and V(n/n+1). */
/* scale multiplies every SD: log2 expression is scale * x (for Cq data,
 * -log2(E) * Cq), and SDs ignore the sign, so the data need no copy. */
SEXP C_genorm(SEXP x_, SEXP scale_) {
  int k, n;
  const double *x = arg_dbl_matrix(x_, "C_genorm: x", &k, &n);
  double scale = fabs(arg_num1(scale_, "C_genorm: scale", -DBL_MAX, DBL_MAX));
  if (k < 2 || n < 2) error("C_genorm: need at least two candidates and two samples");
  /* a NaN M would leave no candidate to exclude */
  arg_finite(x, (R_xlen_t) k * n, "C_genorm: x");
  ev_tick tick = {0.0};
  SEXP pair = PROTECT(allocMatrix(REALSXP, k, k));
  SEXP m_steps = PROTECT(allocMatrix(REALSXP, k, k - 1));
  SEXP ranking = PROTECT(allocVector(INTSXP, k));
  SEXP v = PROTECT(allocVector(REALSXP, k > 2 ? k - 2 : 0));
  double *S = REAL(pair), *M = REAL(m_steps);
  int *rank = INTEGER(ranking);
  for (int a = 0; a < k; a++) {
    S[a + (R_xlen_t) a * k] = 0.0;
    for (int b = a + 1; b < k; b++) {
      double s = sd_of_difference(x, k, n, a, b) * scale;
      S[a + (R_xlen_t) b * k] = s;
      S[b + (R_xlen_t) a * k] = s;
    }
    ev_tick_add(&tick, 2.0 * n * (k - a));
  }
  int *active = (int *) R_alloc(k, sizeof(int));
  for (int a = 0; a < k; a++) active[a] = 1;
  for (R_xlen_t t = 0; t < (R_xlen_t) k * (k - 1); t++) M[t] = NA_REAL;
  int n_active = k, pos = k - 1;
  for (int step = 0; step < k - 1; step++) {
    int worst = -1;
    double worst_m = R_NegInf;
    for (int a = 0; a < k; a++) {
      if (!active[a]) continue;
      long double s = 0.0L;
      for (int b = 0; b < k; b++) {
        if (b != a && active[b]) s += S[a + (R_xlen_t) b * k];
      }
      double m = (double) (s / (n_active - 1));
      M[a + (R_xlen_t) step * k] = m;
      if (m > worst_m) { worst_m = m; worst = a; }
    }
    ev_tick_add(&tick, (double) k * k);
    if (n_active > 2) {
      active[worst] = 0;
      rank[pos--] = worst + 1;
      n_active--;
    }
  }
  /* the last two are the most stable pair; keep their input order */
  for (int a = k - 1; a >= 0; a--) if (active[a]) rank[pos--] = a + 1;
  if (k > 2) {
    double *nf_prev = (double *) R_alloc(n, sizeof(double));
    double *nf_next = (double *) R_alloc(n, sizeof(double));
    double *diff = (double *) R_alloc(n, sizeof(double));
    for (int j = 0; j < n; j++) {
      nf_prev[j] = (x[rank[0] - 1 + (R_xlen_t) j * k] +
                    x[rank[1] - 1 + (R_xlen_t) j * k]) / 2.0;
    }
    for (int top = 2; top < k; top++) {
      int g = rank[top] - 1;
      for (int j = 0; j < n; j++) {
        /* running mean of the top (top + 1) candidates */
        nf_next[j] = (nf_prev[j] * top + x[g + (R_xlen_t) j * k]) / (top + 1);
        diff[j] = nf_prev[j] - nf_next[j];
      }
      REAL(v)[top - 2] = sd_vector(diff, n) * scale;
      for (int j = 0; j < n; j++) nf_prev[j] = nf_next[j];
    }
  }
  SEXP res = named_list(4, "pairwise_sd", pair, "m_steps", m_steps,
                        "ranking", ranking, "v", v);
  UNPROTECT(4);
  return res;
}

/* NormFinder: intragroup variances (negative estimates clipped at 0),
 * intergroup differences, gamma, per-candidate stability and the stability
 * of every pair's average. group holds 1..G codes. */
SEXP C_normfinder(SEXP x_, SEXP group_, SEXP n_groups_) {
  int k, n;
  const double *x = arg_dbl_matrix(x_, "C_normfinder: x", &k, &n);
  if (k < 3) error("C_normfinder: need at least three candidates");
  const int *grp = arg_int(group_, "C_normfinder: group", n);
  int G = arg_int1(n_groups_, "C_normfinder: n_groups", 1, n > 0 ? n : 1);
  arg_ids(grp, n, "C_normfinder: group", 1, G);
  arg_finite(x, (R_xlen_t) k * n, "C_normfinder: x");
  ev_tick tick = {0.0};
  int *ng = (int *) R_alloc(G, sizeof(int));
  for (int g = 0; g < G; g++) ng[g] = 0;
  for (int j = 0; j < n; j++) {
    if (grp[j] < 1 || grp[j] > G) error("bad group code");
    ng[grp[j] - 1]++;
  }
  for (int g = 0; g < G; g++) if (ng[g] < 2) error("each group needs two samples");
  SEXP sigma2_ = PROTECT(allocMatrix(REALSXP, k, G));
  SEXP dif_ = PROTECT(allocMatrix(REALSXP, k, G));
  SEXP stab_ = PROTECT(allocVector(REALSXP, k));
  SEXP pair_ = PROTECT(allocMatrix(REALSXP, k, k));
  SEXP gamma_ = PROTECT(allocVector(REALSXP, 1));
  double *sigma2 = REAL(sigma2_), *dif = REAL(dif_), *stab = REAL(stab_);
  double *pair = REAL(pair_);
  /* gene-group means */
  double *gmean = (double *) R_alloc((R_xlen_t) k * G, sizeof(double));
  double *smean = (double *) R_alloc(n, sizeof(double));
  for (R_xlen_t t = 0; t < (R_xlen_t) k * G; t++) gmean[t] = 0.0;
  for (int j = 0; j < n; j++) {
    long double s = 0.0L;
    for (int i = 0; i < k; i++) {
      double y = x[i + (R_xlen_t) j * k];
      gmean[i + (R_xlen_t) (grp[j] - 1) * k] += y;
      s += y;
    }
    smean[j] = (double) (s / k);
  }
  for (int g = 0; g < G; g++)
    for (int i = 0; i < k; i++) gmean[i + (R_xlen_t) g * k] /= ng[g];
  double *a = (double *) R_alloc(k, sizeof(double));
  for (int g = 0; g < G; g++) {
    double group_mean = 0.0;
    for (int i = 0; i < k; i++) group_mean += gmean[i + (R_xlen_t) g * k];
    group_mean /= k;
    double sum_a = 0.0;
    for (int i = 0; i < k; i++) {
      long double ss = 0.0L;
      for (int j = 0; j < n; j++) {
        if (grp[j] - 1 != g) continue;
        double r = x[i + (R_xlen_t) j * k] - gmean[i + (R_xlen_t) g * k] -
                   smean[j] + group_mean;
        ss += (long double) r * r;
      }
      a[i] = (double) (ss / (ng[g] - 1));
      sum_a += a[i];
      ev_tick_add(&tick, (double) n);
    }
    for (int i = 0; i < k; i++) {
      double s2 = (a[i] - sum_a / ((double) k * k - k)) / (1.0 - 2.0 / k);
      sigma2[i + (R_xlen_t) g * k] = s2 > 0 ? s2 : 0.0;
    }
  }
  /* intergroup differences: double-centred gene-group means */
  double grand = 0.0;
  for (R_xlen_t t = 0; t < (R_xlen_t) k * G; t++) grand += gmean[t];
  grand /= (double) k * G;
  for (int i = 0; i < k; i++) {
    double gi = 0.0;
    for (int g = 0; g < G; g++) gi += gmean[i + (R_xlen_t) g * k];
    gi /= G;
    for (int g = 0; g < G; g++) {
      double gg = 0.0;
      for (int l = 0; l < k; l++) gg += gmean[l + (R_xlen_t) g * k];
      gg /= k;
      dif[i + (R_xlen_t) g * k] = gmean[i + (R_xlen_t) g * k] - gi - gg + grand;
    }
    ev_tick_add(&tick, (double) G * k);
  }
  double gamma = 0.0;
  if (G > 1) {
    double sd2 = 0.0, sv = 0.0;
    for (int g = 0; g < G; g++) {
      for (int i = 0; i < k; i++) {
        double d = dif[i + (R_xlen_t) g * k];
        sd2 += d * d;
        sv += sigma2[i + (R_xlen_t) g * k] / ng[g];
      }
    }
    gamma = sd2 / ((G - 1.0) * (k - 1.0)) - sv / ((double) k * G);
    if (gamma < 0) gamma = 0.0;
  }
  REAL(gamma_)[0] = gamma;
  for (int i = 0; i < k; i++) {
    if (G == 1) {
      stab[i] = sqrt(sigma2[i]);
      continue;
    }
    double s = 0.0;
    for (int g = 0; g < G; g++) {
      double vd = sigma2[i + (R_xlen_t) g * k] / ng[g];
      double d = dif[i + (R_xlen_t) g * k];
      double den = gamma + vd;
      double dnew = den > 0 ? d * gamma / den : 0.0;
      double vnew = den > 0 ? vd + gamma * vd / den : 0.0;
      s += fabs(dnew) + sqrt(vnew);
    }
    stab[i] = s / G;
  }
  double shrink = sqrt((double) k / (k - 2.0)) / 2.0;
  for (int p = 0; p < k; p++) {
    pair[p + (R_xlen_t) p * k] = NA_REAL;
    for (int q = p + 1; q < k; q++) {
      double rho = 0.0;
      for (int g = 0; g < G; g++) {
        double s1 = sigma2[p + (R_xlen_t) g * k], s2 = sigma2[q + (R_xlen_t) g * k];
        double d1 = dif[p + (R_xlen_t) g * k], d2 = dif[q + (R_xlen_t) g * k];
        double nn = ng[g];
        if (G == 1) {
          rho += sqrt(s1 + s2) / 2.0;
          continue;
        }
        double den1 = gamma + s1 / nn, den2 = gamma + s2 / nn;
        double b1 = den1 > 0 ? gamma * d1 / den1 : 0.0;
        double b2 = den2 > 0 ? gamma * d2 / den2 : 0.0;
        double w1 = (nn * gamma + s1) > 0 ? gamma * s1 / (nn * gamma + s1) : 0.0;
        double w2 = (nn * gamma + s2) > 0 ? gamma * s2 / (nn * gamma + s2) : 0.0;
        rho += fabs(b1 + b2) * shrink +
               sqrt(s1 / nn + w1 + s2 / nn + w2) / 2.0;
      }
      rho /= G;
      pair[p + (R_xlen_t) q * k] = rho;
      pair[q + (R_xlen_t) p * k] = rho;
    }
    ev_tick_add(&tick, 10.0 * G * (k - p));
  }
  SEXP res = named_list(5, "sigma2", sigma2_, "difference", dif_, "gamma", gamma_,
                        "stability", stab_, "pair_stability", pair_);
  UNPROTECT(5);
  return res;
}
