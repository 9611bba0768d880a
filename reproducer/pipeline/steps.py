"""Timing each step of a run and saving `summary.json` after every one, whatever its outcome."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from reproducer.rundir.layout import RunDir
from reproducer.rundir.stamp import now, write_record
from reproducer.rundir.summary import RunSummary, StepRecord, StepStatus

Progress = Callable[[str], None]


class Steps:
    """The run's step log: `with steps.step(name) as record:` times a step and records its outcome."""

    def __init__(self, summary: RunSummary, run_dir: RunDir, progress: Progress) -> None:
        self.summary, self.run_dir, self.progress = summary, run_dir, progress

    @contextmanager
    def step(self, name: str) -> Iterator[StepRecord]:
        self.progress(f"{name} ...")
        record = StepRecord(name=name, status="ok", seconds=0.0, started_at=now())
        started = time.monotonic()
        try:
            yield record
        except BaseException as error:
            record.status, record.detail = "failed", record.detail or str(error)
            raise
        finally:
            record.seconds = round(time.monotonic() - started, 3)
            self.summary.steps.append(record)
            self.save()
            self.progress(f"{name}: {record.status}{f' ({record.detail})' if record.detail else ''}")

    def skip(self, name: str, detail: str) -> None:
        self.summary.steps.append(StepRecord(name=name, status="skipped", seconds=0.0, detail=detail))
        self.save()

    @staticmethod
    def mark(record: StepRecord, status: StepStatus, detail: str) -> None:
        record.status, record.detail = status, detail

    def save(self) -> None:
        write_record(self.run_dir.summary, self.summary)
