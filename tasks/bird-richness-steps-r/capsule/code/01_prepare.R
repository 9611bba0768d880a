# Step 1: per-site species richness, total abundance and Shannon diversity from the raw point counts.
counts <- read.csv("../data/point_counts.csv", stringsAsFactors = FALSE)

# the maximum count over the two visits is the site's abundance of a species
abund <- aggregate(count ~ site + habitat + species, data = counts, FUN = max)

shannon <- function(n) {
  p <- n / sum(n)
  -sum(p * log(p))
}
sites <- do.call(rbind, lapply(split(abund, abund$site), function(d) {
  data.frame(site = d$site[1], habitat = d$habitat[1], richness = nrow(d),
             abundance = sum(d$count), shannon = shannon(d$count))
}))

dir.create("../results", showWarnings = FALSE)
write.csv(sites, "../results/site_summary.csv", row.names = FALSE)
cat("sites summarised:", nrow(sites), "\n")
