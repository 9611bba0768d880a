"""Creating, preparing and removing one attempt's container (and its network) with docker-py.

The container is never privileged and never sees the Docker socket: its only mounts are the workspace
(at /capsule), the named volumes it is given (an agent's environment), size-limited tmpfs at /tmp,
/var/tmp and (run profile) the run user's home, so that what the code writes outside the workspace
counts against memory, never the host's disk, and, read-only, the host's CA bundle. PID 1 is docker-init
reaping orphans; its child waits on the container's stdin, to which the runner holds an attached stream
(the lease) for the container's whole life. When the runner ends, even by SIGKILL, the kernel closes that
stream, the engine closes stdin (StdinOnce), the wait returns and the container stops within seconds. The
wait also ends at the sandbox's deadline. A stopped container stays until `remove_container` or the next
sweep, which gives the workspace back to its owner first (see cleanup.py).
"""

import contextlib
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker
from docker.types import LogConfig, Mount, Ulimit

from reproducer.docker.env import CONTAINER_CA_BUNDLE
from reproducer.docker.labels import RUN_ID
from reproducer.docker.limits import ContainerLimits
from reproducer.docker.profiles import CAP_DROP, ROOT_USER, SECURITY_OPT, SETUP_CAPABILITIES
from reproducer.errors import WorkFailed
from reproducer.sandbox.bwrap import CODE_OCEAN_DIRS

CAPSULE_MOUNT = "/capsule"
TMP = "/tmp"
VAR_TMP = "/var/tmp"
APT_CONFIG = "/etc/apt/apt.conf.d/99reproducer-sandbox"
NO_NAME_SERVERS = "echo '# no network in the run profile' > /etc/resolv.conf"
STOP_WAIT_SECONDS = 10
CONFLICT = 409
MAX_ERROR_CHARS = 300

# Run as root once the container is up: the Code Ocean paths, apt made usable by root without
# CAP_SETUID or CAP_DAC_OVERRIDE (see profiles.py), and the pid of PID 1's child (the lease's wait), to
# spare it.
PREPARE_SCRIPT = rf"""
setup=$1; shift
for name in "$@"; do
  if [ -L "/$name" ] || [ ! -e "/$name" ] || rmdir "/$name" 2>/dev/null; then
    ln -sfn "{CAPSULE_MOUNT}/$name" "/$name"
  else
    echo "/$name exists in the image and is not empty: left as it is" >&2
  fi
done
if [ "$setup" = setup ] && [ -d /etc/apt/apt.conf.d ]; then
  echo 'APT::Sandbox::User "root";' > {APT_CONFIG}
  chown root:root /var/cache/apt/archives/partial 2>/dev/null
fi
for _ in $(seq 100); do
  read -r children < /proc/1/task/1/children
  [ -n "$children" ] && break
  sleep 0.05
done
echo "sleep-pid $children"
"""
# PID 1's child: returns when the runner's lease (stdin) closes, or at the deadline. Nothing is ever
# written to it; `read` also returns on a line, so the runner never writes.
LEASE_COMMAND = "read -r -t {seconds} _ || true"


@dataclass
class Started:
    """A started container and the lease that keeps it alive: close the lease and it stops."""

    container: Any
    lease: Any

    def release(self) -> None:
        """Close the lease (the container then stops by itself, within seconds)."""
        raw = getattr(self.lease, "_sock", self.lease)
        with contextlib.suppress(OSError):
            raw.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            raw.close()
        with contextlib.suppress(OSError):
            self.lease.close()


@dataclass(frozen=True)
class ContainerSpec:
    """What one sandbox container is: `setup` says it starts in the setup profile (root, the network
    named `network`, CAP_CHOWN); otherwise it has no network and no capability from the start."""

    image: str
    name: str
    workspace: Path
    labels: dict[str, str]
    limits: ContainerLimits
    lifetime_seconds: int
    setup: bool
    network: str | None
    ca_bundle: Path | None
    # The run user's home, made a tmpfs of its own (None: left in the image's writable layer).
    home: "HomeDir | None" = None
    # Named volumes (name -> container path), e.g. the environment an installer container shares with
    # the agent's; a new volume is filled with what the image holds at that path.
    volumes: tuple[tuple[str, str], ...] = ()
    # A run-profile container in which root (never the run user) installs Debian packages offline: it
    # keeps CAP_CHOWN in its bounding set, which dpkg needs (see profiles.py).
    root_installs: bool = False


def describe(error: Exception) -> str:
    return " ".join(str(error).split())[:MAX_ERROR_CHARS]


def in_use_hint(error: Exception, run_id: str) -> str:
    """For a name the engine says is taken (409): which live sandbox holds it, and how to remove it."""
    if not isinstance(error, docker.errors.APIError) or error.status_code != CONFLICT:
        return ""
    return (
        "; a sandbox of the same run and task is still alive (remove it with "
        f"`reproducer cleanup --run-id {run_id}`)"
    )


def create_network(client: Any, name: str, labels: dict[str, str], *, internal: bool = False) -> Any:
    """A bridge network of the container's own, so it shares no network with another sandbox;
    `internal`: with no route out (the package indexes are then reached through egress.py's proxy)."""
    try:
        return client.networks.create(
            name, driver="bridge", labels=labels, check_duplicate=True, internal=internal
        )
    except docker.errors.DockerException as error:
        hint = in_use_hint(error, labels.get(RUN_ID, ""))
        raise WorkFailed(f"could not create the Docker network {name}: {describe(error)}{hint}") from error


def _mounts(spec: ContainerSpec) -> list[Mount]:
    mounts = [Mount(target=CAPSULE_MOUNT, source=str(spec.workspace), type="bind")]
    if spec.ca_bundle is not None:
        mounts.append(
            Mount(target=CONTAINER_CA_BUNDLE, source=str(spec.ca_bundle), type="bind", read_only=True)
        )
    mounts += [Mount(target=target, source=name, type="volume") for name, target in spec.volumes]
    return mounts


def ensure_image(client: Any, image: str) -> None:
    """The image is here, or is pulled; WorkFailed saying so when neither works."""
    try:
        client.images.get(image)
        return
    except docker.errors.ImageNotFound:
        pass
    except docker.errors.DockerException as error:
        raise WorkFailed(f"the Docker image {image} cannot be used: {describe(error)}") from error
    try:
        client.images.pull(image)
    except (docker.errors.DockerException, OSError) as error:  # requests' errors are OSErrors
        raise WorkFailed(
            f"the Docker image {image} is not here and could not be pulled ({describe(error)}); "
            "build the base images with scripts/build-base-images"
        ) from error


@dataclass(frozen=True)
class HomeDir:
    path: str
    uid: int
    gid: int


def scratch_mounts(spec: ContainerSpec) -> dict[str, str]:
    """The tmpfs mounts where the run user may write outside the workspace, each of `tmp_bytes`."""
    options = f"rw,nosuid,nodev,size={spec.limits.tmp_bytes}"
    mounts = {TMP: f"{options},mode=1777", VAR_TMP: f"{options},mode=1777"}
    if spec.home is not None:
        mounts[spec.home.path] = f"{options},mode=0755,uid={spec.home.uid},gid={spec.home.gid}"
    return mounts


def start_container(client: Any, spec: ContainerSpec) -> Started:
    """Create the container, take its lease, start it; WorkFailed when the engine refuses."""
    ensure_image(client, spec.image)
    limits = spec.limits
    network: dict[str, str] = {"network": spec.network} if spec.network else {"network_mode": "none"}
    try:
        # stdin_open without detach: docker-py sets StdinOnce, so stdin closes when the lease does.
        container = client.containers.create(
            spec.image,
            ["bash", "-c", LEASE_COMMAND.format(seconds=spec.lifetime_seconds)],
            name=spec.name,
            labels=spec.labels,
            stdin_open=True,
            init=True,
            user=ROOT_USER,
            working_dir=CAPSULE_MOUNT,
            privileged=False,
            cap_drop=list(CAP_DROP),
            cap_add=list(SETUP_CAPABILITIES) if spec.setup or spec.root_installs else None,
            security_opt=list(SECURITY_OPT),
            mem_limit=limits.memory_bytes,
            memswap_limit=limits.memory_bytes,
            nano_cpus=limits.nano_cpus,
            pids_limit=limits.pids,
            shm_size=limits.shm_bytes,
            # /tmp in memory with a size: the capsule cannot fill the host's disk through it.
            tmpfs=scratch_mounts(spec),
            ulimits=[
                Ulimit(name="fsize", soft=limits.file_size_bytes, hard=limits.file_size_bytes),
                Ulimit(name="nofile", soft=limits.open_files, hard=limits.open_files),
                Ulimit(name="core", soft=0, hard=0),
            ],
            log_config=LogConfig(
                type="json-file",
                config={"max-size": str(limits.log_max_bytes), "max-file": str(limits.log_files)},
            ),
            mounts=_mounts(spec),
            **network,
        )
    except docker.errors.DockerException as error:
        hint = in_use_hint(error, spec.labels.get(RUN_ID, ""))
        raise WorkFailed(
            f"could not start the sandbox container {spec.name}: {describe(error)}{hint}"
        ) from error
    try:
        lease = client.api.attach_socket(container.id, params={"stdin": 1, "stream": 1})
        started = Started(container, lease)
    except (docker.errors.DockerException, OSError) as error:
        remove_container(client, container.id)
        raise WorkFailed(
            f"could not attach to the sandbox container {spec.name}: {describe(error)}"
        ) from error
    try:
        container.start()
    except docker.errors.DockerException as error:
        started.release()
        remove_container(client, container.id)
        raise WorkFailed(f"could not start the sandbox container {spec.name}: {describe(error)}") from error
    return started


def run_quietly(api: Any, container_id: str, argv: list[str], user: str) -> tuple[int | None, str]:
    """Run a short helper command in the container; (exit code, stdout and stderr)."""
    exec_id = api.exec_create(container_id, argv, user=user)["Id"]
    output: bytes = api.exec_start(exec_id)
    return api.exec_inspect(exec_id).get("ExitCode"), output.decode(errors="replace")


def prepare_container(api: Any, container_id: str, *, setup: bool) -> int:
    """Link /code, /data and /results into the workspace (and make apt usable in the setup profile);
    returns the pid of PID 1's child (the lease's wait)."""
    argv = ["bash", "-c", PREPARE_SCRIPT, "reproducer-prepare", "setup" if setup else "run", *CODE_OCEAN_DIRS]
    try:
        code, output = run_quietly(api, container_id, argv, ROOT_USER)
    except docker.errors.DockerException as error:
        raise WorkFailed(f"could not prepare the sandbox container: {describe(error)}") from error
    pids = [
        word for line in output.splitlines() if line.startswith("sleep-pid ") for word in line.split()[1:]
    ]
    if code != 0 or len(pids) != 1 or not pids[0].isdigit():
        raise WorkFailed(f"could not prepare the sandbox container (exit {code}): {output.strip()}")
    return int(pids[0])


def forget_name_servers(api: Any, container_id: str) -> None:
    """Empty /etc/resolv.conf, so that name lookups without a network fail at once instead of waiting
    for the engine's DNS server, which is gone with the network."""
    code, output = run_quietly(api, container_id, ["bash", "-c", NO_NAME_SERVERS], ROOT_USER)
    if code != 0:
        raise WorkFailed(f"could not empty the sandbox's /etc/resolv.conf: {output.strip()}")


def remove_container(client: Any, container_id: str) -> None:
    """Kill and remove the container, quietly: it may be gone already."""
    with contextlib.suppress(docker.errors.NotFound):
        container = client.containers.get(container_id)
        with contextlib.suppress(docker.errors.APIError):
            container.remove(force=True)
        with contextlib.suppress(docker.errors.APIError, OSError):  # OSError: requests' timeouts
            container.wait(timeout=STOP_WAIT_SECONDS, condition="removed")


def create_volume(client: Any, name: str, labels: dict[str, str]) -> None:
    """A named volume carrying the sandbox's labels, so that a sweep finds it if its runner dies."""
    try:
        client.volumes.create(name=name, driver="local", labels=labels)
    except docker.errors.DockerException as error:
        raise WorkFailed(f"could not create the Docker volume {name}: {describe(error)}") from error


def remove_volume(client: Any, name: str) -> None:
    with contextlib.suppress(docker.errors.NotFound):
        client.volumes.get(name).remove(force=True)


def remove_network(client: Any, network_id: str) -> None:
    with contextlib.suppress(docker.errors.NotFound):
        network = client.networks.get(network_id)
        network.remove()
