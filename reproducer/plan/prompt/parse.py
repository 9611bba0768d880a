"""`parse_prompt`: the English of a task prompt ("Run 'a.py' and 'b.py'. Then unzip x.zip into ../data.")
as an ordered list of steps.

Each sentence is read by the first rule whose opening words fit: setup actions (pip install, unzip,
make directories, set the working directory, load a library, set an environment variable), runs (a
file, a list of files, "all python files starting with fig_"), and modifiers that apply to earlier
runs (output directory and format, render options, notebook options, "First, with ..." for a run asked
"three times"). A sentence no rule reads becomes a `note`, kept so that nothing is silently lost.
"""

import re

from reproducer.plan.prompt import clauses
from reproducer.plan.prompt.clauses import ARCHIVES, ARTICLES, FLAGS, FROM, INTO, RUNNABLE, STDOUT
from reproducer.plan.prompt.model import PromptStep
from reproducer.plan.prompt.text import TOKEN, Sentence, extension, is_path_like, sentences, split_list

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_LEAD = re.compile(
    r"^(?:(?:then|also|next|finally|afterwards?|lastly|now|and|after that|subsequently|please|kindly"
    r"|you\s+(?:should|must|need\s+to|have\s+to|can)|to\s+reproduce\s+the\s+results)\b,?\s*)+",
    FLAGS,
)
# "Using Rscript, run x.R", "In the src folder, run x.py": the opening phrase belongs after the verb.
_OPENING_PHRASE = re.compile(r"^((?:using|with|via|in|inside|from)\b[^,]{1,80}),\s*(?=\S)", FLAGS)
_ORDINAL = re.compile(rf"^({'|'.join(_ORDINALS)})(?:ly)?\b,?\s*", FLAGS)
_RUN_VERB = re.compile(r"^(?:run|rerun|re-run|execute|launch|compile|knit|render|source|start)\b", FLAGS)
_MODIFIER_VERB = re.compile(r"^(?:save|store|put|output|write|convert|export|place|keep)\b", FLAGS)
_PIP = re.compile(r"\bpip3?\s+install\b|^install\b", FLAGS)
_MODULE = re.compile(r"\b(python[\d.]*)\s+-m\b(?:\s+(?:flag|option|switch))?", FLAGS)
_MODULE_NAME = re.compile(rf"^[\s,]*(?:and|with|for|on)?\s*(?:the\s+)?({TOKEN})(?:\s+module)?\s*,?\s*", FLAGS)
_WORKDIR = re.compile(
    r"^(?:set|change)\s+(?:the\s+)?(?:current\s+)?(?:working\s+)?(?:directory|folder|wd)\s+to\s+(?:the\s+)?"
    rf"({TOKEN})|^cd\s+(?:in)?to\s+({TOKEN})|^cd\s+({TOKEN})",
    FLAGS,
)
_SET_OPTION = re.compile(
    rf"^set\s+(?:the\s+)?([\w.-]+)\s+(?:option\s+|parameter\s+|argument\s+)?to\s+({TOKEN})", FLAGS
)
_LIBRARY = re.compile(
    r"^(?:load|attach|import)\s+(?:the\s+)?(?:(?:library|package)\s+([\w.]+)|([\w.]+)\s+(?:library|package))",
    FLAGS,
)
_R_DEFAULT_PACKAGES = re.compile(r"\bR\s+default\s+packages\b\s*:?\s*(.*)$", FLAGS)
_ENV_VAR = re.compile(
    r"^(?:export|set)\s+(?:the\s+)?(?:environment\s+variable\s+)?([A-Z_][A-Z0-9_]*)\s*(?:=|\s+to\s+)\s*"
    rf"({TOKEN})"
)
_IGNORE_WARNINGS = re.compile(r"^(?:ignore|suppress|silence|disable)\s+(?:all\s+)?python\s+warnings\b", FLAGS)
_UNZIP = re.compile(r"^(?:unzip|extract|decompress|untar|unpack|uncompress)\b", FLAGS)
_MAKE_DIRS = re.compile(r"^(?:make|create|mkdir)\b", FLAGS)
_DIR_WORD = re.compile(r"\b(?:folders?|director(?:y|ies)|dirs?)\b", FLAGS)
_COPY = re.compile(r"^(?:copy|move|cp)\b", FLAGS)
_NO_TIMEOUT = re.compile(r"\b(?:disable|remove|turn\s+off|no|without)\b[^.]*\btime-?outs?\b", FLAGS)
_ALLOW_ERRORS = re.compile(
    r"\b(?:allow|ignore|continue\s+on|continue\s+after)\s+(?:cell\s+)?errors?\b|allow_errors", FLAGS
)
_NOTEBOOK_OPTIONS_ONLY = re.compile(r"^(?:for\b|disable|allow|remove|turn|set\s+no)", FLAGS)
_MAKE = re.compile(r"^\w+\s+(?:the\s+)?make(?:\s+command)?((?:\s+[\w.-]+)?)\s*$", FLAGS)
_RESPECTIVE = re.compile(r"\brespective\b", FLAGS)


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
        opening = _OPENING_PHRASE.match(rest)
        if opening and _RUN_VERB.match(moved := _LEAD.sub("", rest[opening.end() :])):
            rest = f"{moved} {opening.group(1)}"
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
        interpreter, rest = clauses.interpreter(rest)
        arguments, verbatim = clauses.with_arguments(sentence, rest)
        for step in self.repeats[index]:
            step.interpreter = interpreter or step.interpreter
            step.arguments = arguments or step.arguments
            step.verbatim_arguments = verbatim or step.verbatim_arguments
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
                interpreter=clauses.interpreter_name(module.group(1)) if module else None,
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
        if verb and verb.group(1).lower() not in ARTICLES:
            subcommand, tail = verb.group(1), verb.group(2)
        stdout = STDOUT.search(tail)
        if stdout:
            tail = tail[: stdout.start()] + tail[stdout.end() :]
        self.steps.append(
            PromptStep(
                action="run",
                module=module,
                subcommand=subcommand,
                interpreter=clauses.interpreter_name(flag.group(1)),
                arguments=[clauses.argument(sentence, item) for item in clauses.argument_items(tail)],
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
        if (packages := _R_DEFAULT_PACKAGES.search(rest)) and re.match(r"^(?:export|set|use)\b", rest, FLAGS):
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
        documents = [step for step in self.runs if clauses.is_document(step)] or self.runs[-1:]
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
        into = INTO.search(rest)
        head = rest[: into.start()] if into else rest
        values = [sentence.value(t) for t in sentence.tokens(head)]
        files = [v for v in values if v.lower().endswith(ARCHIVES)] or [v for v in values if is_path_like(v)]
        target = sentence.value(into.group(1)) if into else None
        self.steps.append(PromptStep(action="unzip", files=files, target=target, evidence=evidence))
        return True

    def _make_dirs(self, sentence: Sentence, rest: str, evidence: str) -> bool:
        if not (_MAKE_DIRS.match(rest) and _DIR_WORD.search(rest)):
            return False
        body = re.sub(r"^\w+\s+(?:the\s+)?(?:following\s+)?", "", rest, flags=FLAGS)
        target = None
        if ":" in body:
            body = body.split(":", 1)[1]
        else:
            # "Make the A, B folders in the results folder", "Create the folders A and B in results".
            word = _DIR_WORD.search(body)
            head, tail = (body[: word.start()], body[word.end() :]) if word else (body, "")
            into = INTO.search(tail)
            target = sentence.value(into.group(1)) if into else None
            body = head if head.strip() else tail[: into.start()] if into else tail
        body = re.sub(r"\s+to\s+(?:store|hold|keep|save)\b.*$", "", body, flags=FLAGS)
        names = [sentence.value(item) for item in split_list(body) if item]
        self.steps.append(PromptStep(action="make_dirs", files=names, target=target, evidence=evidence))
        return True

    def _copy(self, sentence: Sentence, rest: str, evidence: str) -> bool:
        if not _COPY.match(rest):
            return False
        # The last "into X" is the destination.
        into = next(reversed(list(INTO.finditer(rest))), None)
        head = rest[: into.start()] if into else rest
        selection = clauses.selection(sentence, head)
        if selection is not None:
            origin = FROM.search(head)
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
        stdout = STDOUT.search(rest)
        if stdout:
            rest = rest[: stdout.start()] + rest[stdout.end() :]
        selection = clauses.selection(sentence, rest)
        if selection is not None:
            rest = clauses.SELECTION.sub(" ", rest, count=1)
        count, rest = clauses.times(rest)
        interpreter, rest = clauses.interpreter(rest)
        own_folder = clauses.OWN_FOLDER.search(rest)
        if own_folder:
            rest = rest[: own_folder.start()] + rest[own_folder.end() :]
        places, rest = clauses.places(sentence, rest)
        arguments, verbatim = clauses.with_arguments(sentence, rest)
        lines = clauses.quoted_command_lines(sentence, rest)
        named = clauses.CLAUSE_END.sub("", rest)
        files: list[tuple[str, str | None, list[str]]] = []  # (file, interpreter, verbatim arguments)
        for token in sentence.tokens(named):
            if token in lines:
                line = lines[token]
                files.append((line.file, line.interpreter or interpreter, line.words))
            elif extension(value := sentence.value(token)).lower() in RUNNABLE or clauses.is_makefile(value):
                files.append((value, interpreter, clauses.flags_after(named, token)))
        if not files and selection is None and (make := _MAKE.match(named)):
            files = [("Makefile", None, make.group(1).split())]  # "Run make", "Run make all"
        if not files and selection is None:
            files = [(name, interpreter, []) for name in _bare_names(sentence, named)]
        if not files and selection is None:
            return self._modifier(sentence, rest, evidence)
        common = {
            "output_format": clauses.output_format(sentence, rest),
            "output_dir": places.output_dir,
            "location": places.location,
            "own_folder": own_folder is not None,
            "stdout_file": sentence.value(stdout.group(1)) if stdout else None,
            "remarks": clauses.remarks(sentence, rest),
            "evidence": evidence,
        }
        made: list[list[PromptStep]] = []
        for _ in range(count):
            if selection is not None:
                copies = [
                    PromptStep(
                        action="run",
                        selection=selection.model_copy(),
                        interpreter=interpreter,
                        arguments=arguments,
                        verbatim_arguments=verbatim,
                        **common,
                    )
                ]
            else:
                copies = [
                    PromptStep(
                        action="run",
                        files=[name],
                        interpreter=program,
                        arguments=arguments,
                        verbatim_arguments=words + verbatim,
                        **common,
                    )
                    for name, program, words in files
                ]
            made.append([step.model_copy(deep=True) for step in copies])
        self.steps += [step for copies in made for step in copies]
        self.repeats = made if count > 1 else self.repeats
        return True

    def _modifier(self, sentence: Sentence, rest: str, evidence: str) -> bool:
        """ "Save the results in html format in ../results": the output of the runs that lack one."""
        if not (_MODIFIER_VERB.match(rest) or _RUN_VERB.match(rest)):
            return False
        places, rest = clauses.places(sentence, rest, modifier=True)
        output_dir = places.output_dir
        output_format = clauses.output_format(sentence, rest)
        if not (output_dir or output_format) or not self.runs:
            return False
        respective = self._made_dirs() if _RESPECTIVE.search(rest) else []
        for step in self.runs:
            if output_format and step.output_format is None:
                step.output_format = output_format
            if output_dir and step.output_dir is None:
                step.output_dir = clauses.respective(step, output_dir, respective)
        return True

    def _made_dirs(self) -> list[str]:
        return [name for step in self.steps if step.action == "make_dirs" for name in step.files]


def _is_package_file(value: str) -> bool:
    return value.lower().endswith((*ARCHIVES, ".whl")) or value.startswith(("./", "../", "/"))


def _bare_names(sentence: Sentence, text: str) -> list[str]:
    """Quoted names without an extension (`Run 'run'`): Code Ocean's run script has none."""
    return [
        value
        for token in sentence.tokens(text)
        if sentence.is_quoted(token)
        and not extension(value := sentence.value(token))
        and re.fullmatch(r"[\w./-]+", value)
        and not value.endswith("/")
    ]
