"""Egress of Docker builds and of the setup profile limited to the package indexes they need.

The build's steps (or the setup container) run on an internal Docker network of their own: no route
leaves it. The runner's `EgressProxy` (sandbox/egress.py, the local builds' relay) listens on that
network's gateway, the host's end of its bridge, and the steps are told to use it (for a build, Docker's
predefined proxy build arguments, which stay out of the image's history and cache key; in the setup
profile, each command's environment); apt, uv, pip and R's downloads honour them. It tunnels only to the
allowed index hosts, and every refusal is recorded (the build log, the command's warnings).

The host's own addresses stay reachable from an internal network (traffic to them is the host's input,
not forwarded), so a step could reach any service listening on all of the host's addresses. Run by root
with iptables, two INPUT rules on the network's bridge close that (the proxy's port accepted, the rest
dropped) and go with the network; otherwise `describe()` says the host stays reachable. The rules carry
a comment, so that those a killed runner left behind (their bridge gone) are removed by the next build.
"""

import contextlib
import os
import re
import shlex
import shutil
import subprocess
import time
import urllib.parse
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import docker

from reproducer.docker.container import create_network, remove_network
from reproducer.docker.labels import resource_name, sandbox_labels
from reproducer.errors import WorkFailed
from reproducer.sandbox.egress import EgressProxy, host_proxy, index_hosts

DEBIAN_HOSTS = ("deb.debian.org", "security.debian.org")
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")
NO_PROXY_VARIABLES = ("NO_PROXY", "no_proxy")
# A build's network outlives it by at most this long if the runner dies (a sweep removes it then).
SWEEP_MARGIN_SECONDS = 600.0
IPTABLES_TIMEOUT_S = 30.0
# Docker names a user-defined bridge network's interface after the network's id.
BRIDGE_PREFIX, BRIDGE_ID_CHARS = "br-", 12
RULE_COMMENT = "reproducer-egress"
_OUR_RULE = re.compile(rf"^-A (INPUT .*-i ({BRIDGE_PREFIX}[0-9a-f]+) .*--comment \"?{RULE_COMMENT}\"?.*)$")


def index_hosts_for(environ: Mapping[str, str], *, debian: bool, cran: str | None) -> set[str]:
    """The hosts a build may reach: the configured Python indexes (PyPI's by default), Debian's mirrors
    when it installs system packages, and the CRAN mirror `cran` when it installs R packages."""
    hosts = index_hosts(environ)
    if debian:
        hosts.update(DEBIAN_HOSTS)
    if cran and (host := urllib.parse.urlsplit(cran).hostname):
        hosts.add(host.lower())
    return hosts


class IndexEgress:
    """An internal network `name` whose members reach only `hosts`, through the proxy at `proxy_url`
    (put `environment` in their environment or build arguments); `refused` lists what else was asked."""

    def __init__(self, client: Any, name: str, labels: dict[str, str], hosts: Iterable[str]) -> None:
        self.network = name
        self._client = client
        created = create_network(client, name, labels, internal=True)
        self.network_id: str | None = str(created.id)
        try:
            created.reload()
            gateway = str(created.attrs["IPAM"]["Config"][0]["Gateway"])
            self.proxy = EgressProxy(hosts, host_proxy(), listen=(gateway, 0))
        except (docker.errors.DockerException, KeyError, IndexError, OSError) as error:
            self.close()
            raise WorkFailed(f"could not serve the package indexes on the network {name}: {error}") from error
        assert self.proxy.address is not None
        bridge = BRIDGE_PREFIX + str(created.id)[:BRIDGE_ID_CHARS]
        self.host_guard = HostGuard(bridge, self.proxy.address[1])

    @property
    def environment(self) -> dict[str, str]:
        assert self.proxy.address is not None
        host, port = self.proxy.address
        url = f"http://{host}:{port}"
        return dict.fromkeys(PROXY_VARIABLES, url) | dict.fromkeys(NO_PROXY_VARIABLES, "")

    @property
    def refused(self) -> list[str]:
        return sorted(set(self.proxy.refused))

    def describe(self) -> str:
        hosts = ", ".join(sorted(self.proxy.hosts))
        host = self.host_guard.describe()
        return f"only {hosts} are reachable, through the runner's proxy (network {self.network}); {host}"

    def close(self) -> None:
        """Stop the proxy and remove the network (its containers must be gone or disconnected)."""
        if hasattr(self, "host_guard"):
            self.host_guard.remove()
        if hasattr(self, "proxy"):
            self.proxy.close()
        if self.network_id is not None:
            with contextlib.suppress(docker.errors.DockerException):
                remove_network(self._client, self.network_id)
            self.network_id = None

    def __enter__(self) -> "IndexEgress":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class HostGuard:
    """INPUT rules that keep what is on `bridge` off every port of the host but `port` (the proxy's)."""

    def __init__(self, bridge: str, port: int) -> None:
        tag = ["-m", "comment", "--comment", RULE_COMMENT]
        self.rules = [
            ["-i", bridge, "-p", "tcp", "--dport", str(port), *tag, "-j", "ACCEPT"],
            ["-i", bridge, *tag, "-j", "DROP"],
        ]
        self.problem = self._problem(bridge)
        if self.problem is None:
            _sweep_rules()
        self.added: list[list[str]] = []
        if self.problem is None:
            # Inserted at the top, the DROP first, so that the ACCEPT ends above it.
            for rule in reversed(self.rules):
                if (failed := _iptables("-I", "INPUT", "1", *rule)) is not None:
                    self.problem = failed
                    self.remove()
                    return
                self.added.append(rule)

    @staticmethod
    def _problem(bridge: str) -> str | None:
        if os.geteuid() != 0:
            return "the runner is not root"
        if shutil.which("iptables") is None:
            return "iptables is not installed"
        if not Path("/sys/class/net", bridge).exists():
            return f"the network's bridge {bridge} was not found"
        return None

    def describe(self) -> str:
        if self.problem is None:
            return "the host's own ports are closed to it but the proxy's"
        return f"the host's own addresses stay reachable from it ({self.problem})"

    def remove(self) -> None:
        while self.added:
            _iptables("-D", "INPUT", *self.added.pop())


def _sweep_rules() -> None:
    """Remove our rules whose bridge is gone (their runner was killed before it could)."""
    try:
        listed = subprocess.run(
            ["iptables", "-w", "-S", "INPUT"], capture_output=True, text=True, timeout=IPTABLES_TIMEOUT_S
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return
    for line in listed.splitlines():
        if (ours := _OUR_RULE.match(line)) and not Path("/sys/class/net", ours.group(2)).exists():
            _iptables("-D", *shlex.split(ours.group(1)))


def _iptables(*args: str) -> str | None:
    """Run iptables; None when it worked, else why not."""
    try:
        done = subprocess.run(
            ["iptables", "-w", *args], capture_output=True, text=True, timeout=IPTABLES_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"iptables failed: {error}"
    return None if done.returncode == 0 else f"iptables failed: {done.stderr.strip()[:200]}"


def build_egress(client: Any, hosts: Iterable[str], seconds: float) -> IndexEgress:
    """The network and proxy of one image build that may take `seconds`."""
    run_id = f"build-{uuid.uuid4().hex[:12]}"
    labels = sandbox_labels(run_id, "egress", time.time() + seconds + SWEEP_MARGIN_SECONDS)
    return IndexEgress(client, resource_name(run_id, "egress"), labels, hosts)
