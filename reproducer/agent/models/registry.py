"""`--model provider/id` to a `Model`: which provider, which key, which prices.

    anthropic/claude-sonnet-5-5       (a bare `claude-...` means the same)
    bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0
    vertex/claude-sonnet-4-5@20250929
    openai/gpt-5
    openai-compatible/qwen3-coder     (with --base-url, and --price-in/--price-out or --free)

Every choice is checked here, before anything runs: an unknown provider, a model without a price (unless
prices are given, or it is declared free, or unknown prices are allowed), a missing key or base URL.
"""

import importlib.util
import re
from typing import Literal, get_args

from pydantic import BaseModel

from reproducer.agent.errors import ModelAuthError, UnknownModelPrice
from reproducer.agent.model import Model
from reproducer.agent.models.keys import COMPATIBLE_KEY, OPENAI_KEY, key_from_env
from reproducer.agent.prices import FREE, Rates, given_rates, has_price, price_of
from reproducer.errors import BadInput

Provider = Literal["anthropic", "bedrock", "vertex", "openai", "openai-compatible"]
PROVIDERS: tuple[str, ...] = get_args(Provider)
# A local server without authentication still needs some key for the SDK; this one says so in its logs.
NO_KEY = "no-key"
# Bedrock ids: an optional cross-region prefix (`us.`, `eu.`, `global.`...), `anthropic.`, a version.
BEDROCK_ID = re.compile(r"^(?:[a-z]+\.)?anthropic\.(?P<id>.+?)(?:-v\d+(?::\d+)?)?$")


class ModelChoice(BaseModel):
    """What the command line says about the model, besides its name."""

    base_url: str | None = None
    price_in: float | None = None
    price_out: float | None = None
    free: bool = False
    allow_unknown_price: bool = False
    cache_ttl: Literal["5m", "1h"] = "1h"

    def rates(self) -> Rates | None:
        """The prices given on the command line, if any; both or neither must be given."""
        if self.free:
            if self.price_in is not None or self.price_out is not None:
                raise BadInput("--free and --price-in/--price-out contradict each other: give one")
            return FREE
        if (self.price_in is None) != (self.price_out is None):
            raise BadInput("give both --price-in and --price-out (USD per million tokens), or neither")
        if self.price_in is None or self.price_out is None:
            return None
        return given_rates(self.price_in, self.price_out)


def split_model(text: str) -> tuple[Provider, str]:
    """`provider/id` split; a bare id is Anthropic's (`claude-...`), as before providers existed."""
    provider, slash, model_id = text.partition("/")
    if not slash:
        return "anthropic", text
    if provider not in PROVIDERS:
        raise BadInput(f"--model {text!r}: unknown provider {provider!r}; known: {', '.join(PROVIDERS)}")
    if not model_id:
        raise BadInput(f"--model {text!r}: no model id after {provider}/")
    return provider, model_id  # type: ignore[return-value]  # checked against PROVIDERS just above


def model_label(text: str) -> str:
    """The one name a run's records give the model: `provider/id` (`anthropic/claude-...` for a bare id)."""
    provider, model_id = split_model(text)
    return f"{provider}/{model_id}"


def claude_price_id(provider: Provider, model_id: str) -> str:
    """A Bedrock or Vertex Claude id as the Anthropic price table spells it."""
    if provider == "bedrock":
        matched = BEDROCK_ID.match(model_id)
        return matched["id"] if matched else model_id
    if provider == "vertex":
        return model_id.replace("@", "-")
    return model_id


def open_model(text: str, choice: ModelChoice | None = None) -> Model:
    """The model `text` names, ready to query; BadInput (or ModelAuthError) when it cannot be."""
    choice = choice or ModelChoice()
    provider, model_id = split_model(text)
    rates = choice.rates()
    if provider in ("anthropic", "bedrock", "vertex"):
        return _claude(provider, model_id, choice, rates)
    from reproducer.agent.models.openai_chat import OpenAIChatModel

    if provider == "openai":
        key = key_from_env(OPENAI_KEY)
        if not key:
            raise ModelAuthError(f"no OpenAI API key: set {OPENAI_KEY} (in the environment or .env)")
        if rates is None:
            rates = _table_rates("openai", model_id, choice.allow_unknown_price)
        return OpenAIChatModel(model_id, api_key=key, rates=rates, base_url=choice.base_url)
    if not choice.base_url:
        raise BadInput(f"--model {text!r} needs --base-url (e.g. http://127.0.0.1:8000/v1 for vLLM)")
    if rates is None:
        if not choice.allow_unknown_price:
            raise UnknownModelPrice(
                f"no price for {text!r}: a server at {choice.base_url} has no price table; give "
                "--price-in and --price-out (USD per million tokens) or --free"
            )
        rates = FREE
    return OpenAIChatModel(
        model_id,
        api_key=key_from_env(COMPATIBLE_KEY) or NO_KEY,
        rates=rates,
        base_url=choice.base_url,
        api=choice.base_url,
        key_variable=COMPATIBLE_KEY,
        provider=provider,
    )


def _table_rates(provider: str, model_id: str, allow_unknown: bool) -> Rates:
    if has_price(model_id, provider):
        entry = price_of(model_id, provider)
        return Rates.model_validate(entry.model_dump(include=set(Rates.model_fields)))
    if allow_unknown:
        return FREE
    price_of(model_id, provider)  # raises UnknownModelPrice, listing the known models
    raise AssertionError("unreachable")


def _claude(provider: Provider, model_id: str, choice: ModelChoice, rates: Rates | None) -> Model:
    from reproducer.agent.claude import ClaudeModel

    if provider == "bedrock" and importlib.util.find_spec("botocore") is None:
        raise BadInput(
            "bedrock/ models need botocore, which the anthropic SDK signs requests with: "
            "install the bedrock extra: `uv sync --extra bedrock` (or `pip install 'reproducer[bedrock]'`)"
        )
    return ClaudeModel(
        model_id,
        base_url=choice.base_url,
        allow_unknown_price=choice.allow_unknown_price,
        cache_ttl=choice.cache_ttl,
        platform=provider,  # type: ignore[arg-type]  # one of the three Claude platforms here
        price_id=claude_price_id(provider, model_id),
        rates=rates,
    )
