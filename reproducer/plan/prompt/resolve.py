"""`prompt_entry_points`: the prompt's steps as entry points of one capsule, in the prompt's order.

Files are found as `locate.py` says; run steps become python/rscript/shell/make entries with the
stated arguments placed on the script's declared command line (`options.py`), documents become
notebook/rmarkdown/quarto entries with their output format and folder, and setup actions (unzip, make
directories, pip install a local archive, copy) become `shell` entries at their place in the order.
"""

import posixpath
import re
import shlex

from reproducer.plan.capsule import Capsule, join, parent
from reproducer.plan.model import EntryKind, EntryPoint, Evidence
from reproducer.plan.prompt.clauses import is_makefile
from reproducer.plan.prompt.locate import CapsulePaths, natural
from reproducer.plan.prompt.model import PROMPT_EVIDENCE_FILE, PromptEntries, PromptStep, StatedArgument
from reproducer.plan.prompt.options import CommandLine, place_arguments, read_command_line
from reproducer.plan.prompt.parse import parse_prompt
from reproducer.plan.prompt.text import MAX_PROMPT_CHARS, extension

# rmarkdown::render's defaults: asking for them needs nothing carried.
DEFAULT_RENDER_OPTIONS = {"clean": "true"}
_DOCUMENT_KINDS: dict[str, EntryKind] = {".ipynb": "notebook", ".rmd": "rmarkdown", ".qmd": "quarto"}
_PLAIN_NAME = re.compile(r"[\w.+-]+")
_SAFE_GLOB = re.compile(r"[^\w.+-]")
_UNPACK = {
    ".zip": "unzip -o -q {archive} -d {target}",
    ".tar.gz": "tar -xzf {archive} -C {target}",
    ".tgz": "tar -xzf {archive} -C {target}",
    ".tar.bz2": "tar -xjf {archive} -C {target}",
    ".tar.xz": "tar -xJf {archive} -C {target}",
    ".tar": "tar -xf {archive} -C {target}",
    ".7z": "7z x -y -o{target} {archive}",
}


def prompt_entry_points(capsule: Capsule, prompt: str) -> PromptEntries:
    """The entry points `prompt` names, resolved against `capsule`; see PromptEntries for the rest."""
    result = _Resolver(capsule, parse_prompt(prompt)).resolve()
    if len(prompt) > MAX_PROMPT_CHARS:
        result.warnings.append(f"the task prompt was read up to its first {MAX_PROMPT_CHARS} characters")
    return result


class _Resolver:
    def __init__(self, capsule: Capsule, steps: list[PromptStep]) -> None:
        self.capsule = capsule
        self.steps = steps
        self.result = PromptEntries(steps=steps)
        self.paths = CapsulePaths(capsule)
        self.environment: dict[str, str] = {}
        self.libraries: list[str] = []
        self.libraries_used = False
        self.last_dir = self.paths.code

    def resolve(self) -> PromptEntries:
        for step in self.steps:
            handler = getattr(self, f"_{step.action}")
            handler(step)
        if self.libraries and not self.libraries_used:
            self.result.warnings.append(
                f"R libraries to load ({', '.join(self.libraries)}): no R expression took them"
            )
        self.result.warnings += self.paths.warnings
        return self.result

    def _entry(self, step: PromptStep, command: str, cwd: str, kind: EntryKind, **extra: str | None) -> None:
        evidence = Evidence(file=PROMPT_EVIDENCE_FILE, text=step.evidence)
        self.result.entries.append(
            EntryPoint(command=command, cwd=self.paths.cwd(cwd), kind=kind, evidence=evidence, **extra)
        )

    # Runs ----------------------------------------------------------------------------------------

    def _run(self, step: PromptStep) -> None:
        if step.module is not None:
            self._module(step)
            return
        if step.selection is not None:
            for path, base in self._select(step):
                self._run_file(step, path, base)
            return
        folder = self.paths.locate_dir(step.location) if step.location else None
        if step.location and folder is None:
            self.result.unresolved.append(f"{step.location}: the task prompt's folder is not in the capsule")
        for name in step.files:
            found = self.paths.locate(name, folder)
            if found is None:
                self.result.unresolved.append(f"{name}: named by the task prompt, not found in the capsule")
                continue
            self._run_file(step, *found)

    def _select(self, step: PromptStep) -> list[tuple[str, str]]:
        selection = step.selection
        assert selection is not None
        directory = self.last_dir
        if selection.directory is not None:
            located = self.paths.locate_dir(selection.directory)
            if located is None:
                self.result.unresolved.append(
                    f"{selection.directory}: the task prompt's folder is not in the capsule"
                )
                return []
            directory = located

        def fits(name: str) -> bool:
            stem = name.rsplit(".", 1)[0]
            return (
                (selection.extension is None or name.lower().endswith(selection.extension.lower()))
                and name.startswith(selection.prefix)
                and stem.endswith(selection.suffix)
            )

        names = sorted(self.capsule.list_files(directory), key=natural)
        chosen = [(join(directory, name), directory) for name in names if fits(name)]
        if not chosen:
            # Nothing directly there: the files may sit in subfolders ("all the notebooks in ../code").
            under = directory + "/" if directory else ""
            chosen = [
                (path, directory)
                for path in sorted(self.capsule.code_files, key=natural)
                if path.startswith(under) and fits(posixpath.basename(path))
            ]
        if not chosen:
            described = f"{selection.prefix}*{selection.suffix}{selection.extension or ''}"
            self.result.unresolved.append(f"{described} in {directory or 'the capsule root'}: no such files")
        return chosen

    def _run_file(self, step: PromptStep, path: str, base: str) -> None:
        for remark in step.remarks:
            self.result.warnings.append(f"{path}: the task prompt also says '{remark}'; not acted on")
        self.last_dir = parent(path)
        suffix = extension(path).lower()
        name = posixpath.basename(path)
        if is_makefile(name):
            targets = " ".join(shlex.quote(word) for word in step.verbatim_arguments)
            self._entry(
                step, self._finish(step, f"make {targets}".strip(), parent(path)), parent(path), "make"
            )
        elif suffix in (".ipynb", ".rmd", ".qmd"):
            self._document(step, name, parent(path), _DOCUMENT_KINDS[suffix])
        elif suffix == ".rnw":
            self._knit(step, name, parent(path))
        elif suffix in (".py", ".r", ".sh", ".bash", ".jl"):
            self._script(step, path, base, suffix)
        elif not suffix and (interpreter := self._shebang(path)) is not None:
            self._script(step, path, base, interpreter)
        else:
            self.result.unresolved.append(
                f"{path}: the task prompt asks to run it, but no runner is known for "
                + (f"{suffix} files" if suffix else "a file with neither extension nor #! line")
            )

    def _document(self, step: PromptStep, name: str, cwd: str, kind: EntryKind) -> None:
        output_dir = (
            self.paths.relative(self.paths.location(step.output_dir), cwd) if step.output_dir else None
        )
        self._entry(step, name, cwd, kind, output_format=step.output_format, output_dir=output_dir)
        carried = {k: v for k, v in step.render_options.items() if DEFAULT_RENDER_OPTIONS.get(k) != v.lower()}
        if carried:
            self.result.warnings.append(
                f"{name}: render options {carried} asked; an entry point cannot carry them"
            )
        if kind == "notebook" and (step.no_cell_timeout or step.allow_errors):
            self.result.notebook_no_cell_timeout |= step.no_cell_timeout
            self.result.notebook_allow_errors |= step.allow_errors
            asked = [
                t
                for t, on in (("no cell timeout", step.no_cell_timeout), ("allow errors", step.allow_errors))
                if on
            ]
            self.result.warnings.append(
                f"{name}: notebook options asked ({', '.join(asked)}); an entry point has no field for them"
            )
        if self.environment:
            self.result.warnings.append(
                f"{name}: environment {self.environment} asked; a rendered document cannot carry it"
            )

    def _knit(self, step: PromptStep, name: str, cwd: str) -> None:
        """A LaTeX+R (.Rnw) document: knitr weaves it and, for a pdf (the default), runs LaTeX."""
        function = "knit" if step.output_format == "tex" else "knit2pdf"
        libraries = "".join(f"library({library}); " for library in self.libraries)
        self.libraries_used = self.libraries_used or bool(libraries)
        expression = f"{libraries}knitr::{function}('{name}')"
        output_dir = (
            self.paths.relative(self.paths.location(step.output_dir), cwd) if step.output_dir else None
        )
        quoted = f'"{expression}"' if _PLAIN_NAME.fullmatch(name) else shlex.quote(expression)
        command = self._with_environment(f"Rscript -e {quoted}")
        self._entry(
            step, command, cwd, "rscript", output_format=step.output_format or "pdf", output_dir=output_dir
        )

    def _script(self, step: PromptStep, path: str, base: str, suffix: str) -> None:
        base = parent(path) if step.own_folder else base
        language = "r" if suffix == ".r" else "python" if suffix == ".py" else "other"
        source = self.capsule.read_text(path) or ""
        command_line = read_command_line(source, language) if language != "other" else CommandLine()
        # "Set epochs to 10" after a script's run is one of its options, like "with 10 epochs".
        options = [StatedArgument(value=v, name=k) for k, v in step.render_options.items()]
        words = self._place(path, [*step.arguments, *options], command_line, base)
        words += [self.paths.argument_value(word, base) for word in step.verbatim_arguments]
        program, kind = self._program(step, suffix)
        relative = self.paths.relative(path, base)
        command = " ".join([program, shlex.quote(relative), *map(shlex.quote, words)])
        self._entry(step, self._finish(step, command, base), base, kind)

    def _shebang(self, path: str) -> str | None:
        """The script kind a file without extension names on its `#!` line (Code Ocean's `run`)."""
        first = (self.capsule.read_text(path) or "").split("\n", 1)[0]
        if not first.startswith("#!"):
            return None
        for word, suffix in (("python", ".py"), ("Rscript", ".r"), ("bash", ".sh"), ("sh", ".sh")):
            if re.search(rf"\b{word}[\d.]*\b", first):
                return suffix
        return None

    def _program(self, step: PromptStep, suffix: str) -> tuple[str, EntryKind]:
        stated = step.interpreter or ""
        if suffix == ".py":
            return (stated if stated.startswith("python") else "python"), "python"
        if suffix == ".r":
            return "Rscript", "rscript"
        if suffix == ".jl":
            return "julia", "shell"
        return (stated if stated in ("bash", "sh") else "bash"), "shell"

    def _place(
        self, label: str, stated: list[StatedArgument], command_line: CommandLine, cwd: str
    ) -> list[str]:
        words, unplaced = place_arguments(command_line, stated)
        for argument in unplaced:
            said = f"{argument.name} {argument.value}" if argument.name else argument.value
            self.result.warnings.append(
                f"{label}: the prompt's '{said}' has no place on its command line; left out"
            )
        return [self.paths.argument_value(word, cwd) for word in words]

    def _finish(self, step: PromptStep, command: str, cwd: str) -> str:
        if step.stdout_file:
            target = self.paths.relative(self.paths.location(step.stdout_file), cwd)
            command = f"{command} > {shlex.quote(target)}"
        return self._with_environment(command)

    def _with_environment(self, command: str) -> str:
        assignments = [f"{name}={shlex.quote(value)}" for name, value in self.environment.items()]
        return " ".join([*assignments, command])

    def _module(self, step: PromptStep) -> None:
        """`python -m module verb ...`: the module's command line is read when the capsule has it."""
        module = step.module or ""
        program = step.interpreter or "python"
        base = self.paths.code
        own = next(
            (
                p
                for p in (f"{module.replace('.', '/')}.py", f"{module.replace('.', '/')}/__main__.py")
                if self.capsule.is_file(join(base, p))
            ),
            None,
        )
        if own is not None:
            words = self._place(
                module,
                step.arguments,
                read_command_line(self.capsule.read_text(join(base, own)) or "", "python"),
                base,
            )
        else:
            # Not the capsule's: its options are unknown; values go in the order stated, and the common
            # convention `--output` names an output.
            words = []
            for argument in step.arguments:
                if argument.name and argument.name.lower().startswith("output"):
                    # An output said as `results/x` is the capsule's results folder, like an output_dir.
                    words += ["--output", self.paths.relative(self.paths.location(argument.value), base)]
                else:
                    words.append(self.paths.argument_value(argument.value, base))
            if step.arguments:
                self.result.warnings.append(
                    f"python -m {module}: not in the capsule, so its options are unknown; the prompt's "
                    "values are passed in the order stated (an output as --output)"
                )
        parts = [program, "-m", module, *([step.subcommand] if step.subcommand else []), *words]
        self._entry(step, self._finish(step, " ".join(map(shlex.quote, parts)), base), base, "python")

    # Setup actions -------------------------------------------------------------------------------

    def _unzip(self, step: PromptStep) -> None:
        cwd = self.paths.code
        for name in step.files:
            archive = self.paths.location(name)
            if not self.capsule.is_file(archive):
                found = self.paths.locate(name)
                if found is None:
                    self.result.unresolved.append(
                        f"{name}: the archive the task prompt unpacks is not in the capsule"
                    )
                    continue
                archive = found[0]
            suffix = next((s for s in _UNPACK if archive.lower().endswith(s)), None)
            if suffix is None:
                self.result.unresolved.append(f"{name}: no known way to unpack it")
                continue
            target = self.paths.relative(
                self.paths.location(step.target) if step.target else parent(archive), cwd
            )
            unpack = _UNPACK[suffix].format(
                archive=shlex.quote(self.paths.relative(archive, cwd)), target=shlex.quote(target)
            )
            self._entry(step, f"mkdir -p {shlex.quote(target)} && {unpack}", cwd, "shell")

    def _make_dirs(self, step: PromptStep) -> None:
        cwd = self.paths.code
        paths = [self.paths.location(join(step.target, name) if step.target else name) for name in step.files]
        if paths:
            words = [shlex.quote(self.paths.relative(path, cwd)) for path in paths]
            self._entry(step, "mkdir -p " + " ".join(words), cwd, "shell")

    def _pip_install(self, step: PromptStep) -> None:
        program = step.interpreter if (step.interpreter or "").startswith("python") else "python"
        for name in step.files:
            found = self.paths.locate(name)
            if found is None:
                self.result.unresolved.append(
                    f"{name}: the package the task prompt installs is not in the capsule"
                )
                continue
            path, base = found
            # `./` makes pip read the name as a file, never as a package to fetch from an index.
            local = self.paths.relative(path, base)
            local = local if "/" in local else f"./{local}"
            self._entry(step, f"{program} -m pip install {shlex.quote(local)}", base, "shell")

    def _copy(self, step: PromptStep) -> None:
        cwd = self.paths.code
        if step.target is None:
            self.result.warnings.append(f"copy without a destination: {step.evidence}")
            return
        target = shlex.quote(self.paths.relative(self.paths.location(step.target), cwd))
        if step.selection is not None:
            selection = step.selection
            origin = self.paths.copy_source(selection.directory or ".")
            pattern = (
                _SAFE_GLOB.sub("", f"{selection.prefix}")
                + "*"
                + _SAFE_GLOB.sub("", selection.suffix + (selection.extension or ""))
            )
            sources = [f"{shlex.quote(self.paths.relative(origin, cwd))}/{pattern}"]
        else:
            sources = [
                shlex.quote(self.paths.relative(self.paths.copy_source(name), cwd)) for name in step.files
            ]
        if sources:
            self._entry(step, f"mkdir -p {target} && cp -r {' '.join(sources)} {target}/", cwd, "shell")

    def _set_workdir(self, step: PromptStep) -> None:
        located = self.paths.locate_dir(step.target or "")
        if located is None:
            self.result.unresolved.append(
                f"{step.target}: the task prompt's working directory is not in the capsule"
            )
            return
        self.paths.workdir = located

    def _load_library(self, step: PromptStep) -> None:
        if step.target:
            self.libraries.append(step.target)

    def _set_env(self, step: PromptStep) -> None:
        self.environment.update(step.environment)

    def _note(self, step: PromptStep) -> None:
        self.result.warnings.append(f"task prompt sentence not acted on: {step.evidence}")
