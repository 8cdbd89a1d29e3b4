# The 40 feature IDs of the simulated RT-qPCR panel, in file order.
simulated_panel_ids <- c(
  "hsa-miR-214-3p", "hsa-miR-23a-5p", "hsa-miR-196a-5p", "hsa-miR-885-5p",
  "hsa-miR-151a-5p", "hsa-miR-155-5p", "hsa-miR-31-5p", "hsa-miR-503-3p",
  "hsa-miR-21-5p", "hsa-miR-20a-5p", "hsa-miR-133a-3p", "hsa-miR-122-5p",
  "hsa-miR-125b-5p", "hsa-miR-148a-3p", "hsa-miR-24-3p", "hsa-miR-27a-3p",
  "hsa-miR-100-5p", "hsa-miR-29b-3p", "hsa-miR-30c-5p", "hsa-miR-142-3p",
  "hsa-miR-146a-5p", "hsa-miR-223-3p", "hsa-miR-126-3p", "hsa-let-7a-5p",
  "hsa-miR-92a-3p", "hsa-miR-150-5p", "hsa-miR-181a-5p", "hsa-miR-17-5p",
  "hsa-miR-19b-3p", "hsa-miR-26a-5p", "hsa-miR-342-3p", "hsa-miR-144-3p",
  "hsa-miR-486-5p", "hsa-miR-320a-3p", "hsa-miR-16-5p", "hsa-miR-191-5p",
  "hsa-miR-93-5p", "hsa-miR-451a", "hsa-miR-23a-3p", "cel-miR-39-3p")
