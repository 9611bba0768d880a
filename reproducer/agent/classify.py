"""The Anthropic and OpenAI SDKs' exceptions sorted into ours, with messages that say what to do.

Both SDKs are generated alike: a status error carries `status_code`, `body`, `request_id` and `response`;
a connection error is `APIConnectionError`, a timeout its subclass `APITimeoutError`. `api` names the
service in messages ("Claude API", "OpenAI API", a server's URL), `key_variable` where its key comes from.
"""

from collections.abc import Sequence

import anthropic
import openai

from reproducer.agent.errors import (
    ModelAuthError,
    ModelBadRequest,
    ModelContextTooLong,
    ModelError,
    ModelOverloaded,
    ModelRateLimited,
    ModelUnavailable,
)
from reproducer.agent.redact import redact
from reproducer.agent.retry import retry_after_seconds

RATE_LIMITED_STATUS = 429
OVERLOADED_STATUS = 529
# The statuses our own loop retries; the SDK is told to leave them alone (see `claude.py`).
OUR_RETRY_STATUSES = frozenset({RATE_LIMITED_STATUS, OVERLOADED_STATUS})
AUTH_STATUSES = frozenset({401, 402, 403})
REQUEST_TOO_LARGE_STATUS = 413
# How the API words a prompt that does not fit, e.g. "prompt is too long: 210000 tokens > 200000 maximum".
TOO_LONG_PHRASES = ("prompt is too long", "context window", "context length", "too many tokens")

STATUS_ERRORS = (anthropic.APIStatusError, openai.APIStatusError)
CONNECTION_ERRORS = (anthropic.APIConnectionError, openai.APIConnectionError)
TIMEOUT_ERRORS = (anthropic.APITimeoutError, openai.APITimeoutError)
# OpenAI's words for a prompt that does not fit (`code` of a 400 answer).
TOO_LONG_CODES = ("context_length_exceeded", "string_above_max_length")

HINTS = {
    401: "the API key was refused: check {key_variable}",
    402: "the account cannot be billed: check its credit and billing settings",
    403: "the key may not use this model or endpoint",
    RATE_LIMITED_STATUS: "the account's rate limit: run fewer tasks at once or raise the retry budget",
    OVERLOADED_STATUS: "the API is overloaded: try again later",
}


def is_ours_to_retry(error: Exception) -> bool:
    """429 and 529: answers that say "later", which our backoff loop retries."""
    return isinstance(error, STATUS_ERRORS) and error.status_code in OUR_RETRY_STATUSES


def server_retry_after(error: Exception) -> float | None:
    """The wait the failed answer asked for, in seconds, if it named one."""
    if isinstance(error, STATUS_ERRORS):
        return retry_after_seconds(error.response.headers)
    return None


def _error_parts(body: object) -> tuple[str, str, str]:
    """Type, message and code of an error body: Anthropic's `{"error": {...}}`, or the inner object that
    the OpenAI SDK keeps."""
    error = body.get("error", body) if isinstance(body, dict) else None
    if not isinstance(error, dict) or "message" not in error:
        return "", str(body or ""), ""
    return str(error.get("type") or ""), str(error.get("message") or ""), str(error.get("code") or "")


def _from_status(
    error: anthropic.APIStatusError | openai.APIStatusError,
    attempts: int,
    model_id: str,
    api: str,
    key_variable: str,
) -> ModelError:
    status = error.status_code
    kind, message, code = _error_parts(error.body)
    tried = f" after {attempts} attempts" if attempts > 1 else ""
    text = f"{api} ({model_id}) answered {status} {kind or 'error'}{tried}: {message}".rstrip(": ")
    if error.request_id:
        text += f" (request id {error.request_id})"
    if status in HINTS:
        text += "; " + HINTS[status].format(key_variable=key_variable)
    too_long = code in TOO_LONG_CODES or any(phrase in message.lower() for phrase in TOO_LONG_PHRASES)
    kind_of_error: type[ModelError] = ModelBadRequest
    if status in AUTH_STATUSES:
        kind_of_error = ModelAuthError
    elif status == RATE_LIMITED_STATUS:
        kind_of_error = ModelRateLimited
    elif status == OVERLOADED_STATUS or kind == "overloaded_error":
        kind_of_error = ModelOverloaded
    elif status == REQUEST_TOO_LARGE_STATUS or (status == 400 and too_long):
        kind_of_error = ModelContextTooLong
        text += "; the conversation no longer fits the model's context"
    elif status >= 500:
        kind_of_error = ModelUnavailable
    return kind_of_error(text, status_code=status, request_id=error.request_id, attempts=attempts)


def classify(
    error: Exception,
    *,
    attempts: int,
    model_id: str,
    secrets: Sequence[str | None],
    api: str = "Claude API",
    key_variable: str = "ANTHROPIC_API_KEY",
) -> Exception:
    """Our error for an SDK failure, its message scrubbed of `secrets`; any other exception unchanged.

    `attempts` counts our own tries; the SDK's retries within each are not included.
    """
    if isinstance(error, STATUS_ERRORS):
        ours = _from_status(error, attempts, model_id, api, key_variable)
    elif isinstance(error, CONNECTION_ERRORS):
        what = "timed out" if isinstance(error, TIMEOUT_ERRORS) else "could not connect"
        ours = ModelUnavailable(f"{api} ({model_id}) {what}: {error.message}", attempts=attempts)
    else:
        return error
    ours.args = (redact(str(ours.args[0]), secrets),)
    return ours
