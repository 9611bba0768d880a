"""Zip archives and links to archives: unpacked by the tar rules, downloaded under limits, checked."""

import hashlib
import stat
import zipfile
from pathlib import Path

import pytest
from test_bench_support import CapsuleServer
from test_capsules_layout import ALL_PATHS, make_capsule, tree

from reproducer.capsules.archive import extract_archive
from reproducer.capsules.download import DownloadLimits, download_archive
from reproducer.capsules.limits import ExtractLimits
from reproducer.capsules.source import open_capsule, parse_source
from reproducer.errors import BadInput


def zip_of(folder: Path, archive: Path, arcname: str) -> Path:
    """`folder` zipped under `arcname/`, with each file's Unix mode, as `zip -r` makes it."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.rglob("*")):
            out.write(path, f"{arcname}/{path.relative_to(folder).as_posix()}")
    return archive


def zip_entries(archive: Path, entries: list[tuple[str, int, bytes]]) -> Path:
    """A zip of (name, Unix mode, body) entries, however hostile."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for name, mode, body in entries:
            info = zipfile.ZipInfo(name)
            info.external_attr = mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, body)
    return archive


def test_a_zipped_capsule_unpacks_like_its_tarball(tmp_path: Path) -> None:
    archive = zip_of(make_capsule(tmp_path / "src"), tmp_path / "capsule-1.zip", "capsule-1")
    assert parse_source(archive).kind == "archive" and parse_source(archive).name == "capsule-1"
    with open_capsule(archive) as root:
        assert root.name == "capsule-1"
        assert tree(root) == ALL_PATHS
        assert (root / "code/run").stat().st_mode & 0o777 == 0o755
        assert (root / "data/x.csv").read_text() == "a,b\n1,2\n"


FILE = stat.S_IFREG | 0o644


@pytest.mark.parametrize(
    ("entries", "rule"),
    [
        ([("../evil.txt", FILE, b"x")], "'..' path component"),
        ([("/etc/evil", FILE, b"x")], "absolute path"),
        ([("c/dev", stat.S_IFCHR | 0o644, b"")], "device, fifo or other special file"),
        ([("c/pipe", stat.S_IFIFO | 0o644, b"")], "device, fifo or other special file"),
        (
            [("c/out", stat.S_IFLNK | 0o777, b"."), ("c/out/x.txt", FILE, b"x")],
            "would be written through the symlink",
        ),
    ],
    ids=["traversal", "absolute", "device", "fifo", "through-a-link"],
)
def test_hostile_zips_are_refused_whole(
    tmp_path: Path, entries: list[tuple[str, int, bytes]], rule: str
) -> None:
    archive = zip_entries(tmp_path / "bad.zip", [("c/ok.txt", FILE, b"fine"), *entries])
    with pytest.raises(BadInput, match=rf"refusing archive .*bad\.zip: member .* {rule}"):
        extract_archive(archive, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.zip"], "nothing is left behind"


def test_a_symlink_out_of_the_zip_is_skipped_and_one_inside_kept(tmp_path: Path) -> None:
    archive = zip_entries(
        tmp_path / "links.zip",
        [
            ("c/data.csv", FILE, b"a\n1\n"),
            ("c/inside.csv", stat.S_IFLNK | 0o777, b"data.csv"),
            ("c/passwd", stat.S_IFLNK | 0o777, b"../../../etc/passwd"),
        ],
    )
    skipped = extract_archive(archive, tmp_path / "out")
    assert skipped == ["c/passwd -> ../../../etc/passwd"]
    assert (tmp_path / "out/c/inside.csv").read_text() == "a\n1\n"
    assert not (tmp_path / "out/c/passwd").exists() and not (tmp_path / "out/c/passwd").is_symlink()


def test_a_zip_bomb_is_stopped_by_the_ratio(tmp_path: Path) -> None:
    archive = zip_entries(tmp_path / "bomb.zip", [("c/zeros", FILE, b"\0" * (8 * 1024 * 1024))])
    limits = ExtractLimits(ratio_grace_bytes=1024 * 1024)
    with pytest.raises(BadInput, match=r"expands \d+x .* a tar bomb"):
        extract_archive(archive, tmp_path / "out", limits)
    assert not (tmp_path / "out").exists()


def test_a_zip_past_the_member_and_size_limits_is_refused(tmp_path: Path) -> None:
    archive = zip_entries(tmp_path / "many.zip", [(f"c/{n}.txt", FILE, b"%d" % n) for n in range(5)])
    with pytest.raises(BadInput, match="past the limit of 3 members"):
        extract_archive(archive, tmp_path / "out", ExtractLimits(max_members=3))
    with pytest.raises(BadInput, match="past the limit of 2 bytes unpacked"):
        extract_archive(archive, tmp_path / "out", ExtractLimits(max_total_bytes=2))


def test_a_corrupt_zip_is_refused(tmp_path: Path) -> None:
    archive = zip_of(make_capsule(tmp_path / "src"), tmp_path / "c.zip", "c")
    archive.write_bytes(archive.read_bytes()[:-30])
    with pytest.raises(BadInput, match=r"c\.zip: not a readable zip archive"):
        extract_archive(archive, tmp_path / "out")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://zenodo.org/records/1/files/paper-code.zip?download=1", "url"),
        ("https://github.com/lab/paper/releases/download/v1/paper-v1.tar.gz", "url"),
        ("https://github.com/lab/paper", "git"),
        ("https://github.com/lab/paper.git#v1", "git"),
    ],
)
def test_a_link_to_an_archive_is_downloaded_and_a_git_url_stays_git(url: str, kind: str) -> None:
    assert parse_source(url).kind == kind


def test_an_archive_link_served_locally_is_downloaded_checked_and_unpacked(tmp_path: Path) -> None:
    body = zip_of(make_capsule(tmp_path / "src"), tmp_path / "paper.zip", "paper").read_bytes()
    digest = hashlib.sha256(body).hexdigest()
    with CapsuleServer() as server:
        server.files["/files/paper.zip?download=1"] = body
        base = f"http://127.0.0.1:{server.httpd.server_address[1]}/files/paper.zip?download=1"
        assert parse_source(f"{base}#sha256={digest}").name == "paper"
        with open_capsule(f"{base}#sha256={digest}") as root:
            assert tree(root) == ALL_PATHS
        with (
            pytest.raises(BadInput, match=r"its SHA-256 is .*, the link says 0000"),
            open_capsule(f"{base}#sha256={'0' * 64}"),
        ):
            pass
        with pytest.raises(BadInput, match="HTTP 404"), open_capsule(base.replace("paper.zip", "gone.zip")):
            pass


def test_a_download_past_its_size_limit_stops(tmp_path: Path) -> None:
    with CapsuleServer() as server:
        server.files["/big.zip"] = b"x" * 5000
        server.files["/short.zip"] = b"x" * 100
        server.truncated.add("/short.zip")
        url = f"http://127.0.0.1:{server.httpd.server_address[1]}"
        with pytest.raises(BadInput, match="5000 bytes is over the limit of 1000 bytes"):
            download_archive(f"{url}/big.zip", tmp_path, limits=DownloadLimits(max_bytes=1000))
        with pytest.raises(BadInput, match="truncated, 100 of 1100 bytes"):
            download_archive(f"{url}/short.zip", tmp_path)
