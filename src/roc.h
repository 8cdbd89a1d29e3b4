/* Shared pieces of the ROC engine (roc.c, delong.c, bootstrap.c).
 *
 * Convention: every kernel works on an oriented predictor z where larger
 * values point to "case" (pROC's direction "<"); the R side passes z = -x for
 * direction ">" and maps thresholds back. Observations with equal z form one
 * "group"; groups are numbered 0..K-1 in increasing z. */
#ifndef EVMIRNA_ROC_H
#define EVMIRNA_ROC_H

#include <R.h>
#include <Rinternals.h>

/* Sorts x (no NaN) once and forms groups of tied values: distinct values u
 * ascending on the oriented scale and per-group weight of cases and of
 * controls; gid[i] is the group of observation i. dir: 0 = auto (pROC's
 * medians rule), 1 = "<", 2 = ">" (oriented scale z = -x); the direction
 * used goes to *dir_out. Returns K. w may be NULL (unit weights). u holds n
 * entries; *wcase and *wctrl point to R_alloc'ed per-group weights. */
R_xlen_t roc_groups(const double *x, const int *y, const double *w,
                    R_xlen_t n, int dir, int *dir_out, double *u,
                    double **wcase, double **wctrl, int *gid);

/* DeLong placements from the groups of roc_groups: pcase (one per case, in
 * observation order) is the share of controls a case beats, ties counting
 * one half; pctrl (one per control) the share of cases beating it. */
void roc_placements(R_xlen_t K, const double *wcase, const double *wctrl,
                    const int *gid, const int *y, R_xlen_t n, double *pcase,
                    double *pctrl);

/* roc_groups without R's allocator, for use inside OpenMP regions: scratch
 * holds ROC_SCRATCH_BYTES(n) bytes (the weights returned in *wcase and
 * *wctrl live there) and n must be below ROC_SMALL_SORT (larger inputs take
 * the radix path, which allocates and checks for interrupts). gid may be
 * NULL when the groups of the observations are not needed. */
#define ROC_SMALL_SORT 4096
#define ROC_SCRATCH_BYTES(n) ((size_t) 32 * (size_t) ((n) > 0 ? (n) : 1))
R_xlen_t roc_groups_scratch(const double *x, const int *y, const double *w,
                            R_xlen_t n, int dir, int *dir_out, double *u,
                            double **wcase, double **wctrl, int *gid,
                            void *scratch);

/* roc_placements with caller-provided work space of 2 K doubles (no R API
 * calls). */
void roc_placements_work(R_xlen_t K, const double *wcase, const double *wctrl,
                         const int *gid, const int *y, R_xlen_t n, double *pcase,
                         double *pctrl, double *work);

/* DeLong's variance terms from the groups alone: the sums over cases and
 * over controls of (placement - auc)^2, placements as in roc_placements
 * (every member of a group shares one). Divide by (m - 1) m for the
 * variance. */
void roc_placement_ss(R_xlen_t K, const double *wcase, const double *wctrl,
                      double auc, double *ss_case, double *ss_ctrl);

/* Positions in the named list built by C_roc_fit. The fit leaves "group"
 * (each observation's group) NULL; roc_fit_with_groups() in R fills it in
 * for C_roc_boot, which reads the fits by name. */
#define FIT_VALUES 4
#define FIT_GROUP 5

/* The curve over K groups: K + 1 points, thresholds ascending (pROC's
 * midpoints with -Inf/Inf ends), sensitivities falling, specificities
 * rising. Returns the AUC (Mann-Whitney with ties counting one half); with
 * thr, se and sp all NULL only the AUC, by roc_mw_auc. */
double roc_curve(R_xlen_t K, const double *u, const double *wcase,
                 const double *wctrl, double *thr, double *se, double *sp);

/* The Mann-Whitney AUC from the per-group weights alone (ties count one
 * half): the one AUC walk of the curve-free callers (roc_curve without a
 * curve, the bootstrap, the panel kernel). NA when a class has no weight. */
double roc_mw_auc(R_xlen_t K, const double *wcase, const double *wctrl);

/* Area under the piecewise-linear curve y(x), x non-decreasing, over
 * [lo, hi]. */
double roc_partial_area(const double *x, const double *y, R_xlen_t len,
                        double lo, double hi);

/* Partial AUC of a curve (se, sp in curve order) with focus 0 = specificity,
 * 1 = sensitivity; correct = McClish. invalid_na: NA when the correction is
 * undefined (curve below the diagonal), else the raw corrected value. */
double roc_partial_auc(const double *se, const double *sp, R_xlen_t len,
                       double lo, double hi, int focus, int correct,
                       int invalid_na, double *work_x, double *work_y);

/* pROC's coordinate look-up: the value of `other` where `input` equals
 * `value` (first match on a rising input, last on a falling one), linear
 * interpolation otherwise. idx receives the matching point or -1. */
double roc_coord_at(const double *input, const double *other, R_xlen_t len,
                    double value, int decreasing, R_xlen_t *idx);

#endif
