# Compare three regression models for concrete compressive strength with 5-fold cross-validation.
# Data: ../data/concrete.csv (320 laboratory mixes). Results: ../results/model_comparison.csv
import numpy as np
import pandas as pd

K = 5

df = pd.read_csv("../data/concrete.csv")
y = df["strength_mpa"].to_numpy()
wc = (df["water_kg_m3"] / (df["cement_kg_m3"] + df["slag_kg_m3"])).to_numpy()
log_age = np.log(df["age_days"].to_numpy())


def design(name):
    ones = np.ones(len(df))
    raw = df[["cement_kg_m3", "slag_kg_m3", "water_kg_m3", "age_days"]].to_numpy()
    if name == "linear":
        return np.column_stack([ones, raw])
    if name == "ridge":
        z = (raw - raw.mean(axis=0)) / raw.std(axis=0)
        return np.column_stack([ones, z])
    if name == "water_cement_log_age":
        return np.column_stack([ones, wc, wc**2, log_age, log_age**2, wc * log_age])
    raise ValueError(name)


def fit(X, y, alpha=0.0):
    penalty = alpha * np.eye(X.shape[1])
    penalty[0, 0] = 0.0  # never shrink the intercept
    return np.linalg.solve(X.T @ X + penalty, X.T @ y)


# folds: mixes in file order, every K-th mix to the same fold (the file is already in random order)
fold = np.arange(len(df)) % K
rows = []
for name, alpha in [("linear", 0.0), ("ridge", 25.0), ("water_cement_log_age", 0.0)]:
    X = design(name)
    rmse, r2 = [], []
    for k in range(K):
        train, test = fold != k, fold == k
        beta = fit(X[train], y[train], alpha)
        pred = X[test] @ beta
        resid = y[test] - pred
        rmse.append(np.sqrt(np.mean(resid**2)))
        r2.append(1 - np.sum(resid**2) / np.sum((y[test] - y[test].mean()) ** 2))
    rows.append({"model": name, "cv_rmse": np.mean(rmse), "cv_r2": np.mean(r2)})

table = pd.DataFrame(rows)
print(table.to_string(index=False))
best = table.loc[table["cv_rmse"].idxmin(), "model"]
print("best model (lowest CV RMSE):", best)
table.to_csv("../results/model_comparison.csv", index=False)
