/* ROC curve kernels: one sort of the predictor, groups of tied values, the
 * curve with pROC's thresholds, the Mann-Whitney AUC, partial AUC and the
 * coordinate look-up. See roc.h for the conventions. */
#include "roc.h"
#include "delong.h"
#include "api_args.h"
#include "rlist.h"
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <R_ext/Utils.h>

/* ---- sorting ----------------------------------------------------------- */

/* Doubles as unsigned keys that sort in the same order (-0 folded into +0),
 * and back. */
static uint64_t double_key(double v) {
  uint64_t k;
  if (v == 0.0) v = 0.0;
  memcpy(&k, &v, sizeof k);
  return (k >> 63) ? ~k : (k | ((uint64_t) 1 << 63));
}

static double key_double(uint64_t k) {
  double v;
  k = (k >> 63) ? (k ^ ((uint64_t) 1 << 63)) : ~k;
  memcpy(&v, &k, sizeof v);
  return v;
}

/* A key with its observation: the index, and the class in the top bit. */
typedef struct {
  uint64_t key;
  uint64_t obs;
} sort_item;

#define CLASS_BIT ((uint64_t) 1 << 63)
#define SMALL_SORT ROC_SMALL_SORT
#define TOP_BITS 16

static int cmp_item(const void *a, const void *b) {
  uint64_t ka = ((const sort_item *) a)->key, kb = ((const sort_item *) b)->key;
  return (ka > kb) - (ka < kb);
}

/* Insertion sort of the m items of src into dst (stable): the copy back
 * after a scatter costs nothing extra. src may equal dst (in-place sort):
 * item i is read before anything at or after i is written. */
static void insertion_sort_into(const sort_item *src, sort_item *dst, R_xlen_t m) {
  for (R_xlen_t i = 0; i < m; i++) {
    sort_item t = src[i];
    R_xlen_t j = i;
    while (j > 0 && dst[j - 1].key > t.key) {
      dst[j] = dst[j - 1];
      j--;
    }
    dst[j] = t;
  }
}

static void insertion_sort(sort_item *a, R_xlen_t m) {
  insertion_sort_into(a, a, m);
}

/* MSD radix sort of a[0..m) on the low `bits` bits of the keys (the higher
 * bits are equal), 8 bits per level, scratch b; small buckets finish by
 * insertion. The result ends in a. */
static void msd_sort(sort_item *a, sort_item *b, R_xlen_t m, int bits) {
  while (bits > 0) {
    if (m < 32) {
      insertion_sort(a, m);
      return;
    }
    int shift = bits > 8 ? bits - 8 : 0;
    R_xlen_t cnt[257];
    memset(cnt, 0, sizeof cnt);
    for (R_xlen_t i = 0; i < m; i++) cnt[((a[i].key >> shift) & 255) + 1]++;
    int one_bucket = 0;
    for (int q = 1; q <= 256; q++) one_bucket |= cnt[q] == m;
    bits = shift;
    if (one_bucket) continue;          /* digit constant here: go lower */
    for (int q = 0; q < 256; q++) cnt[q + 1] += cnt[q];
    R_xlen_t pos[256];
    memcpy(pos, cnt, sizeof pos);
    for (R_xlen_t i = 0; i < m; i++) b[pos[(a[i].key >> shift) & 255]++] = a[i];
    memcpy(a, b, (size_t) m * sizeof(sort_item));
    for (int q = 0; q < 256; q++) {
      R_xlen_t s0 = cnt[q], len = cnt[q + 1] - s0;
      if (len > 1) msd_sort(a + s0, b + s0, len, bits);
    }
    return;
  }
}


#define WIDE_BITS 12

/* Sorts the m items of a (scratch b, result in a) whose keys agree above
 * the low `bits` bits. One digit of about log2(m) bits (up to WIDE_BITS)
 * spreads them into sub-buckets of a few items each: below the sign and
 * exponent these bits are linear in the value, so for smooth data one
 * scatter leaves only local disorder, which the insertion pass that copies
 * the items back removes. Sub-buckets of 32 or more (clumps) recurse.
 * Stable. */
static void wide_sort(sort_item *a, sort_item *b, R_xlen_t m, int bits) {
  R_xlen_t cnt[(1 << WIDE_BITS) + 1];
  while (bits > 0) {
    if (m < 32) {
      insertion_sort(a, m);
      return;
    }
    int d = 8;
    while (d < WIDE_BITS && ((R_xlen_t) 1 << d) < m) d++;
    if (d > bits) d = bits;
    const int shift = bits - d;
    const uint64_t mask = ((uint64_t) 1 << d) - 1;
    const R_xlen_t nd = (R_xlen_t) 1 << d;
    memset(cnt, 0, (size_t) (nd + 1) * sizeof(R_xlen_t));
    for (R_xlen_t i = 0; i < m; i++) cnt[((a[i].key >> shift) & mask) + 1]++;
    bits = shift;
    int one_bucket = 0;
    for (R_xlen_t q = 1; q <= nd; q++) one_bucket |= cnt[q] == m;
    if (one_bucket) continue;          /* digit constant here: go lower */
    for (R_xlen_t q = 0; q < nd; q++) cnt[q + 1] += cnt[q];
    /* cnt[q] starts sub-bucket q; after the scatter it ends it */
    for (R_xlen_t i = 0; i < m; i++) b[cnt[(a[i].key >> shift) & mask]++] = a[i];
    if (shift > 0) {
      for (R_xlen_t q = 0, s0 = 0; q < nd; q++) {
        R_xlen_t e = cnt[q];
        if (e - s0 >= 32) wide_sort(b + s0, a + s0, e - s0, shift);
        s0 = e;
      }
    }
    insertion_sort_into(b, a, m);
    return;
  }
}

static inline R_xlen_t value_bucket(uint64_t key, double vlo, double scale,
                                    R_xlen_t nb) {
  double q = (key_double(key) - vlo) * scale;
  return q < (double) nb ? (R_xlen_t) q : nb - 1;
}

/* Sorts n < SMALL_SORT items (each screening column is one such sort):
 * a bucket pass on the value, linear between the smallest and largest
 * value, spreads them into about n ordered buckets; buckets of 32 or more
 * items (clumped data, outliers) are finished by the MSD sort on the whole
 * key, and one insertion pass finishes the small ones (their disorder is
 * local). bucket (n ints) is scratch. Returns the buffer with the
 * result. */
static sort_item *sort_small(sort_item *a, sort_item *b, R_xlen_t n,
                             int *bucket) {
  if (n < 32) {
    qsort(a, (size_t) n, sizeof(sort_item), cmp_item);
    return a;
  }
  uint64_t lo = a[0].key, hi = a[0].key;
  for (R_xlen_t i = 1; i < n; i++) {
    if (a[i].key < lo) lo = a[i].key;
    if (a[i].key > hi) hi = a[i].key;
  }
  if (lo == hi) return a;                  /* all tied */
  const double vlo = key_double(lo), vhi = key_double(hi);
  const R_xlen_t nb = n;
  double scale = (double) nb / (vhi - vlo);  /* 0 when the range overflows */
  if (!R_FINITE(scale)) scale = 0.0;
  R_xlen_t cnt[SMALL_SORT + 1];
  memset(cnt, 0, (size_t) (nb + 1) * sizeof(R_xlen_t));
  for (R_xlen_t i = 0; i < n; i++) {
    int k = (int) value_bucket(a[i].key, vlo, scale, nb);
    bucket[i] = k;
    cnt[k + 1]++;
  }
  for (R_xlen_t q = 0; q < nb; q++) cnt[q + 1] += cnt[q];
  /* cnt[q] starts bucket q; after the scatter it ends it */
  for (R_xlen_t i = 0; i < n; i++) b[cnt[bucket[i]]++] = a[i];
  R_xlen_t s0 = 0;
  for (R_xlen_t q = 0; q < nb; q++) {
    R_xlen_t e = cnt[q];
    if (e - s0 >= 32) msd_sort(b + s0, a + s0, e - s0, 64);
    s0 = e;
  }
  insertion_sort(b, n);
  return b;
}

static sort_item *sort_buckets(sort_item *b, sort_item *a, const R_xlen_t *start);

/* Sorts the n items of a by key using scratch b (both n long) and returns
 * the buffer holding the result; the other one is free afterwards. start
 * (2^16 + 1 long) holds the counts of the top 16 key bits, shifted by one,
 * made while the items were built. One
 * most-significant-digit pass on the top 16 bits spreads the items into
 * buckets small enough to finish in cache, recursively on 8-bit digits:
 * linear time whatever the ties. Small inputs use qsort. */
static sort_item *sort_items(sort_item *a, sort_item *b, R_xlen_t n,
                             R_xlen_t *start, int *bucket) {
  if (n < SMALL_SORT) return sort_small(a, b, n, bucket);
  const R_xlen_t nb = (R_xlen_t) 1 << TOP_BITS;
  R_xlen_t *pos = (R_xlen_t *) R_alloc(nb, sizeof(R_xlen_t));
  for (R_xlen_t q = 0; q < nb; q++) start[q + 1] += start[q];
  memcpy(pos, start, (size_t) nb * sizeof(R_xlen_t));
  for (R_xlen_t i = 0; i < n; i++) b[pos[a[i].key >> (64 - TOP_BITS)]++] = a[i];
  return sort_buckets(b, a, start);
}

/* Finishes the sort of items spread into their top-bits buckets of b
 * (bucket q from start[q] to start[q + 1]), one bucket at a time with
 * scratch a (as long as the largest bucket); returns b. */
static sort_item *sort_buckets(sort_item *b, sort_item *a, const R_xlen_t *start) {
  const R_xlen_t nb = (R_xlen_t) 1 << TOP_BITS;
  for (R_xlen_t q = 0; q < nb; q++) {
    R_xlen_t s = start[q], m = start[q + 1] - s;
    if (m > 1) wide_sort(b + s, a, m, 64 - TOP_BITS);
    if ((q & 1023) == 1023) R_CheckUserInterrupt();
  }
  return b;
}

/* ---- groups, orientation, curve, AUC ------------------------------------ */

/* Weighted median of one class from its per-group weights (groups ascending):
 * the first group where the cumulative weight reaches half; exactly half at
 * a group's end averages with the next group of that class. With unit
 * weights this is median(). */
static double group_median(R_xlen_t K, const double *u, const double *wt,
                           double W) {
  double cum = 0.0, half = W / 2;
  for (R_xlen_t k = 0; k < K; k++) {
    if (wt[k] <= 0) continue;
    cum += wt[k];
    if (cum >= half) {
      if (cum == half) {
        for (R_xlen_t j = k + 1; j < K; j++)
          if (wt[j] > 0) return (double) (((long double) u[k] + u[j]) / 2);
      }
      return u[k];
    }
  }
  return NA_REAL;
}

R_xlen_t roc_groups(const double *x, const int *y, const double *w,
                    R_xlen_t n, int dir, int *dir_out, double *u,
                    double **wcase_out, double **wctrl_out, int *gid) {
  return roc_groups_scratch(x, y, w, n, dir, dir_out, u, wcase_out, wctrl_out,
                            gid, NULL);
}

R_xlen_t roc_groups_scratch(const double *x, const int *y, const double *w,
                            R_xlen_t n, int dir, int *dir_out, double *u,
                            double **wcase_out, double **wctrl_out, int *gid,
                            void *scratch) {
  *dir_out = dir == 2 ? 2 : 1;
  R_xlen_t nn = n > 0 ? n : 1;
  sort_item *a, *b;
  if (scratch) {
    a = (sort_item *) scratch;
    b = a + nn;
  } else {
    a = (sort_item *) R_alloc(nn, sizeof(sort_item));
    b = (sort_item *) R_alloc(nn, sizeof(sort_item));
  }
  /* the top-bits histogram only serves the radix path (n >= SMALL_SORT);
   * small inputs skip its 2^16-entry allocation */
  const R_xlen_t nb = (R_xlen_t) 1 << TOP_BITS;
  R_xlen_t *start = NULL;
  if (n >= SMALL_SORT) {
    start = (R_xlen_t *) R_alloc(nb + 1, sizeof(R_xlen_t));
    memset(start, 0, (size_t) (nb + 1) * sizeof(R_xlen_t));
  }
  for (R_xlen_t i = 0; i < n; i++) {
    uint64_t k = double_key(x[i]);
    a[i].key = k;
    a[i].obs = (uint64_t) i | (y[i] ? CLASS_BIT : 0);
    if (start) start[(k >> (64 - TOP_BITS)) + 1]++;
  }
  /* u (n doubles, written after the sort) lends its space to the bucket
   * numbers of the small-input sort */
  sort_item *it = n > 0 ? sort_items(a, b, n, start, (int *) u) : a;
  /* the free buffer (16 bytes per item) holds the two weight arrays */
  double *wcase = (double *) (it == a ? b : a), *wctrl = wcase + nn;
  *wcase_out = wcase;
  *wctrl_out = wctrl;
  if (n <= 0) return 0;
  R_xlen_t K = -1;
  uint64_t last = 0;
  for (R_xlen_t r = 0; r < n; r++) {
    if (K < 0 || it[r].key != last) {
      K++;
      last = it[r].key;
      u[K] = key_double(last);
      wcase[K] = 0.0;
      wctrl[K] = 0.0;
    }
    R_xlen_t i = (R_xlen_t) (it[r].obs & ~CLASS_BIT);
    double wi = w ? w[i] : 1.0;
    if (it[r].obs & CLASS_BIT) wcase[K] += wi; else wctrl[K] += wi;
    if (gid) gid[i] = (int) K;
  }
  K++;
  if (dir == 0) {
    /* pROC's rule: "<" when median(controls) <= median(cases) */
    double W0 = 0.0, W1 = 0.0;
    for (R_xlen_t k = 0; k < K; k++) {
      W0 += wctrl[k];
      W1 += wcase[k];
    }
    double m0 = group_median(K, u, wctrl, W0), m1 = group_median(K, u, wcase, W1);
    dir = (ISNAN(m0) || ISNAN(m1) || m0 <= m1) ? 1 : 2;
  }
  if (dir == 2) {
    /* orient: z = -x, whose groups are those of x in reverse order */
    for (R_xlen_t k = 0, j = K - 1; k < j; k++, j--) {
      double t = u[k]; u[k] = u[j]; u[j] = t;
      t = wcase[k]; wcase[k] = wcase[j]; wcase[j] = t;
      t = wctrl[k]; wctrl[k] = wctrl[j]; wctrl[j] = t;
    }
    for (R_xlen_t k = 0; k < K; k++) u[k] = -u[k];
    if (gid) for (R_xlen_t i = 0; i < n; i++) gid[i] = (int) (K - 1) - gid[i];
  }
  *dir_out = dir;
  return K;
}

/* pROC's threshold between two adjacent distinct values: the midpoint, halved
 * first when the sum would overflow, and never equal to the lower value
 * (x >= threshold must separate the two). */
static double midpoint(double a, double b) {
  double t = (a + b) / 2;
  if (fabs(t) > 1e100) t = a / 2 + b / 2;
  if (t == a) t = b;
  return t;
}

double roc_mw_auc(R_xlen_t K, const double *wcase, const double *wctrl) {
  /* walk down the groups: controls in group k beat the cases above it and
   * tie with those in it; empty groups add nothing */
  double W1 = 0.0, W0 = 0.0, mw = 0.0;
  for (R_xlen_t k = K - 1; k >= 0; k--) {
    mw += wctrl[k] * (W1 + 0.5 * wcase[k]);
    W1 += wcase[k];
    W0 += wctrl[k];
  }
  return (W1 > 0 && W0 > 0) ? mw / (W1 * W0) : NA_REAL;
}

double roc_curve(R_xlen_t K, const double *u, const double *wcase,
                 const double *wctrl, double *thr, double *se, double *sp) {
  if (!thr && !se && !sp) return roc_mw_auc(K, wcase, wctrl);
  double W1 = 0.0, W0 = 0.0;
  for (R_xlen_t k = 0; k < K; k++) {
    W1 += wcase[k];
    W0 += wctrl[k];
  }
  /* Point k classifies groups k..K-1 as positive. Counts accumulate exactly
   * (integers in the unweighted case), then one division, as pROC does. */
  double cases_at_or_above = W1, controls_below = 0.0, mw = 0.0;
  for (R_xlen_t k = 0; k <= K; k++) {
    if (thr) {
      if (k == 0) thr[k] = R_NegInf;
      else if (k == K) thr[k] = R_PosInf;
      else thr[k] = midpoint(u[k - 1], u[k]);
    }
    if (se) se[k] = cases_at_or_above / W1;
    if (sp) sp[k] = controls_below / W0;
    if (k < K) {
      cases_at_or_above -= wcase[k];
      /* controls in group k beat the cases above and tie with those in k */
      mw += wctrl[k] * (cases_at_or_above + 0.5 * wcase[k]);
      controls_below += wctrl[k];
    }
  }
  return mw / (W1 * W0);
}

/* ---- partial AUC -------------------------------------------------------- */

double roc_partial_area(const double *x, const double *y, R_xlen_t len,
                        double lo, double hi) {
  double area = 0.0;
  for (R_xlen_t i = 0; i + 1 < len; i++) {
    double x0 = x[i], x1 = x[i + 1];
    if (!(x1 > x0)) continue;            /* vertical step: no width */
    double a = x0 > lo ? x0 : lo, b = x1 < hi ? x1 : hi;
    if (!(b > a)) continue;
    double slope_span = x1 - x0;
    double ya = (a == x0) ? y[i] : y[i] + (y[i + 1] - y[i]) * ((a - x0) / slope_span);
    double yb = (b == x1) ? y[i + 1] : y[i] + (y[i + 1] - y[i]) * ((b - x0) / slope_span);
    area += (b - a) * (ya + yb) / 2;
  }
  return area;
}

double roc_partial_auc(const double *se, const double *sp, R_xlen_t len,
                       double lo, double hi, int focus, int correct,
                       int invalid_na, double *work_x, double *work_y) {
  double area;
  if (focus == 0) {
    area = roc_partial_area(sp, se, len, lo, hi);
  } else {
    /* sensitivities fall along the curve: read it backwards */
    for (R_xlen_t i = 0; i < len; i++) {
      work_x[i] = se[len - 1 - i];
      work_y[i] = sp[len - 1 - i];
    }
    area = roc_partial_area(work_x, work_y, len, lo, hi);
  }
  if (correct) {
    /* McClish: map [area under the diagonal, full box] onto [0.5, 1] */
    double min = ((1 - lo) + (1 - hi)) * (hi - lo) / 2, max = hi - lo;
    if (invalid_na && area < min) return NA_REAL;
    area = (1 + (area - min) / (max - min)) / 2;
  }
  return area;
}

/* ---- coordinates -------------------------------------------------------- */

double roc_coord_at(const double *input, const double *other, R_xlen_t len,
                    double value, int decreasing, R_xlen_t *idx) {
  R_xlen_t hit = -1;
  for (R_xlen_t i = 0; i < len; i++) {
    if (input[i] == value) {
      hit = i;
      if (!decreasing) break;
    }
  }
  if (idx) *idx = hit;
  if (hit >= 0) return other[hit];
  R_xlen_t nx = -1;
  for (R_xlen_t i = 0; i < len; i++) {
    if (decreasing ? input[i] < value : input[i] > value) {
      nx = i;
      break;
    }
  }
  if (nx <= 0) return NA_REAL;
  double prop = (value - input[nx]) / (input[nx - 1] - input[nx]);
  return other[nx] + prop * (other[nx - 1] - other[nx]);
}

/* ---- R entry points ----------------------------------------------------- */

void roc_placements(R_xlen_t K, const double *wcase, const double *wctrl,
                    const int *gid, const int *y, R_xlen_t n, double *pcase,
                    double *pctrl) {
  double *work = (double *) R_alloc(2 * (K > 0 ? K : 1), sizeof(double));
  roc_placements_work(K, wcase, wctrl, gid, y, n, pcase, pctrl, work);
}

/* DeLong variance of a fit from its placements (delong.h); weights are
 * those of the cases and of the controls, in observation order. */
static double fit_delong_var(const double *pc, const double *pk, const int *y,
                             const double *w, R_xlen_t n, R_xlen_t m,
                             double auc) {
  double *w1 = NULL, *w0 = NULL;
  if (w) {
    w1 = (double *) R_alloc(m > 0 ? m : 1, sizeof(double));
    w0 = (double *) R_alloc(n - m > 0 ? n - m : 1, sizeof(double));
    for (R_xlen_t i = 0, a = 0, b = 0; i < n; i++) {
      if (y[i]) w1[a++] = w[i]; else w0[b++] = w[i];
    }
  }
  double v = delong_cov(pc, pk, auc, pc, pk, auc, w1, w0, m, n - m);
  return ISNAN(v) ? NA_REAL : v;
}

/* Median of a class from the sorted items, unit weights: the value of
 * rank (m + 1) / 2, or the mean of ranks m / 2 and m / 2 + 1 (as median()
 * and group_median() with unit weights). */
typedef struct {
  R_xlen_t ra, rb;          /* the two ranks (equal when m is odd) */
  double va, vb;
} class_median;

static double median_value(const class_median *c) {
  if (ISNAN(c->vb)) return NA_REAL;
  return c->va == c->vb ? c->va : (double) (((long double) c->va + c->vb) / 2);
}

/* Both class medians in one walk over the sorted items, stopping once the
 * later one is known. */
static void sorted_medians(const sort_item *it, R_xlen_t n, R_xlen_t n0,
                           R_xlen_t n1, double *m0, double *m1) {
  class_median c[2] = {{(n0 + 1) / 2, n0 / 2 + 1, NA_REAL, NA_REAL},
                       {(n1 + 1) / 2, n1 / 2 + 1, NA_REAL, NA_REAL}};
  R_xlen_t seen[2] = {0, 0};
  int done = (n0 <= 0) + (n1 <= 0);
  for (R_xlen_t r = 0; r < n && done < 2; r++) {
    const int cls = (int) (it[r].obs >> 63);
    const R_xlen_t s = ++seen[cls];
    if (s == c[cls].ra) c[cls].va = key_double(it[r].key);
    if (s == c[cls].rb) {
      c[cls].vb = key_double(it[r].key);
      done++;
    }
  }
  *m0 = n0 > 0 ? median_value(&c[0]) : NA_REAL;
  *m1 = n1 > 0 ? median_value(&c[1]) : NA_REAL;
}

/* Builds the sort items of the unweighted fit straight into their top-bits
 * buckets of b (n >= SMALL_SORT), skipping a separate build pass: one
 * counting pass, then one scatter pass (stable). The item of observation i
 * carries its position among its class; start (2^16 + 1) receives the
 * bucket starts. */
static void build_buckets(const double *x, const int *y, R_xlen_t n,
                          sort_item *b, R_xlen_t *start) {
  const R_xlen_t nb = (R_xlen_t) 1 << TOP_BITS;
  R_xlen_t *pos = (R_xlen_t *) R_alloc(nb, sizeof(R_xlen_t));
  memset(pos, 0, (size_t) nb * sizeof(R_xlen_t));
  for (R_xlen_t i = 0; i < n; i++) pos[double_key(x[i]) >> (64 - TOP_BITS)]++;
  R_xlen_t acc = 0;
  for (R_xlen_t q = 0; q < nb; q++) {
    R_xlen_t h = pos[q];
    start[q] = pos[q] = acc;
    acc += h;
  }
  start[nb] = acc;
  uint64_t n1 = 0, n0 = 0;
  for (R_xlen_t i = 0; i < n; i++) {
    uint64_t k = double_key(x[i]);
    sort_item *d = b + pos[k >> (64 - TOP_BITS)]++;
    const uint64_t c = y[i] != 0;   /* no branch on the class */
    d->key = k;
    d->obs = (c << 63) | (c ? n1 : n0);
    n1 += c;
    n0 += 1 - c;
  }
}

/* Unweighted fit in one sort and one walk: the items carry each
 * observation's position among its class (not its index), so the walk over
 * the sorted groups writes the curve (thr, se, sp: n + 1 long; u: n long),
 * the AUC and the DeLong placements straight to their place (pc one per
 * case, pk one per control), with no per-observation group ids and no
 * second pass. The same numbers, to the bit, as roc_groups, roc_curve and
 * roc_placements with unit weights: same sums in the same order, and a
 * quotient whose numerator did not change is reused rather than
 * recomputed. Returns K, the number of groups. */
static R_xlen_t fit_unweighted(const double *x, const int *y, R_xlen_t n,
                               R_xlen_t n1, int dir, int *dir_out, double *u,
                               double *thr, double *se, double *sp,
                               double *auc_out, double *pc, double *pk) {
  R_xlen_t nn = n > 0 ? n : 1;
  sort_item *b = (sort_item *) R_alloc(nn, sizeof(sort_item));
  R_xlen_t n0 = n - n1;
  sort_item *it;
  if (n >= SMALL_SORT) {
    const R_xlen_t nb = (R_xlen_t) 1 << TOP_BITS;
    R_xlen_t *start = (R_xlen_t *) R_alloc(nb + 1, sizeof(R_xlen_t));
    build_buckets(x, y, n, b, start);
    /* scratch for one bucket at a time: usually far less than n items */
    R_xlen_t largest = 1;
    for (R_xlen_t q = 0; q < nb; q++)
      if (start[q + 1] - start[q] > largest) largest = start[q + 1] - start[q];
    sort_item *a = (sort_item *) R_alloc(largest, sizeof(sort_item));
    it = sort_buckets(b, a, start);
  } else {
    sort_item *a = (sort_item *) R_alloc(nn, sizeof(sort_item));
    for (R_xlen_t i = 0, c1 = 0, c0 = 0; i < n; i++) {
      a[i].key = double_key(x[i]);
      a[i].obs = y[i] ? (CLASS_BIT | (uint64_t) c1++) : (uint64_t) c0++;
    }
    it = n > 0 ? sort_items(a, b, n, NULL, (int *) u) : a;
  }
  if (dir == 0) {
    /* pROC's rule: "<" when median(controls) <= median(cases) */
    double m0, m1;
    sorted_medians(it, n, n0, n1, &m0, &m1);
    dir = (ISNAN(m0) || ISNAN(m1) || m0 <= m1) ? 1 : 2;
  }
  *dir_out = dir == 2 ? 2 : 1;
  /* walk the groups in rising oriented value z (x, or -x read backwards);
   * point k of the curve calls groups k..K-1 positive */
  const double W1 = (double) n1, W0 = (double) n0;
  double *const dest[2] = {pk, pc};
  const R_xlen_t step = dir == 2 ? -1 : 1;
  R_xlen_t r = dir == 2 ? n - 1 : 0, K = 0;
  double cases_at_or_above = W1, controls_below = 0.0, mw = 0.0;
  double se_k = cases_at_or_above / W1, sp_k = controls_below / W0, prev = 0.0;
  thr[0] = R_NegInf;
  se[0] = se_k;
  sp[0] = sp_k;
  for (R_xlen_t left = n; left > 0;) {
    const uint64_t key = it[r].key;
    R_xlen_t g0 = r, len = 0, ncase = 0;
    do {
      ncase += (R_xlen_t) (it[r].obs >> 63);
      r += step;
      len++;
    } while (len < left && it[r].key == key);
    left -= len;
    const double c1 = (double) ncase, c0 = (double) (len - ncase);
    const double v = dir == 2 ? -key_double(key) : key_double(key);
    u[K] = v;
    if (K > 0) thr[K] = midpoint(prev, v);
    prev = v;
    /* placements: a case beats the controls below and half those tied, a
     * control is beaten by the cases above and half those tied; without
     * ties they are this point's specificity and sensitivity */
    cases_at_or_above -= c1;
    const double p_case = c0 == 0.0 ? sp_k : (controls_below + 0.5 * c0) / W0;
    const double p_ctrl = c1 == 0.0 ? se_k : (cases_at_or_above + 0.5 * c1) / W1;
    const double p[2] = {p_ctrl, p_case};  /* indexed by the class bit */
    for (R_xlen_t q = 0, s = g0; q < len; q++, s += step) {
      const uint64_t o = it[s].obs, cls = o >> 63;
      dest[cls][o & ~CLASS_BIT] = p[cls];
    }
    /* controls in this group beat the cases above and tie with those in it */
    mw += c0 * (cases_at_or_above + 0.5 * c1);
    controls_below += c0;
    if (c1 != 0.0) se_k = cases_at_or_above / W1;
    if (c0 != 0.0) sp_k = controls_below / W0;
    K++;
    se[K] = se_k;
    sp[K] = sp_k;
  }
  if (K > 0) thr[K] = R_PosInf;
  *auc_out = mw / (W1 * W0);
  return K;
}

/* Full fit of one curve: x the predictor (no NaN), y 0/1, w NULL or
 * weights, dir 0 = auto, 1 = "<", 2 = ">". Returns the curve (thresholds on
 * the oriented scale), the AUC, the distinct values, DeLong placements and
 * variance. The per-observation group ids (element FIT_GROUP) are left NULL:
 * roc_fit_with_groups() in R fills them in for C_roc_boot. */
static SEXP fit_one(const double *x, const int *y, const double *w, R_xlen_t n,
                    int dir) {
  const void *vmax = vmaxget();
  /* distinct values are written straight into a result vector, trimmed
   * when ties leave fewer than n groups */
  R_xlen_t m = 0;
  for (R_xlen_t i = 0; i < n; i++) m += y[i] != 0;
  const char *names[] = {"thresholds", "sensitivities", "specificities",
                         "auc", "values", "group", "placements_cases",
                         "placements_controls", "direction", "delong_var", ""};
  SEXP out = PROTECT(mkNamed(VECSXP, names));
  SEXP pc = allocVector(REALSXP, m);     SET_VECTOR_ELT(out, 6, pc);
  SEXP pk = allocVector(REALSXP, n - m); SET_VECTOR_ELT(out, 7, pk);
  int dir_used;
  double auc;
  if (!w) {
    /* the curve is written in the walk, at full length, trimmed when ties
     * leave fewer than n groups */
    SEXP uu = allocVector(REALSXP, n);     SET_VECTOR_ELT(out, FIT_VALUES, uu);
    SEXP thr = allocVector(REALSXP, n + 1); SET_VECTOR_ELT(out, 0, thr);
    SEXP se = allocVector(REALSXP, n + 1);  SET_VECTOR_ELT(out, 1, se);
    SEXP sp = allocVector(REALSXP, n + 1);  SET_VECTOR_ELT(out, 2, sp);
    R_xlen_t K = fit_unweighted(x, y, n, m, dir, &dir_used, REAL(uu), REAL(thr),
                                REAL(se), REAL(sp), &auc, REAL(pc), REAL(pk));
    if (K < n) {
      SET_VECTOR_ELT(out, FIT_VALUES, lengthgets(uu, K));
      SET_VECTOR_ELT(out, 0, lengthgets(thr, K + 1));
      SET_VECTOR_ELT(out, 1, lengthgets(se, K + 1));
      SET_VECTOR_ELT(out, 2, lengthgets(sp, K + 1));
    }
  } else {
    PROTECT_INDEX iu;
    SEXP uu;
    PROTECT_WITH_INDEX(uu = allocVector(REALSXP, n), &iu);
    int *gid = (int *) R_alloc(n > 0 ? n : 1, sizeof(int));
    double *wc, *wk;
    R_xlen_t K = roc_groups(x, y, w, n, dir, &dir_used, REAL(uu), &wc, &wk, gid);
    roc_placements(K, wc, wk, gid, y, n, REAL(pc), REAL(pk));
    if (K < n) REPROTECT(uu = lengthgets(uu, K), iu);
    SET_VECTOR_ELT(out, FIT_VALUES, uu);
    UNPROTECT(1);
    SEXP thr = allocVector(REALSXP, K + 1); SET_VECTOR_ELT(out, 0, thr);
    SEXP se = allocVector(REALSXP, K + 1);  SET_VECTOR_ELT(out, 1, se);
    SEXP sp = allocVector(REALSXP, K + 1);  SET_VECTOR_ELT(out, 2, sp);
    auc = roc_curve(K, REAL(uu), wc, wk, REAL(thr), REAL(se), REAL(sp));
  }
  SET_VECTOR_ELT(out, 3, ScalarReal(auc));
  SET_VECTOR_ELT(out, 8, ScalarInteger(dir_used));
  SET_VECTOR_ELT(out, 9, ScalarReal(fit_delong_var(REAL(pc), REAL(pk), y, w, n, m, auc)));
  vmaxset(vmax);
  UNPROTECT(1);
  return out;
}

SEXP C_roc_fit(SEXP x_, SEXP y_, SEXP w_, SEXP dir_) {
  const double *x = arg_dbl(x_, "C_roc_fit: x", -1);
  R_xlen_t n = XLENGTH(x_);
  arg_no_na(x, n, "C_roc_fit: x");
  const int *y = arg_int(y_, "C_roc_fit: y", n);
  arg_ids(y, n, "C_roc_fit: y", 0, 1);
  const double *w = isNull(w_) ? NULL : arg_dbl(w_, "C_roc_fit: w", n);
  if (w) arg_finite(w, n, "C_roc_fit: w");
  return fit_one(x, y, w, n, arg_int1(dir_, "C_roc_fit: dir", 0, 2));
}

/* One curve per column of x (n x p) sharing y and w, in one call; dir[j] as
 * in fit_one. Rows where column j is NA are left out of that column's fit
 * (the 1-based kept rows are then returned as attribute "kept"). */
SEXP C_roc_fit_matrix(SEXP x_, SEXP y_, SEXP w_, SEXP dir_) {
  const int *y = arg_int(y_, "C_roc_fit_matrix: y", -1);
  R_xlen_t n = XLENGTH(y_);
  arg_ids(y, n, "C_roc_fit_matrix: y", 0, 1);
  const int *dir = arg_int(dir_, "C_roc_fit_matrix: dir", -1);
  R_xlen_t p = XLENGTH(dir_);
  arg_ids(dir, p, "C_roc_fit_matrix: dir", 0, 2);
  const double *x = arg_dbl(x_, "C_roc_fit_matrix: x", n * p);
  const double *w = isNull(w_) ? NULL : arg_dbl(w_, "C_roc_fit_matrix: w", n);
  if (w) arg_finite(w, n, "C_roc_fit_matrix: w");
  SEXP out = PROTECT(allocVector(VECSXP, p));
  for (R_xlen_t j = 0; j < p; j++) {
    const void *vmax = vmaxget();
    double *z = (double *) R_alloc(n > 0 ? n : 1, sizeof(double));
    double *ww = w ? (double *) R_alloc(n > 0 ? n : 1, sizeof(double)) : NULL;
    int *yy = (int *) R_alloc(n > 0 ? n : 1, sizeof(int));
    R_xlen_t len = 0;
    for (R_xlen_t i = 0; i < n; i++) {
      double v = x[i + j * n];
      if (ISNAN(v)) continue;
      z[len] = v;
      yy[len] = y[i];
      if (w) ww[len] = w[i];
      len++;
    }
    SEXP f = PROTECT(fit_one(z, yy, ww, len, dir[j]));
    if (len < n) {
      SEXP kept = PROTECT(allocVector(INTSXP, len));
      for (R_xlen_t i = 0, a = 0; i < n; i++)
        if (!ISNAN(x[i + j * n])) INTEGER(kept)[a++] = (int) (i + 1);
      setAttrib(f, install("kept"), kept);
      UNPROTECT(1);
    }
    SET_VECTOR_ELT(out, j, f);
    UNPROTECT(1);
    vmaxset(vmax);
    R_CheckUserInterrupt();
  }
  UNPROTECT(1);
  return out;
}

/* Partial AUC of a stored curve (one implementation for fits and replicates). */
SEXP C_roc_partial_auc(SEXP se_, SEXP sp_, SEXP range_, SEXP focus_,
                       SEXP correct_, SEXP invalid_na_) {
  const double *se = arg_dbl(se_, "C_roc_partial_auc: se", -1);
  R_xlen_t len = XLENGTH(se_);
  const double *sp = arg_dbl(sp_, "C_roc_partial_auc: sp", len);
  const double *range = arg_dbl(range_, "C_roc_partial_auc: range", 2);
  arg_no_na(range, 2, "C_roc_partial_auc: range");
  int focus = arg_int1(focus_, "C_roc_partial_auc: focus", 0, 1);
  int correct = arg_flag(correct_, "C_roc_partial_auc: correct");
  int invalid_na = arg_flag(invalid_na_, "C_roc_partial_auc: invalid_na");
  double *wx = (double *) R_alloc(len > 0 ? len : 1, sizeof(double));
  double *wy = (double *) R_alloc(len > 0 ? len : 1, sizeof(double));
  double r = roc_partial_auc(se, sp, len, range[0], range[1], focus, correct,
                             invalid_na, wx, wy);
  return ScalarReal(r);
}

/* Coordinates at given values of a rising or falling input coordinate;
 * returns the other coordinate and the 1-based matching point (NA if
 * interpolated). */
SEXP C_roc_coord_at(SEXP input_, SEXP other_, SEXP values_, SEXP decreasing_) {
  const double *input = arg_dbl(input_, "C_roc_coord_at: input", -1);
  R_xlen_t len = XLENGTH(input_);
  const double *other = arg_dbl(other_, "C_roc_coord_at: other", len);
  const double *values = arg_dbl(values_, "C_roc_coord_at: values", -1);
  R_xlen_t nv = XLENGTH(values_);
  int decreasing = arg_flag(decreasing_, "C_roc_coord_at: decreasing");
  SEXP val = PROTECT(allocVector(REALSXP, nv));
  SEXP idx = PROTECT(allocVector(INTSXP, nv));
  for (R_xlen_t j = 0; j < nv; j++) {
    R_xlen_t hit;
    REAL(val)[j] = roc_coord_at(input, other, len, values[j], decreasing, &hit);
    INTEGER(idx)[j] = hit >= 0 ? (int) (hit + 1) : NA_INTEGER;
  }
  SEXP out = named_list(2, "value", val, "index", idx);
  UNPROTECT(2);
  return out;
}

/* Response coding in one pass: r (integer, logical or double codes) against
 * lv = c(control, case) on the same scale; pairs with NA/NaN in r or x are
 * dropped, other classes left out, zero weights too. Returns list(y = 0/1
 * of kept rows, x = kept predictor (x itself when all are kept), keep =
 * logical mask or NULL, n_dropped, n_outside). */
SEXP C_roc_code(SEXP r_, SEXP x_, SEXP w_, SEXP lv_) {
  R_xlen_t n = XLENGTH(r_);
  const double *x = arg_dbl(x_, "C_roc_code: x", n);
  arg_dbl(lv_, "C_roc_code: lv", 2);
  const double *w = isNull(w_) ? NULL : arg_dbl(w_, "C_roc_code: w", n);
  double l0 = REAL(lv_)[0], l1 = REAL(lv_)[1];
  int is_real = isReal(r_);
  if (!is_real && !isInteger(r_) && !isLogical(r_)) error("C_roc_code: bad response");
  const double *rd = is_real ? REAL(r_) : NULL;
  const int *ri = is_real ? NULL : INTEGER(r_);   /* logicals are ints too */
  const char *names[] = {"y", "x", "keep", "n_dropped", "n_outside", ""};
  if (isInteger(r_) && !w && ATTRIB(r_) == R_NilValue && l0 == 0 && l1 == 1) {
    /* common case: already 0/1 integer codes; share them when nothing drops */
    int clean = 1;
    for (R_xlen_t i = 0; i < n && clean; i++)
      clean = ((unsigned int) ri[i] <= 1u) & !ISNAN(x[i]);
    if (clean) {
      SEXP out = PROTECT(mkNamed(VECSXP, names));
      SET_VECTOR_ELT(out, 0, r_);
      SET_VECTOR_ELT(out, 1, x_);
      SET_VECTOR_ELT(out, 3, ScalarReal(0.0));
      SET_VECTOR_ELT(out, 4, ScalarReal(0.0));
      UNPROTECT(1);
      return out;
    }
  }
  int *code = (int *) R_alloc(n > 0 ? n : 1, sizeof(int));
  R_xlen_t kept = 0, n_dropped = 0, n_outside = 0;
  for (R_xlen_t i = 0; i < n; i++) {
    int na_r;
    double v;
    if (is_real) {
      v = rd[i];
      na_r = ISNAN(v);
    } else {
      na_r = ri[i] == NA_INTEGER;
      v = (double) ri[i];
    }
    code[i] = -1;
    if (na_r || ISNAN(x[i])) {
      n_dropped++;
      continue;
    }
    if (v == l1) code[i] = 1;
    else if (v == l0) code[i] = 0;
    else {
      n_outside++;
      continue;
    }
    if (w && !(w[i] > 0)) {
      code[i] = -1;
      continue;
    }
    kept++;
  }
  SEXP out = PROTECT(mkNamed(VECSXP, names));
  SEXP y = allocVector(INTSXP, kept);
  SET_VECTOR_ELT(out, 0, y);
  int *yy = INTEGER(y);
  if (kept == n) {
    memcpy(yy, code, (size_t) n * sizeof(int));
    SET_VECTOR_ELT(out, 1, x_);
  } else {
    SEXP xk = allocVector(REALSXP, kept);
    SET_VECTOR_ELT(out, 1, xk);
    SEXP keep = allocVector(LGLSXP, n);
    SET_VECTOR_ELT(out, 2, keep);
    int *kp = LOGICAL(keep);
    double *xo = REAL(xk);
    for (R_xlen_t i = 0, a = 0; i < n; i++) {
      kp[i] = code[i] >= 0;
      if (code[i] >= 0) {
        yy[a] = code[i];
        xo[a] = x[i];
        a++;
      }
    }
  }
  SET_VECTOR_ELT(out, 3, ScalarReal((double) n_dropped));
  SET_VECTOR_ELT(out, 4, ScalarReal((double) n_outside));
  UNPROTECT(1);
  return out;
}

/* Up to three distinct non-missing values of an integer, logical or double
 * vector, in order of appearance: enough to tell a binary response (and to
 * name the classes) without hashing the whole vector. */
SEXP C_roc_distinct3(SEXP r_) {
  R_xlen_t n = XLENGTH(r_);
  double seen[3];
  int k = 0;
  int is_real = isReal(r_);
  if (!is_real && !isInteger(r_) && !isLogical(r_)) error("C_roc_distinct3: bad argument");
  if (is_real) {
    const double *r = REAL(r_);
    for (R_xlen_t i = 0; i < n && k < 3; i++) {
      double v = r[i];
      if (ISNAN(v)) continue;
      int found = 0;
      for (int j = 0; j < k; j++) found |= seen[j] == v;
      if (!found) seen[k++] = v;
    }
  } else {
    /* integer codes: skip runs of the values already seen without the
     * per-element search */
    const int *r = INTEGER(r_);
    int s0 = NA_INTEGER, s1 = NA_INTEGER;
    for (R_xlen_t i0 = 0; i0 < n && k < 3; i0 += 256) {
      const R_xlen_t i1 = i0 + 256 < n ? i0 + 256 : n;
      int fresh = 0;   /* a branch-free count over the block first */
      for (R_xlen_t i = i0; i < i1; i++)
        fresh += (r[i] != NA_INTEGER) & (r[i] != s0) & (r[i] != s1);
      if (!fresh) continue;
      for (R_xlen_t i = i0; i < i1 && k < 3; i++) {
        int iv = r[i];
        if (iv == NA_INTEGER || iv == s0 || iv == s1) continue;
        seen[k++] = (double) iv;
        if (k == 1) s0 = iv; else s1 = iv;
      }
    }
  }
  SEXP out = allocVector(REALSXP, k);
  for (int j = 0; j < k; j++) REAL(out)[j] = seen[j];
  return out;
}
