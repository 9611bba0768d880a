"""Generates capsule/data/raw_survey.csv once (fixed seed): a labour-force survey extract with the
blemishes of a real one (currency signs, a -9 missing code, blank cells, a few impossible ages)."""

from pathlib import Path

import numpy as np

SEED = 7319
N = 900


def main() -> None:
    rng = np.random.default_rng(SEED)
    female = rng.random(N) < 0.48
    educ = rng.choice(np.arange(8, 21), N)
    age = rng.integers(18, 66, N)
    exper = np.clip(age - educ - 6, 0, None)
    log_wage = 1.6 + 0.085 * educ + 0.035 * exper - 0.0006 * exper**2 - 0.14 * female + rng.normal(0, 0.38, N)
    wage = np.exp(log_wage)
    out = Path(__file__).parent / "capsule" / "data" / "raw_survey.csv"
    with out.open("w") as f:
        f.write("respondent,sex,age,years_education,hourly_wage\n")
        for i in range(N):
            sex = "F" if female[i] else "M"
            a = str(age[i]) if rng.random() > 0.01 else "999"
            e = str(educ[i]) if rng.random() > 0.02 else "-9"
            u = rng.random()
            w = "" if u < 0.03 else ("-9" if u < 0.05 else f"${wage[i]:.2f}")
            f.write(f"{100000 + i},{sex},{a},{e},{w}\n")


if __name__ == "__main__":
    main()
