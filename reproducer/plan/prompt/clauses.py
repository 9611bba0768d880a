"""The clauses of a run sentence: which files, by what interpreter, with which arguments, output where.

Every reader takes the masked sentence text (quoted names are placeholders, see `text.py`) and returns
what it read, most with the text left once its clause is taken out, so the next reader cannot take the
same words for something else ("in the ../code directory" of a selection is no output directory).
"""

import difflib
import posixpath
import re
import shlex
from dataclasses import dataclass

from reproducer.plan.prompt.model import PromptStep, Selection, StatedArgument
from reproducer.plan.prompt.text import TOKEN, Sentence, extension, format_of, is_path_like, split_list

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
INTERPRETERS = {"rscript": "Rscript", "r": "Rscript", "knit": "knitr", "knitr": "knitr", "bash": "bash"}
INTERPRETERS |= {"sh": "sh", "quarto": "quarto", "julia": "julia"}
FLAGS = re.IGNORECASE
ARTICLES = frozenset({"the", "a", "an", "its", "their"})

INTO = re.compile(
    rf"\b(?:in|into|to|under|inside)\s+(?:the\s+)?(?:output\s+(?:directory|folder)\s+)?({TOKEN})"
    r"(\s+(?:folder|directory|dir)s?\b)?",
    FLAGS,
)
FROM = re.compile(rf"\bfrom\s+(?:the\s+)?({TOKEN})(?:\s+(?:folder|directory|dir)\b)?", FLAGS)
OWN_FOLDER = re.compile(
    r"\b(?:from|in|inside|within)\s+(?:its|their|the\s+(?:script|file|notebook|program)(?:'s|s')?)\s+"
    r"(?:own\s+)?(?:containing\s+)?(?:folder|directory|dir)\b",
    FLAGS,
)
STDOUT = re.compile(
    r"\b(?:pipe|redirect|write|save|send)\s+(?:the\s+|its\s+)?(?:standard\s+|printed\s+|console\s+)?"
    rf"(?:output|stdout)\s+(?:in)?to\s+(?:the\s+file\s+)?({TOKEN})",
    FLAGS,
)
SELECTION = re.compile(
    r"\ball\s+(?:of\s+)?(?:the\s+)?(?P<what>(?:[\w-]+\s+){0,2}?)(?P<ext>\.\w+\s+)?"
    r"(?:files|scripts|notebooks|documents)\b"
    r"(?:\s+(?:starting|beginning)\s+with\s+(?P<prefix>\S+))?"
    r"(?:\s+ending\s+(?:with|in)\s+(?P<suffix>\S+))?"
    rf"(?:\s+(?:in|from|under|inside)\s+(?:the\s+)?(?P<dir>{TOKEN})(?P<dirword>\s+(?:folder|directory|dir)\b)?)?",
    FLAGS,
)
_TIMES = re.compile(r"\b(once|twice|thrice|(\w+)\s+times)\b", FLAGS)
_NUMBERS = {"once": 1, "twice": 2, "thrice": 3, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_NUMBERS |= {"seven": 7, "eight": 8, "nine": 9, "ten": 10}
_INTERPRETER = re.compile(
    r"\b(?:using|with|via|through|by|in)\s+(?:the\s+)?"
    r"(python\s?(?:[23](?:\.\d+)*)?|rscript|knitr?|bash|sh|quarto|julia|r)\b"
    r"(?!\s+(?:default|package|librar|markdown|folder|director))",
    FLAGS,
)
_WITH = re.compile(r"\bwith\s+(?!the\s+(?:file|script)\b)(.*)$", FLAGS)
CLAUSE_END = re.compile(
    r"\s+and\s+(?:then\s+)?(?:render|convert|save|store|put|output|pipe|write|export)\b.*$", FLAGS
)
# Clauses of a run sentence that other readers take ("and render it as html", "and 'b.py'").
_KNOWN_CLAUSE = re.compile(
    r"^(?:then\s+)?(?:render|convert|save|store|put|output|pipe|write|export|as|the|a|an|in|to|into|run"
    r"|execute)\b",
    FLAGS,
)
# Words before "in X" that make X where output goes rather than where the file is.
_OUTPUT_CONTEXT = re.compile(
    r"\b(?:outputs?|results?|render\w*|save|store|put|write|export|convert\w*|as)\b", FLAGS
)
_OUTPUT_DIRS = frozenset({"results", "result", "output", "outputs"})
_DIR_NAMES = _OUTPUT_DIRS | {"data", "code"}
_VAGUE_DIRS = frozenset({"folder", "directory", "same", "current", "this", "that", "dir"})
# Words after a file that start verbatim arguments: `main.py --epochs 10`.
_FLAG_WORDS = re.compile(
    r"^\s+((?:-{1,2}[A-Za-z][\w.-]*(?:[= ](?!-|and\b|then\b|using\b|with\b)[^\s,]+)?\s*)+)"
)
_RESPECTIVE_MATCH = 0.5


def times(rest: str) -> tuple[int, str]:
    """How many times the sentence asks ("three times", "twice"), and the text without it."""
    match = _TIMES.search(rest)
    if match is None:
        return 1, rest
    word = (match.group(2) or match.group(1)).lower()
    count = int(word) if word.isdigit() else _NUMBERS.get(word, 1)
    return max(count, 1), rest[: match.start()] + rest[match.end() :]


def interpreter_name(word: str) -> str | None:
    """`python3` as said; a Python 2 or exact version as plain `python` (the environment picks it)."""
    word = word.lower().replace(" ", "")
    if word.startswith("python"):
        return "python3" if word.startswith("python3") else "python"
    return INTERPRETERS.get(word)


def interpreter(rest: str) -> tuple[str | None, str]:
    match = _INTERPRETER.search(rest)
    if match is None:
        return None, rest
    return interpreter_name(match.group(1)), rest[: match.start()] + rest[match.end() :]


@dataclass
class Places:
    """Where a run's output goes, and the folder its files are said to be in."""

    output_dir: str | None = None
    location: str | None = None


def places(sentence: Sentence, rest: str, modifier: bool = False) -> tuple[Places, str]:
    """ "in the ../results folder" is output; "in the src folder" (no output words before) is location.

    In a modifier sentence ("Store the output in X") every such folder is output.
    """
    found = Places()
    spans: list[tuple[int, int]] = []
    matches = [(m, False) for m in INTO.finditer(rest)] + [(m, True) for m in FROM.finditer(rest)]
    for match, origin in sorted(matches, key=lambda pair: pair[0].start()):
        token, dir_word = match.group(1), match.group(2) if not origin else "folder"
        value = sentence.value(token)
        if format_of(value) or extension(value).lower() in RUNNABLE or value.lower() in ARTICLES:
            continue
        if not (sentence.is_quoted(token) or "/" in value or value.lower() in _DIR_NAMES or dir_word):
            continue
        is_output = not origin and (
            modifier
            or posixpath.basename(value.rstrip("/")).lower() in _OUTPUT_DIRS
            or bool(_OUTPUT_CONTEXT.search(rest[: match.start()]))
        )
        if is_output and found.output_dir is None:
            found.output_dir = value
        elif not is_output and found.location is None:
            found.location = value
        else:
            continue
        spans.append(match.span())
    for start, end in reversed(spans):
        rest = rest[:start] + rest[end:]
    return found, rest


def output_format(sentence: Sentence, rest: str) -> str | None:
    if re.search(r"\bword\s+(?:format|document|file)", rest, FLAGS):
        return "docx"
    for token in sentence.tokens(rest):
        value = sentence.value(token)
        if format_of(value) and not extension(value):
            return format_of(value)
    return None


def selection(sentence: Sentence, rest: str) -> Selection | None:
    match = SELECTION.search(rest)
    if match is None:
        return None
    ext = (match.group("ext") or "").strip() or None
    words = [w.lower() for w in (match.group("what") or "").split() if w.lower() not in ARTICLES]
    language = "".join(w for w in words if w != "file")
    ext = (
        ext
        or LANGUAGE_EXTENSIONS.get(language)
        or next((LANGUAGE_EXTENSIONS[w] for w in words if w in LANGUAGE_EXTENSIONS), None)
    )
    if match.group(0).lower().rstrip().endswith("notebooks") and ext is None:
        ext = ".ipynb"
    directory = sentence.value(match.group("dir")) if match.group("dir") else None
    if directory is not None and not (
        match.group("dirword") or sentence.is_quoted(match.group("dir")) or is_path_like(directory)
    ):
        directory = None  # "in order", "in turn": not a folder
    return Selection(
        extension=ext,
        prefix=sentence.value(match.group("prefix")) if match.group("prefix") else "",
        suffix=sentence.value(match.group("suffix")) if match.group("suffix") else "",
        directory=None if directory is None or directory.lower() in _VAGUE_DIRS else directory,
    )


@dataclass
class CommandLine:
    """A command line quoted in the prompt: `python main.py --epochs 10`."""

    interpreter: str | None
    file: str
    words: list[str]


def quoted_command_lines(sentence: Sentence, rest: str) -> dict[str, CommandLine]:
    """Quoted names that are whole command lines, by placeholder token."""
    found: dict[str, CommandLine] = {}
    for token in sentence.tokens(rest):
        value = sentence.value(token)
        if not sentence.is_quoted(token) or " " not in value:
            continue
        words = split_words(value)
        if words and words[0] == "make":
            found[token] = CommandLine(None, "Makefile", words[1:])
            continue
        program = interpreter_name(words[0]) if words else None
        index = 1 if program else 0
        if len(words) > index and extension(words[index]).lower() in RUNNABLE:
            found[token] = CommandLine(program, words[index], words[index + 1 :])
    return found


def is_makefile(name: str) -> bool:
    return posixpath.basename(name).lower() in ("makefile", "gnumakefile")


def flags_after(rest: str, token: str) -> list[str]:
    """Verbatim option words following a file in the text: `Run main.py --epochs 10 and ...`."""
    at = rest.find(token)
    match = _FLAG_WORDS.match(rest[at + len(token) :]) if at >= 0 else None
    if match is None:
        return []
    return split_words(match.group(1))


def split_words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an unbalanced quote: plain words are the best reading
        return text.split()


def with_arguments(sentence: Sentence, rest: str) -> tuple[list[StatedArgument], list[str]]:
    """The values of a "with X, the Y task, and the Z method" clause, and verbatim flags (`--seed 1`)."""
    match = _WITH.search(CLAUSE_END.sub("", rest))
    if match is None:
        return [], []
    arguments: list[StatedArgument] = []
    verbatim: list[str] = []
    for item in argument_items(match.group(1)):
        stated = argument(sentence, item)
        if stated.value.startswith("-"):
            verbatim += split_words(stated.value)
        # "with 'Paper_main.Rnw' as the input" names the file to run, not an argument.
        elif extension(stated.value).lower() not in RUNNABLE:
            arguments.append(stated)
    return arguments, verbatim


def argument_items(text: str) -> list[str]:
    items = [piece for part in re.split(r"\s+with\s+", text, flags=FLAGS) for piece in split_list(part)]
    items = [re.sub(r"^(?:the\s+)?(?:arguments?|options?|flags?|parameters?)\s+(?=-)", "", i) for i in items]
    return [item for item in items if item.lower() not in ARTICLES]


def argument(sentence: Sentence, item: str) -> StatedArgument:
    words = [w for w in item.split() if w.lower() not in ARTICLES]
    if words and words[0].startswith("-"):
        return StatedArgument(value=sentence.unmask(" ".join(words)))
    values = [w for w in words if sentence.is_quoted(w) or is_path_like(sentence.value(w))]
    if values:
        name = " ".join(w for w in words if w is not values[0]) or None
        return StatedArgument(value=sentence.value(values[0]), name=name)
    if len(words) >= 2:
        # "the preprocessing task": the value, then the noun that names it.
        return StatedArgument(value=sentence.value(" ".join(words[:-1])), name=words[-1].lower())
    return StatedArgument(value=sentence.value(" ".join(words)))


def remarks(sentence: Sentence, rest: str) -> list[str]:
    """ "and train on the 2D traffic prediction": what a run sentence adds that no reader takes."""
    pieces = re.split(r"\s+and\s+", _WITH.sub("", rest))[1:]
    return [
        sentence.unmask(piece)
        for piece in pieces
        if re.match(r"^[a-z]+\b(?![./-])", piece, FLAGS)
        and not _KNOWN_CLAUSE.match(piece)
        and not any(extension(sentence.value(t)).lower() in RUNNABLE for t in sentence.tokens(piece))
    ]


def is_document(step: PromptStep) -> bool:
    named = [extension(name).lower() for name in step.files]
    if step.selection is not None and step.selection.extension:
        named.append(step.selection.extension.lower())
    return any(ext in DOCUMENTS for ext in named)


def respective(step: PromptStep, output_dir: str, made: list[str]) -> str:
    """ "in the respective results folders": the directory made earlier whose name best fits the file's."""
    if not made or not step.files:
        return output_dir
    stem = step.files[0].rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    scored = [(difflib.SequenceMatcher(None, stem, name.lower()).ratio(), name) for name in made]
    score, best = max(scored)
    return f"{output_dir.rstrip('/')}/{best}" if score >= _RESPECTIVE_MATCH else output_dir
