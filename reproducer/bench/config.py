"""What a bench run's results depend on, hashed and kept in `RUNDIR/config.json`.

Resuming is only honest when the tasks left run under the same conditions as the ones done, so a second
invocation with another configuration is refused. What does not change results (parallelism, the dollar
cap for the whole run, where capsules are kept) is left out of the hash and may change between runs.
"""

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

from pydantic import BaseModel, ValidationError

from reproducer import __version__
from reproducer.errors import BadInput
from reproducer.rundir.bench_layout import BenchDir
from reproducer.rundir.stamp import write_record


class BenchConfig(BaseModel):
    """Everything that affects a bench run's results. `dataset` (the task files' names, for people) is
    not hashed: the files' content is, so a moved task file does not stop a resume."""

    command: str
    dataset: str
    dataset_sha256: str
    level: str
    agent: str
    model: str | None = None
    max_cost_usd: float | None = None
    max_steps: int | None = None
    max_minutes: float | None = None
    command_timeout_s: float
    capsules: list[str] = []
    fields: list[str] = []
    languages: list[str] = []
    no_gpu: bool = False
    no_vision: bool = False
    # --limit N and --shuffle --seed S choose which tasks run; unset, they are left out of the hash so
    # that runs started before these options existed still resume.
    limit: int | None = None
    shuffle_seed: int | None = None
    repeats: int = 1
    backend: str = "local"
    version: str = __version__

    def digest(self) -> str:
        hashed = self.model_dump(exclude={"dataset"})
        for optional in ("limit", "shuffle_seed"):
            if hashed[optional] is None:
                del hashed[optional]
        return hashlib.sha256(json.dumps(hashed, sort_keys=True).encode()).hexdigest()


class StoredConfig(BaseModel):
    """The content of `config.json`."""

    run_id: str
    created: str
    config_hash: str
    config: BenchConfig
    command_line: list[str]


def start_or_resume(bench_dir: BenchDir, config: BenchConfig, command_line: list[str]) -> StoredConfig:
    """The stored configuration of RUNDIR, written now if the run is new.

    Raises BadInput when RUNDIR holds another run (naming what changed) or something else entirely.
    """
    if bench_dir.config.is_file():
        stored = _read(bench_dir)
        if stored.config_hash != config.digest():
            raise BadInput(
                f"{bench_dir.root}: was started with another configuration "
                f"({_changes(stored.config, config)}); resume with the same options, or choose a new --out"
            )
        return stored
    unexpected = [p.name for p in bench_dir.root.iterdir() if p.name != bench_dir.lock.name]
    if unexpected:
        raise BadInput(
            f"{bench_dir.root}: is not empty and holds no bench run (no config.json); choose a new --out"
        )
    stamp = dt.datetime.now(dt.UTC)
    stored = StoredConfig(
        run_id=f"{stamp.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}",
        created=stamp.isoformat(timespec="seconds"),
        config_hash=config.digest(),
        config=config,
        command_line=command_line,
    )
    write_record(bench_dir.config, stored, started_at=stored.created)
    return stored


def _read(bench_dir: BenchDir) -> StoredConfig:
    try:
        return StoredConfig.model_validate_json(bench_dir.config.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as error:
        raise BadInput(f"{bench_dir.config}: cannot be read as a bench configuration ({error})") from None


def _changes(before: BenchConfig, now: BenchConfig) -> str:
    old: dict[str, Any] = before.model_dump()
    new: dict[str, Any] = now.model_dump()
    changed = [f"{key}: {old[key]!r} -> {new[key]!r}" for key in old if old[key] != new.get(key)]
    return "; ".join(changed) or "the stored hash differs"
