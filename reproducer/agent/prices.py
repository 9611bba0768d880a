"""What a call costs: one versioned price table per provider shipped with the package, and `cost_of`.

Claude's table (`prices.toml`) prices the Anthropic API and, by the same list prices, Claude on Bedrock and
Vertex; OpenAI's (`prices-openai.toml`) its own models. A local or third-party server has no table: its
prices come from the command line (`given_rates`) or it is declared free (`FREE`).
"""

import re
import tomllib
from datetime import date
from functools import cache
from importlib.resources import files

from pydantic import BaseModel, ConfigDict

from reproducer.agent.errors import UnknownModelPrice
from reproducer.agent.model import Usage
from reproducer.agent.usage import prompt_tokens

PRICES_FILE = "prices.toml"
# The provider whose table a price is looked up in: Bedrock's and Vertex's Claude ids are mapped onto
# Anthropic's first (`reproducer.agent.models.spec.claude_price_id`).
PRICE_FILES = {"anthropic": PRICES_FILE, "openai": "prices-openai.toml"}
TOKENS_PER_PRICE_UNIT = 1_000_000
# Dated snapshots: Anthropic's `-20250929`, OpenAI's `-2024-08-06`.
SNAPSHOT_SUFFIX = re.compile(r"-(\d{8}|\d{4}-\d{2}-\d{2})$")


class Rates(BaseModel):
    """USD per million tokens of each kind."""

    model_config = ConfigDict(frozen=True)

    input: float
    cache_write_5m: float
    cache_write_1h: float
    cache_read: float
    output: float

    def cost(self, usage: Usage) -> float:
        dollars_per_million = (
            usage.input_tokens * self.input
            + usage.cache_write_5m_tokens * self.cache_write_5m
            + usage.cache_write_1h_tokens * self.cache_write_1h
            + usage.cache_read_tokens * self.cache_read
            + usage.output_tokens * self.output
        )
        return dollars_per_million / TOKENS_PER_PRICE_UNIT


class LongPromptRates(Rates):
    above_prompt_tokens: int


class ModelPrice(Rates):
    """One table entry: the ids billed alike, their rates, and rates for long prompts if they differ."""

    ids: list[str]
    long_prompt: LongPromptRates | None = None

    def rates_for(self, usage: Usage) -> Rates:
        if self.long_prompt and prompt_tokens(usage) > self.long_prompt.above_prompt_tokens:
            return self.long_prompt
        return self


class PriceTable(BaseModel):
    version: int
    as_of: date
    model: list[ModelPrice]

    def find(self, model_id: str) -> ModelPrice | None:
        for candidate in (model_id, SNAPSHOT_SUFFIX.sub("", model_id)):
            for entry in self.model:
                if candidate in entry.ids:
                    return entry
        return None


FREE = Rates(input=0.0, cache_write_5m=0.0, cache_write_1h=0.0, cache_read=0.0, output=0.0)


def given_rates(input_per_million: float, output_per_million: float) -> Rates:
    """Rates a user gives for a server without a table. Cached tokens are charged as input: what a local
    server discounts is unknown, and overcounting keeps the cost cap on the safe side."""
    if input_per_million < 0 or output_per_million < 0:
        raise UnknownModelPrice("prices per million tokens cannot be negative")
    per_input = input_per_million
    return Rates(
        input=per_input,
        cache_write_5m=per_input,
        cache_write_1h=per_input,
        cache_read=per_input,
        output=output_per_million,
    )


@cache
def price_table(provider: str = "anthropic") -> PriceTable:
    """The provider's table (`prices.toml` for Anthropic, `prices-<provider>.toml` for the others)."""
    text = files("reproducer.agent").joinpath(PRICE_FILES[provider]).read_text(encoding="utf-8")
    return PriceTable.model_validate(tomllib.loads(text))


def has_price(model_id: str, provider: str = "anthropic") -> bool:
    return price_table(provider).find(model_id) is not None


def price_of(model_id: str, provider: str = "anthropic") -> ModelPrice:
    """The entry for `model_id` (an alias or a dated snapshot); `UnknownModelPrice` when there is none."""
    table = price_table(provider)
    entry = table.find(model_id)
    if entry is None:
        known = ", ".join(sorted(entry_id for item in table.model for entry_id in item.ids))
        raise UnknownModelPrice(
            f"no price for model {model_id!r} in reproducer/agent/{PRICE_FILES[provider]} "
            f"(version {table.version}, as of {table.as_of}); known models: {known}. "
            "Add its price there, or allow unknown prices to run it with costs counted as $0."
        )
    return entry


def cost_of(
    model_id: str, usage: Usage, *, allow_unknown_price: bool = False, provider: str = "anthropic"
) -> float:
    """USD that `usage` costs on `model_id`; 0.0 for a model without a price if the caller allows it."""
    if allow_unknown_price and not has_price(model_id, provider):
        return 0.0
    entry = price_of(model_id, provider)
    return entry.rates_for(usage).cost(usage)
