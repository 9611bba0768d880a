"""A fact harvested from an output file."""

from pydantic import BaseModel


class Fact(BaseModel):
    """One value found in an output, with the words that label it and its exact place.

    `value` is the value as produced: a number keeps every digit the file had (never rounded), a string
    is kept verbatim. `raw` is the text it was parsed from. `location` is human-readable and precise:
    `line 12`, `row 3, column "accuracy"`, `cell 4, output 1`, `page 2`, `$.metrics.auc`.
    """

    label: str
    value: float | int | str
    raw: str
    file: str
    location: str
    # A little of the surrounding text, for people and for the model to judge the match.
    context: str = ""
    # For a table cell: the row's key (`model=logreg`) and the column header (`accuracy`), so a question
    # like "which model has the best F1" can compare a column. Empty outside tables.
    row: str = ""
    column: str = ""
    # The heading the value sits under (`Model 2` from `=== Model 2 ===`, then `Coefficients`), which tells
    # apart the same label printed once per model or per section.
    section: str = ""
    # Why the value is doubtful though found: printed inside a traceback, or by a command that failed. The
    # answerer uses such a value only when nothing else matches, and says so.
    caveat: str = ""

    @property
    def provenance(self) -> str:
        return f"{self.file} ({self.location})"
