#!/bin/sh
# Developer script: seconds from SIGINT to the R interrupt for long C loops
# (geNorm on 1500 candidates, the bootstrap).
# Usage: R_LIBS=<lib with evmirna> sh tools/interrupt-latency.sh
run() {
  name=$1; code=$2
  Rscript -e "suppressPackageStartupMessages(library(evmirna)); options(evmirna.threads = 1L); set.seed(1); $code; cat('ready', format(as.numeric(Sys.time()), nsmall = 3), '\n'); tryCatch(run(), interrupt = function(e) cat('caught', format(as.numeric(Sys.time()), nsmall = 3), '\n'))" > /tmp/intr.$$ 2>&1 &
  pid=$!
  while ! grep -q ready /tmp/intr.$$ 2>/dev/null; do sleep 0.2; done
  sleep 2
  sent=$(date +%s.%N)
  kill -INT $pid
  wait $pid
  caught=$(awk '/caught/ {print $2}' /tmp/intr.$$)
  if [ -z "$caught" ]; then echo "$name: finished before the interrupt was seen (or none caught)"; else
    echo "$name: $(echo "$caught - $sent" | bc) s from SIGINT to interrupt"; fi
  rm -f /tmp/intr.$$
}
run geNorm "x <- matrix(rnorm(1500 * 60), 1500); run <- function() .Call(evmirna:::C_genorm, x, 1)"
run bootstrap "y <- rep(0:1, 5e4); r <- ev_roc(y, rnorm(1e5) + y, direction = '<'); run <- function() ev_ci_auc(r, 'bootstrap', n_boot = 1e5)"
