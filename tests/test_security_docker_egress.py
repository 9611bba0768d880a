"""A Docker image build, and a container in the setup profile, reach only the package indexes: they run on
an internal network, through the runner's proxy, which tunnels to the allowed hosts only and records every
other host asked for."""

import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from envimage_helpers import private_repository, remove_images, require_base_images
from test_docker_sandbox_run import image, no_containers_left, open_sandbox

from reproducer.docker.build import BuildLimits, BuildRequest, build_image
from reproducer.docker.egress import RULE_COMMENT, build_egress, index_hosts_for
from reproducer.docker.env import HOST_CA_BUNDLE

__all__ = ["image", "no_containers_left"]  # fixtures, imported from the run profile's tests
REPOSITORY = private_repository("egress")
BASE = "reproducer/python:3.11"

# What a hostile build step tries: each line of its output says what it reached.
PROBE = r"""
import os, socket, sys, urllib.parse, urllib.request
def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=20) as reply:
            return f"status {reply.status}"
    except urllib.error.HTTPError as error:
        return f"status {error.code}"
    except Exception as error:
        return f"failed {type(error).__name__}: {error}"
print("proxy set:", bool(os.environ.get("HTTPS_PROXY")))
print("index:", fetch("https://pypi.org/simple/six/"))
print("debian:", fetch("http://deb.debian.org/debian/dists/bookworm/Release"))
print("other https:", fetch("https://example.com/"))
print("other http:", fetch("http://example.org/"))
print("other port:", fetch("https://pypi.org:8443/"))
gateway = urllib.parse.urlsplit(os.environ["HTTPS_PROXY"]).hostname
here = os.path.dirname(os.path.abspath(__file__))
host_port = int(open(os.path.join(here, "hostport.txt")).read())
for host, port in [("151.101.0.223", 443), ("1.1.1.1", 53), (gateway, host_port)]:
    try:
        socket.create_connection((host, port), timeout=5).close()
        print(f"direct {host}:{port}: open")
    except OSError as error:
        print(f"direct {host}:{port}: blocked ({type(error).__name__})")
"""


@pytest.fixture
def host_service() -> Iterator[int]:
    """A service of the host's listening on all its addresses, which no build step may reach."""
    with socket.create_server(("0.0.0.0", 0)) as server:
        yield server.getsockname()[1]


def reached_host(output: str, port: int, closed: bool) -> None:
    line = next(line for line in output.splitlines() if line.startswith("direct ") and f":{port}:" in line)
    assert ("blocked" in line) == closed, line


@pytest.fixture(scope="module")
def engine(docker_client: Any) -> Iterator[Any]:
    require_base_images(docker_client, BASE)
    try:
        yield docker_client
    finally:
        remove_images(docker_client, REPOSITORY)


def test_a_build_step_reaches_the_indexes_and_nothing_else(
    engine: Any, tmp_path: Path, host_service: int
) -> None:
    context = tmp_path / "context"
    context.mkdir()
    (context / "probe.py").write_text(PROBE)
    (context / "hostport.txt").write_text(str(host_service))
    shutil.copyfile(HOST_CA_BUNDLE, context / "ca.crt")  # the host's CA, as the generated Dockerfile has it
    fresh = uuid.uuid4().hex  # no cached layer: the step really runs
    (context / "Dockerfile").write_text(
        f"FROM {BASE}\nCOPY probe.py hostport.txt ca.crt /probe/\n"
        f"RUN echo {fresh} && SSL_CERT_FILE=/probe/ca.crt python3 /probe/probe.py\n"
    )
    log = tmp_path / "build.log"
    hosts = index_hosts_for({}, debian=True, cran=None)
    with build_egress(engine, hosts, 300) as egress:
        network = egress.network
        request = BuildRequest(context, "Dockerfile", f"{REPOSITORY}:probe", {}, egress.environment)
        build_image(engine, request, BuildLimits(network=network, timeout_s=300), log)
        refused = egress.refused
        closed = egress.host_guard.problem is None
    output = log.read_text()
    assert "proxy set: True" in output
    assert "index: status 200" in output, output
    assert "debian: status 200" in output, output
    assert "other https: failed URLError: <urlopen error Tunnel connection failed: 403" in output, output
    assert "other http: status 403" in output, output
    assert "direct 151.101.0.223:443: blocked" in output and "direct 1.1.1.1:53: blocked" in output, output
    # Run by root with iptables, the host's own services are closed to the build too.
    reached_host(output, host_service, closed)
    assert closed or os.geteuid() != 0
    assert refused == ["example.com:443", "example.org:80", "pypi.org:8443"]
    # The build's network goes with it.
    assert not engine.networks.list(names=[network])
    assert hosts == {"pypi.org", "files.pythonhosted.org", "deb.debian.org", "security.debian.org"}


def test_the_setup_profile_reaches_the_indexes_and_nothing_else(
    tmp_path: Path, docker_client: Any, image: str, host_service: int
) -> None:
    with open_sandbox(tmp_path, docker_client, image, setup=True) as sandbox:
        sandbox.write_file("probe.py", PROBE.encode())
        sandbox.write_file("hostport.txt", str(host_service).encode())
        probed = sandbox.exec("python3 probe.py", timeout=120)
        network = sandbox.name
        assert docker_client.networks.list(names=[network])
        sandbox.enter_run_profile()
        after = sandbox.exec("env | grep -ci proxy || true", timeout=10)
    assert probed.ok, probed.stderr
    assert "index: status 200" in probed.stdout and "debian: status 200" in probed.stdout, probed.stdout
    assert "other http: status 403" in probed.stdout, probed.stdout
    assert "direct 151.101.0.223:443: blocked" in probed.stdout, probed.stdout
    reached_host(probed.stdout, host_service, closed=os.geteuid() == 0)
    refusals = [w.split(": ", 1)[1] for w in probed.warnings if w.startswith("egress refused")]
    assert refusals == ["example.com:443, example.org:80, pypi.org:8443"]
    # The run profile has no network and no proxy; the setup's network and proxy are gone.
    assert after.stdout.strip() == "0"
    assert not docker_client.networks.list(names=[network])


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("iptables") is None, reason="needs root and iptables")
def test_the_firewall_rules_a_killed_runner_left_are_swept(docker_client: Any) -> None:
    stale = ["INPUT", "-i", "br-0123456789ab", "-m", "comment", "--comment", RULE_COMMENT, "-j", "DROP"]
    subprocess.run(["iptables", "-w", "-I", *stale], check=True)

    def rules() -> str:
        return subprocess.run(["iptables", "-w", "-S", "INPUT"], capture_output=True, text=True).stdout

    with build_egress(docker_client, {"pypi.org"}, 60) as egress:
        bridge = "br-" + str(egress.network_id)[:12]
        during = rules()
    assert "br-0123456789ab" not in during
    assert during.count(bridge) == 2
    assert bridge not in rules()
