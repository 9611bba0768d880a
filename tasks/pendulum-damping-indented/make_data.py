"""Generates capsule/data/swings.csv once (fixed seed): angle readings of three damped pendulums."""

from pathlib import Path

import numpy as np

SEED = 981
G = 9.81
RATE_HZ = 20
DURATION_S = 30


def main() -> None:
    rng = np.random.default_rng(SEED)
    out = Path(__file__).parent / "capsule" / "data" / "swings.csv"
    with out.open("w") as f:
        f.write("length_m,time_s,angle_rad\n")
        for length, gamma in [(0.5, 0.060), (1.0, 0.045), (1.5, 0.035)]:
            omega = np.sqrt(G / length - gamma**2)
            t = np.arange(0, DURATION_S, 1 / RATE_HZ)
            phase = rng.uniform(-0.3, 0.3)
            angle = 0.2 * np.exp(-gamma * t) * np.cos(omega * t + phase) + rng.normal(0, 0.002, t.size)
            for ti, ai in zip(t, angle, strict=True):
                f.write(f"{length},{ti:.2f},{ai:.5f}\n")


if __name__ == "__main__":
    main()
