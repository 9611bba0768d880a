"""Load task files: CORE-Bench JSON (plain or GPG-encrypted) and our own JSON/YAML task files."""

import difflib
import errno
import stat
from dataclasses import dataclass
from pathlib import Path

from reproducer.errors import BadInput
from reproducer.safefs import special_kind
from reproducer.tasks.bundled import resolve_task_file
from reproducer.tasks.documents import parse_document
from reproducer.tasks.encrypted import COREBENCH_PASSPHRASE, ENCRYPTED_SUFFIXES, decrypt, is_encrypted
from reproducer.tasks.model import Task
from reproducer.tasks.problems import TaskProblem
from reproducer.tasks.records import LIST_KEY, load_record, named_capsule, records_of

# CORE-Bench's whole train split is 55 kB: a task file beyond this is a mistake or an attack, and is not
# read (a 1 GB file would take gigabytes to parse).
MAX_TASK_FILE_BYTES = 64 * 1024 * 1024
# How many capsule ids an error message lists before it says "and N more".
IDS_SHOWN = 10
CLOSE_MATCHES = 5
# Capsule ids share a long prefix (`capsule-`), so only near-identical ids count as close.
CLOSE_MATCH_CUTOFF = 0.8
# Every key a task record may hold; a key close to one of these (and not itself one) is taken for a typo.
RECORD_KEYS = tuple(Task.model_fields)
TYPO_CUTOFF = 0.75


def _read_capped(path: Path) -> bytes:
    """The file's bytes, refused before reading when over MAX_TASK_FILE_BYTES (and a fifo or device,
    which could make the read wait or run on forever)."""
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder")
    if not stat.S_ISREG(info.st_mode):
        raise BadInput(f"{path}: not a regular file (a {special_kind(info.st_mode)}), not a task file")
    if info.st_size > MAX_TASK_FILE_BYTES:
        raise BadInput(
            f"{path}: {info.st_size} bytes is over the cap of {MAX_TASK_FILE_BYTES} bytes for a task file"
        )
    with path.open("rb") as handle:
        data = handle.read(MAX_TASK_FILE_BYTES + 1)
    if len(data) > MAX_TASK_FILE_BYTES:  # it grew while being read
        raise BadInput(f"{path}: over the cap of {MAX_TASK_FILE_BYTES} bytes for a task file")
    return data


@dataclass(frozen=True)
class TaskSet:
    """The tasks of one file that loaded, and the problems of the records that did not."""

    file: Path
    tasks: list[Task]
    problems: list[TaskProblem]

    @property
    def ids(self) -> list[str]:
        return [task.capsule_id for task in self.tasks]

    def get(self, capsule_id: str) -> Task | None:
        return next((task for task in self.tasks if task.capsule_id == capsule_id), None)


def _read(path: Path, passphrase: str) -> tuple[bytes, Path]:
    """The file's plain bytes, and the name whose suffix tells their format."""
    try:
        data = _read_capped(path)
    except FileNotFoundError:
        raise BadInput(f"{path}: no such task file") from None
    except IsADirectoryError:
        raise BadInput(f"{path}: is a folder, not a task file") from None
    except OSError as error:
        raise BadInput(f"{path}: cannot read the task file ({error.strerror})") from None
    if not is_encrypted(path, data):
        return data, path
    inner = path.with_suffix("") if path.suffix.lower() in ENCRYPTED_SUFFIXES else path
    return decrypt(path, passphrase), inner


def load_tasks(path: Path | str, passphrase: str = COREBENCH_PASSPHRASE) -> TaskSet:
    """Every task of a task file; a bad record becomes a `TaskProblem` and does not stop the others.

    `path` may also be `corebench-train` (the bundled split). File-level failures (missing, unreadable,
    not JSON/YAML, wrong top-level shape, empty, cannot decrypt) raise `BadInput` naming the file.
    """
    path = resolve_task_file(path)
    file = str(path)
    data, format_name = _read(path, passphrase)
    document = parse_document(data, format_name, file)
    _refuse_misspelt_list_key(document, file)
    records = records_of(document, file)
    tasks: list[Task] = []
    problems: list[TaskProblem] = []
    first_index: dict[str, int] = {}
    for index, record in enumerate(records):
        capsule_id = named_capsule(record)
        if capsule_id is not None and capsule_id in first_index:
            message = f"the same capsule_id as record {first_index[capsule_id]}"
            problems.append(TaskProblem(file, index, capsule_id, "capsule_id", message))
            continue
        if capsule_id is not None:
            first_index[capsule_id] = index
        task, record_problems = _load_with_hints(record, index, file, path.parent)
        problems += record_problems
        if task is not None:
            tasks.append(task)
    return TaskSet(path, tasks, problems)


def _did_you_mean(key: object, known: tuple[str, ...]) -> str | None:
    if not isinstance(key, str) or key in known:
        return None
    close = difflib.get_close_matches(key, known, n=1, cutoff=TYPO_CUTOFF)
    return close[0] if close else None


def _refuse_misspelt_list_key(document: object, file: str) -> None:
    """`taks: [...]` would otherwise be read as one record with a strange key, and give eight problems."""
    if not isinstance(document, dict) or LIST_KEY in document:
        return
    for key, value in document.items():
        if isinstance(value, list) and _did_you_mean(key, (LIST_KEY,)):
            raise BadInput(f"{file}: unknown top-level key `{key}`; did you mean `{LIST_KEY}`?")


def _load_with_hints(
    record: object, index: int, file: str, folder: Path
) -> tuple[Task | None, list[TaskProblem]]:
    """`load_record`, but a misspelt key (`task_promt`) is reported once, with the key it resembles, and the
    problems it causes (the real key "missing") are left out: they are the record's problems once the
    key is spelt right. A record with a misspelt key never loads."""
    task, problems = load_record(record, index, file, folder)
    if not isinstance(record, dict):
        return task, problems
    typos = {
        key: match for key in record if (match := _did_you_mean(key, RECORD_KEYS)) and match not in record
    }
    if not typos:
        return task, problems
    corrected = {typos.get(key, key): value for key, value in record.items()}
    _, remaining = load_record(corrected, index, file, folder)
    capsule_id = named_capsule(record)
    hints = [
        TaskProblem(file, index, capsule_id, str(key), f"unknown key; did you mean `{match}`?")
        for key, match in typos.items()
    ]
    return None, hints + remaining


def _some(ids: list[str]) -> str:
    more = f" and {len(ids) - IDS_SHOWN} more" if len(ids) > IDS_SHOWN else ""
    return ", ".join(ids[:IDS_SHOWN]) + more


def _problems_text(problems: list[TaskProblem]) -> str:
    if len(problems) == 1:
        return str(problems[0])
    return f"{len(problems)} problems:\n  " + "\n  ".join(str(problem) for problem in problems)


def load_task(
    path: Path | str, capsule_id: str | None = None, passphrase: str = COREBENCH_PASSPHRASE
) -> Task:
    """Exactly one good task of a file: the one named `capsule_id`, or the file's only task.

    Raises `BadInput` when the choice is ambiguous or absent (listing ids or close matches), or when the
    chosen record is malformed (with its problems).
    """
    task_set = load_tasks(path, passphrase)
    file = str(task_set.file)
    bad_records = sorted({problem.record for problem in task_set.problems})
    if capsule_id is None:
        if len(task_set.tasks) == 1 and not bad_records:
            return task_set.tasks[0]
        if not task_set.tasks and len(bad_records) == 1:
            raise BadInput(_problems_text(task_set.problems))
        count = len(task_set.tasks) + len(bad_records)
        raise BadInput(f"{file}: holds {count} tasks; choose one by capsule id: {_some(task_set.ids)}")
    chosen = [problem for problem in task_set.problems if problem.capsule_id == capsule_id]
    if chosen:
        raise BadInput(_problems_text(chosen))
    task = task_set.get(capsule_id)
    if task is not None:
        return task
    close = difflib.get_close_matches(capsule_id, task_set.ids, n=CLOSE_MATCHES, cutoff=CLOSE_MATCH_CUTOFF)
    hint = f"close matches: {', '.join(close)}" if close else f"its tasks: {_some(task_set.ids)}"
    unread = f" ({len(bad_records)} records could not be read)" if bad_records else ""
    raise BadInput(f"{file}: no task with capsule_id {capsule_id!r}; {hint}{unread}")
