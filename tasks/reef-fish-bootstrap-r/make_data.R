# Generates capsule/data/transects.csv once (fixed seed); the committed file is the capsule's data.
# Run from this folder: Rscript make_data.R
set.seed(808)
reserve <- rep(c("reserve", "fished"), times = c(14, 16))
reef <- sprintf("reef_%02d", seq_along(reserve))
rows <- lapply(seq_along(reef), function(i) {
  mu <- if (reserve[i] == "reserve") 35 else 29
  reef_mu <- rlnorm(1, log(mu), 0.25)
  data.frame(reef = reef[i], protection = reserve[i], transect = 1:4,
             fish_per_100m2 = rnbinom(4, size = 6, mu = reef_mu))
})
transects <- do.call(rbind, rows)
write.csv(transects, "capsule/data/transects.csv", row.names = FALSE, quote = FALSE)
