"""The bench run directory: what `reproducer bench` writes, where, and when. Stable: other commands
(`reproducer report`, `reproducer truth`) read it.

    RUNDIR/
      config.json            written once, when the run starts: `run_id`, `created`, `config_hash`,
                             `config` (everything that affects results: command, dataset file and its
                             SHA-256, level, agent and limits, filters, repeats, backend, version)
                             and `command_line`. A later invocation with another hash is refused.
      .lock                  flock held by the live runner; holds its PID and host.
      tasks.json             the tasks as run (after --no-vision), one own-format record each
                             (`{"tasks": [...]}`; readable with `reproducer.tasks.load_tasks`).
      results/<key>.json     one `TaskResult` per finished task, written atomically. <key> is the
                             capsule id, or `<capsule_id>#<k>` (k = 1..K) with `--repeats K`.
                             A task has a result file exactly when it is finished.
      results/<key>.json.retried-<n>
                             an `infra_error` result set aside by --retry-errors before the task ran
                             again (not a result: the name does not end in .json).
      tasks/<key>/           the task's own run directory, as `reproducer run` makes it
                             (workspace/, plan.json, env/, logs/, facts.jsonl, answers.json,
                             report.json, verdicts.json, summary.json, traceback.txt).
      tasks/<key>/bench-traceback.txt   the traceback of an error in the bench around the run.
      tasks/<key>.interrupted-<n>/      an attempt that was cut off (Ctrl-C, kill, crash), moved aside
                             before the task ran again (n = 1, 2, ...).
      tasks/.incoming-<key>-*/          with --executor ray, a run directory from a node being unpacked
                             (then renamed to tasks/<key>); one left by a stopped driver is removed.
      scores.json            `Scores`, rewritten at the end of every invocation (also when stopped early).
      exports/corebench/<YYYYMMDD-HHMMSS>_codeocean_<level>.json
                             CORE-Bench's results file (`capsule_results` + `summary`), named as the
                             official harness names it (the bench's start, UTC); with `--repeats K`
                             one file per repeat, in exports/corebench/repeat-<k>/.
      exports/hal/<hal_run_id>.json, exports/hal/<hal_run_id>_UPLOAD.json
                             HAL's raw evaluation results and its upload file (per repeat, like above).

A task without a result file but with a `tasks/<key>/` folder was cut off; the next invocation on the
same RUNDIR moves that folder aside and runs the task again. Nothing else is ever deleted.
"""

from dataclasses import dataclass
from pathlib import Path

INTERRUPTED_INFIX = ".interrupted-"
INCOMING_PREFIX = ".incoming-"
RESULT_SUFFIX = ".json"


@dataclass(frozen=True)
class BenchDir:
    """The paths of one bench run directory."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config.json"

    @property
    def lock(self) -> Path:
        return self.root / ".lock"

    @property
    def tasks_file(self) -> Path:
        return self.root / "tasks.json"

    @property
    def results(self) -> Path:
        return self.root / "results"

    @property
    def tasks(self) -> Path:
        return self.root / "tasks"

    @property
    def scores(self) -> Path:
        return self.root / "scores.json"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    def result(self, key: str) -> Path:
        return self.results / f"{key}{RESULT_SUFFIX}"

    def task_dir(self, key: str) -> Path:
        return self.tasks / key

    def bench_traceback(self, key: str) -> Path:
        return self.task_dir(key) / "bench-traceback.txt"

    def next_interrupted(self, key: str) -> Path:
        """The first free `tasks/<key>.interrupted-<n>` name."""
        n = 1
        while (self.tasks / f"{key}{INTERRUPTED_INFIX}{n}").exists():
            n += 1
        return self.tasks / f"{key}{INTERRUPTED_INFIX}{n}"

    def finished_keys(self) -> set[str]:
        """Keys with a result file (temporary files of an atomic write start with a dot and are skipped)."""
        if not self.results.is_dir():
            return set()
        return {
            path.name.removesuffix(RESULT_SUFFIX)
            for path in self.results.iterdir()
            if path.name.endswith(RESULT_SUFFIX) and not path.name.startswith(".")
        }
