"""`search_outputs`: the values the run's outputs contain, ranked against query words."""

from pathlib import Path

from pydantic import Field

from reproducer.agent.tools.base import Tool, ToolContext, ToolInput, ToolOutput
from reproducer.agent.tools.paths import resolve_readable
from reproducer.agent.tools.ranking import describe_candidates, top_facts
from reproducer.answer.index import FactIndex
from reproducer.backends.files import WorkspaceFiles
from reproducer.harvest import HarvestLimits, harvest
from reproducer.harvest.walk import served
from reproducer.rundir.layout import COMMANDS_FILE

DEFAULT_RESULTS = 10
MAX_RESULTS = 40
MAX_EXTRA_PATHS = 20
# As deep as the harvest walks.
WALK_DEPTH = HarvestLimits().max_depth + 1

DESCRIPTION = """\
Search the values the run's outputs contain. Every number and short text in results/ and in the \
commands' logs (and in `paths`, if given) is indexed with the words that label it: table headers and \
row names, `key: value` lines, JSON keys, notebook outputs, PDF text. Returns the best matches for \
your words, each with its value exactly as printed (never rounded), its label, the file and the place \
in it (line, row and column, JSON path), and a little context.

The index is rebuilt whenever those files changed, so search again after running code. Use words of \
the question (`test accuracy logistic regression`), then check the match in its file with read_file \
before you trust it. Values are candidates, not answers: a good label match can still be the wrong \
run, split or epoch. Figures are not indexed: use view_image."""


class SearchOutputsInput(ToolInput):
    query: str = Field(min_length=1, description="Words to look for, e.g. 'test AUC logistic regression'.")
    limit: int = Field(
        default=DEFAULT_RESULTS, ge=1, le=MAX_RESULTS, description="How many matches to return."
    )
    paths: list[str] = Field(
        default_factory=list,
        max_length=MAX_EXTRA_PATHS,
        description="More files or folders to index besides results/ and the logs (e.g. 'code/output').",
    )


class OutputIndex:
    """The harvest of the run's outputs, redone only when a file changed (size or time)."""

    def __init__(self) -> None:
        self._signature: tuple[tuple[str, int, int], ...] | None = None
        self._index = FactIndex([])
        self.files = 0

    def get(self, paths: list[Path], root: Path, workspace: WorkspaceFiles) -> FactIndex:
        """The index of `paths`; those under `root` (the capsule) are read through `workspace`."""
        mounts = {root: workspace}
        signature = _signature(paths, root, mounts)
        if signature != self._signature:
            found = harvest(root, paths, mounts=mounts)
            self._index, self._signature, self.files = FactIndex(found.facts), signature, len(found.files)
        return self._index


def output_paths(context: ToolContext, extra: list[str]) -> list[Path]:
    logs = context.run_dir / "logs"
    streams = (
        sorted(p for p in logs.glob("*") if p.is_file() and p.name != COMMANDS_FILE) if logs.is_dir() else []
    )
    more = [resolve_readable(context, path).where for path in extra]
    return [context.capsule_dir / "results", *streams, *more]


class SearchOutputs(Tool[SearchOutputsInput]):
    name = "search_outputs"
    description = DESCRIPTION
    Input = SearchOutputsInput

    def __init__(self, context: ToolContext) -> None:
        super().__init__(context)
        self.index = OutputIndex()

    def run(self, arguments: SearchOutputsInput) -> ToolOutput:
        paths = output_paths(self.context, arguments.paths)
        index = self.index.get(paths, self.context.capsule_dir, self.context.workspace())
        found = top_facts(index, arguments.query, arguments.limit)
        where = f"{len(index.facts)} values from {self.index.files} files"
        if not found:
            return ToolOutput(text=f"no value's label shares a word with {arguments.query!r} ({where})")
        lines = [f"{number}. {line}" for number, line in enumerate(describe_candidates(found), start=1)]
        return ToolOutput(
            text=f"best matches among {where}:\n" + "\n".join(lines), details={"matches": len(found)}
        )


def _signature(
    paths: list[Path], root: Path, mounts: dict[Path, WorkspaceFiles]
) -> tuple[tuple[str, int, int], ...]:
    entries = []
    for start in paths:
        base, files, relative = served(root, start, mounts)
        try:
            entry = files.stat(relative)
            found = [entry] if entry.kind != "folder" else list(files.walk(relative, WALK_DEPTH))
        except OSError:
            continue
        for item in found:
            if item.kind == "link":  # what it leads to, when that is inside
                try:
                    item = files.stat(item.path)
                except OSError:
                    continue
            if item.kind == "file":
                entries.append((f"{base}/{item.path}", item.size, item.modified_ns))
    return tuple(entries)
