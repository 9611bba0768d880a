"""Linear trend of monthly mean nitrate at each station, in mg/L per year."""
import csv
import statistics
import sys
from collections import defaultdict

monthly: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
with open(sys.argv[1], newline="") as f:
    for row in csv.DictReader(f):
        if row["missing"] == "0":
            monthly[row["station"]][row["date"][:7]].append(float(row["nitrate_mg_l"]))

slopes = {}
for station, months in monthly.items():
    keys = sorted(months)
    years = [int(key[:4]) + (int(key[5:]) - 0.5) / 12 for key in keys]
    means = [statistics.mean(months[key]) for key in keys]
    slopes[station] = statistics.linear_regression(years, means).slope

print("Trend of monthly mean nitrate (mg/L per year)")
for station, slope in slopes.items():
    print(f"{station}: {slope:.4f}")
steepest = max(slopes, key=lambda name: slopes[name])
print(f"Steepest increasing trend: {steepest}")
