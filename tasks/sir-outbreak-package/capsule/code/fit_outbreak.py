"""Fits the SIR model of the sirfit package to the boarding-school outbreak."""
import csv
import json

from sirfit import fit_sir

SCHOOL_SIZE = 763

with open("../data/school_outbreak.csv") as f:
    cases = [int(row["new_cases"]) for row in csv.DictReader(f)]

estimates = fit_sir(cases, SCHOOL_SIZE)
for name, value in estimates.items():
    print(f"{name}: {value}")

with open("../results/sir_estimates.json", "w") as f:
    json.dump({"pupils": SCHOOL_SIZE, "days": len(cases), "estimates": estimates}, f, indent=2)
