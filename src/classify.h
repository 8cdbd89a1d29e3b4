/* Classifier fitters shared by ev_fit() (logistic.c, firth.c) and the
 * panel search (panel.c). Both work on a column-major design x (n x k, the
 * intercept column included) and never touch their inputs. They take their
 * scratch from R_alloc, so they run on the main thread only (never inside a
 * parallel region); callers bracket them with vmaxget/vmaxset. */
#ifndef EVMIRNA_CLASSIFY_H
#define EVMIRNA_CLASSIFY_H

typedef struct {
  int iter, converged, boundary, singular;
  double deviance;
} irls_info;

/* glm.fit-style IRLS for the binomial logit; beta (k), cov (k x k), eta and
 * mu (n) are outputs. */
irls_info logistic_irls(const double *x, const double *y, const double *offset,
                        int n, int k, int maxit, double epsilon,
                        double *beta, double *cov, double *eta, double *mu);

typedef struct {
  int maxit, maxhs;
  double maxstep, lconv, gconv, xconv;
} firth_control;

typedef struct {
  int iter, converged, boundary, singular;
  double loglik;      /* penalized: l(b) + log|I(b)| / 2 */
} firth_info;

/* logistf-style Firth Newton-Raphson; beta (k), cov (k x k), pi and h (n)
 * are outputs. */
firth_info firth_fit(const double *x, const double *y, const double *offset,
                     int n, int k, const firth_control *ctl,
                     double *beta, double *cov, double *pi, double *h);

#endif
