"""Cleans the raw survey extract: parses wages, drops missing codes and impossible ages."""
import numpy as np
import pandas as pd

raw = pd.read_csv("../data/raw_survey.csv", dtype=str, keep_default_na=False)
print(f"respondents in the raw extract: {len(raw)}")

df = pd.DataFrame({"respondent": raw["respondent"], "female": (raw["sex"] == "F").astype(int)})
df["age"] = pd.to_numeric(raw["age"], errors="coerce")
df["educ"] = pd.to_numeric(raw["years_education"], errors="coerce").replace(-9, np.nan)
wage = raw["hourly_wage"].str.replace("$", "", regex=False)
df["wage"] = pd.to_numeric(wage, errors="coerce").replace(-9, np.nan)

df = df.dropna()
df = df[(df["age"] >= 16) & (df["age"] <= 80)]
df["exper"] = (df["age"] - df["educ"] - 6).clip(lower=0)
df["log_wage"] = np.log(df["wage"])
df.to_csv("../results/clean_wages.csv", index=False)
print(f"respondents kept after cleaning: {len(df)}")
