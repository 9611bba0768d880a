"""`reproducer bench corebench|tasks`: many tasks, in parallel, resumable, with honest scores.

The run directory's layout is described in `reproducer.rundir.bench_layout`.
"""

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console

from reproducer.agent.limits import DEFAULT_DOLLARS, DEFAULT_STEPS, DEFAULT_WALL_SECONDS, AgentLimits
from reproducer.agent.models.registry import ModelChoice, model_label
from reproducer.agent.settings import DEFAULT_MODEL, AgentChoice, AgentSettings, agent_settings, default_agent
from reproducer.backends.concurrency import MEMORY_PER_TASK_BYTES, default_jobs
from reproducer.bench.backend import Backend
from reproducer.bench.capsule_store import CapsuleStore
from reproducer.bench.checksums import DEFAULT_MANIFEST, read_manifest
from reproducer.bench.config import BenchConfig
from reproducer.bench.display import LiveDisplay, PlainDisplay, Tally
from reproducer.bench.download import DEFAULT_URL_TEMPLATE
from reproducer.bench.executor import ExecutorName, executor_factory
from reproducer.bench.facts import own_capsule
from reproducer.bench.outcome_text import exit_code, outcome_json, outcome_lines
from reproducer.bench.runner import BenchRequest, run_bench
from reproducer.bench.scheduler import Display
from reproducer.bench.selection import bench_tasks, sample, select
from reproducer.bench.task_files import LoadedTasks, load_task_files
from reproducer.commands.isolation import ALLOW_OPTION, refuse_unisolated
from reproducer.commands.model_options import (
    BaseUrlOption,
    FreeOption,
    ModelOption,
    ModelProxyOption,
    PriceInOption,
    PriceOutOption,
    model_choice,
)
from reproducer.envs.slot import default_cache_root
from reproducer.errors import BadInput
from reproducer.pipeline.run import DEFAULT_COMMAND_TIMEOUT_S
from reproducer.rundir.bench_result import CapsuleRecord
from reproducer.sandbox.limits import GIB, MIN_MEMORY_BYTES
from reproducer.tasks.bundled import bundled_split_path
from reproducer.tasks.model import Task

app = typer.Typer(no_args_is_help=True, help="Run many tasks: parallel, resumable, with honest scores.")

LevelOption = Annotated[Literal["easy", "medium", "hard"], typer.Option(help="CORE-Bench difficulty level.")]
CapsuleOption = Annotated[
    list[str] | None, typer.Option("--capsule-id", help="Only this capsule id (repeatable).")
]
# The old spelling, kept working but out of the help: one name per option across commands.
OldCapsuleOption = Annotated[list[str] | None, typer.Option("--capsule", hidden=True)]
LimitOption = Annotated[
    int | None, typer.Option(help="Run only the first N tasks (after --shuffle); part of the configuration.")
]
ShuffleOption = Annotated[bool, typer.Option("--shuffle", help="Shuffle the tasks (seeded by --seed) first.")]
SeedOption = Annotated[int, typer.Option(help="The seed of --shuffle: the same seed picks the same tasks.")]
RetryOption = Annotated[
    bool, typer.Option("--retry-errors", help="Run again the tasks that ended in infra_error (e.g. network).")
]
FieldOption = Annotated[
    list[str] | None, typer.Option("--field", help="Only tasks of this field (repeatable).")
]
LanguageOption = Annotated[
    list[str] | None, typer.Option("--language", help="Only tasks in this language (repeatable).")
]
NoGpuOption = Annotated[bool, typer.Option("--no-gpu", help="Skip capsules that want a GPU (not counted).")]
NoVisionOption = Annotated[bool, typer.Option("--no-vision", help="Drop questions about figures.")]
JobsOption = Annotated[
    int | None, typer.Option("--jobs", "-j", help="Tasks at once (default: min(cores, free GiB // 4)).")
]
ConnectionsOption = Annotated[
    int | None, typer.Option(help="Model calls at once across tasks (default: the number of jobs).")
]
AgentOption = Annotated[
    AgentChoice | None,
    typer.Option(
        help="claude (our LLM agent, any --model), offline, or your own: 'cmd:PATH [ARGS]' or "
        "py:MODULE:FUNCTION (default: claude if ANTHROPIC_API_KEY is set or --model names another provider)."
    ),
]
CostOption = Annotated[float, typer.Option(help="The agent's dollar limit per task.")]
StepsOption = Annotated[int, typer.Option(help="The agent's step limit per task.")]
MinutesOption = Annotated[float, typer.Option(help="The agent's wall-time limit per task, in minutes.")]
UnknownPriceOption = Annotated[bool, typer.Option(help="Allow a model with no price (its cost counts as 0).")]
TotalOption = Annotated[
    float | None, typer.Option(help="Stop starting tasks once this many dollars are spent in all.")
]
TimeoutOption = Annotated[float, typer.Option(help="Time limit per command, in seconds.")]
RepeatsOption = Annotated[int, typer.Option(help="Run every task K times (for pass@k and pass^k).")]
BackendOption = Annotated[Backend, typer.Option(help="Where the code runs.")]
OutOption = Annotated[
    Path | None, typer.Option(help="Run directory (default: runs/bench-...); reuse it to resume.")
]
ExecutorOption = Annotated[
    ExecutorName, typer.Option(help="Where tasks run: threads on this host, or Ray (reproducer[ray]).")
]
RayAddressOption = Annotated[
    str | None,
    typer.Option(help="Ray cluster to join (auto, HOST:6379); default: Ray on this host."),
]
MemoryOption = Annotated[
    float | None,
    typer.Option(
        help="GiB of memory each task's sandboxes may hold (default 16); with --executor ray each task "
        "also reserves it on its node. Without --jobs, as many tasks run at once as free memory holds."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Plain progress on stderr and the outcome as JSON.")]
UnisolatedOption = Annotated[
    bool,
    typer.Option(
        ALLOW_OPTION, help="Run the capsules on the local backend even where bubblewrap cannot isolate them."
    ),
]


def _display(as_json: bool) -> Callable[[Tally], Display]:
    if as_json:
        return lambda tally: PlainDisplay(tally, sys.stderr)
    if sys.stdout.isatty():
        return lambda tally: LiveDisplay(tally, Console(highlight=False))
    return lambda tally: PlainDisplay(tally, sys.stdout)


def _agent_factory(
    agent: AgentChoice | None,
    model: str,
    limits: AgentLimits,
    allow_unknown_price: bool,
    given: ModelChoice,
    proxy: bool,
) -> tuple[AgentChoice, Callable[[], AgentSettings | None]]:
    choice = agent or default_agent(model)

    def make() -> AgentSettings | None:
        return agent_settings(
            choice,
            model,
            limits,
            allow_unknown_price=allow_unknown_price,
            model_choice=given,
            model_proxy=proxy,
        )

    make()  # fail now, not per task
    return choice, make


def _run(
    command: str,
    loaded: LoadedTasks,
    resolve: Callable[[Task], CapsuleRecord],
    *,
    level: Literal["easy", "medium", "hard"],
    capsule: list[str] | None,
    field: list[str] | None,
    language: list[str] | None,
    no_gpu: bool,
    no_vision: bool,
    jobs: int | None,
    max_connections: int | None,
    agent: AgentChoice | None,
    model: str,
    max_cost_usd: float,
    max_steps: int,
    max_minutes: float,
    allow_unknown_price: bool,
    given_model: ModelChoice,
    model_proxy: bool,
    max_total_usd: float | None,
    timeout: float,
    repeats: int,
    backend: Backend,
    out: Path | None,
    as_json: bool,
    allow_unisolated: bool,
    limit: int | None,
    shuffle_seed: int | None,
    retry_errors: bool,
    executor: ExecutorName,
    ray_address: str | None,
    max_memory_gb: float | None,
) -> None:
    if ray_address is not None and executor != "ray":
        raise BadInput("--ray-address needs --executor ray")
    # Before anything is fetched or written: a bench runs many capsules someone else wrote (at the Easy
    # level none of their code runs).
    if level != "easy" and (warned := refuse_unisolated(backend, allowed=allow_unisolated)):
        print(warned, file=sys.stderr)
    chosen = select(
        loaded.tasks, loaded.names, capsules=capsule or [], fields=field or [], languages=language or []
    )
    chosen = sample(chosen, limit=limit, shuffle_seed=shuffle_seed)
    items = bench_tasks(chosen, repeats=repeats, no_vision=no_vision)
    limits = AgentLimits(steps=max_steps, dollars=max_cost_usd, wall_seconds=max_minutes * 60)
    choice, make_agent = _agent_factory(agent, model, limits, allow_unknown_price, given_model, model_proxy)
    uses_model = choice == "claude" or model_proxy
    uses_agent = choice != "offline"
    config = BenchConfig(
        command=command,
        dataset=loaded.names,
        dataset_sha256=loaded.sha256,
        level=level,
        agent=choice,
        model=model_label(model) if uses_model else None,
        max_cost_usd=max_cost_usd if uses_model else None,
        max_steps=max_steps if uses_model else None,
        max_minutes=max_minutes if uses_agent else None,
        command_timeout_s=timeout,
        capsules=sorted(capsule or []),
        fields=sorted(field or []),
        languages=sorted(language or []),
        no_gpu=no_gpu,
        no_vision=no_vision,
        limit=limit,
        shuffle_seed=shuffle_seed,
        repeats=repeats,
        backend=backend,
    )
    if jobs is not None and jobs < 1:
        raise BadInput("--jobs must be at least 1")
    # With Ray, no --jobs means as many at once as the cluster has sandbox slots (0 tells the executor).
    if max_memory_gb is not None and max_memory_gb * GIB < MIN_MEMORY_BYTES:
        raise BadInput(f"--max-memory-gb must be at least {MIN_MEMORY_BYTES / GIB:g} (GiB)")
    memory_bytes = int(max_memory_gb * GIB) if max_memory_gb is not None else MEMORY_PER_TASK_BYTES
    jobs = jobs or (default_jobs(memory_bytes) if executor == "local" else 0)
    if (executor == "local" and jobs < 1) or (max_connections is not None and max_connections < 1):
        raise BadInput("--jobs and --max-connections must be at least 1")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    request = BenchRequest(
        out=out or Path("runs") / f"bench-{command}-{level}-{stamp}",
        config=config,
        tasks=items,
        resolve=resolve,
        agent=make_agent,
        level=level,
        backend=backend,
        command_timeout_s=timeout,
        jobs=jobs,
        max_connections=max_connections or max(jobs, 1),
        max_total_usd=max_total_usd,
        command_line=["reproducer", *sys.argv[1:]],
        retry_errors=retry_errors,
        executor=executor_factory(executor, ray_address),
        max_memory_gb=max_memory_gb,
    )
    if not as_json:
        answerer = (
            choice if uses_agent and choice != "claude" else model if uses_model else "the offline answerer"
        )
        Console(highlight=False, soft_wrap=True).print(
            f"[bold]reproducer bench[/] {command}: {len(items)} tasks at {level}, {jobs} at once, "
            f"answers by {answerer} -> {request.out}"
        )
    outcome = run_bench(request, _display(as_json))
    if as_json:
        print(json.dumps(outcome_json(outcome, sys.argv[1:]), indent=2))
    else:
        console = Console(highlight=False, soft_wrap=True)
        for line in outcome_lines(outcome, sys.argv[1:]):
            console.print(line, markup=False)
    raise typer.Exit(exit_code(outcome))


@app.command("corebench")
def corebench(
    split: Annotated[Literal["train", "test"], typer.Option(help="CORE-Bench split.")] = "train",
    level: LevelOption = "hard",
    dataset: Annotated[
        Path | None,
        typer.Option(help="The split's task file, instead of the bundled one (e.g. core_test.json.gpg)."),
    ] = None,
    capsules_dir: Annotated[
        Path | None,
        typer.Option(help="Folder of capsule-N.tar.gz or capsule-N/ (default with --download: cache)."),
    ] = None,
    download: Annotated[bool, typer.Option("--download", help="Fetch missing capsules.")] = False,
    capsule_url: Annotated[
        str, typer.Option(help="Download URL template with {capsule_id}.")
    ] = DEFAULT_URL_TEMPLATE,
    checksums: Annotated[Path, typer.Option(help="SHA-256 manifest of capsule archives.")] = DEFAULT_MANIFEST,
    capsule: CapsuleOption = None,
    capsule_old: OldCapsuleOption = None,
    field: FieldOption = None,
    language: LanguageOption = None,
    no_gpu: NoGpuOption = False,
    no_vision: NoVisionOption = False,
    jobs: JobsOption = None,
    max_connections: ConnectionsOption = None,
    agent: AgentOption = None,
    model: ModelOption = DEFAULT_MODEL,
    max_cost_usd: CostOption = DEFAULT_DOLLARS,
    max_steps: StepsOption = DEFAULT_STEPS,
    max_minutes: MinutesOption = DEFAULT_WALL_SECONDS / 60,
    allow_unknown_price: UnknownPriceOption = False,
    base_url: BaseUrlOption = None,
    price_in: PriceInOption = None,
    price_out: PriceOutOption = None,
    free: FreeOption = False,
    model_proxy: ModelProxyOption = False,
    max_total_usd: TotalOption = None,
    timeout: TimeoutOption = DEFAULT_COMMAND_TIMEOUT_S,
    repeats: RepeatsOption = 1,
    backend: BackendOption = "local",
    out: OutOption = None,
    as_json: JsonOption = False,
    allow_unisolated: UnisolatedOption = False,
    limit: LimitOption = None,
    shuffle: ShuffleOption = False,
    seed: SeedOption = 0,
    retry_errors: RetryOption = False,
    executor: ExecutorOption = "local",
    ray_address: RayAddressOption = None,
    max_memory_gb: MemoryOption = None,
) -> None:
    """Run a CORE-Bench split: capsules from --capsules-dir (tarballs or folders) or --download."""
    if capsules_dir is None and not download:
        raise BadInput("say where the capsules are: --capsules-dir DIR, or --download to fetch them")
    if "{capsule_id}" not in capsule_url:
        raise BadInput(f"--capsule-url {capsule_url!r} has no {{capsule_id}} placeholder")
    loaded = load_task_files([dataset or bundled_split_path(split)])
    store = CapsuleStore(
        directory=(capsules_dir or default_cache_root() / "capsules").expanduser().absolute(),
        allow_download=download,
        url_template=capsule_url,
        checksums=read_manifest(checksums),
    )
    _run(
        f"corebench-{split}",
        loaded,
        lambda task: store.fetch(task.capsule_id),
        level=level, capsule=[*(capsule or []), *(capsule_old or [])], field=field, language=language,
        no_gpu=no_gpu, no_vision=no_vision,
        jobs=jobs, max_connections=max_connections, agent=agent, model=model, max_cost_usd=max_cost_usd,
        max_steps=max_steps, max_minutes=max_minutes, allow_unknown_price=allow_unknown_price,
        given_model=model_choice(base_url, price_in, price_out, free), model_proxy=model_proxy,
        max_total_usd=max_total_usd, timeout=timeout, repeats=repeats, backend=backend, out=out,
        as_json=as_json, limit=limit, shuffle_seed=seed if shuffle else None, retry_errors=retry_errors,
        executor=executor, ray_address=ray_address, max_memory_gb=max_memory_gb,
        allow_unisolated=allow_unisolated,
    )  # fmt: skip


@app.command("tasks")
def tasks(
    taskfiles: Annotated[
        list[Path], typer.Argument(help="Task files (own YAML/JSON; capsules from `capsule`).")
    ],
    level: LevelOption = "hard",
    capsule: CapsuleOption = None,
    capsule_old: OldCapsuleOption = None,
    field: FieldOption = None,
    language: LanguageOption = None,
    no_gpu: NoGpuOption = False,
    no_vision: NoVisionOption = False,
    jobs: JobsOption = None,
    max_connections: ConnectionsOption = None,
    agent: AgentOption = None,
    model: ModelOption = DEFAULT_MODEL,
    max_cost_usd: CostOption = DEFAULT_DOLLARS,
    max_steps: StepsOption = DEFAULT_STEPS,
    max_minutes: MinutesOption = DEFAULT_WALL_SECONDS / 60,
    allow_unknown_price: UnknownPriceOption = False,
    base_url: BaseUrlOption = None,
    price_in: PriceInOption = None,
    price_out: PriceOutOption = None,
    free: FreeOption = False,
    model_proxy: ModelProxyOption = False,
    max_total_usd: TotalOption = None,
    timeout: TimeoutOption = DEFAULT_COMMAND_TIMEOUT_S,
    repeats: RepeatsOption = 1,
    backend: BackendOption = "local",
    out: OutOption = None,
    as_json: JsonOption = False,
    allow_unisolated: UnisolatedOption = False,
    limit: LimitOption = None,
    shuffle: ShuffleOption = False,
    seed: SeedOption = 0,
    retry_errors: RetryOption = False,
    executor: ExecutorOption = "local",
    ray_address: RayAddressOption = None,
    max_memory_gb: MemoryOption = None,
) -> None:
    """Run our own task sets: each task's capsule is its `capsule` field."""
    _run(
        "tasks",
        load_task_files(taskfiles),
        own_capsule,
        level=level, capsule=[*(capsule or []), *(capsule_old or [])], field=field, language=language,
        no_gpu=no_gpu, no_vision=no_vision,
        jobs=jobs, max_connections=max_connections, agent=agent, model=model, max_cost_usd=max_cost_usd,
        max_steps=max_steps, max_minutes=max_minutes, allow_unknown_price=allow_unknown_price,
        given_model=model_choice(base_url, price_in, price_out, free), model_proxy=model_proxy,
        max_total_usd=max_total_usd, timeout=timeout, repeats=repeats, backend=backend, out=out,
        as_json=as_json, limit=limit, shuffle_seed=seed if shuffle else None, retry_errors=retry_errors,
        executor=executor, ray_address=ray_address, max_memory_gb=max_memory_gb,
        allow_unisolated=allow_unisolated,
    )  # fmt: skip
