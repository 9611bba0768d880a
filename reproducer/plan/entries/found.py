"""An entry point as found, before the choice: where it came from and what it runs."""

from dataclasses import dataclass

from reproducer.plan.model import EntryPoint


@dataclass(frozen=True)
class Found:
    entry: EntryPoint
    # The source it came from, named as reasons name it: a file ("README.md"), "the code", "the task prompt".
    source: str
    # The capsule path of the file it runs, when it runs one: a README line and that file are one analysis.
    script: str | None = None
    # Why the source's reading makes it an entry point ("has a __main__ guard (line 40)").
    why: str = ""
    # A reason to drop it whichever source wins (a module others import, a `source()`d R file, ...).
    drop: str | None = None
    # Base names of the files it writes, and reads, when they can be read from its code.
    writes: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    # Entries of one `Usage:` line filled with several values: independent runs, free to reorder.
    variant_of: str | None = None
