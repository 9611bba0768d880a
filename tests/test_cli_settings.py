"""Option defaults from reproducer.toml, .env and REPRODUCER_* variables: the precedence, a real bench run
that takes them, and a clear error for an unknown key or a bad value."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_bench_support import STEADY, reproducer_env

from reproducer.commands.settings import default_map, load_defaults
from reproducer.errors import BadInput


def test_nothing_is_read_without_a_file_or_a_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REPRODUCER_BACKEND", raising=False)
    assert load_defaults(tmp_path) == {}


def test_the_environment_beats_dotenv_which_beats_the_toml_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "reproducer.toml").write_text('backend = "docker"\nlevel = "medium"\ntimeout = 77\n')
    (tmp_path / ".env").write_text("ANTHROPIC_API_KEY=not-ours\nREPRODUCER_LEVEL=easy\nREPRODUCER_JOBS=3\n")
    monkeypatch.setenv("REPRODUCER_JOBS", "5")
    assert load_defaults(tmp_path) == {"backend": "docker", "level": "easy", "timeout": 77.0, "jobs": 5}
    mapped = default_map({"jobs": 5}, ["run", "bench"])
    assert mapped["run"]["jobs"] == 5 and mapped["bench"]["tasks"] == {"jobs": 5}


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('backnd = "docker"\n', r"reproducer.toml: unknown settings `backnd` \(did you mean `backend`\?\)"),
        ('backend = "dockr"\n', r"`backend`: Input should be 'local', 'docker' or 'auto'"),
        ("backend = \n", r"reproducer.toml: cannot be read as TOML"),
    ],
)
def test_a_bad_settings_file_is_refused_by_name(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "reproducer.toml").write_text(toml)
    with pytest.raises(BadInput, match=message):
        load_defaults(tmp_path)


def test_a_bench_run_takes_its_defaults_from_the_files_and_the_command_line_wins(tmp_path: Path) -> None:
    (tmp_path / "reproducer.toml").write_text('level = "hard"\ntimeout = 77\nmax_steps = 9\n')
    (tmp_path / ".env").write_text("REPRODUCER_LEVEL=easy\n")
    out = tmp_path / "run"
    args = ["bench", "tasks", str(STEADY[0]), "--timeout", "50", "--agent", "offline", "--out", str(out)]
    command = [sys.executable, "-m", "reproducer", *args, "--json"]
    env = reproducer_env(tmp_path / "cache")
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    config = json.loads((out / "config.json").read_text())["config"]
    assert config["level"] == "easy", ".env over reproducer.toml"
    assert config["command_timeout_s"] == 50, "the command line over both"

    (tmp_path / "reproducer.toml").write_text('backnd = "docker"\n')
    refused = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "did you mean `backend`" in refused.stderr
