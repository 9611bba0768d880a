"""Generates capsule/data/rotation_curves.csv and capsule/data/luminosities.csv once (fixed seed)."""

from pathlib import Path

import numpy as np

SEED = 5150
# name, flat velocity (km/s), turnover radius (kpc), log10 luminosity (L_sun)
GALAXIES = [
    ("NGC 2403", 135.0, 2.6, 9.9),
    ("NGC 3198", 150.0, 3.8, 10.1),
    ("NGC 6503", 116.0, 1.3, 9.7),
    ("NGC 7331", 245.0, 3.0, 10.9),
    ("DDO 154", 47.0, 2.2, 7.9),
    ("UGC 2885", 298.0, 9.5, 11.2),
]


def main() -> None:
    rng = np.random.default_rng(SEED)
    data = Path(__file__).parent / "capsule" / "data"
    with (data / "rotation_curves.csv").open("w") as f:
        f.write("galaxy,radius_kpc,velocity_km_s,error_km_s\n")
        for name, v_flat, r_t, _ in GALAXIES:
            radii = np.round(np.linspace(0.5, 6 * r_t, 18), 2)
            error = np.round(rng.uniform(3, 9, radii.size), 1)
            velocity = v_flat * (1 - np.exp(-radii / r_t)) + rng.normal(0, error)
            for r, v, e in zip(radii, velocity, error, strict=True):
                f.write(f"{name},{r},{v:.1f},{e}\n")
    with (data / "luminosities.csv").open("w") as f:
        f.write("galaxy,log10_L_band_Lsun\n")
        for name, _, _, log_l in GALAXIES:
            f.write(f"{name},{log_l + rng.normal(0, 0.08):.2f}\n")


if __name__ == "__main__":
    main()
