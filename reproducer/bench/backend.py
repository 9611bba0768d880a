"""Which sandbox backend a bench run's tasks use, and the keyword arguments `run_capsule` gets for it."""

from collections.abc import Mapping
from typing import Any

from reproducer.backends.registry import BackendName

Backend = BackendName


def backend_options(backend: Backend, run_id: str, max_memory_gb: float | None = None) -> dict[str, Any]:
    """`run_capsule`'s backend arguments: the backend, the bench's run id to label its containers, and
    the memory each task's sandboxes may hold when the user set it."""
    options: dict[str, Any] = {"backend": backend, "run_id": run_id}
    if max_memory_gb is not None:
        options["max_memory_gb"] = max_memory_gb
    return options


def memory_gb(options: Mapping[str, Any]) -> float | None:
    """The memory per task the user set (`backend_options`), if any."""
    value = options.get("max_memory_gb")
    return float(value) if isinstance(value, int | float) else None


def backend_of(options: dict[str, Any]) -> str:
    return str(options.get("backend", "local"))


def labels_run_id(options: dict[str, Any]) -> str | None:
    """The run id the run's containers carry, so a resumed run can clean them up."""
    run_id = options.get("run_id")
    return run_id if isinstance(run_id, str) else None
