"""Egress of a Docker image build limited to the package indexes it needs.

The build's steps run on an internal Docker network of their own: no route leaves it. The runner's
`EgressProxy` (sandbox/egress.py, the local builds' relay) listens on that network's gateway, the host's
end of its bridge, and the steps are told to use it (Docker's predefined proxy build arguments, which
apt, uv, pip and R's downloads honour, and which stay out of the image's history). It tunnels only to the
allowed index hosts, and every refusal is recorded in the build log.

What it does not do: the host's own addresses stay reachable from an internal network (traffic to them
is the host's input, not forwarded), so a step can reach a service listening on all of the host's
addresses; only a firewall rule on the bridge would close that.
"""

import contextlib
import time
import urllib.parse
import uuid
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any

import docker

from reproducer.docker.container import remove_network
from reproducer.docker.labels import resource_name, sandbox_labels
from reproducer.errors import WorkFailed
from reproducer.sandbox.egress import EgressProxy, host_proxy, index_hosts

DEBIAN_HOSTS = ("deb.debian.org", "security.debian.org")
PROXY_ARGUMENTS = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")
NO_PROXY_ARGUMENTS = ("NO_PROXY", "no_proxy")
# The network outlives the build by at most this long if the runner dies (a sweep removes it then).
SWEEP_MARGIN_SECONDS = 600.0


def build_hosts(environ: Mapping[str, str], *, debian: bool, cran: str | None) -> set[str]:
    """The hosts a build may reach: the configured Python indexes (PyPI's by default), Debian's mirrors
    when it installs system packages, and the CRAN mirror `cran` when it installs R packages."""
    hosts = index_hosts(environ)
    if debian:
        hosts.update(DEBIAN_HOSTS)
    if cran and (host := urllib.parse.urlsplit(cran).hostname):
        hosts.add(host.lower())
    return hosts


class BuildEgress:
    """`with BuildEgress(client, hosts, seconds) as egress:` builds with `network=egress.network` and
    `buildargs=egress.buildargs` reach only `hosts`; `egress.refused` lists what else was asked for."""

    def __init__(self, client: Any, hosts: Iterable[str], seconds: float) -> None:
        run_id = f"build-{uuid.uuid4().hex[:12]}"
        self.network = resource_name(run_id, "egress")
        labels = sandbox_labels(run_id, "egress", time.time() + seconds + SWEEP_MARGIN_SECONDS)
        self._client = client
        self._network_id: str | None = None
        try:
            created = client.networks.create(self.network, driver="bridge", internal=True, labels=labels)
            created.reload()
            self._network_id = str(created.id)
            gateway = str(created.attrs["IPAM"]["Config"][0]["Gateway"])
        except (docker.errors.DockerException, KeyError, IndexError) as error:
            raise WorkFailed(f"could not create the build network {self.network}: {error}") from error
        try:
            self.proxy = EgressProxy(hosts, host_proxy(), listen=(gateway, 0))
        except OSError as error:
            self.close()
            raise WorkFailed(f"could not listen on the build network's gateway {gateway}: {error}") from error

    @property
    def buildargs(self) -> dict[str, str]:
        assert self.proxy.address is not None
        host, port = self.proxy.address
        url = f"http://{host}:{port}"
        return dict.fromkeys(PROXY_ARGUMENTS, url) | dict.fromkeys(NO_PROXY_ARGUMENTS, "")

    @property
    def refused(self) -> list[str]:
        return sorted(set(self.proxy.refused))

    def describe(self) -> str:
        hosts = ", ".join(sorted(self.proxy.hosts))
        return f"the build's steps reach only {hosts}, through the runner's proxy (network {self.network})"

    def close(self) -> None:
        if hasattr(self, "proxy"):
            self.proxy.close()
        if self._network_id is not None:
            with contextlib.suppress(docker.errors.DockerException):
                remove_network(self._client, self._network_id)

    def __enter__(self) -> "BuildEgress":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
