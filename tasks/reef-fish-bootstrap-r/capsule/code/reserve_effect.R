# Are fish denser inside no-take reserves? Reef-level means (4 belt transects per reef), ratio of
# reserve to fished means, a bootstrap CI over reefs and a permutation test of the reef labels.
transects <- read.csv("../data/transects.csv")
reefs <- aggregate(fish_per_100m2 ~ reef + protection, data = transects, FUN = mean)
inside <- reefs$fish_per_100m2[reefs$protection == "reserve"]
outside <- reefs$fish_per_100m2[reefs$protection == "fished"]

ratio <- function(a, b) mean(a) / mean(b)
observed <- ratio(inside, outside)

n_boot <- 2000
boot <- replicate(n_boot, ratio(sample(inside, replace = TRUE), sample(outside, replace = TRUE)))
ci <- quantile(boot, c(0.025, 0.975))

n_perm <- 5000
pooled <- c(inside, outside)
perm <- replicate(n_perm, {
  shuffled <- sample(pooled)
  ratio(shuffled[seq_along(inside)], shuffled[-seq_along(inside)])
})
p_value <- (sum(perm >= observed) + 1) / (n_perm + 1)

summary_table <- data.frame(
  quantity = c("reefs in reserves", "fished reefs", "mean density in reserves", "mean density on fished reefs",
               "density ratio (reserve / fished)", "bootstrap 95% CI lower", "bootstrap 95% CI upper",
               "one-sided permutation p value"),
  value = c(length(inside), length(outside), mean(inside), mean(outside), observed, ci[[1]], ci[[2]], p_value)
)
print(summary_table, digits = 6)
write.csv(summary_table, "../results/reserve_effect.csv", row.names = FALSE)
