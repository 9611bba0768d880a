"""The Python version a repository states outside its dependency files: README prose ("Tested with
Python 3.7", "requires Python 3.6+"), trove classifiers, and linters' `target-version`."""

import re
from collections.abc import Iterable

# "Python 3.7", "python=3.7" (conda), "Python >= 3.6", "Python 3.6+", "Python 3.6 or later"; not a
# path such as `lib/python3.7/site-packages`.
_MENTION = re.compile(
    r"(?<![/\w.-])python\s*(?:version\s*)?(?::\s*|==?\s*|\s)?(?P<op>>=|≥)?\s*v?(?P<version>[23]\.\d{1,2})"
    r"(?:\.\d+)?(?![\w/]|\.\w)(?P<plus>\+|\s*(?:,\s*)?or\s+(?:later|higher|newer|above|greater|more\s+recent))?",
    re.IGNORECASE,
)
# Words before a mention that make it the version the author used, rather than one in passing.
_TESTED = re.compile(r"\b(tested|developed|written|run|ran|used|using|requires?|needs?|with|on)\b", re.I)
_CLASSIFIER = re.compile(r"^Programming Language :: Python :: (3)\.(\d+)$")
_PYTHON2_CLASSIFIER = re.compile(r"^Programming Language :: Python :: 2(?:\.7| :: Only)$")
_TARGET = re.compile(r"^py(3)(\d+)$")


def prose_python(text: str) -> tuple[str, int] | None:
    """The version the prose states (`3.7`, or `>=3.6` with "+"/"or later"), and its offset in `text`.

    A mention after "tested with", "requires" and the like wins over a bare one; Python 3 over 2.
    """
    found = []
    for match in _MENTION.finditer(text):
        version = match.group("version")
        value = f">={version}" if match.group("op") or match.group("plus") else version
        before = text[max(0, match.start() - 40) : match.start()]
        rank = (not version.startswith("3"), _TESTED.search(before) is None)
        found.append((rank, match.start(), value))
    if not found:
        return None
    _, offset, value = min(found)
    return value, offset


def classifiers_python(classifiers: Iterable[str]) -> str | None:
    """`Programming Language :: Python :: 3.6` ... `:: 3.8` -> `>=3.6,<3.9`; `:: 2.7` alone -> `2.7`; None
    without minors."""
    listed = [c.strip() for c in classifiers]
    minors = sorted(int(m.group(2)) for c in listed if (m := _CLASSIFIER.match(c)))
    if minors:
        return f">=3.{minors[0]},<3.{minors[-1] + 1}"
    # A package for Python 2 alone (2.7, or "2 :: Only") with no Python 3 classifier was written for it.
    return "2.7" if any(_PYTHON2_CLASSIFIER.match(c) for c in listed) else None


def target_python(targets: str | Iterable[str]) -> str | None:
    """black's or ruff's `target-version` (`py37`, or a list) -> `>=3.7`: the oldest Python supported."""
    values = [targets] if isinstance(targets, str) else list(targets)
    minors = sorted(int(m.group(2)) for v in values if (m := _TARGET.match(str(v).strip().lower())))
    return f">=3.{minors[0]}" if minors else None
