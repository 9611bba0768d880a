# Hedonic price model for residential sales, 2022-2023.
sales <- read.csv("../data/house_sales.csv")
cat("Sales:", nrow(sales), "\n\n")

model <- lm(log(price_eur) ~ floor_area_sqm + bedrooms + dist_centre_km + has_garden, data = sales)
print(summary(model))

# premium of a garden and cost of one more km from the centre, in percent of price
effects <- data.frame(
  term = c("has_garden", "dist_centre_km"),
  percent_change = 100 * (exp(coef(model)[c("has_garden", "dist_centre_km")]) - 1),
  row.names = NULL
)
print(effects)

cat("\nPrices by district\n")
by_district <- aggregate(price_eur ~ district, data = sales,
                         FUN = function(p) c(n = length(p), median = median(p), mean = mean(p)))
by_district <- do.call(data.frame, by_district)
names(by_district) <- c("district", "n", "median_price", "mean_price")
print(by_district[order(-by_district$median_price), ], row.names = FALSE)
