# The whole analysis in one self-contained HTML file (needs pandoc):
# headline numbers from the out-of-fold predictions, QC, screening, panels,
# cross-validation, the scored patients, the curated annotation, TRIPOD items.
report <- ev_report(cohort, qc, stability, screen, panels, frozen, cv, scores,
                    file = file.path(tempdir(), "report.html"), n_boot = 200,
                    title = "SIMULATED serum EV miRNA panel")
report
