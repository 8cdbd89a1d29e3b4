# Calibration of predicted risks on a validation cohort: calibration-in-the-
# large and slope with Wald CIs (estimates from calibration_stats()), and the
# flexible calibration curve with ICI, E50, E90 and Emax (Austin & Steyerberg
# 2019).

# CITL: intercept a of logit P(y = 1) = a + offset(lp); slope: b of
# logit P(y = 1) = a' + b lp. Wald CIs from the observed information.
calibration_with_ci <- function(y, lp, conf_level) {
  cal <- calibration_stats(y, lp)
  z <- stats::qnorm(1 - (1 - conf_level) / 2)
  p0 <- stats::plogis(lp + cal$intercept)
  se_citl <- 1 / sqrt(sum(p0 * (1 - p0)))
  p1 <- stats::plogis(cal$slope_intercept + cal$slope * lp)
  w <- p1 * (1 - p1)
  info <- matrix(c(sum(w), sum(w * lp), sum(w * lp), sum(w * lp^2)), 2L)
  v <- tryCatch(solve(info), error = function(e) matrix(NA_real_, 2L, 2L))
  se_slope <- sqrt(v[2L, 2L])
  list(citl = cal$intercept, citl_se = se_citl,
       citl_ci = cal$intercept + c(-1, 1) * z * se_citl,
       slope = cal$slope, slope_se = se_slope,
       slope_ci = cal$slope + c(-1, 1) * z * se_slope,
       slope_intercept = cal$slope_intercept,
       slope_intercept_se = sqrt(v[1L, 1L]),
       converged = cal$slope_converged, brier = cal$brier)
}

# Smoothed observed risk at each predicted risk p, with a pointwise CI for
# loess (normal approximation on predict.loess's standard error), and on a
# grid for plotting. "lowess" is rms::val.prob()'s smoother (lowess(p, y,
# iter = 0), interpolated at p), kept so that its Eavg/E90/Emax are
# reproduced exactly; it gives no CI.
flexible_calibration <- function(y, p, smoother, span, conf_level, n_grid = 100L) {
  z <- stats::qnorm(1 - (1 - conf_level) / 2)
  grid <- seq(min(p), max(p), length.out = n_grid)
  if (smoother == "lowess") {
    sm <- stats::lowess(p, y, iter = 0)
    at <- function(x) stats::approx(sm, xout = x, ties = mean)$y
    observed <- at(p)
    curve <- data.frame(predicted = grid, observed = at(grid), lower = NA_real_,
                        upper = NA_real_)
  } else {
    fit <- stats::loess(y ~ p, data = data.frame(y = y, p = p), span = span, degree = 2L)
    pr <- stats::predict(fit, newdata = data.frame(p = p))
    observed <- unname(pr)
    g <- stats::predict(fit, newdata = data.frame(p = grid), se = TRUE)
    curve <- data.frame(predicted = grid, observed = unname(g$fit),
                        lower = pmax(0, unname(g$fit - z * g$se.fit)),
                        upper = pmin(1, unname(g$fit + z * g$se.fit)))
  }
  err <- abs(p - observed)
  list(smoother = smoother, span = if (smoother == "loess") span else NA_real_,
       observed = observed, curve = curve,
       ici = mean(err), e50 = unname(stats::median(err)),
       e90 = unname(stats::quantile(err, 0.9)), emax = max(err))
}
