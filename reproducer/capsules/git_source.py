"""Capsules given as git repositories: recognising the URL forms, and a shallow clone of one ref."""

import os
import re
from pathlib import Path

import git

from reproducer.errors import BadInput, Unreachable

GIT_TIMEOUT_SECONDS = 900
_URL_SCHEMES = ("file://", "https://", "http://", "ssh://", "git://")
_SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:")  # git@github.com:owner/repo.git
# Never wait for a password: a private repository without credentials fails at once.
_NO_PROMPTS = {"GIT_TERMINAL_PROMPT": "0", "GIT_SSH_COMMAND": "ssh -o BatchMode=yes"}
_STDERR_CHARS = 2000
# What git and curl print when the network, not the repository, failed: a later try may succeed.
_NETWORK_FAILURE = re.compile(
    r"could not resolve (host|proxy)|failed to connect|connection (refused|timed out|reset)|"
    r"network is unreachable|operation timed out|timed out after|early eof|rpc failed|"
    r"remote end hung up unexpectedly|from proxy after connect|gnutls_handshake|ssl_(connect|error)|"
    r"temporary failure in name resolution",
    re.IGNORECASE,
)


def is_git_url(text: str) -> bool:
    """True for `file://`, `https://`, `http://`, `ssh://`, `git://` URLs and scp-like `git@host:path`."""
    return text.startswith(_URL_SCHEMES) or bool(_SCP_LIKE.match(text))


def split_ref(text: str) -> tuple[str, str | None]:
    """`URL#ref` -> (`URL`, `ref`); without a `#`, the ref is None."""
    location, hash_sign, ref = text.rpartition("#")
    return (location, ref or None) if hash_sign else (text, None)


def repo_name(url: str) -> str:
    """The repository's name from its URL: `https://host/owner/paper-code.git` -> `paper-code`."""
    last = re.split(r"[/:]", url.rstrip("/"))[-1]
    return last.removesuffix(".git")


def clone(url: str, target: Path, ref: str | None) -> None:
    """Clones `ref` (a branch, tag or commit; the default branch if None) of `url` into the new `target`.

    Fetches only that one commit when the server allows it, else the whole history.
    Raises BadInput when the repository or the ref cannot be had, Unreachable when the network failed.
    """
    if ref is not None and (not ref or ref.startswith("-")):
        raise BadInput(f"cannot clone {url}: {ref!r} is not a valid git ref")
    target.mkdir()
    repo = git.Repo.init(target)
    env = {name: value for name, value in _NO_PROMPTS.items() if name not in os.environ}
    try:
        with repo.git.custom_environment(**env):
            _fetch_and_checkout(repo, url, ref)
    except git.GitCommandError as error:
        where = f"{url}#{ref}" if ref else url
        message = _stderr(error)
        if _NETWORK_FAILURE.search(message):
            raise Unreachable(f"cannot clone {where} (network): {message}") from None
        raise BadInput(f"cannot clone {where}: {message}") from None
    finally:
        repo.close()


def _fetch_and_checkout(repo: git.Repo, url: str, ref: str | None) -> None:
    try:
        repo.git.fetch("--depth", "1", url, ref or "HEAD", kill_after_timeout=GIT_TIMEOUT_SECONDS)
        repo.git.checkout("--detach", "FETCH_HEAD")
        return
    except git.GitCommandError:
        if ref is None:
            raise
    # Servers refuse a shallow fetch of an abbreviated (or unadvertised) commit id: take everything.
    refspecs = ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]
    repo.git.fetch(url, *refspecs, kill_after_timeout=GIT_TIMEOUT_SECONDS)
    for candidate in (ref, f"refs/remotes/origin/{ref}"):
        try:
            commit = repo.git.rev_parse("--verify", "--quiet", f"{candidate}^{{commit}}")
        except git.GitCommandError:
            continue
        repo.git.checkout("--detach", commit)
        return
    raise BadInput(f"cannot clone {url}#{ref}: no branch, tag or commit named {ref!r} there")


def _stderr(error: git.GitCommandError) -> str:
    text = str(error.stderr or error).strip()
    text = re.sub(r"^stderr: ", "", text).strip().strip("'").strip()
    return text[-_STDERR_CHARS:] or f"git exited with status {error.status}"
