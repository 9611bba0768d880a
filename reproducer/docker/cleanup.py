"""Removing containers, networks and volumes that runs left behind, found by our labels.

By default only what no live runner owns goes: past its deadline, or labelled by a runner process of this
host that no longer exists. Resources of runners on other hosts (a shared engine) are left alone until
their deadline. `run_id` removes one run's resources and `everything` all of ours, whoever owns them.
"""

import contextlib
import os
import time
from dataclasses import dataclass
from typing import Any, Literal

import docker

from reproducer.docker.container import describe, remove_container, remove_network
from reproducer.docker.labels import PID, RUN_ID, deadline_of, runner_alive, workspace_of
from reproducer.docker.ownership import chown_tree
from reproducer.errors import WorkFailed

ResourceKind = Literal["container", "network", "volume"]


@dataclass(frozen=True)
class Removed:
    kind: ResourceKind
    name: str
    reason: str


def removal_reason(labels: dict[str, str], *, run_id: str | None, everything: bool, now: float) -> str | None:
    """Why a resource with these labels goes, or None when it stays."""
    if everything:
        return "every resource of reproducer was asked for"
    if run_id is not None:
        return f"it belongs to run {run_id}" if labels.get(RUN_ID) == run_id else None
    deadline = deadline_of(labels)
    if deadline is not None and deadline <= now:
        return "its deadline has passed"
    if runner_alive(labels) is False:
        return f"its runner (pid {labels.get(PID)} on this host) is gone"
    return None


def give_back(labels: dict[str, str]) -> str:
    """Give a dead runner's workspace back to its owner (see labels.workspace_labels); what was done,
    as words to add to the removal's reason."""
    found = workspace_of(labels)
    if found is None or os.geteuid() != 0:
        return ""
    workspace, owner = found
    if not workspace.is_dir() or workspace.is_symlink():
        return ""
    failed = chown_tree(workspace, owner)
    return f"; its workspace given back to uid {owner.uid}" + (
        f" except {len(failed)} paths" if failed else ""
    )


def sweep(client: Any, *, run_id: str | None = None, everything: bool = False) -> list[Removed]:
    """Remove the leftovers (see the module's doc) and say what was removed and why."""
    now = time.time()
    filters = {"label": RUN_ID if run_id is None else f"{RUN_ID}={run_id}"}
    removed: list[Removed] = []
    try:
        # Containers end and remove themselves at any time (auto_remove), also while we list them.
        for container in client.containers.list(all=True, filters=filters, ignore_removed=True):
            reason = removal_reason(container.labels, run_id=run_id, everything=everything, now=now)
            if reason is not None:
                remove_container(client, container.id)
                removed.append(Removed("container", container.name, reason + give_back(container.labels)))
        for network in client.networks.list(filters=filters):
            reason = removal_reason(
                network.attrs.get("Labels") or {}, run_id=run_id, everything=everything, now=now
            )
            if reason is not None:
                with contextlib.suppress(docker.errors.APIError):  # still in use by a container we kept
                    remove_network(client, network.id)
                    removed.append(Removed("network", network.name, reason))
        for volume in client.volumes.list(filters=filters):
            reason = removal_reason(
                volume.attrs.get("Labels") or {}, run_id=run_id, everything=everything, now=now
            )
            if reason is not None:
                with contextlib.suppress(docker.errors.APIError):
                    volume.remove(force=True)
                    removed.append(Removed("volume", volume.name, reason))
    except docker.errors.DockerException as error:
        raise WorkFailed(f"could not clean up Docker resources: {describe(error)}") from error
    return removed
