# Regenerates NAMESPACE and man/ with roxygen2 (make document).
roxygen2::roxygenise()
