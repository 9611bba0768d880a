"""Generates capsule/data/nitrate_raw.csv once (fixed seed); the committed file is the capsule's data."""

from datetime import date, timedelta
from pathlib import Path

import numpy as np

SEED = 20260412
STATIONS = {"Upper Weir": (2.1, 0.05), "Mill Bridge": (3.4, 0.18), "Town Outfall": (5.2, 0.31), "Estuary Gate": (4.0, 0.42)}
DAYS = 730


def main() -> None:
    rng = np.random.default_rng(SEED)
    start = date(2022, 1, 1)
    out = Path(__file__).parent / "capsule" / "data" / "nitrate_raw.csv"
    with out.open("w") as f:
        f.write("date,station,nitrate_mg_l\n")
        for day in range(DAYS):
            when = start + timedelta(days=day)
            season = 0.6 * np.cos(2 * np.pi * (day - 20) / 365.25)
            for station, (level, trend) in STATIONS.items():
                value = level + trend * day / 365.25 + season + rng.normal(0, 0.35)
                # Loggers drop out: the field sheets code a missing reading as -999.
                text = "-999" if rng.random() < 0.04 else f"{max(value, 0.05):.2f}"
                f.write(f"{when.isoformat()},{station},{text}\n")


if __name__ == "__main__":
    main()
