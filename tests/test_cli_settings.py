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
from reproducer.tasks.load import load_task

TASK = Path(__file__).resolve().parent.parent / "tasks" / "diabetes-logreg" / "task.yaml"


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


@pytest.mark.parametrize(
    "toml",
    [
        'agent = "cmd:./my_agent.sh --fast"\nmodel = "anthropic/claude-haiku-4-5"\nmodel_proxy = true\n',
        'agent = "py:my_agent:solve"\n',
        'agent = "claude"\nmodel = "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0"\n',
        'model = "openai-compatible/qwen3"\nbase_url = "http://127.0.0.1:8000/v1"\nprice_in = 0.2\n'
        "price_out = 0.6\n",
        'model = "openai-compatible/llama"\nbase_url = "http://127.0.0.1:11434/v1"\nfree = true\n',
        'model = "vertex/claude-mythos-5"\nallow_unknown_price = true\n',
    ],
)
def test_the_settings_file_chooses_any_agent_and_model(tmp_path: Path, toml: str) -> None:
    import tomllib

    (tmp_path / "reproducer.toml").write_text(toml)
    assert load_defaults(tmp_path) == tomllib.loads(toml)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('agent = "gpt-4o"\n', r"`agent`: Value error, 'gpt-4o' is none of offline, claude, cmd:PATH"),
        ('model = "mistral/large"\n', r"`model`: Value error, 'mistral/large': unknown provider 'mistral'"),
        ("price_in = -1\n", r"`price_in`: Input should be greater than or equal to 0"),
    ],
)
def test_a_wrong_agent_or_model_in_the_settings_is_refused(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "reproducer.toml").write_text(toml)
    with pytest.raises(BadInput, match=message):
        load_defaults(tmp_path)


REPORTING_AGENT = """#!/bin/sh
python3 -c 'import json; json.dump({answers}, open("report.json", "w"))'
"""


def _run_task(folder: Path, *extra: str, **env: str) -> dict[str, object]:
    args = ["run", "--task", str(TASK), "--level", "easy", "--out", str(folder / "run"), "--json", *extra]
    command = [sys.executable, "-m", "reproducer", *args]
    environment = reproducer_env(folder / "cache", **env)
    done = subprocess.run(command, cwd=folder, env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    summary: dict[str, object] = json.loads(done.stdout)
    return summary


def test_a_run_takes_a_local_servers_model_and_prices_from_the_settings_file(tmp_path: Path) -> None:
    """Each call is 1,000 prompt and 200 completion tokens at the file's $0.2 / $0.6 per million."""
    from fake_openai import FakeOpenAI, completion, tool_call

    truth = load_task(TASK).results[0]
    usage = {"prompt_tokens": 1000, "completion_tokens": 200}
    replies = [
        completion([tool_call("search_outputs", {"query": "accuracy"}, "c1")], usage=usage),
        completion([tool_call("submit", {"answers": truth}, "c2")], usage=usage),
    ]
    with FakeOpenAI(replies) as fake:
        (tmp_path / "reproducer.toml").write_text(
            f'agent = "claude"\nmodel = "openai-compatible/qwen3"\nbase_url = "{fake.url}"\n'
            "price_in = 0.2\nprice_out = 0.6\n"
        )
        summary = _run_task(tmp_path)
        assert [request.body["model"] for request in fake.requests] == ["qwen3", "qwen3"]

    assert summary["status"] == "correct"
    agent = summary["agent"]
    assert isinstance(agent, dict) and agent["model"] == "openai-compatible/qwen3"
    assert agent["cost_usd"] == pytest.approx(2 * (1000 * 0.2 + 200 * 0.6) / 1e6)


def test_a_run_takes_a_command_agent_from_the_settings_file(tmp_path: Path) -> None:
    truth = load_task(TASK).results[0]
    script = tmp_path / "agent.sh"
    script.write_text(REPORTING_AGENT.format(answers=json.dumps(truth).replace("'", "")))
    script.chmod(0o755)
    (tmp_path / "reproducer.toml").write_text('agent = "cmd:./agent.sh"\n')

    summary = _run_task(tmp_path)

    assert summary["status"] == "correct"
    agent = summary["agent"]
    assert isinstance(agent, dict) and agent["model"] == "cmd:./agent.sh" and agent["outcome"] == "submitted"
