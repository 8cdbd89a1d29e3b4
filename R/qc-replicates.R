# The technical-replicate rule of ev_qc(): a miRNA x sample value averaged
# from wells that disagree, or resting on fewer wells than planned, is
# flagged with its reason. Kept apart from the sample-level rules in qc.R.

# One row per flagged cell: feature, sample, wells, used, sd, reason
# ("replicate_sd" when the SD of the averaged wells exceeds max_replicate_sd,
# "too_few_wells" when fewer than min_wells were averaged). Cells without a
# value (non-detects) are not judged here.
qc_replicate_cells <- function(x, max_replicate_sd = 0.5, min_wells = 2) {
  check_number(max_replicate_sd, "max_replicate_sd", lower = 0)
  check_number(min_wells, "min_wells", lower = 1, integer = TRUE)
  empty <- data.frame(feature = character(0), sample = character(0),
                      wells = integer(0), used = integer(0), sd = numeric(0),
                      reason = character(0), stringsAsFactors = FALSE)
  rep <- x$replicates
  if (is.null(rep)) return(empty)
  has_value <- !is.na(x$values)
  wide <- has_value & rep$used >= 2L & !is.na(rep$sd) & rep$sd > max_replicate_sd
  few <- has_value & rep$used < min_wells
  flagged <- wide | few
  if (!any(flagged)) return(empty)
  idx <- which(flagged, arr.ind = TRUE)
  idx <- idx[order(idx[, 2L], idx[, 1L]), , drop = FALSE]
  data.frame(feature = rownames(x$values)[idx[, 1L]],
             sample = colnames(x$values)[idx[, 2L]],
             wells = rep$wells[idx], used = rep$used[idx], sd = rep$sd[idx],
             reason = ifelse(few[idx], "too_few_wells", "replicate_sd"),
             stringsAsFactors = FALSE)
}
