"""Where model keys come from: the environment, else a `.env` file where the command runs.

Keys are read by the host process only: the sandbox's environment is built from scratch
(`reproducer.sandbox.env`), and every variable named here is redacted from the records.
"""

import os
from pathlib import Path

DOTENV_FILE = ".env"
ANTHROPIC_KEY = "ANTHROPIC_API_KEY"
OPENAI_KEY = "OPENAI_API_KEY"
# A separate variable for other servers, so a user's OpenAI key is never sent to a URL they typed.
COMPATIBLE_KEY = "OPENAI_COMPATIBLE_API_KEY"
# A Google OAuth access token for Vertex; without it the anthropic SDK asks google-auth for credentials.
VERTEX_TOKEN = "VERTEX_ACCESS_TOKEN"
# Every host variable whose value never belongs in a record.
SECRET_VARIABLES = (
    ANTHROPIC_KEY,
    "ANTHROPIC_AUTH_TOKEN",
    OPENAI_KEY,
    COMPATIBLE_KEY,
    VERTEX_TOKEN,
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_BEARER_TOKEN_BEDROCK",
)


def key_from_env(name: str, folder: Path | None = None) -> str | None:
    """`name` from the environment, else from `.env` in `folder` (the current one by default)."""
    value = os.environ.get(name)
    if value:
        return value
    dotenv = (folder or Path.cwd()) / DOTENV_FILE
    if not dotenv.is_file():
        return None
    from dotenv import dotenv_values  # pydantic-settings' dependency; only loaded when a .env exists

    found = dotenv_values(dotenv).get(name)
    return found or None


def secret_values() -> list[str]:
    """The values of `SECRET_VARIABLES` this process can see (environment or `.env`)."""
    return [value for value in (key_from_env(name) for name in SECRET_VARIABLES) if value]
