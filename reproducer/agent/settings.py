"""Which answerer a run uses, from the command line and the environment."""

import os
from typing import Literal

from reproducer.agent.limits import AgentLimits, cache_lifetime
from reproducer.pipeline.run import AgentSettings

AgentChoice = Literal["offline", "claude"]
DEFAULT_MODEL = "claude-sonnet-5-5"
API_KEY_VARIABLE = "ANTHROPIC_API_KEY"


def default_agent() -> AgentChoice:
    """Claude whenever an API key is set; the offline answerer otherwise."""
    return "claude" if os.environ.get(API_KEY_VARIABLE) else "offline"


def agent_settings(
    choice: AgentChoice, model_id: str, limits: AgentLimits, *, allow_unknown_price: bool = False
) -> AgentSettings | None:
    """The agent for `choice`, or None for the offline answerer.

    The model is checked here, at start: an id without a price (unless allowed) or a missing API key
    ends the command before anything runs.
    """
    if choice == "offline":
        return None
    # Imported here: the SDK takes most of a second to load, and offline runs never need it.
    from reproducer.agent.claude import ClaudeModel

    model = ClaudeModel(model_id, allow_unknown_price=allow_unknown_price, cache_ttl=cache_lifetime(limits))
    return AgentSettings(model=model, limits=limits)
