"""Per-station summary of the cleaned readings."""
import csv
import statistics
import sys
from collections import defaultdict

source, target = sys.argv[1], sys.argv[2]
values: dict[str, list[float]] = defaultdict(list)
missing: dict[str, int] = defaultdict(int)
with open(source, newline="") as f:
    for row in csv.DictReader(f):
        if row["missing"] == "1":
            missing[row["station"]] += 1
        else:
            values[row["station"]].append(float(row["nitrate_mg_l"]))

with open(target, "w", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(["station", "n_valid", "n_missing", "mean_mg_l", "median_mg_l", "max_mg_l"])
    for station, readings in values.items():
        writer.writerow([
            station, len(readings), missing[station], round(statistics.mean(readings), 3),
            round(statistics.median(readings), 3), max(readings),
        ])
