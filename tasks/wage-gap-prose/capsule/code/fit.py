"""Mincer wage equation on the cleaned sample written by clean.py."""
import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

df = pd.read_csv("../results/clean_wages.csv")
model = smf.ols("log_wage ~ female + educ + exper + I(exper**2)", data=df).fit()
print(model.summary())
with open("../results/mincer_ols.txt", "w") as f:
    f.write(model.summary().as_text() + "\n")

gap = 100 * (np.exp(model.params["female"]) - 1)
print(f"adjusted gender wage gap (%): {gap:.2f}")
print(f"return to one more year of education (%): {100 * (np.exp(model.params['educ']) - 1):.2f}")
