"""Python 2.7 environments, for research code written for Python 2.

uv cannot make them (it starts interpreters with `-I`, new in 3.6), so virtualenv 20.21 (the last release
that creates 2.7 environments; run by `uv tool run`) makes one seeded with its bundled pip 20.3.4, the
last pip for 2.7. pip then installs the rung's requirements from PyPI alone: `--isolated` ignores the
host's pip configuration, whose local extra indexes and constraints serve Python 3 (a local index
without `Requires-Python` data let pip pick a Python-3-only patsy). The ladder's uv flags are read as
pip's: `--only-binary`/`--no-binary` as they are, `--exclude-newer DATE` as a cap, from the index's
upload times, on the requirements named (pip has no date cap of its own; their dependencies are chosen
by `Requires-Python` alone).
"""

import datetime as dt
import hashlib
import json
import subprocess
import urllib.error
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from reproducer.envs.attempt import Failed, Installed, RungSpec
from reproducer.envs.diagnose import Diagnosis, canonical, decisive_lines
from reproducer.envs.failure import NO_INTERPRETER, NO_NETWORK, EnvironmentFailed, install_failed
from reproducer.envs.interpreters import installed_by_minor, query_interpreter
from reproducer.envs.model import Interpreter
from reproducer.envs.pins import pinned_version, requirement_name
from reproducer.envs.slot import SCHEMA_VERSION, discard, locked, read_marker, write_marker
from reproducer.envs.uv import Uv, uv_command
from reproducer.envs.wheels import DEFAULT_INDEX, fetch_listing

PYTHON2: tuple[int, int] = (2, 7)
VIRTUALENV = "virtualenv==20.21.1"
PIP_INDEX = DEFAULT_INDEX
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
PYTHON27 = Version("2.7.18")
# Python 2's last day of support: code of a later date was not written for it.
PYTHON2_END = dt.date(2020, 1, 1)
PYTHON2_KEY = "py2-"  # how a Python 2 environment's key begins (ladder.json's rungs show it)
# pip's words for a requirement no version of which installs on 2.7 (the ladder relaxes such a pin).
_NO_VERSION = (
    "Could not find a version that satisfies the requirement ",
    "No matching distribution found for ",
)
_NETWORK = ("Max retries exceeded", "Temporary failure in name resolution", "Connection refused")


def is_python2(requested: str | None) -> bool:
    """Whether a plan's version text asks for Python 2 ("2.7", "2", "<3", "==2.7.*")."""
    text = (requested or "").strip()
    return text.startswith(("2", "==2", "~=2", "<3", "<=2")) or text in {"python2", "py2"}


def python2_interpreter(requested: str | None) -> Interpreter:
    """The Python 2.7 of this machine; raises `EnvironmentFailed` (no_interpreter) when there is none."""
    for path in installed_by_minor().get(PYTHON2, []):
        found = query_interpreter(path)
        if found is not None and found.implementation == "CPython":
            return found.model_copy(update={"requested": requested})
    raise EnvironmentFailed(
        NO_INTERPRETER,
        f"the plan asks for Python 2.7 (requested {requested!r}) and no Python 2.7 is installed here "
        "(looked in pyenv's versions and on PATH)",
    )


# Compiles each file named (never runs it) and prints the first that Python 2.7 cannot parse.
_PARSES_ON_PYTHON2 = (
    "import sys\n"
    "for path in sys.argv[1:]:\n"
    "    try:\n"
    "        compile(open(path, 'rb').read(), path, 'exec', 0, True)\n"
    "    except SyntaxError as error:\n"
    "        print('%s:%s: %s' % (path, error.lineno, error.msg))\n"
    "        break\n"
    "    except Exception:\n"
    "        pass\n"
)
MAX_PARSED_FILES = 300


def python3_only(files: Sequence[Path]) -> str | None:
    """The first of `files` Python 2.7 cannot parse (`path:line: why`): code with Python 3 syntax (an
    f-string, `print(x, end="")`, `nonlocal`) was not written for Python 2. None if all parse, or there
    is no Python 2.7 to ask."""
    try:
        interpreter = python2_interpreter(None)
    except EnvironmentFailed:
        return None
    paths = [str(path) for path in files[:MAX_PARSED_FILES]]
    try:
        done = subprocess.run(
            [str(interpreter.path), "-S", "-E", "-c", _PARSES_ON_PYTHON2, *paths],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def refuse_python2(requested: str | None, backend: str, where: str) -> None:
    """Raise `EnvironmentFailed` (no_interpreter) when a plan asks for Python 2 on a backend without it."""
    if is_python2(requested):
        raise EnvironmentFailed(
            NO_INTERPRETER,
            f"the plan asks for Python 2.7 ({where}), and the {backend} backend has no Python 2 "
            "(its base images are Debian bookworm, which dropped it); run it with the local backend, "
            "which builds Python 2.7 environments",
        )


@dataclass(frozen=True)
class Python2Builder:
    """The ladder's attempt for a Python 2.7 plan: one virtualenv per rung's requirements and flags."""

    uv: Uv
    interpreter: Interpreter
    env_dir: Path
    envs_root: Path
    private: bool
    pip_cache: Path

    def attempt(self, index: int, spec: RungSpec) -> Installed | Failed:
        cap, exempt = _cutoff(spec.flags)
        requirements, pinned_beside = _first_of_each(spec.requirements)
        constraints = [*(capped_at(requirements, cap, exempt) if cap else []), *pinned_beside]
        key = _key(self.interpreter, requirements, constraints, pip_flags(spec.flags))
        venv = self.env_dir / "venv" if self.private else self.envs_root / key
        rung = self.env_dir / "rungs" / f"{index}-{spec.name}"
        rung.parent.mkdir(parents=True, exist_ok=True)
        rung.with_suffix(".in").write_text("\n".join(requirements) + "\n", encoding="utf-8")
        rung.with_suffix(".constraints.txt").write_text("\n".join(constraints) + "\n", encoding="utf-8")
        with locked(venv, self.uv.deadline):
            reused = read_marker(venv, key) is not None
            if not reused:
                failed = self._build(venv, key, rung, spec)
                if failed is not None:
                    return Failed(failed, key)
        warnings = ["imports not checked: the import check needs Python 3.6 or newer"]
        if cap:
            warnings.append(
                f"packages capped at {cap} by their upload dates: {', '.join(constraints) or 'none'}; "
                "their dependencies by Requires-Python only"
            )
        return Installed(venv, key, reused, {}, warnings)

    def _build(self, venv: Path, key: str, rung: Path, spec: RungSpec) -> Diagnosis | None:
        discard(venv)
        venv.mkdir(parents=True, exist_ok=True)
        app_data = self.pip_cache / "virtualenv-app-data"
        app_data.mkdir(parents=True, exist_ok=True)
        try:
            # uv's own options before the tool's name: `Uv.run` would append them to virtualenv's.
            tool = [*uv_command(), "tool", "run", "--no-python-downloads", "--color", "never"]
            virtualenv = ["--from", VIRTUALENV, "virtualenv", "--no-periodic-update"]
            options = ["--app-data", str(app_data), "-p", str(self.interpreter.path), str(venv)]
            made = self.uv.program([*tool, *virtualenv, *options], writable=[venv, self.pip_cache])
            if not made.ok:
                discard(venv)
                return _diagnosis(made.stderr)
            if spec.requirements:
                install = [
                    *pip_command(venv, self.pip_cache),
                    "install",
                    "--index-url",
                    PIP_INDEX,
                    "-r",
                    str(rung.with_suffix(".in")),
                    "-c",
                    str(rung.with_suffix(".constraints.txt")),
                    *pip_flags(spec.flags),
                ]
                done = self.uv.program(install, writable=[venv, self.pip_cache])
                if not done.ok:
                    discard(venv)
                    return _diagnosis(done.stderr + done.stdout)
            marker = {
                "key": key,
                "schema": SCHEMA_VERSION,
                "interpreter": self.interpreter.model_dump(mode="json"),
                "requirements": spec.requirements,
                "rung": spec.name,
                "pip_flags": pip_flags(spec.flags),
                "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
            write_marker(venv, marker)
            return None
        except BaseException:
            discard(venv)
            raise

    def freeze(self, venv: Path) -> str:
        done = self.uv.program(
            [*pip_command(venv, self.pip_cache), "freeze"], writable=[venv, self.pip_cache]
        )
        return done.stdout if done.ok else ""


def _first_of_each(lines: Sequence[str]) -> tuple[list[str], list[str]]:
    """The first line of each name, and the later ones (a pin the ladder added beside a bare name),
    which pip, refusing a name twice among requirements, takes as constraints."""
    seen: set[str] = set()
    first: list[str] = []
    later: list[str] = []
    for line in lines:
        name = requirement_name(line)
        key = canonical(name) if name else line
        (later if key in seen else first).append(line)
        seen.add(key)
    return first, later


def pip_command(venv: Path, cache: Path) -> list[str]:
    """pip of `venv`, deaf to the host's pip settings, asking PyPI only (through the build's proxy)."""
    command = [str(venv / "bin" / "python"), "-m", "pip", "--isolated", "--no-input"]
    command += ["--disable-pip-version-check", "--cache-dir", str(cache / "pip")]
    return command + (["--cert", str(CA_BUNDLE)] if CA_BUNDLE.is_file() else [])


def pip_flags(uv_flags: Sequence[str]) -> list[str]:
    """The ladder's uv flags pip understands the same way (`--only-binary X`, `--no-binary X`)."""
    kept: list[str] = []
    for flag, value in _with_values(uv_flags):
        if flag in ("--only-binary", "--no-binary"):
            kept += [flag, value]
    return kept


def _with_values(flags: Sequence[str]) -> list[tuple[str, str]]:
    """Each flag with the word after it (a flag's value, or the next flag)."""
    return list(zip(flags, [*flags[1:], ""], strict=True)) if flags else []


def _cutoff(uv_flags: Sequence[str]) -> tuple[str | None, set[str]]:
    """The date of `--exclude-newer` and the names `--exclude-newer-package NAME=...` exempt."""
    cap: str | None = None
    exempt: set[str] = set()
    for flag, value in _with_values(uv_flags):
        if flag == "--exclude-newer":
            cap = value
        elif flag == "--exclude-newer-package":
            exempt.add(canonical(value.split("=")[0]))
    return cap, exempt


def capped_at(requirements: Sequence[str], date: str, exempt: set[str]) -> list[str]:
    """`name<=V` for each requirement without an exact pin: V the newest version uploaded before `date`
    that installs on Python 2.7 (none when the index cannot say)."""
    constraints: list[str] = []
    for line in requirements:
        name = requirement_name(line)
        if name is None or pinned_version(line) is not None or canonical(name) in exempt:
            continue
        version = version_before(name, date)
        if version:
            constraints.append(f"{name}<={version}")
    return constraints


def version_before(name: str, date: str) -> str:
    """The newest version of `name` with a file uploaded before `date` (ISO) that Python 2.7 may use."""
    try:
        listing = fetch_listing(PIP_INDEX, canonical(name))
    except (OSError, ValueError, urllib.error.URLError):
        return ""
    best: Version | None = None
    for entry in listing.get("files", []):
        version = _usable_version(entry, date)
        if version is not None and (best is None or version > best):
            best = version
    return str(best) if best else ""


def nearest_wheel(name: str, version: str) -> str:
    """The lowest version >= `version` of `name` with a Linux or pure wheel for Python 2.7; "" if none."""
    try:
        listing = fetch_listing(PIP_INDEX, canonical(name))
        lowest = Version(version)
    except (OSError, ValueError, urllib.error.URLError, InvalidVersion):
        return ""
    found: list[Version] = []
    for entry in listing.get("files", []):
        try:
            _, wheel_version, _, tags = parse_wheel_filename(str(entry.get("filename", "")))
        except (InvalidWheelFilename, InvalidVersion):
            continue
        fits = any(
            t.interpreter.startswith(("py2", "cp27"))
            and (t.platform == "any" or (t.platform.endswith("x86_64") and "linux" in t.platform))
            and t.abi in ("none", "cp27mu")
            for t in tags
        )
        if fits and wheel_version >= lowest and not wheel_version.is_prerelease and not entry.get("yanked"):
            found.append(wheel_version)
    return str(min(found)) if found else ""


def _usable_version(entry: dict[str, Any], date: str) -> Version | None:
    uploaded = str(entry.get("upload-time") or "")
    if not uploaded or uploaded[:10] >= date[:10] or entry.get("yanked"):
        return None
    try:
        if not SpecifierSet(str(entry.get("requires-python") or "")).contains(PYTHON27):
            return None
    except InvalidSpecifier:
        pass
    filename = str(entry.get("filename", ""))
    try:
        if filename.endswith(".whl"):
            _, version, _, tags = parse_wheel_filename(filename)
            python2 = any(t.interpreter.startswith(("py2", "cp27")) for t in tags)
            return version if python2 and not version.is_prerelease else None
        version = parse_sdist_filename(filename)[1]
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return None
    return None if version.is_prerelease else version


def _key(interpreter: Interpreter, requirements: list[str], constraints: list[str], flags: list[str]) -> str:
    content = {
        "schema": SCHEMA_VERSION,
        "python": interpreter.version,
        "virtualenv": VIRTUALENV,
        "requirements": sorted(requirements),
        "constraints": sorted(constraints),
        "flags": flags,
    }
    return PYTHON2_KEY + hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _diagnosis(output: str) -> Diagnosis:
    """pip's (or virtualenv's) failure: a requirement no version of which fits 2.7 is relaxable."""
    lines = [line.strip() for line in output.splitlines() if line.startswith("ERROR:")][:6]
    lines = lines or decisive_lines(output)
    named = sorted(
        {
            canonical(name)
            for line in output.splitlines()
            for prefix in _NO_VERSION
            if prefix in line and (name := requirement_name(line.split(prefix, 1)[1].split(" (")[0].strip()))
        }
    )
    if any(word in output for word in _NETWORK):
        return Diagnosis(NO_NETWORK, None, frozenset(named), lines)
    return Diagnosis(install_failed(named[0] if named else None), None, frozenset(named), lines)
