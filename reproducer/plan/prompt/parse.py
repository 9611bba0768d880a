"""`parse_prompt`: the English of a task prompt ("Run 'a.py' and 'b.py'. Then unzip x.zip into ../data.")
as an ordered list of steps.

Each sentence is read by the first rule whose opening words fit: setup actions (pip install, unzip,
make directories, set the working directory, load a library, set an environment variable), runs (a
file, a list of files, "all python files starting with fig_"), and modifiers that apply to earlier
runs (output directory and format, render options, notebook options, "First, with ..." for a run asked
"three times"). A sentence no rule reads becomes a `note`, kept so that nothing is silently lost.
"""

import difflib
import re

from reproducer.plan.prompt.model import PromptStep, Selection, StatedArgument
from reproducer.plan.prompt.text import (
    TOKEN,
    Sentence,
    extension,
    format_of,
    is_path_like,
    sentences,
    split_list,
)

# Extensions of the files a prompt can ask to run (the others it names are arguments or outputs).
RUNNABLE = frozenset(
    {".py", ".r", ".rmd", ".qmd", ".rnw", ".ipynb", ".sh", ".bash", ".jl", ".m", ".do", ".pl", ".js"}
)
DOCUMENTS = frozenset({".rmd", ".qmd", ".rnw", ".ipynb"})
ARCHIVES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".gz", ".7z", ".rar")
# File kinds named in words: "all python files", "all R Markdown files", "all notebooks".
LANGUAGE_EXTENSIONS = {
    "python": ".py",
    "r": ".R",
    "rmarkdown": ".Rmd",
    "markdown": ".Rmd",
    "notebook": ".ipynb",
    "jupyter": ".ipynb",
    "ipython": ".ipynb",
    "shell": ".sh",
    "bash": ".sh",
    "quarto": ".qmd",
}
_NUMBERS = {"once": 1, "twice": 2, "thrice": 3, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_NUMBERS |= {"seven": 7, "eight": 8, "nine": 9, "ten": 10}
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_FLAGS = re.IGNORECASE

_LEAD = re.compile(
    r"^(?:(?:then|also|next|finally|afterwards?|lastly|now|and|after that|subsequently)\b,?\s*)+", _FLAGS
)
_ORDINAL = re.compile(rf"^({'|'.join(_ORDINALS)})(?:ly)?\b,?\s*", _FLAGS)
_RUN_VERB = re.compile(r"^(?:run|rerun|re-run|execute|launch|compile|knit|render|source|start)\b", _FLAGS)
_MODIFIER_VERB = re.compile(r"^(?:save|store|put|output|write|convert|export|place|keep)\b", _FLAGS)
_PIP = re.compile(r"\bpip3?\s+install\b|^install\b", _FLAGS)
_MODULE = re.compile(r"\b(python[\d.]*)\s+-m\b(?:\s+(?:flag|option|switch))?", _FLAGS)
_MODULE_NAME = re.compile(
    rf"^[\s,]*(?:and|with|for|on)?\s*(?:the\s+)?({TOKEN})(?:\s+module)?\s*,?\s*", _FLAGS
)
_WORKDIR = re.compile(
    rf"^(?:set|change)\s+(?:the\s+)?(?:current\s+)?(?:working\s+)?(?:directory|folder|wd)\s+to\s+(?:the\s+)?({TOKEN})"
    rf"|^cd\s+(?:in)?to\s+({TOKEN})|^cd\s+({TOKEN})",
    _FLAGS,
)
_SET_OPTION = re.compile(
    rf"^set\s+(?:the\s+)?([\w.-]+)\s+(?:option\s+|parameter\s+|argument\s+)?to\s+({TOKEN})", _FLAGS
)
_LIBRARY = re.compile(
    r"^(?:load|attach|import)\s+(?:the\s+)?(?:(?:library|package)\s+([\w.]+)|([\w.]+)\s+(?:library|package))",
    _FLAGS,
)
_R_DEFAULT_PACKAGES = re.compile(r"\bR\s+default\s+packages\b\s*:?\s*(.*)$", _FLAGS)
_ENV_VAR = re.compile(
    rf"^(?:export|set)\s+(?:the\s+)?(?:environment\s+variable\s+)?([A-Z_][A-Z0-9_]*)\s*(?:=|\s+to\s+)\s*({TOKEN})"
)
_IGNORE_WARNINGS = re.compile(
    r"^(?:ignore|suppress|silence|disable)\s+(?:all\s+)?python\s+warnings\b", _FLAGS
)
_UNZIP = re.compile(r"^(?:unzip|extract|decompress|untar|unpack|uncompress)\b", _FLAGS)
_MAKE_DIRS = re.compile(r"^(?:make|create|mkdir)\b", _FLAGS)
_DIR_WORD = re.compile(r"\b(?:folders?|director(?:y|ies)|dirs?)\b", _FLAGS)
_COPY = re.compile(r"^(?:copy|move|cp)\b", _FLAGS)
_INTO = re.compile(
    rf"\b(?:in|into|to|under|inside)\s+(?:the\s+)?(?:output\s+(?:directory|folder)\s+)?({TOKEN})"
    r"(\s+(?:folder|directory|dir)s?\b)?",
    _FLAGS,
)
_FROM = re.compile(rf"\bfrom\s+(?:the\s+)?({TOKEN})(?:\s+(?:folder|directory|dir)\b)?", _FLAGS)
_TIMES = re.compile(r"\b(once|twice|thrice|(\w+)\s+times)\b", _FLAGS)
_INTERPRETER = re.compile(
    r"\b(?:using|with|via|through|by)\s+(?:the\s+)?(python[\d.]*|rscript|knitr?|bash|sh|quarto|r)\b(?!\s+(?:default|package|librar))",
    _FLAGS,
)
_STDOUT = re.compile(
    rf"\b(?:pipe|redirect|write|save|send)\s+(?:the\s+|its\s+)?(?:standard\s+|printed\s+|console\s+)?"
    rf"(?:output|stdout)\s+(?:in)?to\s+(?:the\s+file\s+)?({TOKEN})",
    _FLAGS,
)
_SELECTION = re.compile(
    r"\ball\s+(?:of\s+)?(?:the\s+)?(?P<what>(?:[\w-]+\s+){0,2}?)(?P<ext>\.\w+\s+)?"
    r"(?:files|scripts|notebooks|documents)\b"
    r"(?:\s+(?:starting|beginning)\s+with\s+(?P<prefix>\S+))?"
    r"(?:\s+ending\s+(?:with|in)\s+(?P<suffix>\S+))?"
    rf"(?:\s+(?:in|from|under|inside)\s+(?:the\s+)?(?P<dir>{TOKEN})(?:\s+(?:folder|directory|dir)\b)?)?",
    _FLAGS,
)
_WITH = re.compile(r"\bwith\s+(?!the\s+(?:file|script)\b)(.*)$", _FLAGS)
_CLAUSE_END = re.compile(
    r"\s+and\s+(?:then\s+)?(?:render|convert|save|store|put|output|pipe|write|export)\b.*$", _FLAGS
)
_NO_TIMEOUT = re.compile(r"\b(?:disable|remove|turn\s+off|no|without)\b[^.]*\btime-?outs?\b", _FLAGS)
_ALLOW_ERRORS = re.compile(
    r"\b(?:allow|ignore|continue\s+on|continue\s+after)\s+(?:cell\s+)?errors?\b|allow_errors", _FLAGS
)
_NOTEBOOK_OPTIONS_ONLY = re.compile(r"^(?:for\b|disable|allow|remove|turn|set\s+no)", _FLAGS)
# Clauses of a run sentence that other rules read ("and render it as html", "and 'b.py'").
_KNOWN_CLAUSE = re.compile(
    r"^(?:then\s+)?(?:render|convert|save|store|put|output|pipe|write|export|as|the|a|an|in|to|into|run|execute)\b",
    _FLAGS,
)
_RESPECTIVE = re.compile(r"\brespective\b", _FLAGS)
_ARTICLES = frozenset({"the", "a", "an", "its", "their"})
_DIR_NAMES = frozenset({"results", "result", "output", "outputs", "data", "code"})
_VAGUE_DIRS = frozenset({"folder", "directory", "same", "current", "this", "that", "dir"})
_RESPECTIVE_MATCH = 0.5


def parse_prompt(text: str) -> list[PromptStep]:
    """The steps a task prompt orders, in order; see the module docstring for the English it reads."""
    state = _State()
    for sentence in sentences(text):
        state.read(sentence)
    state.finish()
    return state.steps


class _State:
    def __init__(self) -> None:
        self.steps: list[PromptStep] = []
        # The copies of a run asked "N times": "First, ..." and "Second, ..." fill them in.
        self.repeats: list[list[PromptStep]] = []
        self.no_cell_timeout = False
        self.allow_errors = False

    @property
    def runs(self) -> list[PromptStep]:
        return [step for step in self.steps if step.action == "run"]

    def read(self, sentence: Sentence) -> None:
        rest = _LEAD.sub("", sentence.text)
        evidence = sentence.original
        options_only = self._notebook_options(rest)
        ordinal = _ORDINAL.match(rest)
        after = rest[ordinal.end() :] if ordinal else rest
        if ordinal and not _RUN_VERB.match(after):
            index = _ORDINALS.index(ordinal.group(1).lower())
            if self._repetition(sentence, index, after):
                return
        rest = _LEAD.sub("", rest[ordinal.end() :] if ordinal else rest)
        for rule in (
            self._pip_install,
            self._module_run,
            self._working_directory,
            self._environment,
            self._set_option,
            self._library,
            self._unzip,
            self._make_dirs,
            self._copy,
            self._run,
            self._modifier,
        ):
            if rule(sentence, rest, evidence):
                return
        if not options_only:
            self.steps.append(PromptStep(action="note", evidence=evidence))

    def finish(self) -> None:
        for step in self.runs:
            step.no_cell_timeout = step.no_cell_timeout or self.no_cell_timeout
            step.allow_errors = step.allow_errors or self.allow_errors

    def _notebook_options(self, rest: str) -> bool:
        """Reads "disable the cell execution timeout and allow errors"; true if that is all it says."""
        found = False
        if _NO_TIMEOUT.search(rest):
            self.no_cell_timeout = found = True
        if _ALLOW_ERRORS.search(rest):
            self.allow_errors = found = True
        return found and bool(_NOTEBOOK_OPTIONS_ONLY.match(rest))

    def _repetition(self, sentence: Sentence, index: int, rest: str) -> bool:
        if index >= len(self.repeats):
            return False
        interpreter, rest = _interpreter(rest)
        for step in self.repeats[index]:
            step.interpreter = interpreter or step.interpreter
            step.arguments = _with_arguments(sentence, rest) or step.arguments
            step.evidence = f"{step.evidence}. {sentence.original}"
        return True

    def _pip_install(self, sentence: Sentence, rest: str, evidence: str) -> bool:
        if not _PIP.search(rest):
            return False
        module = _MODULE.search(rest)
        files = [sentence.value(t) for t in sentence.tokens(rest) if _is_package_file(sentence.value(t))]
        self.steps.append(
            PromptStep(
                action="pip_install",
                files=files,
                interpreter=module.group(1).lower() if module else None,
                evidence=evidence,
            )
        )
        return True

    def _module_run(self, sentence: Sentence, rest: str, evidence: str) -> bool:
        """ "Using the python3 -m flag, and spacy, evaluate the model 'm' with the data path 'd' ..."."""
        flag = _MODULE.search(rest)
        if flag is None:
            return False
        after = rest[flag.end() :]
        named = _MODULE_NAME.match(after)
        if named is None:
            return False
        module = sentence.value(named.group(1))
        tail = after[named.end() :].strip()
        subcommand = None
        verb = re.match(r"^([a-z][\w-]*)\b\s*(.*)$", tail)
        if verb and verb.group(1).lower() not in _ARTICLES:
            subcommand, tail = verb.group(1), verb.group(2)
        stdout = _STDOUT.search(tail)
        if stdout:
            tail = tail[: stdout.start()] + tail[stdout.end() :]
        self.steps.append(
            PromptStep(
                action="run",
                module=module,
                subcommand=subcommand,
                interpreter=flag.group(1).lower(),
                arguments=[_argument(sentence, item) for item in _argument_items(tail)],
                stdout_file=sentence.value(stdout.group(1)) if stdout else None,
                evidence=evidence,
            )
        )
        return True

    def _working_directory(self, sentence: Sentence, rest: str, evidence: str) -> bool:
        match = _WORKDIR.match(rest)
        if match is None:
            return False
        target = sentence.value(next(g for g in match.groups() if g))
        self.steps.append(PromptStep(action="set_workdir", target=target, evidence=evidence))
        return True

    def _environment(self, sentence: Sentence, rest: str, evidence: str) -> bool:
        environment: dict[str, str] = {}
        if (packages := _R_DEFAULT_PACKAGES.search(rest)) and re.match(
            r"^(?:export|set|use)\b", rest, _FLAGS
        ):
            names = [sentence.value(item) for item in split_list(packages.group(1))]
            environment["R_DEFAULT_PACKAGES"] = ",".join(name for name in names if name)
        elif variable := _ENV_VAR.match(rest):
            environment[variable.group(1)] = sentence.value(variable.group(2))
        elif _IGNORE_WARNINGS.match(rest):
            environment["PYTHONWARNINGS"] = "ignore"
        if not environment:
            return False
        self.steps.append(PromptStep(action="set_env", environment=environment, evidence=evidence))
        return True

    def _set_option(self, sentence: Sentence, rest: str, evidence: str) -> bool:
        """ "Set clean to 'TRUE'": a render option of the documents run so far."""
        match = _SET_OPTION.match(rest)
        if match is None:
            return False
        documents = [step for step in self.runs if _is_document(step)] or self.runs[-1:]
        for step in documents:
            step.render_options[match.group(1)] = sentence.value(match.group(2))
        return bool(documents)

    def _library(self, sentence: Sentence, rest: str, evidence: str) -> bool:
        match = _LIBRARY.match(rest)
        if match is None:
            return False
        self.steps.append(
            PromptStep(action="load_library", target=match.group(1) or match.group(2), evidence=evidence)
        )
        return True

    def _unzip(self, sentence: Sentence, rest: str, evidence: str) -> bool:
        if not _UNZIP.match(rest):
            return False
        into = _INTO.search(rest)
        head = rest[: into.start()] if into else rest
        values = [sentence.value(t) for t in sentence.tokens(head)]
        files = [v for v in values if v.lower().endswith(ARCHIVES)] or [v for v in values if is_path_like(v)]
        target = sentence.value(into.group(1)) if into else None
        self.steps.append(PromptStep(action="unzip", files=files, target=target, evidence=evidence))
        return True

    def _make_dirs(self, sentence: Sentence, rest: str, evidence: str) -> bool:
        if not (_MAKE_DIRS.match(rest) and _DIR_WORD.search(rest)):
            return False
        body = re.sub(r"^\w+\s+(?:the\s+)?(?:following\s+)?", "", rest, flags=_FLAGS)
        target = None
        if ":" in body:
            body = body.split(":", 1)[1]
        else:
            # "Make the A, B folders in the results folder", "Create the folders A and B in results".
            word = _DIR_WORD.search(body)
            head, tail = (body[: word.start()], body[word.end() :]) if word else (body, "")
            into = _INTO.search(tail)
            target = sentence.value(into.group(1)) if into else None
            body = head if head.strip() else tail[: into.start()] if into else tail
        body = re.sub(r"\s+to\s+(?:store|hold|keep|save)\b.*$", "", body, flags=_FLAGS)
        names = [sentence.value(item) for item in split_list(body) if item]
        self.steps.append(PromptStep(action="make_dirs", files=names, target=target, evidence=evidence))
        return True

    def _copy(self, sentence: Sentence, rest: str, evidence: str) -> bool:
        if not _COPY.match(rest):
            return False
        # The last "into X" is the destination.
        into = next(reversed(list(_INTO.finditer(rest))), None)
        head = rest[: into.start()] if into else rest
        selection = _selection(sentence, head)
        if selection is not None:
            origin = _FROM.search(head)
            selection.directory = selection.directory or (sentence.value(origin.group(1)) if origin else None)
            files: list[str] = []
        else:
            files = [sentence.value(t) for t in sentence.tokens(head) if is_path_like(sentence.value(t))]
        self.steps.append(
            PromptStep(
                action="copy",
                files=files,
                selection=selection,
                target=sentence.value(into.group(1)) if into else None,
                evidence=evidence,
            )
        )
        return True

    def _run(self, sentence: Sentence, rest: str, evidence: str) -> bool:
        if not _RUN_VERB.match(rest):
            return False
        stdout = _STDOUT.search(rest)
        if stdout:
            rest = rest[: stdout.start()] + rest[stdout.end() :]
        selection = _selection(sentence, rest)
        if selection is not None:
            rest = _SELECTION.sub(" ", rest, count=1)
        times = _TIMES.search(rest)
        count = 1
        if times:
            word = (times.group(2) or times.group(1)).lower()
            count = int(word) if word.isdigit() else _NUMBERS.get(word, 1)
            rest = rest[: times.start()] + rest[times.end() :]
        interpreter, rest = _interpreter(rest)
        output_dir, rest = _output_dir(sentence, rest)
        output_format = _output_format(sentence, rest)
        arguments = _with_arguments(sentence, rest)
        files = [
            value
            for token in sentence.tokens(_CLAUSE_END.sub("", rest))
            if extension(value := sentence.value(token)).lower() in RUNNABLE
        ]
        if not files and selection is None:
            return self._modifier(sentence, rest, evidence)
        common = {
            "interpreter": interpreter,
            "arguments": arguments,
            "output_format": output_format,
            "output_dir": output_dir,
            "stdout_file": sentence.value(stdout.group(1)) if stdout else None,
            "remarks": _remarks(sentence, rest),
            "evidence": evidence,
        }
        made: list[list[PromptStep]] = []
        for _ in range(count):
            if selection is not None:
                copies = [PromptStep(action="run", selection=selection.model_copy(), **common)]
            else:
                copies = [PromptStep(action="run", files=[name], **common) for name in files]
            made.append([step.model_copy(deep=True) for step in copies])
        self.steps += [step for copies in made for step in copies]
        self.repeats = made if count > 1 else self.repeats
        return True

    def _modifier(self, sentence: Sentence, rest: str, evidence: str) -> bool:
        """ "Save the results in html format in ../results": the output of the runs that lack one."""
        if not (_MODIFIER_VERB.match(rest) or _RUN_VERB.match(rest)):
            return False
        output_dir, rest = _output_dir(sentence, rest)
        output_format = _output_format(sentence, rest)
        if not (output_dir or output_format) or not self.runs:
            return False
        respective = self._made_dirs() if _RESPECTIVE.search(rest) else []
        for step in self.runs:
            if output_format and step.output_format is None:
                step.output_format = output_format
            if output_dir and step.output_dir is None:
                step.output_dir = _respective(step, output_dir, respective)
        return True

    def _made_dirs(self) -> list[str]:
        return [name for step in self.steps if step.action == "make_dirs" for name in step.files]


def _is_document(step: PromptStep) -> bool:
    named = [extension(name).lower() for name in step.files]
    if step.selection is not None and step.selection.extension:
        named.append(step.selection.extension.lower())
    return any(ext in DOCUMENTS for ext in named)


def _is_package_file(value: str) -> bool:
    return value.lower().endswith((*ARCHIVES, ".whl")) or value.startswith(("./", "../", "/"))


def _interpreter(rest: str) -> tuple[str | None, str]:
    match = _INTERPRETER.search(rest)
    if match is None:
        return None, rest
    word = match.group(1).lower()
    name = {"rscript": "Rscript", "r": "Rscript", "knit": "knitr"}.get(word, word)
    return name, rest[: match.start()] + rest[match.end() :]


def _output_dir(sentence: Sentence, rest: str) -> tuple[str | None, str]:
    for match in _INTO.finditer(rest):
        token, dir_word = match.group(1), match.group(2)
        value = sentence.value(token)
        if format_of(value) or extension(value).lower() in RUNNABLE or value.lower() in _ARTICLES:
            continue
        if sentence.is_quoted(token) or "/" in value or value.lower() in _DIR_NAMES or dir_word:
            return value, rest[: match.start()] + rest[match.end() :]
    return None, rest


def _output_format(sentence: Sentence, rest: str) -> str | None:
    if re.search(r"\bword\s+(?:format|document|file)", rest, _FLAGS):
        return "docx"
    for token in sentence.tokens(rest):
        value = sentence.value(token)
        if format_of(value) and not extension(value):
            return format_of(value)
    return None


def _selection(sentence: Sentence, rest: str) -> Selection | None:
    match = _SELECTION.search(rest)
    if match is None:
        return None
    ext = (match.group("ext") or "").strip() or None
    words = [w.lower() for w in (match.group("what") or "").split() if w.lower() not in _ARTICLES]
    language = "".join(w for w in words if w != "file")
    ext = (
        ext
        or LANGUAGE_EXTENSIONS.get(language)
        or next((LANGUAGE_EXTENSIONS[w] for w in words if w in LANGUAGE_EXTENSIONS), None)
    )
    if match.group(0).lower().rstrip().endswith("notebooks") and ext is None:
        ext = ".ipynb"
    directory = sentence.value(match.group("dir")) if match.group("dir") else None
    return Selection(
        extension=ext,
        prefix=sentence.value(match.group("prefix")) if match.group("prefix") else "",
        suffix=sentence.value(match.group("suffix")) if match.group("suffix") else "",
        directory=None if directory is None or directory.lower() in _VAGUE_DIRS else directory,
    )


def _with_arguments(sentence: Sentence, rest: str) -> list[StatedArgument]:
    """The values of a "with X, the Y task, and the Z method" clause (runnable files excepted)."""
    match = _WITH.search(_CLAUSE_END.sub("", rest))
    if match is None:
        return []
    arguments = [_argument(sentence, item) for item in _argument_items(match.group(1))]
    # "with 'Paper_main.Rnw' as the input" names the file to run, not an argument.
    return [a for a in arguments if extension(a.value).lower() not in RUNNABLE]


def _argument_items(text: str) -> list[str]:
    items = [piece for part in re.split(r"\s+with\s+", text, flags=_FLAGS) for piece in split_list(part)]
    return [item for item in items if item.lower() not in _ARTICLES]


def _argument(sentence: Sentence, item: str) -> StatedArgument:
    words = [w for w in item.split() if w.lower() not in _ARTICLES]
    values = [w for w in words if sentence.is_quoted(w) or is_path_like(sentence.value(w))]
    if values:
        name = " ".join(w for w in words if w is not values[0]) or None
        return StatedArgument(value=sentence.value(values[0]), name=name)
    if len(words) >= 2:
        # "the preprocessing task": the value, then the noun that names it.
        return StatedArgument(value=sentence.value(" ".join(words[:-1])), name=words[-1].lower())
    return StatedArgument(value=sentence.value(" ".join(words)))


def _remarks(sentence: Sentence, rest: str) -> list[str]:
    """ "and train on the 2D traffic prediction": what a run sentence adds that no rule reads."""
    pieces = re.split(r"\s+and\s+", _WITH.sub("", rest))[1:]
    return [
        sentence.unmask(piece)
        for piece in pieces
        if re.match(r"^[a-z]+\b(?![./-])", piece, _FLAGS)
        and not _KNOWN_CLAUSE.match(piece)
        and not any(extension(sentence.value(t)).lower() in RUNNABLE for t in sentence.tokens(piece))
    ]


def _respective(step: PromptStep, output_dir: str, made: list[str]) -> str:
    """ "in the respective results folders": the directory made earlier whose name best fits the file's."""
    if not made or not step.files:
        return output_dir
    stem = step.files[0].rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    scored = [(difflib.SequenceMatcher(None, stem, name.lower()).ratio(), name) for name in made]
    score, best = max(scored)
    return f"{output_dir.rstrip('/')}/{best}" if score >= _RESPECTIVE_MATCH else output_dir
