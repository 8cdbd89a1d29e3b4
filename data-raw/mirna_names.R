# Builds data/mirna_names.rda, the name table ev_mirna_name() reads: one row
# per name that a miRBase release (6 to 22) gave an accession, for human,
# mouse, rat, C. elegans and A. thaliana.
#
# Input: mirbase-history.csv.gz, every precursor and mature name and accession
# of miRBase releases 6-22 for those five species, as distributed with the
# Bioconductor package miRBaseConverter 1.11.1 (Xu et al. 2018), extracted
# unchanged except for the species filter (see the project's
# shared/data/README.md). miRBase: Griffiths-Jones et al. 2006, Nucleic Acids
# Res 34:D140; Kozomara, Birgaoanu and Griffiths-Jones 2019, Nucleic Acids
# Res 47:D155.
#
# Run from the package root:
#   Rscript data-raw/mirna_names.R [path/to/mirbase-history.csv.gz]
# (default path: ../shared/data/mirbase-history.csv.gz, then
# /work/shared/data/mirbase-history.csv.gz).

releases <- c("v6", "v7_1", "v8", "v8_1", "v8_2", "v9", "v9_1", "v9_2", "v10",
              "v10_1", paste0("v", 11:22))

history_path <- function() {
  args <- commandArgs(trailingOnly = TRUE)
  candidates <- c(args, file.path("..", "shared", "data", "mirbase-history.csv.gz"),
                  "/work/shared/data/mirbase-history.csv.gz")
  hit <- candidates[file.exists(candidates)]
  if (!length(hit)) stop("mirbase-history.csv.gz not found; pass its path.")
  hit[[1L]]
}

h <- utils::read.csv(history_path(), colClasses = "character",
                     stringsAsFactors = FALSE)
stopifnot(nrow(h) == 112494L, setequal(unique(h$version), releases),
          all(h$type %in% c("mature", "precursor")),
          all(grepl("^MIMAT[0-9]{7}$", h$accession[h$type == "mature"])),
          all(grepl("^MI[0-9]{7}$", h$accession[h$type == "precursor"])))
h$release <- match(h$version, releases)

# One row per (type, name, accession), with the releases that used that name
# as runs ("v6-v9_2, v18-v22": a few names were dropped and later restored).
pair <- paste(h$type, h$name, h$accession, sep = "\r")
runs <- tapply(h$release, pair, function(r) {
  r <- sort(unique(r))
  start <- r[c(TRUE, diff(r) > 1L)]
  end <- r[c(diff(r) > 1L, TRUE)]
  paste(ifelse(start == end, releases[start],
               paste0(releases[start], "-", releases[end])), collapse = ", ")
})
keep <- !duplicated(pair)
tab <- h[keep, c("name", "accession", "type", "species")]
tab$releases <- as.vector(runs[pair[keep]])
first <- tapply(h$release, pair, min)[pair[keep]]

# The v22 name of every accession still in release 22 (NA: removed).
v22 <- h[h$version == "v22", ]
stopifnot(!anyDuplicated(unique(v22[c("accession", "name")])$accession))
tab$current <- v22$name[match(tab$accession, v22$accession)]

# For the v22 matures, the v22 precursors they derive from (names).
v22m <- v22[v22$type == "mature", ]
prec_name <- v22$name[match(v22m$precursor_accession, v22$accession)]
stopifnot(!anyNA(prec_name))
prec <- tapply(prec_name, v22m$accession,
               function(p) paste(sort(unique(p)), collapse = ";"))
is_cur <- tab$type == "mature" & tab$name %in% tab$current &
  !is.na(tab$current) & tab$name == tab$current
tab$precursor <- NA_character_
tab$precursor[is_cur] <- unname(prec[tab$accession[is_cur]])
stopifnot(!anyNA(tab$precursor[is_cur]))

ord <- order(tab$species, tab$type, tab$accession, first)
mirna_names <- tab[ord, c("name", "accession", "type", "species", "releases",
                          "current", "precursor")]
rownames(mirna_names) <- NULL

stopifnot(
  # v22 has 2,656 distinct human mature accessions (shared/data/README.md).
  sum(mirna_names$species == "hsa" & mirna_names$type == "mature" &
        mirna_names$name %in% mirna_names$current &
        mirna_names$name == mirna_names$current, na.rm = TRUE) == 2656L,
  # The README's example: hsa-miR-451 (v7-v17) is hsa-miR-451a from v18 on.
  identical(mirna_names$current[mirna_names$name == "hsa-miR-451"],
            "hsa-miR-451a"),
  identical(mirna_names$releases[mirna_names$name == "hsa-miR-451a" &
                                   mirna_names$type == "mature"], "v18-v22")
)

save(mirna_names, file = file.path("data", "mirna_names.rda"),
     compress = "xz", version = 2)
message(sprintf("mirna_names: %d rows, %.0f kB", nrow(mirna_names),
                file.size(file.path("data", "mirna_names.rda")) / 1024))
