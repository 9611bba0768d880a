"""The command-line options that say which model and at what price, shared by `run` and `bench`."""

from typing import Annotated

import typer

from reproducer.agent.models.registry import ModelChoice

ModelOption = Annotated[
    str,
    typer.Option(
        help="provider/id: anthropic/claude-... (or a bare claude-...), bedrock/..., vertex/..., "
        "openai/gpt-..., openai-compatible/<id> with --base-url."
    ),
]
BaseUrlOption = Annotated[
    str | None, typer.Option(help="The model server's URL (vLLM, Ollama, OpenRouter, a proxy).")
]
PriceInOption = Annotated[
    float | None,
    typer.Option(min=0.0, help="USD per million input tokens, for a model without a price table."),
]
PriceOutOption = Annotated[
    float | None,
    typer.Option(min=0.0, help="USD per million output tokens, for a model without a price table."),
]
FreeOption = Annotated[bool, typer.Option("--free", help="The model costs nothing (a local server).")]
ModelProxyOption = Annotated[
    bool,
    typer.Option(
        "--model-proxy",
        help="Serve --model to your cmd: or py: agent through a proxy that counts its cost against "
        "--max-cost-usd (a cmd: agent finds it in ANTHROPIC_BASE_URL / OPENAI_BASE_URL).",
    ),
]


def model_choice(
    base_url: str | None, price_in: float | None, price_out: float | None, free: bool
) -> ModelChoice:
    return ModelChoice(base_url=base_url, price_in=price_in, price_out=price_out, free=free)
