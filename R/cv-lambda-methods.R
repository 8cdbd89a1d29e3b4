# coef() and predict() for ev_cv_lambda, as glmnet's for cv.glmnet: `s` is
# "lambda.1se" (default), "lambda.min" or penalty values.

#' Coefficients and predictions of a cross-validated penalty path
#'
#' @param object An `ev_cv_lambda` from [ev_cv_lambda()].
#' @param s `"lambda.1se"` (default, as glmnet), `"lambda.min"` (also
#'   spelled `"lambda_1se"`, `"lambda_min"`) or numeric penalty values.
#' @param newdata,type,covariates As for [predict.ev_model()].
#' @param ... Unused.
#' @return As [coef.ev_model()] and [predict.ev_model()] at the chosen
#'   penalty of the whole-data path.
#' @export
#' @examples
#' set.seed(3)
#' x <- matrix(rnorm(80 * 6), 80, 6, dimnames = list(NULL, sprintf("miR-%d", 1:6)))
#' cv <- ev_cv_lambda(x, rbinom(80, 1, plogis(x[, 1])), n_folds = 4)
#' coef(cv)
#' coef(cv, s = "lambda.min")
#' head(predict(cv, x, s = "lambda.min"))
coef.ev_cv_lambda <- function(object, s = "lambda.1se", ...) {
  stats::coef(object$model, s = cv_lambda_s(object, s))
}

#' @rdname coef.ev_cv_lambda
#' @export
predict.ev_cv_lambda <- function(object, newdata, type = c("prob", "link", "class"),
                                 s = "lambda.1se", covariates = NULL, ...) {
  stats::predict(object$model, newdata, type = type, s = cv_lambda_s(object, s),
                 covariates = covariates)
}

cv_lambda_s <- function(object, s) {
  if (is.character(s)) {
    key <- match(s, c("lambda.1se", "lambda.min", "lambda_1se", "lambda_min"))
    if (length(s) != 1L || is.na(key)) {
      ev_abort("`s` must be \"lambda.1se\", \"lambda.min\" or penalty values.",
               "evmirna_error_value", "s")
    }
    return(if (key %% 2L == 1L) object$lambda_1se else object$lambda_min)
  }
  s
}
