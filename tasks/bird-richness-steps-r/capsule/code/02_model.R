# Step 2: Poisson GLM of species richness on habitat (forest is the reference level).
sites <- read.csv("../results/site_summary.csv", stringsAsFactors = FALSE)
sites$habitat <- factor(sites$habitat, levels = c("forest", "farmland", "urban"))

fit <- glm(richness ~ habitat, family = poisson, data = sites)
coefs <- as.data.frame(summary(fit)$coefficients)
coefs <- cbind(term = rownames(coefs), coefs)
names(coefs) <- c("term", "estimate", "std_error", "z_value", "p_value")
write.csv(coefs, "../results/richness_glm.csv", row.names = FALSE)

dispersion <- sum(residuals(fit, type = "pearson")^2) / fit$df.residual
writeLines(sprintf("residual deviance %.3f on %d df; dispersion %.3f",
                   fit$deviance, fit$df.residual, dispersion), "../results/glm_fit.txt")
print(coefs, row.names = FALSE)
