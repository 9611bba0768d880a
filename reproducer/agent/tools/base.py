"""What every tool is: a name, a description written for the model, a typed input, and a run method."""

import abc
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from reproducer.agent.limits import AgentLimits, final_turn_reserve
from reproducer.backends.capabilities import Capabilities, capabilities_of
from reproducer.backends.files import HostFiles, WorkspaceFiles
from reproducer.backends.installer import Installer
from reproducer.sandbox.base import Sandbox
from reproducer.tasks.model import Task


class ToolError(Exception):
    """A problem the model can act on (a missing file, a wrong key); sent back as an error result."""


class ToolInput(BaseModel):
    """Tool inputs refuse unknown fields, so a misspelt argument is an error the model sees."""

    model_config = ConfigDict(extra="forbid")


@dataclass
class Picture:
    """An image shown to the model: PNG bytes and the workspace file it was rendered from."""

    png: bytes
    path: str
    width: int
    height: int


@dataclass
class ToolOutput:
    """What a tool returns: text for the model, images, and facts for the trajectory (`details`)."""

    text: str
    is_error: bool = False
    pictures: list[Picture] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    # Set by `submit` when it accepted the answers: the run ends with them.
    submitted: dict[str, Any] | None = None


@dataclass
class ToolContext:
    """Everything the tools act on. `started` (time.monotonic) dates the run, for the wall-time limit."""

    task: Task
    run_dir: Path
    capsule_dir: Path
    sandbox: Sandbox
    limits: AgentLimits
    installer: Installer | None = None
    # What the backend's sandbox does (None: read from the sandbox's kind), for the tools' descriptions.
    capabilities: Capabilities | None = None
    started: float = field(default_factory=time.monotonic)
    # Counts `bash` calls, to name their logs.
    commands_run: int = 0
    # Set by the loop for the run's last turn: `submit` then accepts answers its checks would question.
    final_turn: bool = False
    # The capsule's files as the backend session serves its workspace (None: the capsule folder on this
    # host), for the file tools.
    files: WorkspaceFiles | None = None

    def workspace(self) -> WorkspaceFiles:
        return self.files if self.files is not None else HostFiles(self.capsule_dir)

    def backend(self) -> Capabilities:
        return self.capabilities if self.capabilities is not None else capabilities_of(self.sandbox)

    def seconds_left(self) -> float:
        """The wall time a command may still take: what is left of the limit, less the last turn's share."""
        left = self.limits.wall_seconds - (time.monotonic() - self.started)
        return left - final_turn_reserve(self.limits)


InputT = TypeVar("InputT", bound=ToolInput)


class Tool(abc.ABC, Generic[InputT]):
    """One tool. Subclasses set `name`, `description` and `Input`, and implement `run`."""

    name: ClassVar[str]
    description: ClassVar[str]
    Input: type[InputT]

    def __init__(self, context: ToolContext) -> None:
        self.context = context

    @abc.abstractmethod
    def run(self, arguments: InputT) -> ToolOutput:
        """Do the work; raise ToolError (or BadInput) for a problem the model should hear about."""

    def describe(self) -> str:
        """The description the model reads; a tool whose text depends on the run overrides this."""
        return self.description

    def spec(self) -> dict[str, Any]:
        """The tool as the Messages API takes it."""
        schema = self.Input.model_json_schema()
        schema.pop("title", None)
        for prop in schema.get("properties", {}).values():
            prop.pop("title", None)
        return {"name": self.name, "description": self.describe(), "input_schema": schema}
