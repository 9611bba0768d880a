"""Questions the ladder asks the index through `uv pip compile`, without installing anything.

Each question is asked for a target Python: an interpreter of this machine (`--python PATH`), or one
that is not here, such as an image's (`--python-version X.Y --python-platform P`).
"""

from collections.abc import Sequence

from reproducer.envs.diagnose import canonical
from reproducer.envs.failure import EnvironmentFailed
from reproducer.envs.model import Interpreter
from reproducer.envs.pins import PIN
from reproducer.envs.uv import Uv


def nearest_usable_version(uv: Uv, interpreter: Interpreter, name: str, version: str) -> str:
    """The lowest version >= `version` of `name` with a wheel for `interpreter`; "" if there is none.

    Old papers pin versions that only had wheels for the Pythons of their day, and whose sources no
    longer build. The nearest newer version with a wheel keeps the API as close to the paper's as
    possible, far closer than the newest release would. "" means: relax to the bare name.
    """
    return nearest_wheel_version(uv, interpreter_target(interpreter), name, version)


def nearest_wheel_version(uv: Uv, target: Sequence[str], name: str, version: str) -> str:
    """Like `nearest_usable_version`, for the Python that uv's `target` flags select."""
    flags = ["--no-deps", "--only-binary", ":all:", "--resolution", "lowest"]
    pins = _compile(uv, target, [f"{name}>={version}"], flags)
    return pins.get(canonical(name), "")


def version_at_date(uv: Uv, target: Sequence[str], name: str, date: str) -> str:
    """The newest version of `name` uploaded before `date` (ISO) for uv's `target`; "" if none.

    Without its dependencies nothing is built, so this is a quick question even where only sources exist.
    """
    pins = _compile(uv, target, [name], ["--no-deps", "--exclude-newer", date])
    return pins.get(canonical(name), "")


def dependency_closure(uv: Uv, interpreter: Interpreter, requirements: Sequence[str]) -> list[str]:
    """The names of `requirements` and everything they depend on, as resolved today."""
    return target_closure(uv, interpreter_target(interpreter), requirements)


def target_closure(uv: Uv, target: Sequence[str], requirements: Sequence[str]) -> list[str]:
    """Like `dependency_closure`, for the Python that uv's `target` flags select."""
    return sorted(_compile(uv, target, requirements, []))


def interpreter_target(interpreter: Interpreter) -> list[str]:
    return ["--python", str(interpreter.path)]


def _compile(uv: Uv, target: Sequence[str], requirements: Sequence[str], flags: list[str]) -> dict[str, str]:
    command = ["pip", "compile", "-", *target, "--no-header", "--no-annotate"]
    try:
        done = uv.run([*command, *flags], stdin="\n".join(requirements) + "\n")
    except EnvironmentFailed:  # out of time: the rung that follows records the time-out
        return {}
    matches = (PIN.match(line) for line in done.stdout.splitlines()) if done.ok else ()
    return {canonical(m.group("name")): m.group("version") for m in matches if m is not None}
