"""Generates capsule/data/school_outbreak.csv once (fixed seed): daily new influenza cases in a boarding
school of 763 pupils, drawn around an SIR epidemic curve."""

from pathlib import Path

import numpy as np
from scipy.integrate import solve_ivp

SEED = 1978
N = 763
BETA, GAMMA = 1.66, 0.45
DAYS = 30


def main() -> None:
    rng = np.random.default_rng(SEED)

    def sir(_t: float, y: list[float]) -> list[float]:
        s, i, _r = y
        return [-BETA * s * i / N, BETA * s * i / N - GAMMA * i, GAMMA * i]

    days = np.arange(DAYS + 1)
    sol = solve_ivp(sir, (0, DAYS), [N - 1, 1, 0], t_eval=days, rtol=1e-8)
    cumulative = N - sol.y[0]
    incidence = np.diff(cumulative)
    cases = rng.poisson(incidence)
    out = Path(__file__).parent / "capsule" / "data" / "school_outbreak.csv"
    with out.open("w") as f:
        f.write("day,new_cases\n")
        for day, n in zip(days[1:], cases, strict=True):
            f.write(f"{day},{n}\n")


if __name__ == "__main__":
    main()
