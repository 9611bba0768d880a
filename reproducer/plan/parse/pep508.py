"""Just enough PEP 508 to tell a requirement from a path or a shell variable, and to compare names."""

import posixpath
import re

_SPECIFIER = r"(?:===?|[<>!~]=?)\s*[\w.*+!-]+"
_REQUIREMENT = re.compile(
    rf"""^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?   # name
    \s*(?:\[[\w\s,.-]*\])?                            # extras
    \s*(?:\(?\s*{_SPECIFIER}(?:\s*,\s*{_SPECIFIER})*\s*\)?)?   # versions
    \s*(?:@\s*\S+)?                                   # direct reference
    \s*(?:;.*)?$                                      # environment marker
    """,
    re.VERBOSE,
)
_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
_URL = re.compile(r"^(?:git|hg|svn|bzr)\+\w+://|^https?://", re.IGNORECASE)
_EGG = re.compile(r"#egg=([A-Za-z0-9._-]+)")
# `name[extras] @ reference ; marker`: the reference of a PEP 508 direct reference.
_DIRECT = re.compile(r"^[^@;]*@\s*([^\s;]+)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# Installer tooling, dropped when unpinned: upgrading it is not a dependency of the paper's code.
TOOLING = frozenset({"pip", "setuptools", "wheel"})


def canonical_name(name: str) -> str:
    """PEP 503 normal form: `Scikit_Learn` -> `scikit-learn`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(spec: str) -> str | None:
    """The canonical distribution name of a requirement or a URL with `#egg=`, or None."""
    if _URL.match(spec):
        egg = _EGG.search(spec)
        return canonical_name(egg.group(1)) if egg else None
    match = _NAME.match(spec)
    return canonical_name(match.group(1)) if match else None


def direct_reference(spec: str) -> str | None:
    """What a direct reference points at (`pkg @ ./vendor/pkg.whl` -> `./vendor/pkg.whl`, or the URL
    itself for a bare VCS/HTTP URL); None for a requirement fetched from an index."""
    if _URL.match(spec.strip()):
        return spec.strip()
    match = _DIRECT.match(spec)
    return match.group(1) if match else None


def local_reference(spec: str) -> str | None:
    """The path a direct reference names on this machine (a path or a `file:` URL), else None."""
    reference = direct_reference(spec)
    if reference is None or (_SCHEME.match(reference) and not reference.lower().startswith("file:")):
        return None
    return reference


def as_requirement(token: str) -> str | None:
    """`token` as a requirement pip can fetch (name with specifiers, or a VCS/HTTP URL); None otherwise.

    A direct reference to a local path is kept only when it is relative and stays below the folder of
    the file naming it: an absolute path, a `file:` URL or a `..` could name a file outside the capsule.
    """
    token = token.strip()
    if _URL.match(token):
        return token
    if not _REQUIREMENT.match(token) or "/" in token.split(";")[0].split("@")[0]:
        return None
    path = local_reference(token)
    if path is not None and (path.lower().startswith("file:") or not is_below(path)):
        return None
    return token


def is_below(path: str) -> bool:
    """Whether a relative path stays below its starting folder."""
    normal = posixpath.normpath(path)
    return not path.startswith("/") and normal != ".." and not normal.startswith("../")


def is_unpinned_tooling(spec: str) -> bool:
    return requirement_name(spec) in TOOLING and not re.search(r"[=<>~]", spec)
