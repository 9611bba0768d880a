"""Safe extraction: real archives, good and hostile, built here with tarfile."""

import gzip
import re
import tarfile
from pathlib import Path

import pytest
from test_capsules_layout import ALL_PATHS, make_capsule, tar_members, tar_of, tree

from reproducer.capsules.archive import archive_stem, extract_archive
from reproducer.capsules.limits import ExtractLimits
from reproducer.errors import BadInput

MIB = 1024 * 1024


def _file(name: str) -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), b"payload\n"


def _link(name: str, target: str, kind: bytes) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


def _device(name: str) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
    return info, None


def _fifo(name: str) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = tarfile.FIFOTYPE
    return info, None


def test_a_capsule_tarball_unpacks_with_its_modes(tmp_path: Path) -> None:
    archive = tar_of(make_capsule(tmp_path / "src"), tmp_path / "capsule-1.tar.gz", "capsule-1")
    extract_archive(archive, tmp_path / "out")
    assert tree(tmp_path / "out" / "capsule-1") == ALL_PATHS
    assert (tmp_path / "out/capsule-1/code/run").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "out/capsule-1/data/x.csv").read_text() == "a,b\n1,2\n"


def test_inner_links_are_kept(tmp_path: Path) -> None:
    archive = tar_members(
        tmp_path / "links.tar.gz",
        [
            _file("c/data/x.csv"),
            _link("c/data/alias.csv", "x.csv", tarfile.SYMTYPE),
            _link("c/code/copy.csv", "c/data/x.csv", tarfile.LNKTYPE),
        ],
    )
    extract_archive(archive, tmp_path / "out")
    assert (tmp_path / "out/c/data/alias.csv").readlink() == Path("x.csv")
    assert (tmp_path / "out/c/code/copy.csv").stat().st_ino == (tmp_path / "out/c/data/x.csv").stat().st_ino


Members = list[tuple[tarfile.TarInfo, bytes | None]]
HOSTILE: dict[str, tuple[Members, str, str]] = {
    "path traversal": ([_file("c/ok.txt"), _file("../evil")], "'../evil'", "path traversal"),
    "traversal inside a path": ([_file("c/../../evil")], "'c/../../evil'", "path traversal"),
    "absolute path": ([_file("/etc/x")], "'/etc/x'", "absolute path"),
    "hard link to /etc/passwd": (
        [_link("c/passwd", "/etc/passwd", tarfile.LNKTYPE)],
        "'c/passwd'",
        "hard link to outside",
    ),
    "hard link up and out": ([_link("c/up", "../x", tarfile.LNKTYPE)], "'c/up'", "hard link to outside"),
    "hard link to nothing earlier": (
        [_link("c/later", "c/missing", tarfile.LNKTYPE)],
        "'c/later'",
        "not a file earlier in the archive",
    ),
    "device node": ([_device("c/null")], "'c/null'", "device"),
    "fifo": ([_fifo("c/pipe")], "'c/pipe'", "special file"),
    "write through an inner symlink": (
        [_link("c/link", ".", tarfile.SYMTYPE), _file("c/link/x")],
        "'c/link/x'",
        "through the symlink",
    ),
}


def test_symlinks_pointing_outside_are_skipped_and_the_rest_extracted(tmp_path: Path) -> None:
    archive = tar_members(
        tmp_path / "repo.tar.gz",
        [
            _file("c/data/x.csv"),
            _link("c/passwd", "/etc/passwd", tarfile.SYMTYPE),
            _link("c/up", "../../x", tarfile.SYMTYPE),
            _link("c/here", ".", tarfile.SYMTYPE),
            _link("c/via", "here/../../y", tarfile.SYMTYPE),  # lexically out once `here` resolves
            _link("c/alias.csv", "data/x.csv", tarfile.SYMTYPE),
        ],
    )
    skipped = extract_archive(archive, tmp_path / "out")
    assert skipped == ["c/passwd -> /etc/passwd", "c/up -> ../../x", "c/via -> here/../../y"]
    out = tmp_path / "out" / "c"
    assert sorted(p.name for p in out.iterdir()) == ["alias.csv", "data", "here"]
    assert (out / "alias.csv").readlink() == Path("data/x.csv")


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_archives_are_refused_and_leave_nothing(tmp_path: Path, case: str) -> None:
    members, member, rule = HOSTILE[case]
    archive = tar_members(tmp_path / "evil.tar.gz", members)
    with pytest.raises(BadInput) as caught:
        extract_archive(archive, tmp_path / "out")
    message = str(caught.value)
    assert str(archive) in message and member in message and rule in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.tar.gz"]


def test_too_many_members_are_refused(tmp_path: Path) -> None:
    archive = tar_members(tmp_path / "many.tar.gz", [_file(f"c/{n}.txt") for n in range(10)])
    with pytest.raises(BadInput, match=r"member 'c/5\.txt' is past the limit of 5 members"):
        extract_archive(archive, tmp_path / "out", ExtractLimits(max_members=5))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many.tar.gz"]


def test_more_than_the_size_limit_is_refused(tmp_path: Path) -> None:
    info = tarfile.TarInfo("c/big.bin")
    archive = tar_members(tmp_path / "big.tar.gz", [_file("c/small.txt"), (info, b"x" * 5000)])
    with pytest.raises(BadInput, match=r"'c/big\.bin' takes the archive past the limit of 4096 bytes"):
        extract_archive(archive, tmp_path / "out", ExtractLimits(max_total_bytes=4096))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.tar.gz"]


class _Zeros:
    """A file of `size` zero bytes that is never held in memory."""

    def __init__(self, size: int) -> None:
        self.left = size

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        self.left -= size
        return bytes(size)


def test_a_tar_bomb_is_stopped_after_reading_a_little(tmp_path: Path) -> None:
    archive, size = tmp_path / "bomb.tar.gz", 256 * MIB
    with gzip.open(archive, "wb", compresslevel=6) as packed, tarfile.open(fileobj=packed, mode="w|") as tar:
        info = tarfile.TarInfo("capsule-1/zeros.bin")
        info.size = size
        tar.addfile(info, _Zeros(size))
    with pytest.raises(BadInput, match=r"'capsule-1/zeros\.bin' expands \d+x .*tar bomb") as caught:
        extract_archive(archive, tmp_path / "out")
    written, read = map(int, re.findall(r"\((\d+) bytes out of (\d+) read\)", str(caught.value))[0])
    assert written < 32 * MIB and read < MIB
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.tar.gz"]


def test_a_corrupt_gzip_is_refused(tmp_path: Path) -> None:
    archive = tar_of(make_capsule(tmp_path / "src"), tmp_path / "capsule.tar.gz", "capsule")
    data = bytearray(archive.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\xff" * 64
    archive.write_bytes(bytes(data))
    with pytest.raises(BadInput, match=r"capsule\.tar\.gz: not a readable tar archive"):
        extract_archive(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob(".out.partial-*"))


@pytest.mark.parametrize("content", [b"", b"just some text, not an archive\n"], ids=["empty", "text"])
def test_a_file_that_is_not_an_archive_is_refused(tmp_path: Path, content: bytes) -> None:
    archive = tmp_path / "notes.tar.gz"
    archive.write_bytes(content)
    with pytest.raises(BadInput, match=r"notes\.tar\.gz: not a readable tar archive"):
        extract_archive(archive, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.tar.gz"]


def test_an_existing_target_is_not_overwritten(tmp_path: Path) -> None:
    archive = tar_members(tmp_path / "a.tar.gz", [_file("c/x.txt")])
    (tmp_path / "out").mkdir()
    with pytest.raises(BadInput, match="already exists"):
        extract_archive(archive, tmp_path / "out")


@pytest.mark.parametrize(
    ("name", "stem"),
    [("capsule-1.tar.gz", "capsule-1"), ("c.tgz", "c"), ("c.tar", "c"), ("c.TAR.XZ", "c"), ("c.zip", "c")],
)
def test_archive_stem(name: str, stem: str) -> None:
    assert archive_stem(Path(name)) == stem
