"""Read a task file's text into plain Python data (JSON or YAML), with errors that point at the spot."""

import json
import re
from pathlib import Path
from typing import Any

import yaml

from reproducer.errors import BadInput

YAML_SUFFIXES = frozenset({".yaml", ".yml"})
JSON_SUFFIXES = frozenset({".json"})


class _TaskYamlLoader(yaml.SafeLoader):
    """Safe YAML, except that `1e-3` is a float (YAML 1.2) rather than the string PyYAML makes of it:
    a ground-truth value silently turned into a string would be graded as a string.

    Aliases (`*name`) are refused: a task file has no need of them, and nested ones expand
    exponentially (the "billion laughs"), hanging or killing the loader."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]  # PyYAML has no annotations
            raise yaml.composer.ComposerError(
                None, None, f"an alias (*{event.anchor}); task files may not use aliases", event.start_mark
            )
        return super().compose_node(parent, index)


_TaskYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)


def _parse_json(text: str, file: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(
            f"{file}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None


def _parse_yaml(text: str, file: str) -> Any:
    try:
        return yaml.load(text, Loader=_TaskYamlLoader)  # a SafeLoader subclass: safe
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise BadInput(f"{file}: not valid YAML: {error.problem or error.context}{at}") from None
    except yaml.YAMLError as error:
        raise BadInput(f"{file}: not valid YAML: {error}") from None


def parse_document(data: bytes, format_name: Path, file: str) -> Any:
    """Parse `data` as JSON or YAML, chosen by `format_name`'s suffix (else by the first character).

    `file` is how messages name the file. Empty files and undecodable bytes are `BadInput`.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadInput(f"{file}: not UTF-8 text (byte {error.start} cannot be decoded)") from None
    if not text.strip():
        raise BadInput(f"{file}: the file is empty")
    suffix = format_name.suffix.lower()
    if suffix in JSON_SUFFIXES or (suffix not in YAML_SUFFIXES and text.lstrip()[0] in "[{"):
        return _parse_json(text, file)
    return _parse_yaml(text, file)
