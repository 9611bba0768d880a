"""The rules a tar member must follow to be unpacked; each broken rule is named in the refusal."""

import posixpath
import tarfile
from pathlib import Path, PurePosixPath

from reproducer.errors import BadInput


def refusal(archive: Path, member: str, rule: str) -> BadInput:
    """The error for a hostile or unsafe archive: which archive, which member, which rule."""
    return BadInput(f"refusing archive {archive}: member {member!r} {rule}; nothing was extracted")


def relative_name(path: str) -> str:
    """A member's path, normalised, or '' for the archive root; raises ValueError naming the rule."""
    if path.startswith("/"):
        raise ValueError("has an absolute path")
    if ".." in PurePosixPath(path).parts:
        raise ValueError("has a '..' path component (path traversal)")
    name = posixpath.normpath(path)
    return "" if name == "." else name


def escapes(path: str) -> bool:
    """True if a relative POSIX path, read lexically, leaves the folder it starts in."""
    normal = posixpath.normpath(path)
    return posixpath.isabs(path) or normal == ".." or normal.startswith("../")


def symlink_escapes(member: tarfile.TarInfo, name: str) -> bool:
    """True for a symlink whose target, read lexically, leaves the archive (absolute or `../` out)."""
    return member.issym() and escapes(posixpath.join(posixpath.dirname(name), member.linkname))


def check_link(member: tarfile.TarInfo, name: str) -> None:
    """Lexical check of a hard link's target, on top of the `data` filter (which trusts realpath).

    Outward symlinks are not refused here: the writer skips them (a real repository often holds one
    to its author's disk), since skipping leaves nothing that points outside.
    """
    if member.islnk() and escapes(member.linkname):
        raise ValueError(f"is a hard link to outside the archive (-> {member.linkname})")


def filter_rule(error: tarfile.FilterError) -> str:
    """Our wording of what the standard library's `data` filter refused."""
    member = error.tarinfo
    if isinstance(error, tarfile.SpecialFileError):
        return "is a device, fifo or other special file"
    if isinstance(error, tarfile.AbsoluteLinkError):
        return f"is a link to an absolute path (-> {member.linkname})"
    if isinstance(error, tarfile.LinkOutsideDestinationError):
        return f"is a link pointing outside the archive (-> {member.linkname})"
    if isinstance(error, tarfile.OutsideDestinationError):
        return "would be written outside the target folder (path traversal)"
    if isinstance(error, tarfile.AbsolutePathError):
        return "has an absolute path"
    return f"was refused by the tar data filter ({error})"
