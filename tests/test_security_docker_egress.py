"""A Docker image build, and a container in the setup profile, reach only the package indexes: they run on
an internal network, through the runner's proxy, which tunnels to the allowed hosts only and records every
other host asked for."""

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from envimage_helpers import private_repository, remove_images, require_base_images
from test_docker_sandbox_run import image, no_containers_left, open_sandbox

from reproducer.docker.build import BuildLimits, BuildRequest, build_image
from reproducer.docker.egress import build_egress, index_hosts_for
from reproducer.docker.env import HOST_CA_BUNDLE

__all__ = ["image", "no_containers_left"]  # fixtures, imported from the run profile's tests
REPOSITORY = private_repository("egress")
BASE = "reproducer/python:3.11"

# What a hostile build step tries: each line of its output says what it reached.
PROBE = r"""
import os, socket, sys, urllib.request
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
for host, port in [("151.101.0.223", 443), ("1.1.1.1", 53)]:
    try:
        socket.create_connection((host, port), timeout=5).close()
        print(f"direct {host}: open")
    except OSError as error:
        print(f"direct {host}: blocked ({type(error).__name__})")
"""


@pytest.fixture(scope="module")
def engine(docker_client: Any) -> Iterator[Any]:
    require_base_images(docker_client, BASE)
    try:
        yield docker_client
    finally:
        remove_images(docker_client, REPOSITORY)


def test_a_build_step_reaches_the_indexes_and_nothing_else(engine: Any, tmp_path: Path) -> None:
    context = tmp_path / "context"
    context.mkdir()
    (context / "probe.py").write_text(PROBE)
    shutil.copyfile(HOST_CA_BUNDLE, context / "ca.crt")  # the host's CA, as the generated Dockerfile has it
    fresh = uuid.uuid4().hex  # no cached layer: the step really runs
    (context / "Dockerfile").write_text(
        f"FROM {BASE}\nCOPY probe.py ca.crt /probe/\n"
        f"RUN echo {fresh} && SSL_CERT_FILE=/probe/ca.crt python3 /probe/probe.py\n"
    )
    log = tmp_path / "build.log"
    hosts = index_hosts_for({}, debian=True, cran=None)
    with build_egress(engine, hosts, 300) as egress:
        network = egress.network
        request = BuildRequest(context, "Dockerfile", f"{REPOSITORY}:probe", {}, egress.environment)
        build_image(engine, request, BuildLimits(network=network, timeout_s=300), log)
        refused = egress.refused
    output = log.read_text()
    assert "proxy set: True" in output
    assert "index: status 200" in output, output
    assert "debian: status 200" in output, output
    assert "other https: failed URLError: <urlopen error Tunnel connection failed: 403" in output, output
    assert "other http: status 403" in output, output
    assert "direct 151.101.0.223: blocked" in output and "direct 1.1.1.1: blocked" in output, output
    assert refused == ["example.com:443", "example.org:80", "pypi.org:8443"]
    # The build's network goes with it.
    assert not engine.networks.list(names=[network])
    assert hosts == {"pypi.org", "files.pythonhosted.org", "deb.debian.org", "security.debian.org"}


def test_the_setup_profile_reaches_the_indexes_and_nothing_else(
    tmp_path: Path, docker_client: Any, image: str
) -> None:
    with open_sandbox(tmp_path, docker_client, image, setup=True) as sandbox:
        sandbox.write_file("probe.py", PROBE.encode())
        probed = sandbox.exec("python3 probe.py", timeout=120)
        network = sandbox.name
        assert docker_client.networks.list(names=[network])
        sandbox.enter_run_profile()
        after = sandbox.exec("env | grep -ci proxy || true", timeout=10)
    assert probed.ok, probed.stderr
    assert "index: status 200" in probed.stdout and "debian: status 200" in probed.stdout, probed.stdout
    assert "other http: status 403" in probed.stdout, probed.stdout
    assert "direct 151.101.0.223: blocked" in probed.stdout, probed.stdout
    refusals = [w.split(": ", 1)[1] for w in probed.warnings if w.startswith("egress refused")]
    assert refusals == ["example.com:443, example.org:80, pypi.org:8443"]
    # The run profile has no network and no proxy; the setup's network and proxy are gone.
    assert after.stdout.strip() == "0"
    assert not docker_client.networks.list(names=[network])
