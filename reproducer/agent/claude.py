"""Claude through the real Anthropic SDK: one `query` is one Messages API call, with retries and cost.

The same Messages API is served by Anthropic, by Amazon Bedrock and by Google Vertex AI; the SDK has a
client for each (`platform`), and the conversation needs no translation (`models.parts` is its shape).
"""

import logging
import os
from typing import Any, Literal, cast

import anthropic

from reproducer.agent.classify import OUR_RETRY_STATUSES, is_ours_to_retry
from reproducer.agent.errors import ModelAuthError, ModelUnavailable
from reproducer.agent.model import AssistantTurn, Usage
from reproducer.agent.models.keys import ANTHROPIC_KEY, VERTEX_TOKEN, key_from_env
from reproducer.agent.models.remote import RemoteModel
from reproducer.agent.prices import Rates, cost_of, has_price, price_of
from reproducer.agent.retry import DEFAULT_RETRY_MINUTES, Backoff
from reproducer.agent.usage import sum_usage, usage_from_api
from reproducer.errors import BadInput

API_KEY_ENV = ANTHROPIC_KEY
Platform = Literal["anthropic", "bedrock", "vertex"]
API_NAMES = {"anthropic": "Claude API", "bedrock": "Claude on Bedrock", "vertex": "Claude on Vertex"}
# Where each platform's credentials come from, named when they are refused.
KEY_VARIABLES = {
    "anthropic": API_KEY_ENV,
    "bedrock": "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an AWS profile)",
    "vertex": f"{VERTEX_TOKEN} (or Google application default credentials)",
}
DEFAULT_MAX_TOKENS = 16_000
# A reply cut at `max_tokens` is asked again with twice the room, up to this (every current model's
# output limit is at least this much).
MAX_TOKENS_CEILING = 32_000
DEFAULT_TIMEOUT_S = 600.0
CONNECT_TIMEOUT_S = 10.0
DEFAULT_SDK_MAX_RETRIES = 2
# What the SDK signs Bedrock requests with (botocore reads the access key id and region itself).
BEDROCK_SECRETS = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK")
CacheTTL = Literal["5m", "1h"]

log = logging.getLogger(__name__)


class LeaveLaterAnswersToUs(anthropic.Middleware):
    """Marks 429 and 529 answers "do not retry" for the SDK's own retry loop.

    The SDK would wait out any `retry-after`, however long; ours caps the wait and counts the attempts.
    Connection failures and other 5xx answers are still retried by the SDK.
    """

    def handle(
        self, request: anthropic.APIRequest, call_next: anthropic.CallNext
    ) -> anthropic.APIResponse[Any]:
        response = call_next(request)
        if response.status_code in OUR_RETRY_STATUSES:
            response.http_response.headers["x-should-retry"] = "false"
        return response


class ClaudeModel(RemoteModel):
    """A `Model` backed by the Claude Messages API.

    Construction fails early, before any tokens are spent: `UnknownModelPrice` when the model has no
    price (unless `allow_unknown_price`, which counts its cost as $0 and sets `price_known` False),
    `ModelAuthError` when no key is given or found in `ANTHROPIC_API_KEY`.
    With `cache`, the system prompt carries a cache breakpoint and the request a top-level
    `cache_control`, which moves a second breakpoint to the end of the conversation on every call. The
    cache lives an hour by default: a `bash` call may run longer than the 5-minute lifetime, and a
    cache that expired meanwhile is written again in full.
    Answers that say "later" (429, 529) are retried for `retry_minutes`, at most `retry_budget` times
    when that is given; a reply cut at `max_tokens` is asked again with more room.
    On Bedrock and Vertex (`platform`) the SDK finds the cloud's credentials itself (AWS's usual
    variables and files; `VERTEX_ACCESS_TOKEN` or google-auth) and `price_id`, the id mapped onto
    Anthropic's, is priced; `rates` replace the table (a private deployment's own prices).
    """

    def __init__(
        self,
        model_id: str,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        sdk_max_retries: int = DEFAULT_SDK_MAX_RETRIES,
        retry_budget: int | None = None,
        retry_minutes: float = DEFAULT_RETRY_MINUTES,
        backoff: Backoff | None = None,
        allow_unknown_price: bool = False,
        cache: bool = True,
        cache_ttl: CacheTTL = "1h",
        platform: Platform = "anthropic",
        price_id: str | None = None,
        rates: Rates | None = None,
    ) -> None:
        self.provider: str = platform
        self.platform = platform
        self.price_id = price_id or model_id
        self.rates = rates
        self.price_known = rates is not None or has_price(self.price_id)
        if not self.price_known and not allow_unknown_price:
            price_of(self.price_id)  # raises UnknownModelPrice with the list of known models
        if not self.price_known:
            log.warning("no price for model %s: its calls are counted as costing $0", model_id)
        self.max_tokens = max_tokens
        self.allow_unknown_price = allow_unknown_price
        self.cache = cache
        self.cache_ttl = cache_ttl
        timeout = anthropic.Timeout(timeout_s, connect=min(CONNECT_TIMEOUT_S, timeout_s))
        common: dict[str, Any] = {
            "base_url": base_url,
            "timeout": timeout,
            "max_retries": sdk_max_retries,
            "middleware": [LeaveLaterAnswersToUs()],
        }
        self._client: anthropic.Anthropic | anthropic.AnthropicBedrock | anthropic.AnthropicVertex
        if platform == "bedrock":
            secrets = tuple(value for name in BEDROCK_SECRETS if (value := os.environ.get(name)))
            try:
                self._client = anthropic.AnthropicBedrock(**common)
            except ValueError as error:  # no region: the SDK cannot tell which endpoint to call
                raise BadInput(f"bedrock/{model_id}: {error}") from None
        elif platform == "vertex":
            token = api_key or key_from_env(VERTEX_TOKEN)
            secrets = (token,) if token else ()
            self._client = anthropic.AnthropicVertex(access_token=token, **common)
        else:
            key = api_key or key_from_env(API_KEY_ENV)
            if not key:
                raise ModelAuthError(f"no Anthropic API key: set {API_KEY_ENV} (in the environment or .env)")
            secrets = (key,)
            self._client = anthropic.Anthropic(api_key=key, **common)
        super().__init__(
            model_id,
            api=API_NAMES[platform],
            key_variable=KEY_VARIABLES[platform],
            secrets=secrets,
            retry_budget=retry_budget,
            retry_minutes=retry_minutes,
            backoff=backoff,
        )

    def request(
        self,
        system: str,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        tool_choice: dict[str, Any] | None = None,
        max_tokens: int | None = None,
    ) -> dict[str, Any]:
        """The Messages API request body `query` sends; the SDK adds the headers and the key."""
        body: dict[str, Any] = {
            "model": self.name,
            "max_tokens": max_tokens or self.max_tokens,
            "messages": messages,
        }
        cache_control = {"type": "ephemeral", "ttl": self.cache_ttl}
        if system:
            block: dict[str, Any] = {"type": "text", "text": system}
            if self.cache:
                block["cache_control"] = dict(cache_control)
            body["system"] = [block]
        if tools:
            body["tools"] = tools
        if tools and tool_choice:
            body["tool_choice"] = tool_choice
        if self.cache and self.platform == "anthropic":
            # The top-level breakpoint is the Anthropic API's; Bedrock and Vertex take block-level ones only.
            body["cache_control"] = cache_control
        return body

    def query(
        self,
        system: str,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        tool_choice: dict[str, Any] | None = None,
    ) -> AssistantTurn:
        max_tokens = self.max_tokens
        turn = self._call(self.request(system, messages, tools, tool_choice, max_tokens))
        while turn.stop_reason == "max_tokens" and max_tokens < MAX_TOKENS_CEILING:
            # A cut reply may end inside a tool call; asked again with more room, it usually fits.
            max_tokens = min(2 * max_tokens, MAX_TOKENS_CEILING)
            log.warning("%s (%s) reply cut at max_tokens; asking with %d", self.api, self.name, max_tokens)
            retried = self._call(self.request(system, messages, tools, tool_choice, max_tokens))
            turn = retried.model_copy(
                update={
                    "usage": sum_usage([turn.usage, retried.usage]),
                    "cost_usd": turn.cost_usd + retried.cost_usd,
                }
            )
        return turn

    def _call(self, body: dict[str, Any]) -> AssistantTurn:
        response = self._retried(
            lambda: self._client.messages.with_raw_response.create(**cast(Any, body)), is_ours_to_retry
        )
        try:
            reply = response.json()
        except ValueError:
            reply = None
        return self._turn(reply)

    @property
    def client(self) -> anthropic.Anthropic | anthropic.AnthropicBedrock | anthropic.AnthropicVertex:
        """The SDK client (the model proxy forwards with its URL and key)."""
        return self._client

    def cost(self, usage: Usage) -> float:
        """USD that `usage` costs: the given rates, else the price table's."""
        if self.rates is not None:
            return self.rates.cost(usage)
        return cost_of(self.price_id, usage, allow_unknown_price=self.allow_unknown_price)

    def _turn(self, reply: object) -> AssistantTurn:
        if not isinstance(reply, dict) or not isinstance(reply.get("content"), list):
            raise ModelUnavailable(f"{self.api} ({self.name}) sent a reply that is not a message")
        content = [block for block in reply["content"] if isinstance(block, dict)]
        return self._turn_of(
            reply, content, reply.get("stop_reason"), usage_from_api(reply.get("usage") or {})
        )
