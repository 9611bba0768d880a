"""Generates capsule/data/referrals.csv once (fixed seed): outpatient referrals and first appointments."""

from datetime import date, timedelta
from pathlib import Path

import numpy as np

SEED = 118
N = 1500
SPECIALTIES = {"cardiology": 55, "dermatology": 95, "orthopaedics": 120, "neurology": 80, "ENT": 60}
CLINICS = ["North", "Central", "South"]


def main() -> None:
    rng = np.random.default_rng(SEED)
    names = list(SPECIALTIES)
    start = date(2023, 1, 1)
    out = Path(__file__).parent / "capsule" / "data" / "referrals.csv"
    with out.open("w") as f:
        f.write("referral_id,clinic,specialty,referred_on,first_seen_on\n")
        for i in range(N):
            specialty = names[rng.integers(len(names))]
            clinic = CLINICS[rng.integers(3)]
            referred = start + timedelta(days=int(rng.integers(0, 365)))
            scale = SPECIALTIES[specialty] * (1.25 if clinic == "South" else 1.0)
            wait = int(rng.gamma(2.0, scale / 2.0)) + 3
            seen = "" if rng.random() < 0.04 else (referred + timedelta(days=wait)).isoformat()
            f.write(f"R{i + 1:05d},{clinic},{specialty},{referred.isoformat()},{seen}\n")


if __name__ == "__main__":
    main()
