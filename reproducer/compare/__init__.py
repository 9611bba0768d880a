"""Comparing a run's regenerated outputs with the committed ones (`reproducer run` without a task)."""

from reproducer.compare.adhoc import adhoc_task
from reproducer.compare.compare import compare_outputs
from reproducer.compare.model import DEFAULT_TOLERANCE, CompareOptions, Comparison
from reproducer.compare.published import record_published

__all__ = [
    "DEFAULT_TOLERANCE",
    "CompareOptions",
    "Comparison",
    "adhoc_task",
    "compare_outputs",
    "record_published",
]
