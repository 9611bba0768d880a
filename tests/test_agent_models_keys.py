"""Model keys come from the environment or a `.env` file, and every provider's key shape is redacted."""

from pathlib import Path

import pytest

from reproducer.agent.models.keys import key_from_env, secret_values
from reproducer.agent.models.registry import ModelChoice, open_model
from reproducer.agent.redact import REDACTED, redact

OPENAI_KEY = "sk-proj-dotenv-0123456789abcdef"


def test_a_key_in_dotenv_is_used_and_counted_as_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    assert key_from_env("OPENAI_API_KEY") is None
    (tmp_path / ".env").write_text(f"OPENAI_API_KEY={OPENAI_KEY}\nREPRODUCER_JOBS=2\n")

    assert key_from_env("OPENAI_API_KEY") == OPENAI_KEY
    assert OPENAI_KEY in secret_values()
    assert open_model("openai/gpt-4o", ModelChoice(base_url="http://127.0.0.1:1/v1")).name == "gpt-4o"


def test_the_environment_wins_over_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("OPENAI_API_KEY=from-the-file-0123456789\n")
    monkeypatch.setenv("OPENAI_API_KEY", "from-the-environment-0123")
    assert key_from_env("OPENAI_API_KEY") == "from-the-environment-0123"


@pytest.mark.parametrize(
    "key",
    [
        "sk-ant-api03-abcdefgh12345678",
        "sk-proj-abcdefgh12345678",
        "sk-or-v1-abcdef0123456789",
        "sk-" + "a1" * 12,
    ],
)
def test_every_providers_key_shape_is_redacted(key: str) -> None:
    assert redact(f"key={key} end") == f"key={REDACTED} end"


def test_ordinary_words_that_start_like_keys_stay() -> None:
    assert redact("pip install scikit-learn sk-learn") == "pip install scikit-learn sk-learn"
