"""After installing, import the top-level modules of the declared requirements in the new venv.

The modules come from each distribution's own metadata inside the venv (top_level.txt, else its
file list), so no table of name -> module mappings is needed. A name in top_level.txt that the
distribution does not install is not imported: setuptools lists every `py_modules`/`packages` entry
there, and sloppy ones name `conftest`, `dist`, `src` that never reach site-packages. Importing runs
the packages' code, which may be the capsule's own: the check runs confined (no network, the venv
read-only, no secret in its environment, the run's limits), like the capsule itself.
"""

import json
import os
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from reproducer.envs.commandlog import append_command
from reproducer.sandbox.confine import run_confined
from reproducer.sandbox.env import child_env
from reproducer.sandbox.hostview import interpreter_roots

IMPORT_CHECK_TIMEOUT_S = 180.0
# Raised whenever what the check imports changes; environments' stored results of another one are redone.
# 2: only the modules a distribution installs.
IMPORT_CHECK_VERSION = 2
MODULES_PER_DISTRIBUTION = 3
# Runs inside the venv, whose Python may be as old as 3.6: no walrus, importlib_metadata fallback.
CHECK_SCRIPT = """
import json, sys
try:
    from importlib import metadata
except ImportError:
    try:
        import importlib_metadata as metadata
    except ImportError:
        sys.exit(0)
NOT_MODULES = {"test", "tests", "testing", "doc", "docs", "example", "examples", "benchmarks", "scripts"}
def installed(dist):
    found = set()
    for path in dist.files or []:
        parts = path.parts
        if len(parts) == 1 and parts[0].endswith((".py", ".so", ".pyd")):
            found.add(parts[0].split(".")[0])
        elif len(parts) >= 2 and not parts[0].endswith((".dist-info", ".egg-info", ".data")):
            found.add(parts[0])
    return found
def modules(dist):
    found = installed(dist)
    names = (dist.read_text("top_level.txt") or "").split() or sorted(found)
    if dist.files:
        names = [n for n in names if n in found]
    names = [n for n in dict.fromkeys(names) if n.isidentifier() and not n.startswith("_")]
    return [n for n in names if n not in NOT_MODULES][:LIMIT]
def say(**fields):
    print(json.dumps(fields), flush=True)
for name in sys.argv[1:]:
    try:
        dist = metadata.distribution(name)
    except Exception:
        continue
    for module in modules(dist):
        say(start=module, dist=name)
        try:
            __import__(module)
            say(ok=module)
        except BaseException as error:
            say(failed=module, dist=name, error=(type(error).__name__ + ": " + str(error))[:400])
""".replace("LIMIT", str(MODULES_PER_DISTRIBUTION))


# distribution -> {top-level module -> error} (an empty dict: all its modules imported)
ImportResults = dict[str, dict[str, str]]


def check_imports(python: Path, distributions: Sequence[str], log: Path) -> tuple[ImportResults, str | None]:
    """Import each distribution's top-level modules with `python`.

    Returns the failures of every distribution checked, and a warning when the check itself could
    not finish (it timed out); distributions that are not installed count as checked.
    """
    results: ImportResults = {name: {} for name in distributions}
    if not distributions:
        return results, None
    command = [str(python), "-I", "-c", CHECK_SCRIPT, *distributions]
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="reproducer-imports-") as scratch:
        cwd = Path(scratch)
        env = child_env(
            bin_dirs=[python.parent],
            home=cwd,
            marker=uuid.uuid4().hex,
            network=False,
            threads=os.cpu_count() or 1,
        )
        done = run_confined(
            command,
            cwd=cwd,
            env=env,
            read_only=interpreter_roots([python.parent]),
            writable=[],
            network=False,
            timeout=IMPORT_CHECK_TIMEOUT_S,
        )
    if done.returncode is None:
        return results, f"the import check did not finish within {IMPORT_CHECK_TIMEOUT_S:.0f} s"
    shown = [*command[:3], "<import check>", *distributions]
    stderr = done.stderr if done.confined else f"[imported on the host, not isolated]\n{done.stderr}"
    append_command(log, cwd, shown, done.returncode, done.stdout, stderr, time.monotonic() - start)
    _read_events(done.stdout, done.returncode, done.stderr, results)
    return results, None


def _read_events(stdout: str, code: int, stderr: str, results: ImportResults) -> None:
    started: tuple[str, str] | None = None  # (distribution, module) being imported
    for line in stdout.splitlines():
        event = json.loads(line) if line.startswith("{") else {}
        if "start" in event:
            started = event["dist"], event["start"]
        elif "failed" in event:
            results[event["dist"]][event["failed"]] = event["error"]
            started = None
        elif "ok" in event:
            started = None
    if started is not None:  # the interpreter died inside this import
        last = stderr.strip().splitlines()[-1:] or [""]
        results[started[0]][started[1]] = (
            f"the interpreter died importing it (exit code {code}) {last[0]}".strip()
        )
