"""Waiting times from referral to first outpatient appointment, 2023 (the tables of the audit report)."""
import pandas as pd

pd.set_option("display.width", 120)

ref = pd.read_csv("../data/referrals.csv", parse_dates=["referred_on", "first_seen_on"])
print(f"{len(ref)} referrals, {ref['first_seen_on'].isna().sum()} not yet seen\n")

seen = ref.dropna(subset=["first_seen_on"]).copy()
seen["wait_days"] = (seen["first_seen_on"] - seen["referred_on"]).dt.days
seen["within_18_weeks"] = seen["wait_days"] <= 18 * 7

table1 = seen.groupby("specialty").agg(
    referrals=("wait_days", "size"),
    median_wait=("wait_days", "median"),
    p90_wait=("wait_days", lambda w: w.quantile(0.9)),
    pct_18_weeks=("within_18_weeks", lambda s: 100 * s.mean()),
).sort_values("median_wait", ascending=False)
print("Table 1. Wait (days) by specialty")
print(table1.round(1))
print()

seen["quarter"] = seen["referred_on"].dt.to_period("Q")
table2 = pd.crosstab(seen["clinic"], seen["quarter"], values=seen["wait_days"], aggfunc="mean").round(1)
print("Table 2. Mean wait (days) by clinic and quarter of referral")
print(table2)
