"""What a task prompt asks for, one step per thing to do, and the entry points it resolves to."""

from typing import Literal

from pydantic import BaseModel, Field

from reproducer.plan.model import EntryPoint

# The evidence file of every entry point read from the task's prompt.
PROMPT_EVIDENCE_FILE = "task prompt"

StepAction = Literal[
    "run",  # run a file (or a module, or a selection of files)
    "unzip",  # unpack `files` into `target`
    "make_dirs",  # create the directories `files`, inside `target` when stated
    "pip_install",  # pip install the local archives `files`
    "set_workdir",  # later steps run from `target`
    "load_library",  # load the R library `target` before later R code
    "copy",  # copy `files` (or `selection`) into `target`
    "set_env",  # set `environment` for later commands
    "note",  # a sentence with no action this parser understands
]


class StatedArgument(BaseModel):
    """An argument value the prompt states, with the noun that names it when it does.

    "the preprocessing task" is value `preprocessing`, name `task`; "config/uci.json" has no name.
    """

    value: str
    name: str | None = None


class Selection(BaseModel):
    """Files named by a rule rather than by name: "all python files starting with fig_ in the folder"."""

    extension: str | None = None  # ".py"; None: any file
    prefix: str = ""
    suffix: str = ""
    directory: str | None = None  # as stated ("../code"); None: where the previous step's file is


class PromptStep(BaseModel):
    """One thing the prompt orders, in the prompt's order; `evidence` is its sentence."""

    action: StepAction
    files: list[str] = Field(default_factory=list)
    selection: Selection | None = None
    module: str | None = None  # `python -m module`
    subcommand: str | None = None  # the module's verb: "evaluate"
    interpreter: str | None = None  # python, python3, Rscript, bash, knitr, ... when stated
    arguments: list[StatedArgument] = Field(default_factory=list)
    verbatim_arguments: list[str] = Field(default_factory=list)  # `--epochs 10`, as written
    location: str | None = None  # "Run x.py in the src folder": where the files are
    output_format: str | None = None  # html, pdf, docx
    output_dir: str | None = None  # as stated: "../results"
    stdout_file: str | None = None  # "pipe the output to X"
    target: str | None = None  # unzip/copy destination, working directory, library name, parent of dirs
    render_options: dict[str, str] = Field(default_factory=dict)  # "Set clean to 'TRUE'"
    # "from its folder", "in the script's own directory": the file runs with its own folder as cwd.
    own_folder: bool = False
    no_cell_timeout: bool = False
    allow_errors: bool = False
    environment: dict[str, str] = Field(default_factory=dict)
    # Clauses of the sentence no rule read ("and train on the 2D traffic prediction"), kept to be reported.
    remarks: list[str] = Field(default_factory=list)
    evidence: str


class PromptEntries(BaseModel):
    """`prompt_entry_points`' answer: the entry points in the prompt's order and what did not resolve.

    `unresolved` has one reason per file name or selection the capsule does not have; `warnings` says
    what the prompt asks that an EntryPoint cannot carry (notebook options, render options, sentences
    not understood). `steps` is the parse the entries were made from.
    """

    entries: list[EntryPoint] = Field(default_factory=list)
    unresolved: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    steps: list[PromptStep] = Field(default_factory=list)
    # What the prompt asks of its notebooks' runs ("disable the cell execution timeout and allow
    # errors"); an EntryPoint has no field for it, so a runner reads it here.
    notebook_no_cell_timeout: bool = False
    notebook_allow_errors: bool = False
