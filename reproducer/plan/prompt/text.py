"""Prompt sentences with their quoted names masked, so that English rules see one token per name.

A quoted name ('Synthetic Electrocardiogram Attack Method.ipynb', "../results") becomes a placeholder
word `⟦n⟧`; periods and spaces inside it can then no longer split sentences or words.
"""

import re
from dataclasses import dataclass

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "`": "'"})
# A single quote opens only after a non-word character and closes only before one, so apostrophes
# ("the paper's") are not quotes; `''./a.Rmd'` (a doubled opening quote) still quotes `./a.Rmd`.
_QUOTED = re.compile(r"""(?<!\w)'([^'\n]{1,300}?)'(?!\w)|"([^"\n]{1,300}?)\"""")
PLACEHOLDER = re.compile(r"⟦(\d+)⟧")
# A word of the masked text: a placeholder, or a path-like run of characters (`../data/x.zip`, `CTGCN-C`).
TOKEN = r"(?:⟦\d+⟧|(?:\.{1,2}/|/)?[\w~+-]+(?:[./][\w~+-]+)*/?)"
_TOKEN = re.compile(TOKEN)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
_EXTENSION = re.compile(r"\.([A-Za-z][A-Za-z0-9]{0,7})$")
# Task prompts are a few sentences; a longer text is read only this far, so that reading stays cheap.
MAX_PROMPT_CHARS = 10_000
FORMATS = {"html": "html", "pdf": "pdf", "docx": "docx", "word": "docx", "markdown": "md", "latex": "tex"}


@dataclass(frozen=True)
class Sentence:
    """One sentence: `text` with quotes masked, `quoted` the masked strings, `original` for evidence."""

    text: str
    quoted: tuple[str, ...]
    original: str

    def unmask(self, text: str) -> str:
        return PLACEHOLDER.sub(lambda m: self.quoted[int(m.group(1))], text)

    def value(self, token: str) -> str:
        """A token as the prompt meant it: unquoted, without stray spaces or trailing punctuation."""
        return self.unmask(token).strip().strip("'\"").strip().rstrip(",;:")

    def tokens(self, text: str | None = None) -> list[str]:
        return _TOKEN.findall(self.text if text is None else text)

    def is_quoted(self, token: str) -> bool:
        return bool(PLACEHOLDER.fullmatch(token))


def normalize(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split())


def sentences(prompt: str) -> list[Sentence]:
    """The prompt's sentences; `original` keeps each as written (spaces collapsed, quotes straightened)."""
    text = normalize(prompt[:MAX_PROMPT_CHARS])
    quoted: list[str] = []
    raw: list[str] = []

    def mask(match: re.Match[str]) -> str:
        quoted.append((match.group(1) or match.group(2) or "").strip())
        raw.append(match.group(0))
        return f"⟦{len(quoted) - 1}⟧"

    # Quotes left unmatched (`''./a.Rmd'`) stay in the text: no token includes them.
    masked = _QUOTED.sub(mask, text)
    found: list[Sentence] = []
    for piece in _SENTENCE_END.split(masked):
        piece = piece.strip().rstrip(".!?;: ")
        if piece:
            original = PLACEHOLDER.sub(lambda m: raw[int(m.group(1))], piece)
            found.append(Sentence(piece, tuple(quoted), original))
    return found


def extension(name: str) -> str:
    """The file extension with its dot (`.tar.gz` counts as `.gz`), or "" when there is none."""
    match = _EXTENSION.search(name.rstrip("/"))
    return "." + match.group(1) if match and not name.endswith("/") else ""


def is_path_like(value: str) -> bool:
    return "/" in value or bool(extension(value))


def split_list(text: str) -> list[str]:
    """The items of an English list: "a, b, and c", "a and b", "a,b,c" (text is masked)."""
    items = re.split(r"\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", text.strip())
    return [item.strip() for item in items if item.strip()]


def format_of(word: str) -> str | None:
    return FORMATS.get(word.lower().strip("'\""))
