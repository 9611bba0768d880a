"""Which entry points `reproducer run` runs, and the command line for each."""

from reproducer.pipeline.entrypoints import NOTEBOOK_RUNNER, RUNNER_DELIMITER, command_line
from reproducer.plan.entries import choose
from reproducer.plan.model import EntryKind, EntryPoint, Evidence


def choose_entry_points(entries: list[EntryPoint]) -> list[EntryPoint]:
    return [candidate.entry for candidate in choose(entries) if candidate.kept]


def entry(command: str, kind: EntryKind, file: str) -> EntryPoint:
    return EntryPoint(command=command, kind=kind, evidence=Evidence(file=file))


def test_only_the_first_source_runs() -> None:
    entries = [
        entry("bash run", "shell", "code/run"),
        entry("python main.py", "python", "code/README.md"),
        entry("analysis.ipynb", "notebook", "code/analysis.ipynb"),
    ]
    assert choose_entry_points(entries) == entries[:1]


def test_all_readme_commands_run_in_order() -> None:
    entries = [
        entry("python prepare.py", "python", "README.md"),
        entry("python train.py", "python", "README.md"),
        entry("main.py", "python", "code/main.py"),
    ]
    assert choose_entry_points(entries) == entries[:2]


def test_bare_notebooks_form_one_group_apart_from_a_readme_jupyter_line() -> None:
    readme = entry("jupyter nbconvert --to notebook --execute a.ipynb", "notebook", "code/README.md")
    first, second = entry("a.ipynb", "notebook", "code/a.ipynb"), entry("b.ipynb", "notebook", "code/b.ipynb")
    assert choose_entry_points([readme, first, second]) == [readme]
    assert choose_entry_points([first, second, readme]) == [first, second]


def test_a_bare_notebook_runs_through_the_runner_and_a_jupyter_line_as_written() -> None:
    bare = command_line(entry("my analysis.ipynb", "notebook", "code/x.ipynb"))
    assert bare.startswith(f"python - 'my analysis.ipynb' <<'{RUNNER_DELIMITER}'\n")
    assert NOTEBOOK_RUNNER.read_text() in bare and bare.endswith(RUNNER_DELIMITER)
    line = "jupyter nbconvert --to notebook --execute a.ipynb"
    assert command_line(entry(line, "notebook", "code/README.md")) == line


def test_no_entry_points() -> None:
    assert choose_entry_points([]) == []


def test_dropped_candidates_say_why() -> None:
    run, readme = entry("bash run", "shell", "code/run"), entry("python main.py", "python", "code/README.md")
    dropped = [candidate for candidate in choose([run, readme]) if not candidate.kept]
    assert [c.entry for c in dropped] == [readme] and "code/run" in dropped[0].reason
