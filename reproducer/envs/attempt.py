"""One rung of the ladder: resolve the requirements, then reuse or build the environment they key."""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reproducer.envs.diagnose import Diagnosis, diagnose
from reproducer.envs.failure import import_failed
from reproducer.envs.imports import IMPORT_CHECK_VERSION, ImportResults, check_imports
from reproducer.envs.legacy_metadata import invalid_metadata_pin, repaired_requirements, write_config
from reproducer.envs.model import Interpreter
from reproducer.envs.slot import SCHEMA_VERSION, discard, environment_key, locked, read_marker, write_marker
from reproducer.envs.uv import Uv

# Old pins with invalid metadata repaired in one resolution, at most (each costs a compile).
MAX_REPAIRED_PINS = 8


@dataclass(frozen=True)
class RungSpec:
    """What a rung tries: these requirement lines with these extra uv flags."""

    name: str
    reason: str
    requirements: list[str]
    flags: list[str] = field(default_factory=list)
    relaxed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Installed:
    venv: Path
    key: str
    reused: bool
    import_failures: dict[str, str]
    warnings: list[str]


@dataclass(frozen=True)
class Failed:
    diagnosis: Diagnosis
    key: str | None = None
    installed: Installed | None = None  # set when installing worked but imports did not


@dataclass(frozen=True)
class Builder:
    """Everything a rung needs besides its own requirements."""

    uv: Uv
    interpreter: Interpreter
    env_dir: Path  # run_dir/env: the requirement files of each rung are kept here
    envs_root: Path  # shared environments live in envs_root/<key>
    private: bool  # built in env_dir/venv with copied files, never shared
    import_names: list[str]  # distributions whose top-level modules are import-checked
    # Top-level modules the capsule's code imports (None: unknown). Only these must import: one the code
    # never imports cannot break the run (an optional backend such as qtpy without Qt bindings, pinned
    # in a full `pip freeze`), so its failure is a warning.
    code_imports: frozenset[str] | None = None
    tools: frozenset[str] = frozenset()  # our own tool distributions (nbconvert...): they must import

    # Old pins whose invalid metadata was repaired (`legacy_metadata`), for every rung that follows.
    repaired: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def _must_import(self, distribution: str, module: str) -> bool:
        return self.code_imports is None or distribution in self.tools or module in self.code_imports

    def attempt(self, index: int, spec: RungSpec) -> Installed | Failed:
        """Resolve `spec`; reuse the complete environment of that key or build it; check imports."""
        pinned = self._resolve(index, spec)
        if isinstance(pinned, Failed):
            return pinned
        key = environment_key(self.interpreter, pinned)
        venv = self.env_dir / "venv" if self.private else self.envs_root / key
        with locked(venv, self.uv.deadline):
            marker = read_marker(venv, key)
            reused = marker is not None
            if marker is None:
                built = self._build(venv, key, index, spec, pinned)
                if isinstance(built, Failed):
                    return built
                marker = built
            marker = self._imports_checked(venv, marker)
        imports: ImportResults = marker["imports"]
        failures: dict[str, str] = {}
        warnings: list[str] = list(marker["warnings"])
        for name in self.import_names:
            for module, error in imports[name].items():
                if self._must_import(name, module):
                    failures[module] = error
                else:
                    warnings.append(f"import {module} failed, but the code never imports it: {error}")
        installed = Installed(venv, key, reused, failures, warnings)
        if installed.import_failures:
            lines = [f"import {module}: {error}" for module, error in installed.import_failures.items()]
            label = import_failed(next(iter(installed.import_failures)))
            return Failed(Diagnosis(label, lines=lines), key, installed)
        return installed

    def _resolve(self, index: int, spec: RungSpec) -> list[str] | Failed:
        if not spec.requirements:
            return []
        source = self._rung_file(index, spec, ".in")
        source.write_text("\n".join(spec.requirements) + "\n", encoding="utf-8")
        python = ["--python", str(self.interpreter.path)]
        compile_ = ["pip", "compile", str(source), *python, "--no-header", "--no-annotate", *spec.flags]
        while True:
            done = self.uv.run([*compile_, *self._metadata_flags()])
            pin = None if done.ok else invalid_metadata_pin(done.stderr)
            if pin is None or pin in self.repaired or len(self.repaired) >= MAX_REPAIRED_PINS:
                break
            requires = repaired_requirements(*pin)
            if requires is None:
                break
            self.repaired[pin] = requires
            write_config(self._metadata_config, self.repaired)
        if not done.ok:
            return Failed(diagnose(done.stderr, resolving=True))
        self._rung_file(index, spec, ".txt").write_text(done.stdout, encoding="utf-8")
        lines = (line.strip() for line in done.stdout.splitlines())
        return [line for line in lines if line and not line.startswith("#")]

    def _build(
        self, venv: Path, key: str, index: int, spec: RungSpec, pinned: list[str]
    ) -> dict[str, Any] | Failed:
        discard(venv)  # a leftover without a marker is half-built
        try:
            failed = self._install(venv, index, spec, pinned)
            if failed is not None:
                discard(venv)
                return Failed(failed, key)
            marker = {
                "key": key,
                "schema": SCHEMA_VERSION,
                "interpreter": self.interpreter.model_dump(mode="json"),
                "pinned": pinned,
                "rung": spec.name,
                "uv_flags": spec.flags,
                "imports": {},
                "warnings": [],
                "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
            write_marker(venv, marker)  # last: its presence means the environment is complete
            return marker
        except BaseException:
            discard(venv)
            raise

    def _imports_checked(self, venv: Path, marker: dict[str, Any]) -> dict[str, Any]:
        """The marker with import results for all of `import_names`, checking those not yet checked.

        Another plan may have resolved to the same pins while declaring other distributions. Results
        of another version of the check are not trusted: it may have imported other modules.
        """
        if marker.get("import_check") != IMPORT_CHECK_VERSION:  # results of an older check: redone
            marker = marker | {"imports": {}, "import_check": IMPORT_CHECK_VERSION}
        missing = [name for name in self.import_names if name not in marker["imports"]]
        if not missing:
            return marker
        results, warning = check_imports(venv / "bin" / "python", missing, self.uv.log)
        imports = marker["imports"] | results
        updated = marker | {
            "imports": imports,
            "warnings": [*marker["warnings"], *([warning] if warning else [])],
        }
        write_marker(venv, updated)
        return updated

    def _install(self, venv: Path, index: int, spec: RungSpec, pinned: list[str]) -> Diagnosis | None:
        venv.mkdir(parents=True, exist_ok=True)  # bound into the build's sandbox, so it must exist
        made = self.uv.run(
            ["venv", str(venv), "--python", str(self.interpreter.path), "--no-project"], writable=[venv]
        )
        if not made.ok:
            return diagnose(made.stderr, resolving=False)
        if not pinned:
            return None
        # Private environments may be patched: copies, so no edit reaches uv's cache through a hard link.
        link = ["--link-mode", "copy"] if self.private else []
        requirements = str(self._rung_file(index, spec, ".txt"))
        sync = [
            "pip",
            "sync",
            requirements,
            "--python",
            str(venv),
            *link,
            *spec.flags,
            *self._metadata_flags(),
        ]
        synced = self.uv.run(sync, writable=[venv])
        return None if synced.ok else diagnose(synced.stderr, resolving=False)

    @property
    def _metadata_config(self) -> Path:
        return self.env_dir / "dependency-metadata.toml"

    def _metadata_flags(self) -> list[str]:
        """uv's flags for the repaired metadata of old pins (`legacy_metadata`), once there is some."""
        return ["--config-file", str(self._metadata_config)] if self.repaired else []

    def _rung_file(self, index: int, spec: RungSpec, suffix: str) -> Path:
        path = self.env_dir / "rungs" / f"{index}-{spec.name}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        return path
