"""Compares three classifiers for sepsis within 48 h of ICU admission on a held-out test set.

The first 70% of admissions (in admission order) train the models, the last 30% test them.
"""
import numpy as np
import pandas as pd

FEATURES = ["age", "heart_rate", "temperature_c", "resp_rate", "lactate_mmol_l", "wbc_10e9_l"]

df = pd.read_csv("../data/icu_admissions.csv")
n_train = int(0.7 * len(df))
X = df[FEATURES].to_numpy(float)
y = df["sepsis_48h"].to_numpy()
mu, sd = X[:n_train].mean(axis=0), X[:n_train].std(axis=0)
Z = (X - mu) / sd
Z_train, Z_test, y_train, y_test = Z[:n_train], Z[n_train:], y[:n_train], y[n_train:]


def logistic_scores(Z_train, y_train, Z_test, l2=1.0, iterations=50):
    A = np.column_stack([np.ones(len(Z_train)), Z_train])
    w = np.zeros(A.shape[1])
    for _ in range(iterations):  # Newton-Raphson
        p = 1 / (1 + np.exp(-A @ w))
        grad = A.T @ (p - y_train) + l2 * np.r_[0, w[1:]]
        hess = A.T @ (A * (p * (1 - p))[:, None]) + l2 * np.diag(np.r_[0, np.ones(A.shape[1] - 1)])
        w -= np.linalg.solve(hess, grad)
    return 1 / (1 + np.exp(-np.column_stack([np.ones(len(Z_test)), Z_test]) @ w))


def naive_bayes_scores(Z_train, y_train, Z_test):
    log_lik = []
    for c in (0, 1):
        Zc = Z_train[y_train == c]
        m, v = Zc.mean(axis=0), Zc.var(axis=0)
        ll = -0.5 * (np.log(2 * np.pi * v) + (Z_test - m) ** 2 / v).sum(axis=1)
        log_lik.append(ll + np.log(len(Zc) / len(Z_train)))
    return 1 / (1 + np.exp(log_lik[0] - log_lik[1]))


def knn_scores(Z_train, y_train, Z_test, k=25):
    d = ((Z_test[:, None, :] - Z_train[None, :, :]) ** 2).sum(axis=2)
    nearest = np.argsort(d, axis=1, kind="stable")[:, :k]
    return y_train[nearest].mean(axis=1)


def auc(y, score):
    # Mann-Whitney U with average ranks for ties
    ranks = pd.Series(score).rank().to_numpy()
    n1 = y.sum()
    n0 = len(y) - n1
    return (ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n0 * n1)


rows = []
for name, scorer in [("logistic", logistic_scores), ("naive_bayes", naive_bayes_scores), ("knn_25", knn_scores)]:
    s = scorer(Z_train, y_train, Z_test)
    pred = (s >= 0.5).astype(int)
    rows.append({
        "model": name,
        "auc": round(auc(y_test, s), 4),
        "sensitivity": round(pred[y_test == 1].mean(), 4),
        "specificity": round(1 - pred[y_test == 0].mean(), 4),
    })

table = pd.DataFrame(rows)
print(f"test set: {len(y_test)} admissions, {y_test.sum()} with sepsis")
print(table.to_string(index=False))

with open("../results/test_performance.md", "w") as f:
    f.write("| model | AUC | sensitivity | specificity |\n|---|---|---|---|\n")
    for row in rows:
        f.write(f"| {row['model']} | {row['auc']} | {row['sensitivity']} | {row['specificity']} |\n")
