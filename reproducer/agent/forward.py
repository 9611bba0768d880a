"""Runs inside the sandbox, in front of a `cmd:` agent: the model proxy's door on the sandbox's loopback.

The sandbox has no network, and the model proxy (`reproducer.agent.proxy`) listens on a unix socket in
the capsule's `.agent/` folder. This program listens on 127.0.0.1 of the sandbox's own network namespace,
relays each connection to that socket byte for byte, and runs the agent with the proxy's address in the
variables its SDK reads (`ANTHROPIC_BASE_URL`, `OPENAI_BASE_URL`, a placeholder key; the real key stays
on the host), then exits with the agent's status. Nothing else is reachable through it: the socket
leads only to the proxy, which forwards only the run's model's API.

    python3 forward.py SOCKET API MODEL -- PROGRAM [ARGS...]

It is copied into the sandbox and run by whatever `python3` is there: standard library only, and
nothing newer than Python 3.6.
"""

import contextlib
import os
import socket
import subprocess
import sys
import threading

CHUNK = 65536
BACKLOG = 64
# The SDKs refuse to start without a key; the proxy ignores it and sends the run's own.
PLACEHOLDER_KEY = "reproducer-model-proxy"


def relay(source: socket.socket, target: socket.socket) -> None:
    """Copies `source` to `target` until `source` ends, then ends `target`'s sending side."""
    try:
        while True:
            data = source.recv(CHUNK)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    with contextlib.suppress(OSError):
        target.shutdown(socket.SHUT_WR)


def connect(client: socket.socket, socket_path: str) -> None:
    upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        upstream.connect(socket_path)
    except OSError:
        client.close()
        upstream.close()
        return
    back = threading.Thread(target=relay, args=(upstream, client))
    back.daemon = True
    back.start()
    relay(client, upstream)
    back.join()
    client.close()
    upstream.close()


def serve(listener: socket.socket, socket_path: str) -> None:
    while True:
        client, _ = listener.accept()
        thread = threading.Thread(target=connect, args=(client, socket_path))
        thread.daemon = True
        thread.start()


def agent_env(url: str, api: str, model: str) -> "dict[str, str]":
    env = dict(os.environ)
    env.update(
        {
            "ANTHROPIC_BASE_URL": url,
            "ANTHROPIC_API_KEY": PLACEHOLDER_KEY,
            "OPENAI_BASE_URL": url + "/v1",
            "OPENAI_API_KEY": PLACEHOLDER_KEY,
            "REPRODUCER_MODEL": model,
            "REPRODUCER_MODEL_API": api,
            "REPRODUCER_MODEL_URL": url + "/v1" if api == "openai" else url,
        }
    )
    return env


def main(argv: "list[str]") -> int:
    if len(argv) < 5 or argv[3] != "--":
        sys.stderr.write("usage: forward.py SOCKET API MODEL -- PROGRAM [ARGS...]\n")
        return 2
    socket_path, api, model, command = argv[0], argv[1], argv[2], argv[4:]
    # An absolute socket path may be longer than a unix socket address allows; the relative one is short.
    socket_path = os.path.relpath(socket_path)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(BACKLOG)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    server = threading.Thread(target=serve, args=(listener, socket_path))
    server.daemon = True
    server.start()
    status = subprocess.call(command, env=agent_env(url, api, model))
    return 128 - status if status < 0 else status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
