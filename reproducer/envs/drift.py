"""Run-time API drift: did a command fail because a dependency, or the interpreter, moved on since the code
was written (pandas 2 removed `DataFrame.append`, numpy 1.24 `np.float`, Python 3.10 `collections.Mapping`)?

Read from the last Python traceback in a command's stderr (plain, or IPython's as a notebook prints it).
Drift is what an environment of the code's own date can cure: the failing frame inside an installed
package, or an error naming a module or attribute that a package or the standard library no longer has.
An error in the capsule's own code that involves no dependency, a missing data file, a network error or a
time-out is not drift: another environment would fail the same way.
"""

import re
import sys
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

DriftKind = Literal["in_dependency", "removed_api", "removed_module", "python2"]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# "Traceback (most recent call last):" and IPython's "AttributeError    Traceback (most recent call last)".
_HEADER = re.compile(r"^(?:\S+\s+)?Traceback \(most recent call last\):?\s*$", re.MULTILINE)
# A frame: `  File "path", line 3, in f` (CPython) or `File path:3, in f` (IPython 8).
_FRAME = re.compile(r'^\s*File (?:"(?P<quoted>[^"]+)", line \d+|(?P<bare>\S+?):\d+, in )', re.MULTILINE)
_EXCEPTION = re.compile(r"^(?P<type>[A-Za-z_][\w.]*)(?::[ ]?(?P<message>.*))?$")
_INSTALLED = re.compile(r"[/\\](?:site|dist)-packages[/\\](?P<package>[A-Za-z_]\w*)")
# Errors of the world around the code, not of its dependencies' versions: the data, the network, the
# machine, the clock. Matched against the exception's class name.
_NOT_DRIFT = re.compile(
    r"FileNotFound|IsADirectory|NotADirectory|Permission|MemoryError|KeyboardInterrupt|SystemExit|Timeout"
    r"|Connection|URLError|HTTPError|gaierror|SSLError|EmptyDataError|OutOfMemory"
)
# The same by what the error says: no GPU, no display.
_NOT_DRIFT_MESSAGE = re.compile(r"NVIDIA driver|CUDA|no display name|cannot connect to X server|\$DISPLAY")
# What Python 3 says of code written for Python 2 that parses on both: bytes where Python 2 had str (numpy's
# recfromcsv, files opened "rb"), builtins, dict methods and modules Python 3 renamed or dropped, views where
# Python 2 had lists, comparisons and integer division Python 2 allowed.
_PYTHON2_ERROR = re.compile(
    r"a bytes-like object is required, not 'str'|can't concat str to bytes|must be str, not bytes"
    r"|can only concatenate str \(not \"bytes\"\) to str|cannot use a string pattern on a bytes-like object"
    r"|name '(?:xrange|unicode|basestring|long|unichr|raw_input|execfile|file|cmp|reload|apply|buffer)' is"
    r" not defined|'dict' object has no attribute '(?:iteritems|iterkeys|itervalues|has_key|view\w+)'"
    r"|'str' object has no attribute 'decode'|'(?:dict_keys|dict_values|dict_items|map|filter|zip|range)'"
    r" object (?:is not subscriptable|has no attribute 'sort')"
    r"|No module named '(?:cPickle|cStringIO|StringIO|urllib2|urlparse|ConfigParser|Queue|Tkinter|httplib"
    r"|HTMLParser|commands|__builtin__|copy_reg|cookielib|SocketServer|thread|md5|sets|exceptions)'"
    r"|'<' not supported between instances of|for >>: 'builtin_function_or_method'"
)
# Keyword arguments a library's function dropped (scikit-learn's `normalize`, pandas' `error_bad_lines`):
# Python raises before the callee's frame exists, so the capsule's call is the last frame.
_KEYWORD = re.compile(r"(?P<callable>[\w.]+)\(\) got an unexpected keyword argument '(?P<name>\w+)'")
_NO_MODULE = re.compile(r"No module named '(?P<module>[\w.]+)'")
_CANNOT_IMPORT = re.compile(
    r"cannot import name '(?P<name>\w+)'(?: from '(?P<module>[\w.]+)')?(?: \((?P<path>.*)\))?"
)
_MODULE_ATTRIBUTE = re.compile(r"module '(?P<module>[\w.]+)' has no attribute '(?P<name>\w+)'")
_OBJECT_ATTRIBUTE = re.compile(
    r"(?:type object )?'(?P<owner>\w+)'(?: object)? has no attribute '(?P<name>\w+)'"
)
# Well-known removals whose error may not show the package's frame (an older interpreter's message, a
# cut traceback): a class -> its removed attributes (pandas 2.0), and names no longer importable.
REMOVED_ATTRIBUTES = {
    "DataFrame": {"append", "iteritems", "ix", "as_matrix", "get_value", "set_value", "lookup", "select"},
    "Series": {"append", "iteritems", "ix", "as_matrix", "get_value", "set_value", "valid", "reshape"},
}
REMOVED_NAMES = frozenset(
    {"load_boston", "Imputer", "joblib", "cross_validation", "Mapping", "MutableMapping"}
)
# Standard-library modules removed from Python 3 (PEP 594 and before), importable on older interpreters.
REMOVED_MODULES = frozenset(
    {
        "imp", "distutils", "asynchat", "asyncore", "smtpd", "cgi", "cgitb", "crypt", "imghdr", "mailcap",
        "nntplib", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib", "audioop", "chunk",
        "msilib", "nis", "ossaudiodev", "formatter", "parser", "symbol", "binhex", "macpath",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Drift:
    """Why a failure is drift: its kind, the exception line, and the package (or module) at fault."""

    kind: DriftKind
    error: str
    package: str

    def describe(self) -> str:
        what = {
            "in_dependency": f"the error was raised inside the installed package {self.package}",
            "removed_api": f"{self.package} no longer has what the code uses",
            "removed_module": f"the module {self.package} is gone from today's release",
            "python2": "Python 3 refuses what Python 2 allowed: the code was written for Python 2",
        }[self.kind]
        return f"{what} ({self.error})"


@dataclass(frozen=True)
class _Traceback:
    frames: list[str]  # file paths, outermost first
    type: str
    message: str  # the exception line's message and the lines after it


def classify_failure(
    stderr: str, own_modules: Collection[str] = (), own_names: Collection[str] = ()
) -> Drift | None:
    """Drift when the last traceback in `stderr` shows one, else None. `own_modules` are the capsule's own
    top-level module names and `own_names` the functions and classes it defines: an error naming one of
    them is the capsule's, not a dependency's."""
    found = _last_traceback(_ANSI.sub("", stderr))
    if found is None or _NOT_DRIFT.search(found.type) or _NOT_DRIFT_MESSAGE.search(found.message):
        return None
    error = f"{found.type}: {found.message.splitlines()[0] if found.message else ''}".strip()
    if _PYTHON2_ERROR.search(error):
        return Drift("python2", error, "python")
    installed = _INSTALLED.search(found.frames[-1]) if found.frames else None
    # A package of the capsule's own, installed from its folder, is its code, not a dependency.
    if installed is not None and installed.group("package") not in own_modules:
        return Drift("in_dependency", error, installed.group("package"))
    return _named(found, error, set(own_modules), set(own_names))


def _named(found: _Traceback, error: str, own: set[str], own_names: set[str]) -> Drift | None:
    """Drift read from the error's own words: a module or attribute that is not there (any more)."""
    message = found.message

    def outside(module: str) -> bool:
        return module.split(".")[0] not in own

    if (match := _NO_MODULE.search(message)) is not None:
        module = match.group("module")
        top = module.split(".")[0]
        if top in REMOVED_MODULES and top not in own:
            return Drift("removed_module", error, top)
        # `a.b` missing while `a` imported: the package `a` moved or dropped `b`.
        if "." in module and outside(module) and top not in sys.stdlib_module_names:
            return Drift("removed_api", error, top)
        return None
    if (match := _CANNOT_IMPORT.search(message)) is not None:
        # Python < 3.8 names neither the module nor its file: only a well-known removal tells.
        module, path, name = match.group("module"), match.group("path") or "", match.group("name")
        if _INSTALLED.search(path) or (module and outside(module)) or (not module and name in REMOVED_NAMES):
            return Drift("removed_api", error, (module or name).split(".")[0])
        return None
    if "load_boston" in message:  # scikit-learn >= 1.2 raises an ImportError whose message says so
        return Drift("removed_api", error, "sklearn")
    if (match := _MODULE_ATTRIBUTE.search(message)) is not None and outside(match.group("module")):
        return Drift("removed_api", error, match.group("module"))
    keyword = _KEYWORD.search(message) if found.type == "TypeError" else None
    if keyword is not None and not own_names & set(keyword.group("callable").split(".")):
        return Drift("removed_api", error, keyword.group("callable").split(".")[0])
    match = _OBJECT_ATTRIBUTE.search(message)
    if match is not None and match.group("name") in REMOVED_ATTRIBUTES.get(match.group("owner"), ()):
        return Drift("removed_api", error, match.group("owner"))
    return None


def _last_traceback(text: str) -> _Traceback | None:
    headers = list(_HEADER.finditer(text))
    if not headers:
        return None
    body = text[headers[-1].end() :]
    frames = list(_FRAME.finditer(body))
    rest = body[frames[-1].end() :] if frames else body
    lines = rest.splitlines()
    for index, line in enumerate(lines):
        if line[:1].isspace() or not line.strip():
            continue  # a frame's source line or its carets
        match = _EXCEPTION.match(line.rstrip())
        if match is None or not re.search(r"Error|Exception|Exit|Interrupt|Warning", match.group("type")):
            continue
        message = "\n".join([match.group("message") or "", *lines[index + 1 : index + 20]]).strip()
        paths = [frame.group("quoted") or frame.group("bare") for frame in frames]
        return _Traceback(paths, match.group("type").rsplit(".", 1)[-1], message)
    return None
