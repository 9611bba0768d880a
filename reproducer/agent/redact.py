"""Keep API keys out of logs, error messages and saved trajectories."""

import re
from collections.abc import Iterable
from typing import Any

REDACTED = "[REDACTED]"
# Anthropic keys look like `sk-ant-api03-...`, OpenAI's `sk-proj-...` or `sk-...`, OpenRouter's
# `sk-or-v1-...`; matched even when nobody passed the key in, in case one arrives some other way (an
# environment dump, a user's file echoed back by the model). Plain `sk-` keys must be long (20+) so that
# ordinary words such as `sk-learn` stay.
KEY_PATTERN = re.compile(r"sk-(?:ant|proj|or|svcacct)-[A-Za-z0-9_\-]{8,}|sk-[A-Za-z0-9_\-]{20,}")
# Shorter "secrets" are not replaced: blanking every "abc" would mangle ordinary text.
MIN_SECRET_LENGTH = 8


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """`text` with each secret, and anything shaped like an Anthropic key, replaced by `[REDACTED]`."""
    for secret in secrets:
        if secret and len(secret) >= MIN_SECRET_LENGTH:
            text = text.replace(secret, REDACTED)
    return KEY_PATTERN.sub(REDACTED, text)


def redact_json(value: Any, secrets: Iterable[str | None] = ()) -> Any:
    """A copy of a JSON-like value with `redact` applied to every string in it, keys included."""
    kept = [secret for secret in secrets if secret]
    if isinstance(value, str):
        return redact(value, kept)
    if isinstance(value, dict):
        return {redact(str(key), kept): redact_json(item, kept) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_json(item, kept) for item in value]
    return value
