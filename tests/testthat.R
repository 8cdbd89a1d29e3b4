library(testthat)
library(evmirna)

test_check("evmirna")
