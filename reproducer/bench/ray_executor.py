"""Tasks on a Ray cluster (`reproducer bench ... --executor ray`), with results landing as with `local`.

Each task is one Ray task asking for a CPU, memory, one sandbox slot (the custom resource
`reproducer_sandbox`, which every node advertises as the number of sandboxes it can hold) and a GPU when
the capsule wants one and the cluster has any. The scheduler keeps one thread per running task waiting
on it, so the dollar cap, Ctrl-C and the display stay the scheduler's.

Where a task's run directory is written:
  shared   the node sees RUNDIR at the same path (its config.json names this run): the task writes its
           run directory in place, and moves aside a cut-off attempt of its own first (a node that died).
  apart    otherwise the task runs in a scratch folder on its node and sends its run directory back as a
           tar archive; the driver unpacks it next to tasks/<key> and renames it into place.
Either way the driver alone writes results/<key>.json, after the run directory is complete, so a
task has a result exactly when it is finished, whichever node ran it and however often Ray retried it.

The agent runs on the node: its calls report their dollars to a ledger actor the driver reads while
the task runs, so --max-total-usd stops new tasks as with `local` (`ray_spending`). --max-connections
does not bound calls across nodes. --max-memory-gb caps the task's sandboxes on its node and is the
memory Ray reserves for it.
"""

import contextlib
import dataclasses
import io
import os
import sys
import tarfile
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reproducer.agent.settings import AgentSettings
from reproducer.bench.backend import memory_gb
from reproducer.bench.config import StoredConfig
from reproducer.bench.executor import ExecutorSetup
from reproducer.bench.facts import FactsCache
from reproducer.bench.ray_spending import POLL_S, Ledger, TaskDollars, reporting_agent
from reproducer.bench.reaper import kill_own_sandboxes
from reproducer.bench.selection import BenchTask
from reproducer.bench.worker import WorkerContext, attempt_task
from reproducer.capsules import Level
from reproducer.errors import BadInput
from reproducer.rundir.bench_layout import INCOMING_PREFIX, BenchDir
from reproducer.rundir.bench_result import CapsuleRecord, TaskResult
from reproducer.rundir.stamp import write_record
from reproducer.tasks.model import Task

SANDBOX_RESOURCE = "reproducer_sandbox"
GIB = 1024**3
# Ray runs a task again when its worker or node dies (not when the task itself raises).
SYSTEM_RETRIES = 3
# Ctrl-C first interrupts a task (its subprocesses are killed as the exception unwinds), then, after
# this many further kill calls of the scheduler (0.2 s apart), ends its worker process.
FORCE_AFTER_KILLS = 25
# What the driver forwards to a local runtime's workers: the cache and settings of this invocation.
FORWARDED_PREFIX = "REPRODUCER_"
UV_RUN_HOOK = "RAY_ENABLE_UV_RUN_RUNTIME_ENV"


@dataclass(frozen=True)
class RayOptions:
    """`address` None: a Ray runtime on this machine with `jobs` sandbox slots (or the one already
    started in this process). `shared` None: find out per task whether the node sees RUNDIR."""

    address: str | None = None
    cpus_per_task: float = 1.0
    shared: bool | None = None


@dataclass(frozen=True)
class RemoteSpec:
    """What a remote task needs of the run (pickled with every task; the functions by cloudpickle)."""

    out: Path
    run_id: str
    shared: bool | None
    level: Level
    command_timeout_s: float
    resolve: Callable[[Task], CapsuleRecord]
    no_gpu: bool
    agent: Callable[[], AgentSettings | None]
    run_options: Mapping[str, Any]
    environment: Mapping[str, str]


def run_remote(
    item: BenchTask, spec: RemoteSpec, ledger: Any = None
) -> tuple[TaskResult | None, bytes | None]:
    """The Ray task: the result (unwritten) and, when RUNDIR is not shared, the run directory as a tar.
    The agent's model calls report their dollars to `ledger` as they go."""
    os.environ.update(spec.environment)
    if ledger is not None:
        spec = dataclasses.replace(spec, agent=reporting_agent(spec.agent, ledger, item.key))
    shared = spec.shared if spec.shared is not None else _same_run(spec.out, spec.run_id)
    if shared:
        bench_dir = BenchDir(spec.out)
        _set_aside(bench_dir, item.key)
        return _attempt(item, bench_dir, spec), None
    with tempfile.TemporaryDirectory(prefix="reproducer-ray-") as scratch:
        bench_dir = BenchDir(Path(scratch))
        result = _attempt(item, bench_dir, spec)
        return result, pack_run_dir(bench_dir.task_dir(item.key), item.key)


def _attempt(item: BenchTask, bench_dir: BenchDir, spec: RemoteSpec) -> TaskResult | None:
    try:
        return attempt_task(item, _context(bench_dir, spec))
    except KeyboardInterrupt:
        # Ray's cancel: a worker process runs one task at a time, so what it started is this task's,
        # and so are the sandbox commands inside its run directory that left its tree.
        kill_own_sandboxes(bench_dir.task_dir(item.key))
        raise


class RayExecutor:
    """Runs each task as a Ray task and writes its result (see the module's docstring)."""

    def __init__(self, setup: ExecutorSetup, options: RayOptions) -> None:
        # Run under `uv run`, Ray would otherwise package the working folder and rebuild its uv
        # environment for every worker; nodes run the installed reproducer instead (read at import).
        os.environ.setdefault(UV_RUN_HOOK, "0")
        try:
            import ray
        except ImportError:
            raise BadInput("--executor ray needs Ray: install the extra, reproducer[ray]") from None
        self._ray = ray
        self._setup, self._options = setup, options
        self._started_runtime = False
        self._running: dict[str, Any] = {}
        self._kills: dict[str, int] = {}
        self._lock = threading.Lock()
        self._jobs = setup.jobs
        # --max-memory-gb: the task's sandboxes are capped at it on the node, and Ray reserves it.
        memory = memory_gb(setup.context.run_options)
        self._memory_bytes = int(memory * GIB) if memory is not None else None
        self._has_gpus = False
        self._remote: Any = None
        self._spec_ref: Any = None
        self._ledger: Any = None
        # Ray's driver prints the cluster's errors (a node died) on stdout, which holds only the outcome
        # (with --json); they go to stderr, with the progress.
        self._stdout = contextlib.redirect_stdout(sys.stderr)
        ctx = setup.context
        forwarded = {k: v for k, v in os.environ.items() if k.startswith(FORWARDED_PREFIX)}
        self._spec = RemoteSpec(
            out=ctx.bench_dir.root,
            run_id=setup.run_id,
            shared=options.shared,
            level=ctx.level,
            command_timeout_s=ctx.command_timeout_s,
            resolve=ctx.resolve,
            no_gpu=ctx.no_gpu,
            agent=setup.plain_agent,
            run_options=dict(ctx.run_options),
            environment=forwarded if options.address is None else {},
        )

    @property
    def jobs(self) -> int:
        return self._jobs

    def __enter__(self) -> "RayExecutor":
        self._stdout.__enter__()
        try:
            self._connect()
        except BaseException:
            self._stdout.__exit__(None, None, None)
            raise
        return self

    def _connect(self) -> None:
        ray = self._ray
        if not ray.is_initialized():
            if self._options.address is None:
                slots = self._setup.jobs or os.cpu_count() or 1
                ray.init(
                    num_cpus=slots,
                    resources={SANDBOX_RESOURCE: slots},
                    include_dashboard=False,
                    log_to_driver=False,
                    configure_logging=False,
                )
            else:
                try:
                    ray.init(address=self._options.address, log_to_driver=False, configure_logging=False)
                except (ConnectionError, RuntimeError) as error:
                    raise BadInput(f"--ray-address {self._options.address}: {error}") from None
            self._started_runtime = True
        resources = ray.cluster_resources()
        slots = int(resources.get(SANDBOX_RESOURCE, 0))
        if slots < 1:
            if self._started_runtime:
                ray.shutdown()
            raise BadInput(
                f"no Ray node advertises the {SANDBOX_RESOURCE} resource; start every node with "
                f"`ray start ... --resources '{{\"{SANDBOX_RESOURCE}\": N}}'` (N sandboxes at once)"
            )
        self._check_memory()
        self._jobs = self._setup.jobs or slots
        self._has_gpus = resources.get("GPU", 0) > 0
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        self._remote = ray.remote(max_retries=SYSTEM_RETRIES)(run_remote)
        self._spec_ref = ray.put(self._spec)  # pickled once, not with every task
        # On the driver's node: a worker node that dies must not take the run's dollars with it.
        here = NodeAffinitySchedulingStrategy(ray.get_runtime_context().get_node_id(), soft=False)
        self._ledger = ray.remote(num_cpus=0, scheduling_strategy=here)(Ledger).remote()

    def _check_memory(self) -> None:
        """A task that reserves more memory than any node has would wait for ever: said at once."""
        if self._memory_bytes is None:
            return
        nodes = [node for node in self._ray.nodes() if node.get("Alive")]  # type: ignore[no-untyped-call]
        largest = max((node.get("Resources", {}).get("memory", 0) for node in nodes), default=0)
        if largest < self._memory_bytes:
            if self._started_runtime:
                self._ray.shutdown()
            raise BadInput(
                f"--max-memory-gb {self._memory_bytes / GIB:g}: no Ray node has that much memory to give "
                f"one task (the largest has {largest / GIB:.1f} GiB)"
            )

    def __exit__(self, *exc_info: object) -> None:
        try:
            if self._started_runtime:
                self._ray.shutdown()
        finally:
            self._stdout.__exit__(None, None, None)

    def run(self, item: BenchTask) -> TaskResult | None:
        ray, ctx = self._ray, self._setup.context
        ref = self._remote.options(**self._resources(item)).remote(item, self._spec_ref, self._ledger)
        dollars = TaskDollars(ray, self._ledger, item.key, self._setup.spending)
        with self._lock:
            self._running[item.key], self._kills[item.key] = ref, 0
        try:
            while not ray.wait([ref], timeout=POLL_S)[0]:
                dollars.poll()  # the scheduler sees the running task's dollars, as with `local`
            outcome: tuple[TaskResult | None, bytes | None] = ray.get(ref)
        except ray.exceptions.TaskCancelledError:
            dollars.poll()  # what it spent before it was cancelled is spent
            return None
        finally:
            with self._lock:
                del self._running[item.key]
        result, packed = outcome
        if result is None or ctx.cancel.is_set():
            dollars.poll()
            return None
        if packed is not None:
            unpack_run_dir(ctx.bench_dir, item.key, packed)
        write_record(ctx.bench_dir.result(item.key), result)
        dollars.finish(result.cost_usd)
        return result

    def kill(self) -> None:
        with self._lock:
            running = list(self._running.items())
            for key, _ in running:
                self._kills[key] += 1
        for key, ref in running:
            kills = self._kills[key]
            if kills == 1 or kills == FORCE_AFTER_KILLS:
                self._ray.cancel(ref, force=kills >= FORCE_AFTER_KILLS)

    def _resources(self, item: BenchTask) -> dict[str, Any]:
        wanted: dict[str, Any] = {
            "num_cpus": self._options.cpus_per_task,
            "resources": {SANDBOX_RESOURCE: 1},
        }
        if self._memory_bytes is not None:
            wanted["memory"] = self._memory_bytes
        if self._has_gpus and self._wants_gpu(item):
            wanted["num_gpus"] = 1
        return wanted

    def _wants_gpu(self, item: BenchTask) -> bool:
        """Looked at on the driver only when the cluster has GPUs; an unreadable capsule wants none (the
        task then fails on its node and says why)."""
        ctx = self._setup.context
        if item.skip_reason is not None or item.invalid_reason is not None or ctx.no_gpu:
            return False
        try:
            return ctx.facts.get(ctx.resolve(item.task).source).uses_gpu
        except Exception:
            return False


def _context(bench_dir: BenchDir, spec: RemoteSpec) -> WorkerContext:
    return WorkerContext(
        bench_dir=bench_dir,
        level=spec.level,
        command_timeout_s=spec.command_timeout_s,
        resolve=spec.resolve,
        facts=FactsCache(),
        no_gpu=spec.no_gpu,
        agent=spec.agent,
        # Never set on the node: Ray's cancel interrupts the task instead.
        cancel=threading.Event(),
        run_options=spec.run_options,
    )


def _same_run(out: Path, run_id: str) -> bool:
    """Whether `out` is, on this node, the run directory of `run_id` (a shared file system)."""
    try:
        stored = StoredConfig.model_validate_json((out / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return stored.run_id == run_id


def _set_aside(bench_dir: BenchDir, key: str) -> None:
    """An earlier attempt of this task on a node that died left its run directory: move it aside."""
    cut_off = bench_dir.task_dir(key)
    if cut_off.exists():
        cut_off.rename(bench_dir.next_interrupted(key))


def pack_run_dir(run_dir: Path, key: str) -> bytes | None:
    if not run_dir.exists():
        return None
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(run_dir, arcname=key)
    return buffer.getvalue()


def unpack_run_dir(bench_dir: BenchDir, key: str, packed: bytes) -> None:
    """The run directory next to its place, then renamed into it (a reader never sees half of it)."""
    bench_dir.tasks.mkdir(parents=True, exist_ok=True)
    _set_aside(bench_dir, key)
    incoming = Path(tempfile.mkdtemp(prefix=f"{INCOMING_PREFIX}{key}-", dir=bench_dir.tasks))
    with tarfile.open(fileobj=io.BytesIO(packed), mode="r:gz") as tar:
        # "tar", not "data": a run directory holds symlinks to absolute paths (a venv's interpreter).
        tar.extractall(incoming, filter="tar")
    (incoming / key).rename(bench_dir.task_dir(key))
    incoming.rmdir()
