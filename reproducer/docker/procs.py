"""Signalling a container's processes from inside it, and reading its cgroup's OOM-kill count.

`docker exec` forwards no signal and has no "kill this exec" call, so a small bash script runs in the
container as the profile's user: it signals every process that user may signal (or only those carrying
a command's marker variable) except PID 1 (docker-init), the lease's wait that keeps the container alive and
itself, and prints the OOM counter. It uses bash builtins only, so it still works when a fork bomb has
used up the pids limit. Run as uid 1000 it cannot touch the root-owned init and wait at all.
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import docker

from reproducer.sandbox.env import MARKER_VARIABLE

Signal = Literal["TERM", "KILL", "none"]
# One run of the script signals, rescans and signals again until nothing is left, this many times.
ROUNDS_PER_RUN = 50
# A run that leaves processes behind (still exiting, or forking) is repeated this often, this far apart.
MAX_RUNS = 20
RUN_PAUSE_SECONDS = 0.1
GONE_STATUSES = (404, 409)

SCRIPT = rf"""
signal=$1 marker=$2; shift 2
spare=" 1 $* $$ " rounds=0 hit=0
while [ "$signal" != none ]; do
  hit=0
  for dir in /proc/[0-9]*; do
    pid=${{dir#/proc/}}
    case $spare in *" $pid "*) continue ;; esac
    read -r stat 2>/dev/null < "$dir/stat" || continue
    state=${{stat##*) }}; state=${{state%% *}}
    case $state in Z|X) continue ;; esac
    if [ -n "$marker" ]; then
      found=
      while IFS= read -r -d '' variable; do
        [ "$variable" = "{MARKER_VARIABLE}=$marker" ] && {{ found=1; break; }}
      done 2>/dev/null < "$dir/environ"
      [ -n "$found" ] || continue
    fi
    kill -s "$signal" "$pid" 2>/dev/null && hit=1
  done
  rounds=$((rounds + 1))
  if [ $hit = 0 ] || [ "$signal" != KILL ] || [ $rounds -ge {ROUNDS_PER_RUN} ]; then break; fi
done
for file in /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control; do
  [ -r "$file" ] || continue
  while read -r key value; do
    [ "$key" = oom_kill ] && echo "oom_kill $value"
  done < "$file"
done
[ "$signal" != KILL ] || [ $hit = 0 ]
"""


@dataclass(frozen=True)
class Report:
    """`clean`: a KILL left no process behind (always True for other signals); `oom_kills`: the cgroup's
    OOM-kill count (None when no cgroup file tells it, or the script could not run)."""

    clean: bool
    oom_kills: int | None


def _parse_oom(output: bytes) -> int | None:
    for line in output.decode(errors="replace").splitlines():
        key, _, value = line.partition(" ")
        if key == "oom_kill" and value.strip().isdigit():
            return int(value)
    return None


@dataclass(frozen=True)
class ContainerProcesses:
    """The processes of one container, reached through the low-level docker-py `api`; `spared` are the
    pids never signalled (docker-init's child, the lease's wait)."""

    api: Any
    container_id: str
    spared: Sequence[int]

    def signal(self, user: str, signal: Signal, marker: str = "") -> Report:
        """Send `signal` once (KILL: until none is left, or a few rounds) to `user`'s processes, or to
        those carrying `marker` only; the script running at all is best-effort (the container may be gone)."""
        argv = ["bash", "-c", SCRIPT, "reproducer-procs", signal, marker, *map(str, self.spared)]
        try:
            exec_id = self.api.exec_create(self.container_id, argv, user=user)["Id"]
            output = self.api.exec_start(exec_id)
            code = self.api.exec_inspect(exec_id).get("ExitCode")
        except docker.errors.APIError as error:
            # No container (404) or a stopped one (409) has no process left to signal.
            return Report(clean=error.status_code in GONE_STATUSES, oom_kills=None)
        except (docker.errors.DockerException, OSError):  # requests' errors are OSErrors
            return Report(clean=False, oom_kills=None)
        return Report(clean=code == 0, oom_kills=_parse_oom(output))

    def kill(self, user: str, marker: str = "") -> Report:
        """SIGKILL `user`'s processes (or `marker`'s) until none is left; `clean` False if some survived."""
        report = Report(clean=False, oom_kills=None)
        for _ in range(MAX_RUNS):
            report = self.signal(user, "KILL", marker)
            if report.clean:
                return report
            time.sleep(RUN_PAUSE_SECONDS)
        return report

    def oom_kills(self, user: str) -> int | None:
        return self.signal(user, "none").oom_kills


@dataclass(frozen=True)
class CommandStopper:
    """How the exec watcher (exec.Stopper) stops one command: TERM goes to the processes carrying its
    marker; SIGKILL to every process of the user, or only the marked ones when background jobs are kept."""

    procs: ContainerProcesses
    user: str
    marker: str
    keep_background: bool
    on_container_kill: Callable[[], None]

    def terminate(self) -> None:
        self.procs.signal(self.user, "TERM", self.marker)

    def kill(self) -> None:
        self.procs.kill(self.user, self.marker if self.keep_background else "")

    def leftovers(self) -> bool:
        if not self.keep_background:
            self.procs.kill(self.user)
        return self.keep_background

    def kill_container(self) -> None:
        self.on_container_kill()
