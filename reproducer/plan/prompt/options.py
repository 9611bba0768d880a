"""A script's command line as its code declares it, and the stated argument values placed on it.

Python: `add_argument`/`add_option` calls (argparse, optparse), the string values the code compares
an option with (`args.task == 'link_pred'`), and `sys.argv[i]`. R: `commandArgs()` with `args[i]`,
and optparse's `make_option(c("-t", "--task"))`. Only literals are read; nothing is run.
"""

import ast
import re
from dataclasses import dataclass, field

from reproducer.plan.parse.r_code import closing_paren, mask_comments
from reproducer.plan.prompt.model import StatedArgument
from reproducer.plan.prompt.text import extension, is_path_like

_DECLARATION = re.compile(r"\.\s*add_(?:argument|option)\s*\(")
_R_OPTION = re.compile(r"\bmake_option\s*\(")
_R_FLAGS = re.compile(r"""["'](-{1,2}[\w.-]+)["']""")
_COMPARED = re.compile(
    r"""\.(\w+)\s*==\s*(['"])([^'"\n]{1,60})\2|(['"])([^'"\n]{1,60})\4\s*==\s*\w+\.(\w+)"""
)
_COMPARED_IN = re.compile(r"""\.(\w+)\s+in\s+[\[(]([^\])\n]{1,300})[\])]""")
_LITERAL = re.compile(r"""['"]([^'"\n]{1,60})['"]""")
_SYS_ARGV = re.compile(r"\bsys\.argv\s*\[\s*(\d+)\s*\]")
_R_ARGS = re.compile(r"\b(\w+)\s*(?:<-|=)\s*commandArgs\s*\(")
_FILE_WORDS = re.compile(r"file|path|config|cfg|dir|folder|input|json|yaml|csv", re.IGNORECASE)
_SWITCH_ACTIONS = frozenset({"store_true", "store_false", "count", "store_const", "help", "version"})
_MIN_PREFIX = 3


@dataclass
class Option:
    """One declared option; `flags` is empty for a positional argument."""

    flags: tuple[str, ...]
    dest: str
    choices: tuple[str, ...] = ()
    default: str | None = None
    help: str = ""
    takes_value: bool = True
    # Values the code compares the option with: as good as `choices` when the script has none.
    compared: list[str] = field(default_factory=list)

    @property
    def flag(self) -> str:
        long = [f for f in self.flags if f.startswith("--")]
        return (long or list(self.flags))[0]

    @property
    def known_values(self) -> tuple[str, ...]:
        return self.choices + tuple(self.compared)


@dataclass
class CommandLine:
    options: list[Option] = field(default_factory=list)
    # How many bare positional words the script reads (`sys.argv[2]` -> 2, R `args[1]` -> 1).
    positional_slots: int = 0

    @property
    def declared(self) -> bool:
        return bool(self.options) or self.positional_slots > 0


def read_command_line(source: str, language: str) -> CommandLine:
    """The command line a script declares; `language` is "python" or "r". Empty when it declares none."""
    if language == "r":
        return _r_command_line(mask_comments(source))
    options = [option for call in _declarations(source) if (option := _option(call)) is not None]
    for match in _COMPARED.finditer(source):
        dest, value = (match.group(1), match.group(3)) if match.group(1) else (match.group(6), match.group(5))
        _remember(options, dest, [value])
    for match in _COMPARED_IN.finditer(source):
        _remember(options, match.group(1), _LITERAL.findall(match.group(2)))
    slots = max((int(index) for index in _SYS_ARGV.findall(source)), default=0)
    return CommandLine(options, slots)


def _remember(options: list[Option], dest: str, values: list[str]) -> None:
    for option in options:
        if option.dest == dest:
            option.compared += [v for v in values if v not in option.compared]


def _declarations(source: str) -> list[ast.Call]:
    """Every `x.add_argument(...)` call; one call at a time when the file is not Python 3 syntax."""
    try:
        trees = [ast.parse(source)]
    except (SyntaxError, ValueError):
        trees = []
        for match in _DECLARATION.finditer(source):
            close = closing_paren(source, match.end() - 1)
            try:
                trees.append(ast.parse("_.add_argument" + source[match.end() - 1 : close + 1]))
            except (SyntaxError, ValueError):
                continue
    return [
        node
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("add_argument", "add_option")
    ]


def _constant(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool)):
        return str(node.value)
    return None


def _option(call: ast.Call) -> Option | None:
    names = [value for arg in call.args if (value := _constant(arg)) is not None]
    if not names:
        return None
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    flags = tuple(n for n in names if n.startswith("-"))
    dest = _constant(keywords.get("dest")) or (
        max(flags, key=len).lstrip("-").replace("-", "_") if flags else names[0]
    )
    choices_node = keywords.get("choices")
    choices: tuple[str, ...] = ()
    if isinstance(choices_node, (ast.List, ast.Tuple, ast.Set)):
        choices = tuple(value for item in choices_node.elts if (value := _constant(item)) is not None)
    action = _constant(keywords.get("action")) or ""
    return Option(
        flags=flags,
        dest=dest,
        choices=choices,
        default=_constant(keywords.get("default")),
        help=_constant(keywords.get("help")) or "",
        takes_value=action not in _SWITCH_ACTIONS,
    )


def _r_command_line(code: str) -> CommandLine:
    options: list[Option] = []
    for match in _R_OPTION.finditer(code):
        flags = tuple(_R_FLAGS.findall(code[match.end() : closing_paren(code, match.end() - 1)]))
        if flags:
            options.append(Option(flags=flags, dest=max(flags, key=len).lstrip("-").replace("-", "_")))
    slots = 0
    for variable in dict.fromkeys(_R_ARGS.findall(code)):
        indexes = re.findall(rf"\b{re.escape(variable)}\s*\[\[?\s*(\d+)\s*\]", code)
        slots = max([slots, *(int(i) for i in indexes)])
    return CommandLine(options, slots)


def normalized(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _names_match(stated: str, option: Option) -> bool:
    wanted = normalized(stated)
    for candidate in (option.dest, *option.flags):
        have = normalized(candidate)
        if have == wanted or (
            min(len(have), len(wanted)) >= _MIN_PREFIX
            and (have.startswith(wanted) or wanted.startswith(have))
        ):
            return True
    return False


def _known(value: str, option: Option) -> str | None:
    wanted = normalized(value)
    return next((known for known in option.known_values if normalized(known) == wanted), None)


def _takes_path(value: str, option: Option) -> bool:
    if option.choices or not option.takes_value:
        return False
    parts = {normalized(part) for part in re.split(r"[/.]", value) if part}
    default = option.default or ""
    return (
        normalized(option.dest) in parts
        or (bool(extension(default)) and extension(default) == extension(value))
        or bool(_FILE_WORDS.search(option.dest + " " + option.help))
    )


def place_arguments(
    command_line: CommandLine, stated: list[StatedArgument]
) -> tuple[list[str], list[StatedArgument]]:
    """The argv words for the stated values, and the values that found no place on the command line.

    Each value goes to the option its name names (`task` -> `--task`), else the option whose choices
    (or compared values) hold it, else, for a path, the option that takes a file of that kind, else the
    next positional argument the script reads. Values are written as the script spells them
    (`link-pred` -> `link_pred` when the code compares with 'link_pred').
    """
    words: list[str] = []
    unplaced: list[StatedArgument] = []
    used: set[int] = set()
    positionals = [o for o in command_line.options if not o.flags]
    slots = max(command_line.positional_slots - len(positionals), 0)
    named = [o for o in command_line.options if o.flags and o.takes_value]
    for argument in stated:
        option = _choose(argument, named, used)
        if option is not None:
            used.add(id(option))
            words += [option.flag, _known(argument.value, option) or argument.value]
            continue
        positional = next((o for o in positionals if id(o) not in used), None)
        if positional is not None and (argument.name is None or _names_match(argument.name, positional)):
            used.add(id(positional))
            words.append(_known(argument.value, positional) or argument.value)
        elif slots > 0 or (
            not command_line.declared and argument.name is None and is_path_like(argument.value)
        ):
            slots -= 1
            words.append(argument.value)
        else:
            unplaced.append(argument)
    return words, unplaced


def _choose(argument: StatedArgument, named: list[Option], used: set[int]) -> Option | None:
    free = [o for o in named if id(o) not in used]
    if argument.name is not None:
        by_name = next((o for o in free if _names_match(argument.name, o)), None)
        if by_name is not None:
            return by_name
    by_value = next((o for o in free if _known(argument.value, o)), None)
    if by_value is not None:
        return by_value
    if is_path_like(argument.value):
        return next((o for o in free if _takes_path(argument.value, o)), None)
    return None
