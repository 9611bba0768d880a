"""What the bench needs to know of a capsule before running it: whether it wants a GPU (the official
rule), and the names of the files in its `results/` (for CORE-Bench's `result_paths_success`)."""

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from reproducer.bench.download import CapsuleUnavailable
from reproducer.capsules import open_capsule, uses_gpu
from reproducer.rundir.bench_result import CapsuleRecord
from reproducer.tasks.model import Task

RESULTS_DIR = "results"


@dataclass(frozen=True)
class CapsuleFacts:
    uses_gpu: bool
    result_files: frozenset[str]


def own_capsule(task: Task) -> CapsuleRecord:
    """An own task's capsule: its `capsule` field (a folder, an archive or a git URL)."""
    if not task.capsule:
        raise CapsuleUnavailable(f"task {task.capsule_id} names no `capsule`")
    return CapsuleRecord(source=task.capsule)


class FactsCache:
    """Facts per capsule source, found once per process: repeats of a task share them."""

    def __init__(self) -> None:
        self._found: dict[str, CapsuleFacts] = {}
        self._lock = threading.Lock()

    def get(self, source: str) -> CapsuleFacts:
        with self._lock:
            known = self._found.get(source)
        if known is not None:
            return known
        # An archive or a repository is opened (extracted, cloned) to look; a folder is read in place.
        with open_capsule(source) as root:
            facts = CapsuleFacts(uses_gpu(root), _result_files(root / RESULTS_DIR))
        with self._lock:
            self._found[source] = facts
        return facts


def _result_files(results: Path) -> frozenset[str]:
    """File names (not paths) under results/, as the official harness compares them."""
    if not results.is_dir():
        return frozenset()
    return frozenset(name for _, _, files in os.walk(results) for name in files)


def result_paths_success(expected: frozenset[str], produced: list[str]) -> bool:
    """The official `check_result_paths`: every expected file name was produced (`output` excepted)."""
    return all(name in produced or name == "output" for name in expected)
