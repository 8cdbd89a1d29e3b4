#!/bin/sh
# Installs, idempotently, the Debian packages the checks need: the
# Bioconductor reference implementations (edgeR, limma, preprocessCore,
# DESeq2, SummarizedExperiment) as Debian's r-bioc-* builds, pandoc for
# the HTML vignettes and qpdf for the PDF size check, and Debian's jsonlite
# and openssl builds: make test runs the model-file tests under Debian's
# jsonlite as well as CRAN's (tools/test-jsonlite.R); chromium for the
# report's browser test (headless, driven by chromote). Needs root (or sudo)
# on a fresh machine.
set -eu

PACKAGES="r-bioc-edger r-bioc-limma r-bioc-preprocesscore r-bioc-deseq2 \
r-bioc-summarizedexperiment r-cran-jsonlite r-cran-openssl r-cran-hmisc r-cran-rms pandoc qpdf chromium"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "system packages: all present"
  exit 0
fi

echo "system packages to install:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "error: need root to apt-get install:$missing" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
