"""The harvest against hostile outputs, on the host side: links out of the workspace, special files,
never-ending files and parser bombs are listed as skipped (or cut short) and never read, and the runner's
own memory and time stay small."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reproducer.harvest import HarvestLimits, harvest
from reproducer.safefs import Refused, open_inside, read_inside

SECRET = "AKIA-host-secret-0123456789"


def _states(result_files: list, name: str) -> tuple[str, str]:  # type: ignore[type-arg]
    [record] = [record for record in result_files if record.file == name]
    return record.state, record.reason


def _no_secret(result: object) -> None:
    assert SECRET not in json.dumps(result.model_dump()), "a host secret reached the harvest"  # type: ignore[attr-defined]


def test_links_out_of_the_workspace_are_listed_and_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPRODUCER_TEST_SECRET", f"key: {SECRET}")  # what /proc/self/environ would give away
    secret = tmp_path / "host" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(f"aws_secret_access_key = {SECRET}\n")
    results = tmp_path / "workspace" / "results"
    results.mkdir(parents=True)
    (results / "ok.txt").write_text("accuracy 0.91\n")
    (results / "inside.txt").symlink_to("ok.txt")  # a link that stays inside is followed
    (results / "environ").symlink_to("/proc/self/environ")
    (results / "secret.txt").symlink_to(secret)
    (results / "relative.txt").symlink_to("../../host/secret.txt")
    (results / "hostdir").symlink_to(secret.parent)
    (results / "chain.txt").symlink_to("relative.txt")
    result = harvest(tmp_path / "workspace", [results])
    _no_secret(result)
    for name in ("environ", "secret.txt", "relative.txt", "chain.txt"):
        state, reason = _states(result.files, f"results/{name}")
        assert state == "skipped" and "outside the workspace" in reason, (name, reason)
    assert _states(result.files, "results/inside.txt") == ("ok", "")  # sorted first; ok.txt is the same file
    # the folder link is not walked; `inside.txt` names the same file as ok.txt, read once
    assert [fact.raw for fact in result.facts] == ["0.91"]
    assert not any(record.file.startswith("results/hostdir/") for record in result.files)


def test_a_results_folder_replaced_by_a_link_out_is_not_walked(tmp_path: Path) -> None:
    (tmp_path / "host").mkdir()
    (tmp_path / "host" / "secret.txt").write_text(SECRET)
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "results").symlink_to(tmp_path / "host")
    result = harvest(workspace, [workspace / "results"])
    _no_secret(result)
    assert [(record.file, record.state) for record in result.files] == [("results", "skipped")]
    assert "outside the workspace" in result.files[0].reason


def test_special_files_are_never_opened(tmp_path: Path) -> None:
    results = tmp_path / "results"
    results.mkdir()
    os.mkfifo(results / "never.fifo")  # opening it for reading would wait for a writer forever
    (results / "zero.txt").symlink_to("/dev/zero")
    (results / "kmsg.log").symlink_to("/proc/kmsg")
    (results / "ok.txt").write_text("recall 0.5\n")
    started = time.monotonic()
    result = harvest(tmp_path, [results])
    assert time.monotonic() - started < 20
    assert _states(result.files, "results/never.fifo") == ("skipped", "a fifo, not a regular file")
    for name in ("zero.txt", "kmsg.log"):
        state, reason = _states(result.files, f"results/{name}")
        assert state == "skipped" and "outside the workspace" in reason
    assert [fact.raw for fact in result.facts] == ["0.5"]


def test_a_fifo_inside_with_an_endless_writer_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "endless.txt"
    os.mkfifo(fifo)
    stop = threading.Event()

    def write_forever() -> None:
        descriptor = os.open(fifo, os.O_RDWR)  # RDWR: the open does not wait for a reader
        os.set_blocking(descriptor, False)
        while not stop.is_set():
            try:
                os.write(descriptor, b"accuracy 0.9\n" * 100)
            except BlockingIOError:
                time.sleep(0.01)
        os.close(descriptor)

    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    try:
        started = time.monotonic()
        result = harvest(tmp_path)
        assert time.monotonic() - started < 20
        assert _states(result.files, "endless.txt") == ("skipped", "a fifo, not a regular file")
    finally:
        stop.set()


def test_safefs_refuses_what_the_harvest_refuses(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "f.txt").write_text("x" * 10)
    (tmp_path / "link").symlink_to("a")
    os.close(open_inside(tmp_path, "link/f.txt"))  # a folder link inside is fine for a named file
    (tmp_path / "a" / "up").symlink_to("../a/f.txt")  # climbs out of `a`, even though it comes back
    with pytest.raises(Refused, match="outside"):
        open_inside(tmp_path / "a", "up")
    with pytest.raises(Refused, match="not a path inside"):
        open_inside(tmp_path, "../etc/passwd")
    with pytest.raises(Refused, match="larger than the cap"):
        read_inside(tmp_path, "a/f.txt", 5)
    (tmp_path / "loop").symlink_to("loop")
    with pytest.raises(Refused, match="symlinks"):
        open_inside(tmp_path, "loop")


# A child measures its own peak memory: the runner's figure must not include the test process's.
_MEASURE = """
import resource, sys, time
from pathlib import Path
from reproducer.harvest import harvest
started = time.monotonic()
result = harvest(Path(sys.argv[1]))
print(time.monotonic() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
for record in result.files:
    print(record.file, record.state, record.reason)
"""


def _measured(root: Path) -> tuple[float, int, str]:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(root)], capture_output=True, text=True, timeout=300, check=True
    )
    first, *rest = done.stdout.splitlines()
    seconds, peak = first.split()
    return float(seconds), int(peak), "\n".join(rest)


@pytest.mark.slow
def test_parser_bombs_stay_within_time_and_memory(tmp_path: Path) -> None:
    (tmp_path / "tags.html").write_text("<html><body>" + "<b>x</b>" * 1_000_000 + "</body></html>")
    with (tmp_path / "labels.json").open("w") as handle:  # under the per-file cap, millions of labels
        handle.write("{" + ",".join(f'"k{i}":{i}' for i in range(1_500_000)) + "}")
    with (tmp_path / "wide.csv").open("wb") as handle:  # 300 MB on one line
        for _ in range(75):
            handle.write(b"1.5," * (1 << 20))
        handle.write(b"2\n")
    seconds, peak, files = _measured(tmp_path)
    assert seconds < 60, files
    # Unbounded, these files drove the runner to ~2.9 GiB; bounded, it holds at most the run's cap of
    # 200,000 facts (a few hundred MiB), whatever the files hold.
    assert peak < 1024 * 1024 * 1024, f"the runner peaked at {peak / 2**20:.0f} MiB"
    assert "tags.html ok" in files and "labels.json ok" in files
    assert "wide.csv skipped" in files


def test_a_reader_over_its_time_is_stopped_and_the_harvest_goes_on(tmp_path: Path) -> None:
    # Nested tables make the tree parser slow; a tiny time budget stands in for a hostile file.
    (tmp_path / "a.html").write_text("<table><tr><td>" * 20000)
    (tmp_path / "b.txt").write_text("auc 0.7\n")
    result = harvest(tmp_path, limits=HarvestLimits(file_timeout_seconds=0.05))
    assert _states(result.files, "a.html")[0] == "timeout"
    assert [fact.raw for fact in result.facts] == ["0.7"]


def test_a_reader_over_its_memory_is_recorded_and_the_harvest_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("[" + ",".join(["[1,2,3,4,5,6,7,8]"] * 400_000) + "]")
    (tmp_path / "b.txt").write_text("auc 0.7\n")
    result = harvest(tmp_path, limits=HarvestLimits(reader_memory_bytes=400 * 1024 * 1024))
    state, reason = _states(result.files, "a.json")
    assert state == "broken" and ("memory" in reason), reason
    assert [fact.raw for fact in result.facts] == ["0.7"]


def test_the_run_wide_fact_cap_holds(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text("".join(f"loss = {k}.5\n" for k in range(50)))
    per_file = len(harvest(tmp_path, [tmp_path / "a.txt"]).facts)
    result = harvest(tmp_path, limits=HarvestLimits(max_facts=per_file + 10))
    assert len(result.facts) == per_file + 10
    assert _states(result.files, "c.txt")[0] == "skipped"
    assert _states(result.files, "b.txt")[1].startswith("only the first 10 facts kept")


def test_the_reader_imports_this_package_whatever_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoy = tmp_path / "cwd" / "reproducer"  # a capsule or checkout with a package of the same name
    decoy.mkdir(parents=True)
    (decoy / "__init__.py").write_text("raise SystemExit('the wrong package')\n")
    (tmp_path / "out.txt").write_text("auc 0.7\n")
    monkeypatch.chdir(tmp_path / "cwd")
    result = harvest(tmp_path, [tmp_path / "out.txt"])
    assert [fact.raw for fact in result.facts] == ["0.7"]
