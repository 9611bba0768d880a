"""Opening a capsule from a folder, a tar archive or a real git repository."""

import tempfile
from collections.abc import Iterator
from pathlib import Path

import git
import pytest
from test_capsules_layout import ALL_PATHS, make_capsule, tar_members, tar_of, tree

from reproducer.capsules.source import open_capsule, parse_source
from reproducer.errors import BadInput, Unreachable

AUTHOR = git.Actor("Test Author", "author@example.org")


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private temporary folder, so the tests can see that open_capsule cleans up after itself."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


def make_repo(folder: Path) -> tuple[git.Repo, str]:
    """A repository holding the capsule; a second commit adds `code/extra.py`. Returns the first commit."""
    repo = git.Repo.init(make_capsule(folder), initial_branch="main")
    repo.index.add(sorted(path for path in tree(folder) if (folder / path).is_file()))
    first = repo.index.commit("capsule", author=AUTHOR, committer=AUTHOR).hexsha
    (folder / "code" / "extra.py").write_text("print('later')\n")
    repo.index.add(["code/extra.py"])
    repo.index.commit("later", author=AUTHOR, committer=AUTHOR)
    return repo, first


def test_a_folder_is_used_in_place(tmp_path: Path, scratch: Path) -> None:
    capsule = make_capsule(tmp_path / "capsule-1")
    with open_capsule(capsule) as root:
        assert root == capsule
    assert capsule.is_dir()


def test_a_tarball_with_one_top_folder_is_opened_at_that_folder(tmp_path: Path, scratch: Path) -> None:
    archive = tar_of(make_capsule(tmp_path / "src"), tmp_path / "capsule-7.tar.gz", "capsule-7")
    with open_capsule(archive) as root:
        assert root.name == "capsule-7"
        assert tree(root) == ALL_PATHS
    assert list(scratch.iterdir()) == []


def test_a_flat_tarball_is_named_after_the_archive(tmp_path: Path, scratch: Path) -> None:
    archive = tar_of(make_capsule(tmp_path / "src"), tmp_path / "paper.tgz", ".")
    with open_capsule(archive) as root:
        assert root.name == "paper"
        assert tree(root) == ALL_PATHS


def test_a_hostile_archive_leaves_no_scratch_behind(tmp_path: Path, scratch: Path) -> None:
    import tarfile

    archive = tar_members(tmp_path / "evil.tar.gz", [(tarfile.TarInfo("../evil"), b"x")])
    with pytest.raises(BadInput, match="path traversal"), open_capsule(archive):
        pass
    assert list(scratch.iterdir()) == []


def test_a_git_repository_by_file_url_is_cloned_shallow(tmp_path: Path, scratch: Path) -> None:
    make_repo(tmp_path / "paper-code")
    with open_capsule((tmp_path / "paper-code").as_uri()) as root:
        assert root.name == "paper-code"
        assert tree(root) == ALL_PATHS | {"code/extra.py"}
        assert (root / "code/run").stat().st_mode & 0o111
        assert len(list(git.Repo(root).iter_commits())) == 1
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("form", ["suffix", "option"])
def test_a_ref_picks_the_commit(tmp_path: Path, scratch: Path, form: str) -> None:
    _, first = make_repo(tmp_path / "paper-code")
    url = (tmp_path / "paper-code").as_uri()
    source, ref = (f"{url}#{first}", None) if form == "suffix" else (url, first)
    with open_capsule(source, ref=ref) as root:
        assert not (root / "code/extra.py").exists()
        assert git.Repo(root).head.commit.hexsha == first


def test_a_local_repository_path_with_a_ref_is_cloned_at_that_ref(tmp_path: Path, scratch: Path) -> None:
    _, first = make_repo(tmp_path / "paper-code")
    with open_capsule(f"{tmp_path / 'paper-code'}#{first[:10]}") as root:
        assert root != tmp_path / "paper-code"
        assert git.Repo(root).head.commit.hexsha == first


def test_a_local_repository_path_without_a_ref_is_its_working_tree(tmp_path: Path, scratch: Path) -> None:
    make_repo(tmp_path / "paper-code")
    (tmp_path / "paper-code" / "notes.txt").write_text("not committed\n")
    with open_capsule(tmp_path / "paper-code") as root:
        assert (root / "notes.txt").is_file() and (root / ".git").is_dir()


def test_an_unknown_ref_is_refused(tmp_path: Path, scratch: Path) -> None:
    make_repo(tmp_path / "paper-code")
    url = (tmp_path / "paper-code").as_uri()
    with pytest.raises(BadInput, match="no branch, tag or commit named 'nope'"), open_capsule(f"{url}#nope"):
        pass
    assert list(scratch.iterdir()) == []


def test_a_missing_repository_is_refused(tmp_path: Path, scratch: Path) -> None:
    with (
        pytest.raises(BadInput, match=r"cannot clone file://.*absent"),
        open_capsule((tmp_path / "absent").as_uri()),
    ):
        pass


def test_a_clone_the_network_refuses_is_unreachable_not_bad_input(
    scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Port 1 on 127.0.0.1 refuses at once: git says "Failed to connect", a network failure to retry."""
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    with pytest.raises(Unreachable, match="network") as raised, open_capsule("https://127.0.0.1:1/paper.git"):
        pass
    assert not isinstance(raised.value, BadInput)
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("/no/such/capsule", "no such file or folder, and not a git URL"),
        ("https://example.org/capsule-1.tar.gz#main", "takes `#sha256=HEX`, not a git ref"),
        ("https://example.org/capsule-1.zip#sha256=abc", "is not a SHA-256"),
    ],
)
def test_sources_that_cannot_be_opened(source: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        parse_source(source)


def test_the_ref_is_after_the_last_hash() -> None:
    parsed = parse_source("https://example.org/paper.git#a#b")
    assert (parsed.location, parsed.ref) == ("https://example.org/paper.git#a", "b")


def test_a_ref_on_an_archive_is_refused(tmp_path: Path) -> None:
    archive = tar_of(make_capsule(tmp_path / "src"), tmp_path / "c.tar.gz", "c")
    with pytest.raises(BadInput, match="only applies to a git repository"):
        parse_source(archive, ref="main")


def test_suffix_and_option_refs_must_agree() -> None:
    with pytest.raises(BadInput, match="disagree"):
        parse_source("https://example.org/paper.git#v1", ref="v2")


@pytest.mark.parametrize(
    ("url", "name"),
    [("git@github.com:owner/paper-code.git", "paper-code"), ("https://host/owner/paper/", "paper")],
)
def test_git_urls_are_named_after_the_repository(url: str, name: str) -> None:
    parsed = parse_source(url)
    assert (parsed.kind, parsed.name) == ("git", name)
