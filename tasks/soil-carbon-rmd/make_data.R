# Generates capsule/data/soil_cores.csv once (fixed seed); the committed file is the capsule's data.
# Run from this folder: Rscript make_data.R
set.seed(2207)
land_use <- rep(c("arable", "grassland", "woodland"), each = 25)
clay <- round(runif(75, 8, 40), 1)
soc_mean <- c(arable = 1.4, grassland = 2.6, woodland = 3.3)[land_use] + 0.03 * (clay - 24)
soc <- round(pmax(0.4, rnorm(75, soc_mean, 0.45)), 2)
bulk_density <- round(rnorm(75, c(arable = 1.42, grassland = 1.25, woodland = 1.08)[land_use], 0.07), 2)
cores <- data.frame(core = sprintf("C%03d", sample(75)), land_use, clay_pct = clay, soc_pct = soc,
                    bulk_density_g_cm3 = bulk_density, depth_cm = 30)
cores <- cores[order(cores$core), ]
write.csv(cores, "capsule/data/soil_cores.csv", row.names = FALSE, quote = FALSE)
