"""Entry points: their order, working directories and commands."""

from pathlib import Path

from reproducer.plan import make_plan

FIXTURES = Path(__file__).parent / "fixtures" / "plan"


def test_entry_points_in_order_of_authority() -> None:
    entries = [c.entry for c in make_plan(FIXTURES / "entries").entry_candidates]
    assert [(e.kind, e.command, e.cwd, str(e.evidence)) for e in entries] == [
        ("shell", "bash run", "code", "code/run"),
        ("shell", "bash run.sh", ".", "run.sh"),
        ("shell", "bash reproduce.sh", "code", "code/reproduce.sh"),
        ("make", "make all", ".", "Makefile:5"),
        ("python", "python code/main.py --quick", ".", "README.md:5"),
        ("python", "python main.py --full", "code", "README.md:7"),
        ("notebook", "jupyter nbconvert --to notebook --execute sub/b.ipynb", "code", "README.md:10"),
        # The code itself is one source: scripts (citing the line that makes them one), then notebooks.
        ("python", "python main.py", "code", "code/main.py:1"),
        ("rscript", "Rscript run.R", "code", "code/run.R:1"),
        ("notebook", "a.ipynb", "code", "code/a.ipynb"),
        ("notebook", "b.ipynb", "code/sub", "code/sub/b.ipynb"),
    ]


def test_readme_installs_and_interactive_commands_are_not_entry_points() -> None:
    commands = " | ".join(c.entry.command for c in make_plan(FIXTURES / "entries").entry_candidates)
    assert "pip install" not in commands
    assert "install.packages" not in commands
    assert "jupyter notebook" not in commands
    assert "checkpoint" not in commands


def test_readme_script_found_only_in_code_moves_the_command_there() -> None:
    # readme/README.md says `cd code` then `python main.py --all`; the plan runs it from code/.
    entries = make_plan(FIXTURES / "readme").entry_points
    assert (entries[0].command, entries[0].cwd) == ("python main.py --all", "code")


def test_readme_commands_without_cd_are_settled_by_where_the_script_is(tmp_path: Path) -> None:
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "train.py").write_text("print(1)\n")
    (tmp_path / "README.md").write_text("Run it:\n\n```\n$ python train.py --epochs 1\n```\n")
    entries = make_plan(tmp_path).entry_points
    assert [(e.command, e.cwd, str(e.evidence)) for e in entries] == [
        ("python train.py --epochs 1", "code", "README.md:4")
    ]


def test_makefile_without_all_uses_its_first_target(tmp_path: Path) -> None:
    (tmp_path / "Makefile").write_text(
        "CC = gcc\n\n.PHONY: paper\npaper: data\n\tpython run.py\ndata:\n\ttrue\n"
    )
    entries = make_plan(tmp_path).entry_points
    assert [(e.command, str(e.evidence)) for e in entries] == [("make paper", "Makefile:4")]
