"""What the task's prompt says to run ("Run 'main.R' using Rscript"), as steps and as entry points."""

from reproducer.plan.prompt.model import (
    PROMPT_EVIDENCE_FILE,
    PromptEntries,
    PromptStep,
    Selection,
    StatedArgument,
)
from reproducer.plan.prompt.parse import parse_prompt
from reproducer.plan.prompt.resolve import prompt_entry_points

__all__ = [
    "PROMPT_EVIDENCE_FILE",
    "PromptEntries",
    "PromptStep",
    "Selection",
    "StatedArgument",
    "parse_prompt",
    "prompt_entry_points",
]
