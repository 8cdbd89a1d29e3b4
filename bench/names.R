# Name harmonization speed against the issue's targets, with real miRBase
# names (the package's own table, releases 6-22) and the forms labs write:
#   1. ev_mirna_name() on 10,000 names (target < 50 ms);
#   2. evset() on 2,600 features x 1,000 samples: the time naming adds
#      (target < 20 ms), i.e. evset() minus evset() given `features` with
#      mirna and role already filled in;
#   3. ev_screen() on 2,600 x 1,000 with real miRNA names, end to end,
#      curated annotation included (target < 0.2 s).
# Times are the median of 5 runs; the per-session index build (once, at the
# first lookup) is reported on its own. Peak memory as in bench/lib/utils.R.
# Run after installing the package: Rscript bench/names.R
suppressPackageStartupMessages(library(evmirna))

bench_file <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1L])
source(file.path(dirname(bench_file), "lib", "utils.R"))  # peak_mb()

# Median elapsed time of `reps` runs; the median CPU time (user + system) is
# kept as an attribute: on a shared machine elapsed time includes waiting.
median_of <- function(expr_fun, reps = 5L, setup = function() NULL) {
  t <- vapply(seq_len(reps), function(i) {
    setup()
    st <- system.time(expr_fun())
    c(st[["elapsed"]], st[["user.self"]] + st[["sys.self"]])
  }, numeric(2))
  structure(stats::median(t[1L, ]), cpu = stats::median(t[2L, ]))
}
cpu_ms <- function(t) sprintf("%.1f ms CPU", 1000 * attr(t, "cpu"))
# ev_mirna_name() keeps its last result (evset() asks twice for the same
# IDs); drop it so every timed run does the full lookup.
forget_last <- function() assign("last_lookup", NULL, envir = evmirna:::evmirna_env)
verdict <- function(t, target) if (t < target) "OK" else "ABOVE TARGET"
load_avg <- function() tryCatch(strsplit(readLines("/proc/loadavg"), " ")[[1]][1],
                                error = function(e) "unknown")
cat(sprintf("machine load average at start: %s\n", load_avg()))

m <- mirna_names
t_index <- system.time(ev_mirna_name("hsa-miR-21-5p"))[["elapsed"]]
cat(sprintf("index build at the first lookup of the session: %.0f ms (once)\n",
            1000 * t_index))

# ---- 1. 10,000 names ------------------------------------------------------
set.seed(20261201)
hist_names <- sample(m$name, 7000L, replace = TRUE)
v22_hsa <- unique(m$name[m$type == "mature" & m$species == "hsa" &
                           m$name %in% m$current])
lab <- sample(v22_hsa, 3000L, replace = TRUE)
lab <- c(toupper(lab[1:600]), paste0(lab[601:1200], "_000397"),
         paste0(lab[1201:1800], " (YP00204230)"), sub("^hsa-", "", lab[1801:2400]),
         gsub("-", "_", lab[2401:2900]),
         rep(c("U6", "RNU48", "UniSp6", "cel-miR-39-3p", "miR-17/20a"), 20))
names10k <- c(hist_names, lab)
stopifnot(length(names10k) == 10000L)
t_names <- median_of(function() ev_mirna_name(names10k, details = TRUE),
                     setup = forget_last)
forget_last()
peak_names <- peak_mb(function() ev_mirna_name(names10k, details = TRUE))
st <- table(ev_mirna_name(names10k, details = TRUE)$status)
cat(sprintf("ev_mirna_name, 10,000 names (7,000 from miRBase 6-22, 3,000 lab forms): %.1f ms (%s; target < 50 ms) %s | peak %.1f MB\n",
            1000 * t_names, cpu_ms(t_names), verdict(t_names, 0.05), peak_names))
cat(sprintf("  statuses: %s\n", paste(names(st), st, sep = " ", collapse = ", ")))

# ---- 2. evset() on 2,600 features ---------------------------------------------
p <- 2600L
n <- 1000L
ids <- v22_hsa[seq_len(p)]
cq <- matrix(stats::rnorm(p * n, 28, 2), p, n,
             dimnames = list(ids, sprintf("S%04d", seq_len(n))))
feat <- evset(cq)$features
t_evset <- median_of(function() evset(cq), setup = forget_last)
t_plain <- median_of(function() evset(cq, features = feat))
cat(sprintf("evset, %d features x %d samples: %.1f ms; with mirna and role given: %.1f ms; naming adds %.1f ms (%.1f ms CPU; target < 20 ms) %s\n",
            p, n, 1000 * t_evset, 1000 * t_plain, 1000 * (t_evset - t_plain),
            1000 * (attr(t_evset, "cpu") - attr(t_plain, "cpu")),
            verdict(t_evset - t_plain, 0.02)))

# ---- 3. ev_screen() end to end --------------------------------------------------
x <- t(cq)
group <- rep(c("control", "osteoporosis"), each = n / 2)
x[group == "osteoporosis", 1:100] <- x[group == "osteoporosis", 1:100] - 0.5
t_screen <- median_of(function() ev_screen(x, group, positive = "osteoporosis"),
                      setup = forget_last)
t_screen_na <- median_of(function() ev_screen(x, group, positive = "osteoporosis",
                                              annotate = FALSE))
t_annot <- median_of(function() ev_annotate(ids), setup = forget_last)
peak_screen <- peak_mb(function() ev_screen(x, group, positive = "osteoporosis"))
s <- ev_screen(x, group, positive = "osteoporosis")
cat(sprintf("ev_screen, %d real miRNA names x %d samples, with annotation: %.3f s (%s; target < 0.2 s) %s | peak %.1f MB\n",
            p, n, t_screen, cpu_ms(t_screen), verdict(t_screen, 0.2), peak_screen))
cat(sprintf("  annotate = FALSE: %.3f s (%s); ev_annotate() of the %d names alone: %.1f ms (%s); %d features annotated\n",
            t_screen_na, cpu_ms(t_screen_na), p, 1000 * t_annot, cpu_ms(t_annot),
            sum(!is.na(s$curated))))
cat(sprintf("machine load average at end: %s\n", load_avg()))
