"""Which sandbox backend a bench run's tasks use, and the keyword arguments `run_capsule` gets for it."""

from typing import Any

from reproducer.backends.registry import BackendName

Backend = BackendName


def backend_options(backend: Backend, run_id: str) -> dict[str, Any]:
    """`run_capsule`'s backend arguments: the backend, and the bench's run id to label its containers."""
    return {"backend": backend, "run_id": run_id}


def backend_of(options: dict[str, Any]) -> str:
    return str(options.get("backend", "local"))


def labels_run_id(options: dict[str, Any]) -> str | None:
    """The run id the run's containers carry, so a resumed run can clean them up."""
    run_id = options.get("run_id")
    return run_id if isinstance(run_id, str) else None
