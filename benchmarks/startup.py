"""How long the CLI takes to start, beside the interpreter's own start (`python -c pass`).

Each command runs REPEATS times as a whole process; prints the median wall time of each and its ratio
to `python -c pass` measured in the same run.

Usage: scripts/with-uv python benchmarks/startup.py
"""

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 7
REPORT = ROOT / "tasks" / "examples" / "hand-written-report.json"
TASK = ROOT / "tasks" / "examples" / "hand-written-task.json"
CLI = [sys.executable, "-m", "reproducer"]

COMMANDS: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "reproducer --help": [*CLI, "--help"],
    "reproducer --version": [*CLI, "--version"],
    "reproducer grade": [*CLI, "grade", str(REPORT), "--task", str(TASK)],
    "reproducer tasks list": [*CLI, "tasks", "list", str(TASK)],
}


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def main() -> None:
    for command in COMMANDS.values():  # warm the file cache once
        wall(command)
    medians = {name: statistics.median(wall(c) for _ in range(REPEATS)) for name, c in COMMANDS.items()}
    baseline = medians["python -c pass"]
    print(f"{'command':<24} {'median s':>9} {'x python':>9}")
    for name, seconds in medians.items():
        print(f"{name:<24} {seconds:>9.3f} {seconds / baseline:>9.1f}")


if __name__ == "__main__":
    main()
