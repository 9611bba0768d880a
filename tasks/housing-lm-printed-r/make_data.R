# Generates capsule/data/house_sales.csv once (fixed seed); the committed file is the capsule's data.
# Run from this folder: Rscript make_data.R
set.seed(3103)
n <- 480
district <- sample(c("Old Town", "Riverside", "Hillcrest", "Northgate"), n, replace = TRUE,
                   prob = c(0.2, 0.3, 0.25, 0.25))
dist_km <- round(c("Old Town" = 1, "Riverside" = 3, "Hillcrest" = 6, "Northgate" = 9)[district] +
                 runif(n, -0.8, 2.5), 2)
sqm <- round(rlnorm(n, log(95), 0.3))
bedrooms <- pmax(1, pmin(6, round(sqm / 35 + rnorm(n, 0, 0.7))))
garden <- rbinom(n, 1, plogis(-1.5 + 0.35 * dist_km))
log_price <- 11.2 + 0.0085 * sqm + 0.03 * bedrooms - 0.045 * dist_km + 0.08 * garden + rnorm(n, 0, 0.16)
sales <- data.frame(sale_id = seq_len(n), district, dist_centre_km = dist_km, floor_area_sqm = sqm,
                    bedrooms, has_garden = garden, price_eur = round(exp(log_price), -2))
write.csv(sales, "capsule/data/house_sales.csv", row.names = FALSE)
