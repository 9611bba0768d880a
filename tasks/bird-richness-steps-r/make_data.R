# Generates capsule/data/point_counts.csv once (fixed seed); the committed file is the capsule's data.
# Run from this folder: Rscript make_data.R
set.seed(4412)
species <- c("blackbird", "blue_tit", "chaffinch", "chiffchaff", "great_tit", "house_sparrow", "jackdaw",
             "jay", "nuthatch", "robin", "skylark", "starling", "treecreeper", "woodpigeon", "wren",
             "yellowhammer", "goldfinch", "magpie", "feral_pigeon", "blackcap")
# detection probability of each species in forest, farmland and urban sites
p_forest <- c(.8, .8, .85, .6, .75, .05, .3, .5, .55, .9, .02, .2, .45, .6, .85, .05, .2, .3, .02, .6)
p_farm   <- c(.6, .4, .6, .2, .35, .3, .6, .05, .05, .6, .6, .5, .02, .8, .5, .5, .45, .5, .05, .2)
p_urban  <- c(.8, .6, .3, .1, .5, .9, .7, .05, .05, .7, .01, .8, .01, .7, .4, .01, .5, .7, .8, .25)
probs <- list(forest = p_forest, farmland = p_farm, urban = p_urban)
rows <- list()
site_habitat <- rep(c("forest", "farmland", "urban"), times = c(12, 12, 12))
for (s in seq_along(site_habitat)) {
  h <- site_habitat[s]
  for (visit in 1:2) {
    seen <- runif(length(species)) < probs[[h]]
    if (any(seen)) {
      rows[[length(rows) + 1]] <- data.frame(
        site = sprintf("S%02d", s), habitat = h, visit = visit, species = species[seen],
        count = rpois(sum(seen), 2) + 1)
    }
  }
}
counts <- do.call(rbind, rows)
write.csv(counts, "capsule/data/point_counts.csv", row.names = FALSE, quote = FALSE)
