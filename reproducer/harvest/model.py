"""What a harvest found: the facts, the figures, and what happened to every file."""

from typing import Literal

from pydantic import BaseModel, Field

from reproducer.harvest.fact import Fact

FileKind = Literal[
    "text", "csv", "tsv", "json", "jsonl", "html", "pdf", "notebook", "image", "binary", "missing"
]
FileState = Literal["ok", "skipped", "encrypted", "broken", "timeout"]


class HarvestedFile(BaseModel):
    """One file the harvest looked at; `reason` says why it was not (fully) read."""

    file: str
    kind: FileKind
    state: FileState = "ok"
    reason: str = ""
    bytes: int = 0
    facts: int = 0


class Image(BaseModel):
    """A figure for vision questions; pixel size when the header gives it cheaply (PNG, JPEG, GIF, SVG)."""

    file: str
    format: str
    bytes: int
    width: int | None = None
    height: int | None = None


class Harvest(BaseModel):
    """Everything one harvest found, in a deterministic order (paths as given, directories sorted)."""

    root: str
    facts: list[Fact] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list)
    files: list[HarvestedFile] = Field(default_factory=list)

    def not_read(self, shown: int = 3) -> str:
        """The files left unread for a reason other than their format, in words ("" when none): links
        out of the workspace, special files, files over a cap or a budget."""
        left = [f for f in self.files if f.state != "ok" and not f.reason.startswith("binary file")]
        if not left:
            return ""
        named = "; ".join(f"{f.file}: {f.reason}" for f in left[:shown])
        more = f"; and {len(left) - shown} more" if len(left) > shown else ""
        return f"{len(left)} not read ({named}{more})"
