# Builds tests/testthat/fixtures/mirbase-history-sample.csv.gz: raw rows of
# the miRBase history (releases 6-22) for a sample of mature accessions, so
# that the tests can compute each name's expected v22 name from the raw
# releases, independently of data/mirna_names.rda and of the harmonizer.
#
# The sample is closed: it holds every mature row of each sampled accession
# and every mature row of any accession that shares a name with one, so a
# name's meanings across releases are all in the file.
#
# Run from the package root:
#   Rscript data-raw/mirna_names_fixture.R [path/to/mirbase-history.csv.gz]

args <- commandArgs(trailingOnly = TRUE)
paths <- c(args, file.path("..", "shared", "data", "mirbase-history.csv.gz"),
           "/work/shared/data/mirbase-history.csv.gz")
path <- paths[file.exists(paths)][1L]
if (is.na(path)) stop("mirbase-history.csv.gz not found; pass its path.")
h <- utils::read.csv(path, colClasses = "character")
m <- unique(h[h$type == "mature", c("version", "species", "accession", "name")])

v22 <- m[m$version == "v22", ]
n_names <- tapply(m$name, m$accession, function(x) length(unique(x)))
renamed <- names(n_names)[n_names > 1L]
star <- unique(m$accession[endsWith(m$name, "*")])
pairs <- unique(m[c("name", "accession")])
multi_names <- names(which(table(pairs$name) > 1L))
multi <- unique(pairs$accession[pairs$name %in% multi_names])
removed <- setdiff(unique(m$accession), v22$accession)
# Armless historical names: no -5p/-3p/* although today's name has an arm.
armless <- unique(m$accession[!grepl("(-[35]p|\\*)$", m$name) &
                                m$accession %in% v22$accession[grepl("-[35]p$", v22$name)]])

set.seed(20261201)
pick <- function(x, k) if (length(x) <= k) x else sample(x, k)
hsa <- function(a) a[a %in% m$accession[m$species == "hsa"]]
other <- function(a) a[a %in% m$accession[m$species != "hsa"]]
sampled <- unique(c(
  pick(hsa(setdiff(renamed, star)), 80), pick(hsa(star), 60),
  pick(hsa(armless), 60), multi, pick(hsa(removed), 20),
  pick(hsa(setdiff(v22$accession, renamed)), 40),
  pick(other(renamed), 40), pick(other(removed), 10),
  # The spike-ins and the hemolysis pair.
  m$accession[m$name %in% c("cel-miR-39-3p", "cel-miR-54-3p", "cel-miR-238-3p",
                            "ath-miR159a", "hsa-miR-451a", "hsa-miR-23a-3p",
                            "hsa-miR-21-5p", "hsa-miR-23a-5p")]))

# Close the sample over shared names.
repeat {
  names_in <- unique(m$name[m$accession %in% sampled])
  grown <- unique(c(sampled, m$accession[m$name %in% names_in]))
  if (length(grown) == length(sampled)) break
  sampled <- grown
}
fixture <- m[m$accession %in% sampled, ]
fixture <- fixture[order(fixture$species, fixture$accession,
                         match(fixture$version, unique(h$version))), ]
rownames(fixture) <- NULL

out <- file.path("tests", "testthat", "fixtures", "mirbase-history-sample.csv.gz")
dir.create(dirname(out), showWarnings = FALSE, recursive = TRUE)
con <- gzfile(out, "w")
utils::write.csv(fixture, con, row.names = FALSE)
close(con)
message(sprintf("%d accessions, %d names, %d rows, %.0f kB", length(sampled),
                length(unique(fixture$name)), nrow(fixture), file.size(out) / 1024))
