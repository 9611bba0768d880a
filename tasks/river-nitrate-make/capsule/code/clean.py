"""Drop the loggers' missing-value code (-999) and keep one row per station and day."""
import csv
import sys

MISSING = "-999"

source, target = sys.argv[1], sys.argv[2]
kept = dropped = 0
with open(source, newline="") as f, open(target, "w", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(["date", "station", "nitrate_mg_l", "missing"])
    for row in csv.DictReader(f):
        missing = row["nitrate_mg_l"] == MISSING
        dropped += missing
        kept += not missing
        writer.writerow([row["date"], row["station"], "" if missing else row["nitrate_mg_l"], int(missing)])
print(f"clean.py: {kept} readings kept, {dropped} missing")
