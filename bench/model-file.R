# Model-file speed: save and load a frozen 3-miRNA panel trained on the
# bundled SIMULATED cohort, unsigned and signed (HMAC-SHA256, Ed25519), and
# the refusal of a device. Medians of 20 runs. Run with
# `Rscript bench/model-file.R` after installing.
suppressPackageStartupMessages(library(evmirna))
load_before <- tryCatch(readLines("/proc/loadavg", n = 1L), error = function(e) "unknown")
ext <- function(f) system.file("extdata", f, package = "evmirna")
x <- ev_read_qpcr(ext("serum_ev_qpcr_cq.csv"), samples = ext("serum_ev_qpcr_samples.csv"))
qc <- ev_qc(x)
normalized <- ev_normalize(ev_impute_nondetects(x[, qc$pass], "limit", limit = 40), "global_mean")
model <- ev_fit(normalized, "group", features = c("hsa-miR-214-3p", "hsa-miR-21-5p",
                                                  "hsa-miR-133a-3p"))
set.seed(1)
frozen <- ev_freeze(model, x, qc = qc, n_boot = 200)
path <- tempfile(fileext = ".json")
median_ms <- function(expr) {
  call <- substitute(expr)
  env <- parent.frame()
  1000 * stats::median(vapply(1:20, function(i) system.time(eval(call, env))[["elapsed"]], 0))
}
secret <- openssl::rand_bytes(32)
pair <- openssl::ed25519_keygen()
t_save <- median_ms(ev_save_model(frozen, path))
t_load <- median_ms(ev_load_model(path))
size_kb <- file.size(path) / 1024
ev_save_model(frozen, path, key = secret)
t_load_hmac <- median_ms(ev_load_model(path, key = secret))
ev_save_model(frozen, path, key = pair)
t_load_ed <- median_ms(ev_load_model(path, key = pair$pubkey))
t_dev <- median_ms(try(ev_load_model("/dev/zero"), silent = TRUE))
cat(sprintf("model file %.1f kB (jsonlite %s)\n", size_kb, utils::packageVersion("jsonlite")))
cat(sprintf("save %.1f ms; load %.1f ms (target < 50 ms); load + HMAC check %.1f ms; load + Ed25519 check %.1f ms; /dev/zero refused in %.1f ms\n",
            t_save, t_load, t_load_hmac, t_load_ed, t_dev))
cat("load average before / after:", load_before, "/",
    tryCatch(readLines("/proc/loadavg", n = 1L), error = function(e) "unknown"), "\n")
