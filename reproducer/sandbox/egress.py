"""Egress of a confined build limited to the package indexes: an HTTPS proxy that tunnels only to
allowed hosts, reached from a sandbox that has no network of its own.

The runner listens on a unix socket bound into the sandbox; inside, a small forwarder (`FORWARDER`, run
by the system's python3) relays 127.0.0.1:PORT to that socket, and uv is told to use it as its proxy.
Only `CONNECT host:443` to an allowed host is tunnelled (TLS stays end to end, so certificates are
unchanged), and plain `http://` requests to an allowed host's port 80 (apt's Debian mirrors) are
forwarded, on a connection to that host alone; anything else is answered 403 and recorded. A host proxy
(HTTPS_PROXY) is used upstream. Given `listen`, the proxy listens on that TCP address instead (a Docker
build's internal network reaches it at its gateway, see docker/egress.py).
"""

import contextlib
import os
import re
import select
import socket
import tempfile
import threading
import urllib.parse
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType

DEFAULT_HOSTS = ("pypi.org", "files.pythonhosted.org")
INDEX_VARIABLES = (
    "UV_INDEX_URL",
    "UV_DEFAULT_INDEX",
    "UV_EXTRA_INDEX_URL",
    "UV_INDEX",
    "UV_FIND_LINKS",
    "PIP_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
    "PIP_FIND_LINKS",
)
PROXY_PORT = 3128
SOCKET_INSIDE = Path("/opt/reproducer/egress/proxy.sock")
FORWARDER_INSIDE = Path("/opt/reproducer/egress/forward.py")
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
NO_PROXY_VARIABLES = ("no_proxy", "NO_PROXY")
HEADER_LIMIT = 16 * 1024
CONNECT_TIMEOUT_S = 30.0
CHUNK = 64 * 1024
_CONNECT = re.compile(rb"^CONNECT ([A-Za-z0-9.-]+):(\d+) HTTP/1\.[01]\r\n")
# A plain HTTP request in the absolute form a client sends its proxy: `GET http://host[:port]/path ...`.
_FORWARD = re.compile(rb"^(?:GET|HEAD) http://([A-Za-z0-9.-]+)(?::(\d+))?[/ ][^\r\n]* HTTP/1\.[01]\r\n")
HTTPS_PORT, HTTP_PORT = 443, 80

# Runs inside the sandbox: listen on 127.0.0.1:PORT, then detach (so the shell may start uv at once),
# relaying each connection to the unix socket.
FORWARDER = """
import os, socket, sys, threading
port, path = int(sys.argv[1]), sys.argv[2]
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port))
server.listen(64)
if os.fork():
    os._exit(0)
def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
while True:
    client, _ = server.accept()
    upstream = socket.socket(socket.AF_UNIX)
    try:
        upstream.connect(path)
    except OSError:
        client.close()
        continue
    threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
    threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
"""


def index_hosts(env: Mapping[str, str], extra: Iterable[str] = ()) -> set[str]:
    """The hosts of the package indexes `env` configures (PyPI's by default), and `extra` URLs'."""
    hosts = set(DEFAULT_HOSTS)
    for value in [*(env.get(name, "") for name in INDEX_VARIABLES), *extra]:
        for entry in re.split(r"[\s,]+", value):
            url = entry.split("=", 1)[-1] if "=" in entry.split("://", 1)[0] else entry
            host = urllib.parse.urlsplit(url.removeprefix("git+")).hostname
            if host:
                hosts.add(host.lower())
    return hosts


class EgressProxy:
    """The runner's side: `with EgressProxy(hosts) as proxy:` serves until the block ends; `refused`
    lists what was asked for and not allowed."""

    def __init__(
        self, hosts: Iterable[str], upstream: str | None = None, listen: tuple[str, int] | None = None
    ) -> None:
        self.hosts = {h.lower() for h in hosts}
        self.upstream = urllib.parse.urlsplit(upstream) if upstream else None
        self.refused: list[str] = []
        self.directory = Path(tempfile.mkdtemp(prefix="reproducer-egress-"))
        self.directory.chmod(0o755)
        (self.directory / FORWARDER_INSIDE.name).write_text(FORWARDER, encoding="utf-8")
        self.socket_path = self.directory / SOCKET_INSIDE.name
        if listen is None:
            self._server = socket.socket(socket.AF_UNIX)
            self._server.bind(str(self.socket_path))
            self.socket_path.chmod(0o777)  # the sandbox's uid may differ from ours
            self._server.listen(64)
        else:
            self._server = socket.create_server(listen, backlog=64)
        self.address: tuple[str, int] | None = self._server.getsockname()[:2] if listen else None
        self._closing = False
        self._thread = threading.Thread(target=self._serve, daemon=True, name="egress-proxy")
        self._thread.start()

    def __enter__(self) -> "EgressProxy":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._closing = True
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)
        self._server.close()
        self._thread.join(timeout=5)
        for path in self.directory.iterdir():
            path.unlink(missing_ok=True)
        self.directory.rmdir()

    def wrap(self, argv: list[str]) -> list[str]:
        """`argv` started after the forwarder, inside the sandbox."""
        start = f"python3 {FORWARDER_INSIDE} {PROXY_PORT} {SOCKET_INSIDE}"
        return ["/bin/sh", "-c", f'{start} && exec "$@"', "sh", *argv]

    @staticmethod
    def environment(env: Mapping[str, str]) -> dict[str, str]:
        """`env` with the sandbox's proxy in place of any other."""
        proxied = {k: v for k, v in env.items() if k not in PROXY_VARIABLES + NO_PROXY_VARIABLES}
        url = f"http://127.0.0.1:{PROXY_PORT}"
        return proxied | {"HTTP_PROXY": url, "HTTPS_PROXY": url, "http_proxy": url, "https_proxy": url}

    def _serve(self) -> None:
        while not self._closing:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._handle_quietly, args=(client,), daemon=True).start()

    def _handle_quietly(self, client: socket.socket) -> None:
        with contextlib.suppress(OSError):  # either side hanging up ends the tunnel, nothing more
            self._handle(client)

    def _handle(self, client: socket.socket) -> None:
        with client:
            head = _read_head(client)
            tunnel, forward = _CONNECT.match(head), _FORWARD.match(head)
            match = tunnel or forward
            host = match.group(1).decode().lower() if match else ""
            default = HTTPS_PORT if tunnel else HTTP_PORT
            port = int(match.group(2) or default) if match else 0
            if not match or host not in self.hosts or port != default:
                self.refused.append(
                    f"{host}:{port}" if match else head.split(b"\r\n", 1)[0].decode(errors="replace")
                )
                client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                return
            try:
                upstream = self._connect(host, port)
            except OSError as error:
                client.sendall(f"HTTP/1.1 502 Bad Gateway ({error})\r\nContent-Length: 0\r\n\r\n".encode())
                return
            with upstream:
                # A forwarded request goes on as it came (servers accept the absolute form); what follows
                # on this connection can only reach the same host.
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n" if tunnel else b"")
                if forward:
                    upstream.sendall(head)
                _relay(client, upstream)

    def _connect(self, host: str, port: int) -> socket.socket:
        if self.upstream is None or not self.upstream.hostname:
            return socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S)
        via = socket.create_connection((self.upstream.hostname, self.upstream.port or 80), CONNECT_TIMEOUT_S)
        via.sendall(f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        reply = _read_head(via)
        if not re.match(rb"^HTTP/1\.[01] 200", reply):
            via.close()
            raise OSError(f"the host proxy refused {host}:{port}")
        return via


def _read_head(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data and len(data) < HEADER_LIMIT:
        chunk = conn.recv(1)  # byte by byte: nothing past the header may be consumed
        if not chunk:
            break
        data += chunk
    return data


def _relay(a: socket.socket, b: socket.socket) -> None:
    a.settimeout(None)
    b.settimeout(None)
    sockets = [a, b]
    while True:
        readable, _, _ = select.select(sockets, [], [], 300)
        if not readable:
            return
        for source in readable:
            data = source.recv(CHUNK)
            if not data:
                return
            (b if source is a else a).sendall(data)


def host_proxy(env: Mapping[str, str] = os.environ) -> str | None:
    return env.get("HTTPS_PROXY") or env.get("https_proxy") or None
