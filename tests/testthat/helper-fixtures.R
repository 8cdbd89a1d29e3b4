# Small panels shared by the container and reader tests.
toy_cq <- function() {
  m <- matrix(c(25.1, 30.2, NA, 22.0,
                24.8, 29.9, 33.0, 22.4,
                26.0, 31.5, 34.1, 21.9),
              nrow = 4,
              dimnames = list(c("hsa-miR-214-3p", "hsa-miR-451a",
                                "hsa-miR-23a-3p", "cel-miR-39-3p"),
                              c("P1", "P2", "P3")))
  m
}

toy_samples <- function() {
  data.frame(id = c("P1", "P2", "P3"),
             group = c("control", "osteoporosis", "osteoporosis"),
             age = c(61, 70, 66), stringsAsFactors = FALSE)
}

write_lines_tmp <- function(lines, ext = ".csv") {
  path <- tempfile(fileext = ext)
  writeLines(lines, path)
  path
}
