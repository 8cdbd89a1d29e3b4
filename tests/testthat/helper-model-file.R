# Model files need jsonlite (parsing) and openssl (SHA-256, signatures).
need_model_file <- function() {
  need_reference("jsonlite")
  need_reference("openssl")
}
