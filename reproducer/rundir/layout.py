"""The run directory's layout, in one place: every file name a run writes, and `RunDir`'s paths to them.

RUNDIR/
  workspace/<capsule_id>/   the staged capsule the code ran in; workspace/task.txt, the task's prompt
  published/                the capsule's committed outputs, kept before staging (compare mode)
  plan.json                 the environment plan, with the file and line behind each decision
  env/                      the built environment: environment.json, ladder.json, requirements.lock.txt,
                            commands.log (uv's commands), build.log (Docker's), agent-installs.jsonl
  logs/                     each command's stdout and stderr, and commands.jsonl (one line per command)
  home/                     the sandbox's $HOME
  facts.jsonl               every number and label the run produced
  answers.json              the offline answerer's answers and where each came from
  report.json               the answers, by question (CORE-Bench's report)
  verdicts.json             the grades of report.json (official and robust)
  comparison.json           regenerated outputs against committed ones (without a task file)
  trajectory.json           the LLM agent's trajectory
  summary.json              `RunSummary`, rewritten after every step
  replay.json               `reproducer replay`: recorded and replayed answers, side by side
  traceback.txt             the traceback of an error of the harness
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reproducer.errors import BadInput

WORKSPACE_DIR = "workspace"
PUBLISHED_DIR = "published"
ENV_DIR = "env"
LOGS_DIR = "logs"
HOME_DIR = "home"
PLAN_FILE = "plan.json"
FACTS_FILE = "facts.jsonl"
ANSWERS_FILE = "answers.json"
REPORT_FILE = "report.json"
VERDICTS_FILE = "verdicts.json"
COMPARISON_FILE = "comparison.json"
TRAJECTORY_FILE = "trajectory.json"
SUMMARY_FILE = "summary.json"
TRACEBACK_FILE = "traceback.txt"
TASK_PROMPT_FILE = "task.txt"
REPLAY_FILE = "replay.json"
# Inside logs/.
COMMANDS_FILE = "commands.jsonl"
# Inside env/.
ENVIRONMENT_FILE = "environment.json"
LADDER_FILE = "ladder.json"
LOCK_FILE = "requirements.lock.txt"
ENV_LOG_FILE = "commands.log"
BUILD_LOG_FILE = "build.log"
AGENT_INSTALLS_FILE = "agent-installs.jsonl"


@dataclass(frozen=True)
class RunDir:
    """Paths of one run's records; `create` refuses a directory that already holds a run."""

    root: Path

    @classmethod
    def create(cls, root: Path) -> "RunDir":
        root = root.resolve()
        if root.exists() and any(root.iterdir()):
            raise BadInput(
                f"{root}: the run directory is not empty; choose a new --out (runs are never overwritten)"
            )
        root.mkdir(parents=True, exist_ok=True)
        run_dir = cls(root)
        run_dir.logs.mkdir()
        return run_dir

    @property
    def workspace(self) -> Path:
        return self.root / WORKSPACE_DIR

    @property
    def published(self) -> Path:
        return self.root / PUBLISHED_DIR

    @property
    def env(self) -> Path:
        return self.root / ENV_DIR

    @property
    def environment(self) -> Path:
        return self.env / ENVIRONMENT_FILE

    @property
    def ladder(self) -> Path:
        return self.env / LADDER_FILE

    @property
    def lock(self) -> Path:
        return self.env / LOCK_FILE

    @property
    def env_log(self) -> Path:
        return self.env / ENV_LOG_FILE

    @property
    def logs(self) -> Path:
        return self.root / LOGS_DIR

    @property
    def commands(self) -> Path:
        return self.logs / COMMANDS_FILE

    @property
    def traceback(self) -> Path:
        return self.root / TRACEBACK_FILE

    @property
    def home(self) -> Path:
        return self.root / HOME_DIR

    @property
    def plan(self) -> Path:
        return self.root / PLAN_FILE

    @property
    def facts(self) -> Path:
        return self.root / FACTS_FILE

    @property
    def answers(self) -> Path:
        return self.root / ANSWERS_FILE

    @property
    def report(self) -> Path:
        return self.root / REPORT_FILE

    @property
    def verdicts(self) -> Path:
        return self.root / VERDICTS_FILE

    @property
    def comparison(self) -> Path:
        return self.root / COMPARISON_FILE

    @property
    def trajectory(self) -> Path:
        return self.root / TRAJECTORY_FILE

    @property
    def summary(self) -> Path:
        return self.root / SUMMARY_FILE

    def relative(self, path: Path | str) -> str:
        """How a record names `path`: relative to the run directory (POSIX), so that the run directory can
        move; a path outside it stays as it is."""
        path = Path(path)
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def resolve(self, recorded: str | None) -> Path | None:
        """The file a record names, in this run directory: a relative name against the root; an absolute
        one (records before relative paths) as it is when it lies inside, else by its longest tail that
        exists here (`/old/place/run/logs/01.stderr` -> `logs/01.stderr`), so a moved run still finds it.
        None when nothing here matches; never a path outside the run directory."""
        if not recorded:
            return None
        path = Path(recorded)
        if ".." in path.parts:
            return None
        if not path.is_absolute():
            return self.root / path
        root = self.root.resolve()
        if path.is_relative_to(root):
            return path
        for start in range(1, len(path.parts)):
            candidate = root.joinpath(*path.parts[start:])
            if candidate.exists():
                return candidate
        return None

    def read_report(self) -> Any:
        return json.loads(self.report.read_text(encoding="utf-8"))
