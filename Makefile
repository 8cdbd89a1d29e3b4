# evmirna: two commands (see README.md)
#   make demo   install what is needed, run the main job
#   make test   install test needs, R CMD check --as-cran with the full suite
R       ?= R
RSCRIPT ?= Rscript
PKG      = evmirna
VERSION  = $(shell sed -n 's/^Version: *//p' DESCRIPTION)
TARBALL  = $(PKG)_$(VERSION).tar.gz
CHECKDIR = check

.PHONY: demo test bench deps-test deps-demo deps-bench install document \
        build sanitize valgrind fuzz clean

deps-test:
	sh tools/install-system-deps.sh
	$(RSCRIPT) tools/install-r-deps.R test

deps-demo:
	sh tools/install-system-deps.sh
	$(RSCRIPT) tools/install-r-deps.R demo

deps-bench:
	sh tools/install-system-deps.sh
	$(RSCRIPT) tools/install-r-deps.R bench

# Installs from the built tarball, so the vignettes are built and installed
# (vignette(package = "evmirna") lists them).
install: build
	$(R) CMD INSTALL --preclean --no-multiarch $(TARBALL)

document:
	$(RSCRIPT) -e 'roxygen2::roxygenise()'

# README.md is not a package file; a copy goes into inst/ for the build so
# that tests/testthat/test-readme.R can check its R blocks in R CMD check.
build:
	rm -f $(PKG)_*.tar.gz
	cp README.md inst/README.md
	$(R) CMD build . ; status=$$?; rm -f inst/README.md; exit $$status

# R CMD check exits 0 on WARNINGs; we fail on them too. The reference
# packages must be present so the cross-checks run rather than skip.
# Then the model-file and CLI tests run again on the checked build under
# Debian's jsonlite and under CRAN's (tools/test-jsonlite.R; the private
# libraries check/lib-jsonlite-* are kept between runs).
test: deps-test build
	rm -rf $(CHECKDIR)/$(PKG).Rcheck && mkdir -p $(CHECKDIR)
	EVMIRNA_REQUIRE_REFERENCES=true NOT_CRAN=true _R_CHECK_FORCE_SUGGESTS_=true \
	_R_CHECK_CRAN_INCOMING_REMOTE_=false _R_CHECK_SYSTEM_CLOCK_=false \
	$(R) CMD check --as-cran --no-manual -o $(CHECKDIR) $(TARBALL) || \
	  (cat $(CHECKDIR)/$(PKG).Rcheck/tests/testthat.Rout.fail 2>/dev/null; exit 1)
	@if grep -E "^Status:.*(ERROR|WARNING)" $(CHECKDIR)/$(PKG).Rcheck/00check.log; then \
	  echo "R CMD check reported an ERROR or WARNING"; exit 1; fi
	@grep -E "^Status:" $(CHECKDIR)/$(PKG).Rcheck/00check.log
	$(RSCRIPT) tools/test-jsonlite.R debian $(CHECKDIR)/$(PKG).Rcheck
	$(RSCRIPT) tools/test-jsonlite.R cran $(CHECKDIR)/$(PKG).Rcheck

demo: deps-demo install
	$(RSCRIPT) tools/demo.R

bench: deps-bench install
	@for f in bench/*.R; do echo "== $$f"; $(RSCRIPT) $$f || exit 1; done

# Sanitizer and valgrind runs of the test suite, on a private build of the
# package (check/sanitize-lib, check/valgrind-lib) so the site library keeps
# its normal build.
SANLIB = $(CURDIR)/check/sanitize-lib
VGLIB  = $(CURDIR)/check/valgrind-lib

sanitize:
	mkdir -p $(SANLIB)
	R_MAKEVARS_USER=$(CURDIR)/tools/sanitize.mk \
	$(R) CMD INSTALL --preclean --clean --no-multiarch --no-test-load --library=$(SANLIB) .
	R_LIBS=$(SANLIB) LD_PRELOAD=$$(gcc -print-file-name=libasan.so) \
	ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
	$(RSCRIPT) -e 'testthat::test_local(".", load_package = "installed", stop_on_failure = TRUE)'

valgrind:
	mkdir -p $(VGLIB)
	$(R) CMD INSTALL --preclean --clean --no-multiarch --library=$(VGLIB) .
	R_LIBS=$(VGLIB) $(R) -d "valgrind --error-exitcode=1 --leak-check=no" --vanilla \
	  -e 'testthat::test_local(".", load_package = "installed", stop_on_failure = TRUE)'

# Fuzz run (tools/fuzz.R): 10,000 malformed calls in forked children, huge
# sizes included, under a 4 GB address-space limit so a runaway allocation
# fails instead of exhausting the machine. FUZZ_ARGS="--calls=2000 --seed=3".
FUZZLIB   = $(CURDIR)/check/fuzz-lib
FUZZ_ARGS ?= --calls=10000 --seed=1 --heavy

fuzz:
	mkdir -p $(FUZZLIB)
	$(R) CMD INSTALL --preclean --no-multiarch --library=$(FUZZLIB) .
	ulimit -v 4000000; R_LIBS=$(FUZZLIB) $(RSCRIPT) tools/fuzz.R $(FUZZ_ARGS) --out=check/fuzz

clean:
	rm -rf $(CHECKDIR) $(PKG)_*.tar.gz src/*.o src/*.so demo-output
