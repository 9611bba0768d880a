# Step 3: the numbers quoted in the paper, from the outputs of steps 1 and 2.
sites <- read.csv("../results/site_summary.csv", stringsAsFactors = FALSE)
coefs <- read.csv("../results/richness_glm.csv", stringsAsFactors = FALSE)

rate_ratio <- exp(coefs$estimate[coefs$term != "(Intercept)"])
names(rate_ratio) <- sub("habitat", "", coefs$term[coefs$term != "(Intercept)"])

out <- c(
  sprintf("Mean richness, %s: %.2f", c("forest", "farmland", "urban"),
          tapply(sites$richness, sites$habitat, mean)[c("forest", "farmland", "urban")]),
  sprintf("Mean Shannon diversity, %s: %.3f", c("forest", "farmland", "urban"),
          tapply(sites$shannon, sites$habitat, mean)[c("forest", "farmland", "urban")]),
  sprintf("Richness rate ratio vs forest, %s: %.3f", names(rate_ratio), rate_ratio)
)
writeLines(out, "../results/summary.txt")
writeLines(out)
