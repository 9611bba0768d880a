"""Fenced code blocks (``` or ~~~) of a Markdown file, as offset ranges so lines can still be cited."""

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([\w+-]*)[^\n]*$", re.MULTILINE)
# Shell prompts people paste in front of commands: `$ `, `% `, `> `, `(env) $ `.
_PROMPT = re.compile(r"^([ \t]*(?:\([\w.-]+\)\s*)?[$%>][ \t]+)", re.MULTILINE)
SHELL_LANGUAGES = frozenset({"", "bash", "sh", "shell", "console", "zsh", "shell-session", "text", "none"})
R_LANGUAGES = frozenset({"r", "rscript", "{r}"})


@dataclass(frozen=True)
class CodeBlock:
    language: str
    start: int
    end: int


def code_blocks(text: str) -> list[CodeBlock]:
    blocks: list[CodeBlock] = []
    opening: re.Match[str] | None = None
    for fence in _FENCE.finditer(text):
        if opening is None:
            opening = fence
        elif _closes(opening, fence):
            blocks.append(CodeBlock(opening.group(2).lower(), opening.end() + 1, fence.start()))
            opening = None
    if opening is not None:
        blocks.append(CodeBlock(opening.group(2).lower(), opening.end() + 1, len(text)))
    return [b for b in blocks if b.start <= b.end]


def _closes(opening: re.Match[str], fence: re.Match[str]) -> bool:
    """A closing fence: same character, at least as long, no info string."""
    same_kind = fence.group(1)[0] == opening.group(1)[0] and len(fence.group(1)) >= len(opening.group(1))
    return same_kind and not fence.group(2)


def without_prompts(text: str) -> str:
    """`text` with shell prompts blanked out (same length, so offsets still hold)."""
    return _PROMPT.sub(lambda m: " " * len(m.group(1)), text)


_INDENTED = re.compile(r"^(?: {4}|\t)")
_INLINE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


def indented_blocks(text: str, fenced: list[CodeBlock]) -> list[CodeBlock]:
    """Indented code (4 spaces or a tab) after a blank line or an reST `::`, outside fenced blocks.

    Markdown's and reStructuredText's literal blocks; the indentation is kept (offsets hold), shell
    parsing ignores it.
    """
    blocks: list[CodeBlock] = []
    offset, start, previous = 0, -1, ""
    for line in [*text.split("\n"), ""]:
        inside_fence = any(b.start <= offset < b.end for b in fenced)
        indented = bool(_INDENTED.match(line)) and bool(line.strip()) and not inside_fence
        if start >= 0 and not indented and line.strip():
            blocks.append(CodeBlock("", start, offset))
            start = -1
        elif start < 0 and indented and (not previous.strip() or previous.rstrip().endswith("::")):
            start = offset
        # A blank line inside an indented block belongs to it (the block ends at the next plain line).
        previous = line
        offset += len(line) + 1
    if start >= 0:
        blocks.append(CodeBlock("", start, min(offset - 1, len(text))))
    return blocks


def inline_code(text: str, blocks: list[CodeBlock]) -> list[tuple[int, int]]:
    """(start, end) of each inline code span (`...`) outside code blocks: a command named in prose."""
    return [
        (match.start(2), match.end(2))
        for match in _INLINE.finditer(text)
        if not any(b.start <= match.start() < b.end for b in blocks)
    ]
