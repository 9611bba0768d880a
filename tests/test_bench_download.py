"""Fetching capsules from a real HTTP server on 127.0.0.1: a good file and its checksum, a 404 (no retry),
a truncated body (retried, then given up), a wrong checksum (nothing left behind), and a broken archive."""

import hashlib
from pathlib import Path

import pytest
from test_bench_support import CapsuleServer, corebench_tarball, trivial_capsule

from reproducer.bench.capsule_store import CapsuleStore
from reproducer.bench.checksums import read_manifest
from reproducer.bench.download import CapsuleUnavailable, CapsuleUnreachable, DownloadPolicy
from reproducer.errors import BadInput

CAPSULE_ID = "capsule-0000042"
FAST = DownloadPolicy(attempts=3, backoff_s=0.01, timeout_s=5.0)


@pytest.fixture(scope="module")
def archive_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    scratch = tmp_path_factory.mktemp("archive")
    capsule = trivial_capsule(scratch / "capsule", value=3)
    return corebench_tarball(capsule, CAPSULE_ID, scratch / "out").read_bytes()


def store(folder: Path, server: CapsuleServer, checksums: dict[str, str] | None = None) -> CapsuleStore:
    return CapsuleStore(
        folder, allow_download=True, url_template=server.template, checksums=checksums or {}, policy=FAST
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if not path.name.endswith(".lock"))


def test_a_good_file_is_checked_unpacked_and_recorded(tmp_path: Path, archive_bytes: bytes) -> None:
    digest = hashlib.sha256(archive_bytes).hexdigest()
    manifest = tmp_path / "capsules.sha256"
    manifest.write_text(f"# sums\n{digest}  {CAPSULE_ID}.tar.gz\n")
    # What a runner killed mid-download and mid-unpack left behind is removed under the capsule's lock.
    (tmp_path / "capsules" / f".{CAPSULE_ID}.unpacking-dead" / "code").mkdir(parents=True)
    (tmp_path / "capsules" / f".{CAPSULE_ID}.tar.gz.part-dead").write_bytes(b"half")
    with CapsuleServer() as server:
        server.files[f"/{CAPSULE_ID}.tar.gz"] = archive_bytes
        record = store(tmp_path / "capsules", server, read_manifest(manifest)).fetch(CAPSULE_ID)
        again = store(tmp_path / "capsules", server).fetch(CAPSULE_ID)
    assert record.downloaded and record.checksum_verified and record.sha256 == digest
    assert (Path(record.source) / "results" / "output.txt").read_text() == "halfway value: 3\n"
    assert leftovers(tmp_path / "capsules") == [CAPSULE_ID, f"{CAPSULE_ID}.tar.gz"]
    assert server.requests[f"/{CAPSULE_ID}.tar.gz"] == 1, "the unpacked capsule is reused, not fetched again"
    assert again.source == record.source and not again.downloaded


def test_without_a_known_checksum_the_file_is_used_and_marked_unchecked(
    tmp_path: Path, archive_bytes: bytes
) -> None:
    with CapsuleServer() as server:
        server.files[f"/{CAPSULE_ID}.tar.gz"] = archive_bytes
        record = store(tmp_path, server).fetch(CAPSULE_ID)
    assert record.downloaded and not record.checksum_verified
    assert record.sha256 == hashlib.sha256(archive_bytes).hexdigest()


def test_a_404_is_not_retried(tmp_path: Path) -> None:
    with CapsuleServer() as server, pytest.raises(CapsuleUnavailable, match="HTTP 404"):
        store(tmp_path, server).fetch(CAPSULE_ID)
    assert server.requests[f"/{CAPSULE_ID}.tar.gz"] == 1
    assert leftovers(tmp_path) == []


def test_a_truncated_body_is_detected_retried_and_given_up(tmp_path: Path, archive_bytes: bytes) -> None:
    with CapsuleServer() as server:
        server.files[f"/{CAPSULE_ID}.tar.gz"] = archive_bytes
        server.truncated.add(f"/{CAPSULE_ID}.tar.gz")
        with pytest.raises(CapsuleUnreachable, match="truncated"):
            store(tmp_path, server).fetch(CAPSULE_ID)
    assert server.requests[f"/{CAPSULE_ID}.tar.gz"] == FAST.attempts
    assert leftovers(tmp_path) == [], "no partial file is left"


def test_a_wrong_checksum_leaves_no_file(tmp_path: Path, archive_bytes: bytes) -> None:
    with CapsuleServer() as server:
        server.files[f"/{CAPSULE_ID}.tar.gz"] = archive_bytes
        with pytest.raises(CapsuleUnavailable, match="SHA-256"):
            store(tmp_path, server, {f"{CAPSULE_ID}.tar.gz": "0" * 64}).fetch(CAPSULE_ID)
    assert server.requests[f"/{CAPSULE_ID}.tar.gz"] == 1, "a wrong checksum is not a transient error"
    assert leftovers(tmp_path) == []


def test_a_broken_download_is_not_kept(tmp_path: Path) -> None:
    with CapsuleServer() as server:
        server.files[f"/{CAPSULE_ID}.tar.gz"] = b"this is not a tar archive" * 100
        with pytest.raises(BadInput, match="not a readable tar archive"):
            store(tmp_path, server).fetch(CAPSULE_ID)
    assert leftovers(tmp_path) == [], "the next run downloads it again"


def test_a_connection_refused_is_retried_then_given_up(tmp_path: Path) -> None:
    with CapsuleServer() as server:
        template = server.template
    refused = CapsuleStore(tmp_path, allow_download=True, url_template=template, policy=FAST)
    with pytest.raises(CapsuleUnreachable, match=f"failed {FAST.attempts} times") as raised:
        refused.fetch(CAPSULE_ID)
    assert not isinstance(raised.value, BadInput), "a network failure is not bad input: it is infra_error"


def test_a_missing_capsule_without_download_names_the_way_out(tmp_path: Path) -> None:
    with pytest.raises(CapsuleUnavailable, match="--download"):
        CapsuleStore(tmp_path).fetch(CAPSULE_ID)


def test_a_malformed_manifest_is_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "capsules.sha256"
    manifest.write_text("not a checksum line\n")
    with pytest.raises(BadInput, match="line 1"):
        read_manifest(manifest)
    assert read_manifest(tmp_path / "absent.sha256") == {}
