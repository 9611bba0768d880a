"""Generates capsule/data/icu_admissions.csv once (fixed seed): vital signs and lactate at ICU admission
and whether sepsis was diagnosed within 48 hours. Temperature acts in both directions (fever and
hypothermia), as it does in sepsis screening scores."""

from pathlib import Path

import numpy as np

SEED = 424242
N = 1000


def main() -> None:
    rng = np.random.default_rng(SEED)
    age = rng.normal(63, 15, N).clip(18, 95).round()
    heart_rate = rng.normal(92, 18, N).clip(40, 180).round()
    temperature = rng.normal(37.2, 1.0, N).clip(34, 41).round(1)
    resp_rate = rng.normal(20, 5, N).clip(8, 45).round()
    lactate = np.exp(rng.normal(0.5, 0.55, N)).round(1)
    wbc = np.exp(rng.normal(2.3, 0.45, N)).round(1)
    logit = (
        -2.2
        + 0.03 * (heart_rate - 92)
        + 1.4 * (temperature - 37.0) ** 2
        + 0.06 * (resp_rate - 20)
        + 0.55 * (lactate - 1.8)
        + 0.5 * np.abs(np.log(wbc / 9))
        + 0.01 * (age - 63)
    )
    sepsis = (rng.random(N) < 1 / (1 + np.exp(-logit))).astype(int)
    out = Path(__file__).parent / "capsule" / "data" / "icu_admissions.csv"
    with out.open("w") as f:
        f.write("admission_id,age,heart_rate,temperature_c,resp_rate,lactate_mmol_l,wbc_10e9_l,sepsis_48h\n")
        for i in range(N):
            f.write(
                f"A{i + 1:04d},{age[i]:.0f},{heart_rate[i]:.0f},{temperature[i]:.1f},{resp_rate[i]:.0f},"
                f"{lactate[i]:.1f},{wbc[i]:.1f},{sepsis[i]}\n"
            )


if __name__ == "__main__":
    main()
