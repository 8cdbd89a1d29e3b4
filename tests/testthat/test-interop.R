# Interop with edgeR: a DGEList becomes an evset with its counts, sample
# table and gene annotation.

test_that("as_evset() of a DGEList keeps counts, samples and genes", {
  need_reference("edgeR")
  set.seed(8)   # SIMULATED counts
  counts <- matrix(rpois(5 * 6, 50), 5, 6,
                   dimnames = list(c("hsa-miR-21-5p", "hsa-miR-16-5p", "hsa-miR-451a",
                                     "hsa-miR-23a-3p", "cel-miR-39-3p"), sprintf("S%d", 1:6)))
  genes <- data.frame(accession = sprintf("MIMAT%07d", 1:5))
  y <- edgeR::DGEList(counts, group = rep(c("control", "case"), 3), genes = genes)
  e <- as_evset(y)
  expect_identical(e$scale, "counts")
  expect_equal(e$values, counts)
  expect_identical(e$samples$id, colnames(counts))
  expect_identical(e$samples$group, rep(c("control", "case"), 3))
  expect_equal(e$samples$lib.size, unname(colSums(counts)))
  expect_identical(e$features$accession, genes$accession)
  expect_identical(e$features$id, rownames(counts))
  expect_identical(e$features$role[5], "spike_in")
  plain <- as_evset(edgeR::DGEList(counts))
  expect_identical(plain$features$id, rownames(counts))
})
