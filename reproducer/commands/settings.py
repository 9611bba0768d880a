"""Defaults for the command-line options from `reproducer.toml`, a `.env` file or `REPRODUCER_*` variables.

A team that always runs with `--backend docker` and another model writes them down once:

    # reproducer.toml (in the folder you run from)
    backend = "docker"
    model = "claude-sonnet-5-5"
    jobs = 4

Any agent and model the command line takes: `agent = "cmd:./my_agent.sh --fast"` or
`"py:my_agent:solve"` (with `model_proxy = true` to give it the model), `model = "bedrock/..."`, or a
local server with its prices: `model = "openai-compatible/qwen3"`, `base_url = "http://127.0.0.1:8000/v1"`,
`price_in = 0.2`, `price_out = 0.6` (or `free = true`).

or `REPRODUCER_BACKEND=docker` in `.env` or in the environment. Precedence: an option on the command line,
then the environment, then `.env`, then `reproducer.toml`, then the built-in default. A setting applies to
every command that has the option of that name (`timeout` to run, truth and bench). pydantic-settings
reads and validates them, so a wrong value or an unknown key is refused naming the file, with a close
key when there is one.

The files are read only when one of them exists or a `REPRODUCER_*` setting is set, so a plain
`reproducer --help` does not pay for importing pydantic.
"""

import difflib
import os
from pathlib import Path
from typing import Annotated, Any, Literal

from reproducer.errors import BadInput

TOML_FILE = "reproducer.toml"
DOTENV_FILE = ".env"
ENV_PREFIX = "REPRODUCER_"
# The options a settings file may give a default to (parameter names, shared across commands).
SETTING_NAMES = (
    "backend",
    "agent",
    "model",
    "level",
    "timeout",
    "total_timeout",
    "max_cost_usd",
    "max_steps",
    "max_minutes",
    "jobs",
    "max_connections",
    "base_url",
    "price_in",
    "price_out",
    "free",
    "model_proxy",
    "allow_unknown_price",
)


def _wanted(folder: Path) -> bool:
    env = any(f"{ENV_PREFIX}{name.upper()}" in os.environ for name in SETTING_NAMES)
    return env or (folder / TOML_FILE).is_file() or (folder / DOTENV_FILE).is_file()


def load_defaults(folder: Path | None = None) -> dict[str, Any]:
    """The settings given (name -> value), empty when there are none; BadInput names a bad file or key."""
    folder = folder or Path.cwd()
    if not _wanted(folder):
        return {}
    from pydantic import ValidationError

    _refuse_unknown_toml_keys(folder / TOML_FILE)
    settings_class = _settings_class(folder)
    try:
        settings = settings_class()
    except ValidationError as error:
        raise BadInput(_message(error, folder)) from None
    except (OSError, ValueError) as error:  # a TOML syntax error is a ValueError
        raise BadInput(f"{folder / TOML_FILE}: cannot be read as settings ({error})") from None
    given: dict[str, Any] = settings.model_dump(exclude_none=True)
    return given


def default_map(defaults: dict[str, Any], commands: list[str]) -> dict[str, Any]:
    """click's `default_map` giving `defaults` to each command and to each command of a group."""
    return {
        name: {**defaults, **{sub: dict(defaults) for sub in ("tasks", "corebench")}} for name in commands
    }


def _settings_class(folder: Path) -> Any:
    from pydantic import AfterValidator, Field
    from pydantic_settings import (
        BaseSettings,
        PydanticBaseSettingsSource,
        SettingsConfigDict,
        TomlConfigSettingsSource,
    )

    from reproducer.backends.registry import BackendName

    class Settings(BaseSettings):
        model_config = SettingsConfigDict(
            env_prefix=ENV_PREFIX,
            env_file=folder / DOTENV_FILE,
            toml_file=folder / TOML_FILE,
            # `.env` also holds other things (an API key, REPRODUCER_CACHE): only the TOML file's keys
            # are all ours, and `_unknown_toml_keys` checks those.
            extra="ignore",
        )

        backend: BackendName | None = None
        agent: Annotated[str, AfterValidator(_agent_kind)] | None = None
        model: Annotated[str, AfterValidator(_provider_known)] | None = None
        base_url: str | None = None
        price_in: Annotated[float, Field(ge=0)] | None = None
        price_out: Annotated[float, Field(ge=0)] | None = None
        free: bool | None = None
        model_proxy: bool | None = None
        allow_unknown_price: bool | None = None
        level: Literal["easy", "medium", "hard"] | None = None
        timeout: float | None = None
        total_timeout: float | None = None
        max_cost_usd: float | None = None
        max_steps: int | None = None
        max_minutes: float | None = None
        jobs: int | None = None
        max_connections: int | None = None

        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            return (env_settings, dotenv_settings, TomlConfigSettingsSource(settings_cls))

    return Settings


def _agent_kind(value: str) -> str:
    """One of the agents `--agent` takes; a brought one's program or function is checked when it runs."""
    # agent.own's and agent.settings' names, spelled here: importing them loads the agent (seconds).
    if value in ("offline", "claude") or value.startswith(("cmd:", "py:")):
        return value
    raise ValueError(f"{value!r} is none of offline, claude, cmd:PATH [ARGS], py:MODULE:FUNCTION")


def _provider_known(value: str) -> str:
    from reproducer.agent.models.registry import split_model

    try:
        split_model(value)
    except BadInput as error:
        raise ValueError(str(error).removeprefix("--model ")) from None
    return value


def _refuse_unknown_toml_keys(path: Path) -> None:
    if not path.is_file():
        return
    import tomllib

    try:
        keys = list(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise BadInput(f"{path}: cannot be read as TOML ({error})") from None
    unknown = [key for key in keys if key not in SETTING_NAMES]
    if unknown:
        said = []
        for key in unknown:
            close = difflib.get_close_matches(key, SETTING_NAMES, n=1)
            said.append(f"`{key}`" + (f" (did you mean `{close[0]}`?)" if close else ""))
        raise BadInput(f"{path}: unknown settings {', '.join(said)}; known: {', '.join(SETTING_NAMES)}")


def _message(error: Any, folder: Path) -> str:
    lines = [f"`{'.'.join(map(str, problem['loc']))}`: {problem['msg']}" for problem in error.errors()]
    where = f"{folder / TOML_FILE}, {folder / DOTENV_FILE} or {ENV_PREFIX}* variables"
    return f"settings ({where}): " + "; ".join(lines)
