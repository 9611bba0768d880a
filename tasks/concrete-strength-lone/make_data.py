"""Generates capsule/data/concrete.csv once (fixed seed); the committed file is the capsule's data."""

from pathlib import Path

import numpy as np

SEED = 20231107
N_MIXES = 320


def main() -> None:
    rng = np.random.default_rng(SEED)
    cement = rng.uniform(150, 500, N_MIXES).round(1)
    slag = rng.choice([0.0, 50.0, 100.0, 150.0], N_MIXES)
    water = rng.uniform(140, 230, N_MIXES).round(1)
    age = rng.choice([3, 7, 14, 28, 56, 90], N_MIXES)
    ratio = water / (cement + 0.6 * slag)
    strength = 95 * np.exp(-1.6 * ratio) * (1 - np.exp(-0.35 * age**0.8)) + rng.normal(0, 2.5, N_MIXES)
    out = Path(__file__).parent / "capsule" / "data" / "concrete.csv"
    with out.open("w") as f:
        f.write("mix_id,cement_kg_m3,slag_kg_m3,water_kg_m3,age_days,strength_mpa\n")
        for i in range(N_MIXES):
            f.write(f"M{i + 1:03d},{cement[i]:.1f},{slag[i]:.0f},{water[i]:.1f},{age[i]},{strength[i]:.2f}\n")


if __name__ == "__main__":
    main()
