# Checksums and signatures of model files (openssl package): SHA-256 of the
# stored payload text for accidents; HMAC-SHA256 (shared secret) or Ed25519
# (key pair) for people.

#' Read a key for signing or checking model files
#'
#' Reads the key file that `evmirna train --key-file` and
#' `evmirna score --key-file` take, for use as the `key` of
#' [ev_save_model()] and [ev_load_model()]. A PEM file holding an Ed25519
#' private key (`-----BEGIN PRIVATE KEY-----`) or public key
#' (`-----BEGIN PUBLIC KEY-----`) gives an openssl key; any other file is an
#' HMAC secret: its bytes, without a final line break. Needs the openssl
#' package.
#'
#' Make a secret with `writeBin(openssl::rand_bytes(32), "model.secret")`,
#' or an Ed25519 pair with `k <- openssl::ed25519_keygen()`,
#' `openssl::write_pem(k, "model.key")` and
#' `openssl::write_pem(k$pubkey, "model.pub")`.
#'
#' @param path Key file.
#' @return A raw vector (HMAC secret) or an openssl `key` / `pubkey`.
#' @seealso [ev_save_model()]
#' @export
#' @examples
#' if (requireNamespace("openssl", quietly = TRUE)) {
#'   secret <- tempfile()
#'   writeBin(openssl::rand_bytes(32), secret)
#'   length(ev_read_key(secret))
#' }
ev_read_key <- function(path) {
  need_package("openssl", "ev_read_key")
  check_string(path, "path")
  size <- file.size(path)
  if (is.na(size) || dir.exists(path)) {
    ev_abort(sprintf("`path`: no key file at \"%s\".", path), "evmirna_error_file", "path")
  }
  if (size == 0 || size > 65536) {
    ev_abort(sprintf("`path`: key file \"%s\" is empty, not a regular file, or larger than 64 kB.",
                     path), "evmirna_error_file", "path")
  }
  bytes <- readBin(path, "raw", n = size)
  text <- rawToChar(bytes[bytes != as.raw(0)])
  if (grepl("^-----BEGIN", text)) {
    public <- grepl("^-----BEGIN PUBLIC KEY", text)
    key <- tryCatch(if (public) openssl::read_pubkey(text) else openssl::read_key(text),
                    error = function(e) NULL)
    if (is.null(key) || !inherits(key, "ed25519")) {
      ev_abort(sprintf("`path`: \"%s\" is a PEM file but not an Ed25519 %s key.", path,
                       if (public) "public" else "private"),
               "evmirna_error_file", "path")
    }
    return(key)
  }
  n <- length(bytes)
  if (n && bytes[n] == as.raw(10L)) n <- n - 1L
  if (n && bytes[n] == as.raw(13L)) n <- n - 1L
  bytes[seq_len(n)]
}

need_package <- function(pkg, what) {
  if (!requireNamespace(pkg, quietly = TRUE)) {
    ev_abort(sprintf("%s() needs the %s package: install.packages(\"%s\").", what, pkg, pkg),
             "evmirna_error_file", NULL)
  }
}

# Hex digests as plain strings (openssl's carry a class).
sha256_hex <- function(bytes, key = NULL) unclass(as.character(openssl::sha256(bytes, key = key)))

# `key` -> list(kind = "hmac-sha256" | "ed25519", ...); NULL for no key.
# `sign`: the key must be able to sign (a secret or a private key).
model_key <- function(key, sign) {
  if (is.null(key)) return(NULL)
  need_package("openssl", if (sign) "ev_save_model" else "ev_load_model")
  # openssl keys are raw vectors too: test for them first
  if (inherits(key, "ed25519") && inherits(key, c("key", "pubkey"))) {
    private <- inherits(key, "key")
    if (sign && !private) {
      ev_abort("`key`: signing needs the Ed25519 private key; the public key only checks.",
               "evmirna_error_value", "key")
    }
    pub <- if (private) key$pubkey else key
    return(list(kind = "ed25519", private = if (private) key, public = pub,
                id = paste0("sha256:", sha256_hex(openssl::write_der(pub)))))
  }
  if (is.character(key) && length(key) == 1L && !is.na(key)) key <- charToRaw(enc2utf8(key))
  if (is.raw(key) && is.null(attr(key, "class"))) {
    if (length(key) < 16L) {
      ev_abort("`key`: an HMAC secret needs at least 16 bytes (e.g. openssl::rand_bytes(32)).",
               "evmirna_error_value", "key")
    }
    return(list(kind = "hmac-sha256", secret = key))
  }
  ev_abort("`key` must be an HMAC secret (a string or raw vector of at least 16 bytes) or an Ed25519 key from openssl (see ev_read_key()).",
           "evmirna_error_type", "key")
}

# What is signed: the format, its version and the payload text, so that a
# signature cannot be moved to another format version.
signed_bytes <- function(payload_text) {
  charToRaw(paste0(model_file_format, "/", model_file_version, "\n", payload_text))
}

sign_payload <- function(k, payload_text) {
  msg <- signed_bytes(payload_text)
  if (k$kind == "hmac-sha256") {
    return(list(algorithm = json_scalar(k$kind),
                value = json_scalar(sha256_hex(msg, key = k$secret))))
  }
  sig <- openssl::ed25519_sign(msg, k$private)
  list(algorithm = json_scalar(k$kind), key_id = json_scalar(k$id),
       value = json_scalar(paste(as.character(sig), collapse = "")))
}

signature_fail <- function(message) {
  ev_abort(paste0("`key`: ", message), c("evmirna_error_model_signature", "evmirna_error_file"),
           "key")
}

# Checks the header's signature against `k`; refuses on any mismatch.
verify_signature <- function(k, signature, payload_text) {
  if (is.null(signature)) {
    signature_fail("the model file is not signed, so it cannot be trusted with this key; sign it with ev_save_model(key =) or `evmirna train --key-file`.")
  }
  if (!identical(signature$algorithm, k$kind)) {
    signature_fail(sprintf("the model file is signed with %s but the key is for %s.",
                           signature$algorithm, k$kind))
  }
  if (k$kind == "ed25519" && !identical(signature$key_id, k$id)) {
    signature_fail(sprintf("the model file was signed with another Ed25519 key (%s; this key is %s).",
                           signature$key_id %||% "no key id", k$id))
  }
  msg <- signed_bytes(payload_text)
  ok <- if (k$kind == "hmac-sha256") {
    identical(sha256_hex(msg, key = k$secret), signature$value)
  } else {
    sig <- hex_to_raw(signature$value)
    !is.null(sig) && isTRUE(tryCatch(openssl::ed25519_verify(msg, sig, k$public),
                                     error = function(e) FALSE))
  }
  if (!ok) {
    signature_fail("the model file's signature does not match: it was edited after signing, or signed with another key.")
  }
}

hex_to_raw <- function(hex) {
  if (!grepl("^([0-9a-f]{2})+$", hex)) return(NULL)
  as.raw(strtoi(substring(hex, seq(1L, nchar(hex), 2L), seq(2L, nchar(hex), 2L)), 16L))
}
