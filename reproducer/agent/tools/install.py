"""`install`: add packages to the run's environment, with network, outside the agent's sandbox."""

from pydantic import Field

from reproducer.agent.tools.base import Tool, ToolError, ToolInput, ToolOutput
from reproducer.backends.capabilities import InstallKind
from reproducer.backends.installer import InstallRequest, index_problem, refused

MAX_PACKAGES = 20

PYTHON = f"""\
Install packages into the capsule's environment (Python: the one `python` in bash runs).

bash has no network, so this is the only way to add a package: when the code fails with \
`ModuleNotFoundError: No module named 'X'` or needs another version, install it here, then rerun the \
code with bash. {{where}} The call is recorded in the run's records.

- `packages`: 1 to {MAX_PACKAGES} requirement specifiers as pip takes them: `six`, `numpy==1.21.6`, \
`scikit-learn<1.2`, `package[extra]`, or a remote reference `name @ https://...`, `git+https://...` \
(only hosts this machine can reach work; PyPI always does). Use the distribution's name on PyPI, which \
can differ from the import name (import `sklearn` -> `scikit-learn`, `cv2` -> `opencv-python`, `yaml` -> \
`pyyaml`, `PIL` -> `pillow`).
- `index_url`: another package index for this call (e.g. PyTorch's wheel index), an http(s) URL.
- Respect the versions the capsule pins (requirements files, Dockerfile, setup.py): code written for an \
old library often breaks with today's. Pin the version the paper used when you know it.
- Options and paths are refused.
- The result says whether the install succeeded and shows the end of its output."""

R = """
- `kind: "r"`: R packages by name (`data.table`, `ggplot2`), installed with `install.packages` from the \
configured CRAN mirror into the R library the capsule's R uses; a package CRAN cannot give is tried as \
Debian's `r-cran-<name>`."""

SYSTEM = """
- `kind: "system"`: Debian packages by name (`libgsl-dev`, `ffmpeg`), installed with apt-get as root."""

WHERE = {
    "local": "It runs `uv pip install` with network on this machine, confined, into that environment \
(created empty when the pipeline built none).",
    "container": "It runs in a separate container of the same image with network and root, writing to \
the environment your container uses (created empty when the pipeline built none); your bash stays without \
network, as an unprivileged user.",
}


class InstallInput(ToolInput):
    packages: list[str] = Field(
        min_length=1,
        max_length=MAX_PACKAGES,
        description='Package names or requirement specifiers, e.g. ["six", "pandas==1.3.5"].',
    )
    kind: InstallKind = Field(default="python", description="python (default), r or system.")
    index_url: str | None = Field(default=None, description="Python only: a package index to use.")


class Install(Tool[InstallInput]):
    name = "install"
    description = PYTHON.format(where=WHERE["local"])
    Input = InstallInput

    def describe(self) -> str:
        installer = self.context.installer
        kinds = installer.kinds if installer is not None else ("python",)
        where = WHERE["container" if installer is not None and installer.in_container else "local"]
        text = PYTHON.format(where=where)
        text += R if "r" in kinds else ""
        text += SYSTEM if "system" in kinds else ""
        missing = [kind for kind in ("r", "system") if kind not in kinds]
        if missing:
            text += f"\n- Not available on this backend: kind {' and '.join(missing)}."
        return text

    def run(self, arguments: InstallInput) -> ToolOutput:
        installer = self.context.installer
        if installer is None:
            raise ToolError("no installer in this run")
        if arguments.kind not in installer.kinds:
            raise ToolError(
                f"{arguments.kind} packages cannot be installed on this backend; it installs: "
                f"{', '.join(installer.kinds)}"
            )
        problem = index_problem(arguments.index_url)
        if problem is not None:
            raise ToolError(problem)
        if arguments.index_url is not None and arguments.kind != "python":
            raise ToolError("index_url is for Python packages only")
        request = InstallRequest(
            kind=arguments.kind,
            packages=[spec.strip() for spec in arguments.packages],
            index_url=arguments.index_url,
        )
        bad = refused(request)
        if bad:
            raise ToolError(f"not a package requirement (options and paths are refused): {bad}")
        result = installer(request)
        verb = "installed" if result.ok else "FAILED to install"
        head = f"{verb} {', '.join(request.packages)} ({result.seconds:.1f} s)"
        details = {
            "kind": request.kind,
            "command": result.command,
            "ok": result.ok,
            "seconds": result.seconds,
        }
        return ToolOutput(text=f"{head}\n{result.output}".strip(), is_error=not result.ok, details=details)
