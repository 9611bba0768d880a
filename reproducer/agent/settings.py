"""Which answerer a run uses, from the command line and the environment."""

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reproducer.agent.limits import AgentLimits, cache_lifetime
from reproducer.agent.model import Model
from reproducer.errors import BadInput

if TYPE_CHECKING:
    from reproducer.agent.models.registry import ModelChoice
    from reproducer.agent.own import OwnAgent

# `offline`, `claude` (our LLM agent, on any provider's model), or an agent the user brings:
# `cmd:PATH [ARGS]` or `py:MODULE:FUNCTION` (`reproducer.agent.own`).
AgentChoice = str
OUR_AGENTS = ("offline", "claude")
DEFAULT_MODEL = "claude-sonnet-5-5"
API_KEY_VARIABLE = "ANTHROPIC_API_KEY"


@dataclass(frozen=True)
class AgentSettings:
    """The agent a run hands over to after its offline attempt, and the agent's limits: our LLM agent
    with `model`, or `own`, an agent the user brought."""

    model: Model | None
    limits: AgentLimits
    own: "OwnAgent | None" = None
    # The model as records name it, `provider/id` (`reproducer.agent.models.registry.model_label`).
    model_label: str | None = None

    @property
    def name(self) -> str:
        """How records name who answered: `provider/id` for our agent's model, `cmd:...` or `py:...` for
        an agent the user brought (summary.json's `answerer` and `agent.model`, the bench's `model`)."""
        if self.own is not None:
            return self.own.name
        if self.model is None:
            return "offline"
        return self.model_label or self.model.name


def default_agent(model: str = DEFAULT_MODEL) -> AgentChoice:
    """The LLM agent when a model of another provider is named or an Anthropic key is set; the offline
    answerer otherwise."""
    provider, slash, _ = model.partition("/")
    named_elsewhere = bool(slash) and provider != "anthropic"
    return "claude" if named_elsewhere or os.environ.get(API_KEY_VARIABLE) else "offline"


def agent_settings(
    choice: AgentChoice,
    model_id: str,
    limits: AgentLimits,
    *,
    allow_unknown_price: bool = False,
    model_choice: "ModelChoice | None" = None,
    model_proxy: bool = False,
) -> AgentSettings | None:
    """The agent for `choice`, or None for the offline answerer.

    `model_id` is `provider/id` or a bare Claude id (`reproducer.agent.models.registry`). The model is
    checked here, at start: an unknown provider, an id without a price (unless allowed, given or free),
    or a missing key ends the command before anything runs.
    """
    if choice == "offline":
        return None
    # Imported here: the SDKs take most of a second to load, and offline runs never need them.
    from reproducer.agent.models.registry import ModelChoice, model_label, open_model

    own = None
    if choice != "claude":
        from reproducer.agent.own import parse_own_agent

        own = parse_own_agent(choice)
        if own is None:
            raise BadInput(f"--agent {choice!r}: use offline, claude, cmd:PATH [ARGS] or py:MODULE:FUNCTION")
        if not model_proxy:
            return AgentSettings(model=None, limits=limits, own=own)
    elif model_proxy:
        raise BadInput("--model-proxy is for your own agent (--agent cmd:... or py:...)")
    given = model_choice or ModelChoice()
    options = given.model_copy(
        update={
            "allow_unknown_price": allow_unknown_price or given.allow_unknown_price,
            "cache_ttl": cache_lifetime(limits),
        }
    )
    model = open_model(model_id, options)
    return AgentSettings(model=model, limits=limits, own=own, model_label=model_label(model_id))
