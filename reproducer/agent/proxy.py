"""A model proxy for agents the user brings: their own SDK points at it, it forwards to the model the run
chose with our key, and it counts every call's usage and cost, so the cost cap holds for agents we did
not write. A `py:` agent finds it on 127.0.0.1; a `cmd:` agent, in a sandbox without network, through a
unix socket in the capsule that a forwarder opens on the sandbox's own loopback (`agent.forward`): the
socket leads to this proxy alone, and the proxy to the run's model alone.

It speaks the wire format of the chosen model: OpenAI's chat completions (`POST {url}/v1/chat/completions`)
for `openai/` and `openai-compatible/` models, Claude's Messages API (`POST {url}/v1/messages`) for
`anthropic/` ones; Bedrock and Vertex sign their requests, and are not proxied. A request names the run's
model or none (the proxy sets it): another model could not be priced. Streaming is refused, since usage
is read from the whole reply. Once the spent dollars reach the cap, every request is answered 402 with
a `cost_limit` error, and the agent ends `cost_limit` unless it answered anyway. Each call is a line of
`model_proxy.jsonl` in the run directory: time, status, usage, cost.
"""

import json
import os
import socketserver
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from reproducer.agent.model import Model, Usage
from reproducer.agent.usage import usage_from_api
from reproducer.errors import BadInput

LOG_FILE = "model_proxy.jsonl"
ANTHROPIC_VERSION = "2023-06-01"
UPSTREAM_TIMEOUT_S = 600.0
SHUTDOWN_POLL_S = 0.05
PAYMENT_REQUIRED = 402


class ProxiedModel(BaseModel):
    """What a brought agent is told: where to point its SDK, the model to ask for, and which API it is."""

    base_url: str
    model: str
    api: str  # "openai" (chat completions) or "anthropic" (Messages)


class ModelProxy:
    """`with ModelProxy(model, cap_usd, run_dir) as proxy:` serves on `proxy.url` until the block ends."""

    def __init__(self, model: Model, cap_usd: float, run_dir: Path, unix_socket: Path | None = None) -> None:
        self.model_id = model.name
        self.cap_usd = cap_usd
        self.log_path = run_dir / LOG_FILE
        self.spent_usd = 0.0
        self.calls = 0
        self.refused = 0
        self._lock = threading.Lock()
        self.api, self._upstream, self._headers, self._usage = _target(model)
        self._cost: Callable[[Usage], float] = model.cost  # type: ignore[attr-defined]  # checked in _target
        self._server: socketserver.BaseServer
        if unix_socket is None:
            self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
            self._server.daemon_threads = True
        else:
            self._server = UnixHTTPServer(unix_socket, self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(SHUTDOWN_POLL_S,), daemon=True, name="model-proxy"
        )

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`, or `unix:PATH` for a proxy on a unix socket."""
        if isinstance(self._server, ThreadingHTTPServer):
            host, port = self._server.server_address[:2]
            return f"http://{host!s}:{port}"
        return f"unix:{self._server.server_address!s}"

    def described(self) -> ProxiedModel:
        base = f"{self.url}/v1" if self.api == "openai" else self.url
        return ProxiedModel(base_url=base, model=self.model_id, api=self.api)

    def __enter__(self) -> "ModelProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def answer(self, path: str, body: Any) -> tuple[int, dict[str, Any]]:
        """The status and JSON reply for one request to `path`."""
        refusal = self._refusal(path, body)
        if refusal is not None:
            return 400, _error("invalid_request_error", refusal)
        with self._lock:
            if self.spent_usd >= self.cap_usd:
                self.refused += 1
                message = f"cost limit: ${self.spent_usd:.4f} spent, the limit is ${self.cap_usd:.2f}"
                self._log(PAYMENT_REQUIRED, Usage(), 0.0)
                return PAYMENT_REQUIRED, _error("cost_limit", message)
        status, reply = self._forward(path, {**body, "model": self.model_id})
        usage = self._usage(reply.get("usage") or {}) if status == 200 else Usage()
        cost = self._cost(usage)
        with self._lock:
            self.calls += 1
            self.spent_usd += cost
            self._log(status, usage, cost)
        return status, reply

    def _refusal(self, path: str, body: Any) -> str | None:
        wanted = "/v1/chat/completions" if self.api == "openai" else "/v1/messages"
        if path.rstrip("/") != wanted:
            return f"this proxy serves POST {wanted} for {self.model_id}, not {path}"
        if not isinstance(body, dict):
            return "the request body is not a JSON object"
        if body.get("model") not in (None, self.model_id):
            return f"this run's model is {self.model_id}, not {body.get('model')!r}"
        if body.get("stream"):
            return "streaming is not proxied: ask without `stream` (usage is read from the whole reply)"
        return None

    def _forward(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        suffix = path.removeprefix("/v1") if self.api == "openai" else path
        request = urllib.request.Request(
            self._upstream.rstrip("/") + suffix,
            data=json.dumps(body).encode(),
            headers={"content-type": "application/json", **self._headers},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=UPSTREAM_TIMEOUT_S) as response:
                return response.status, _json(response.read())
        except urllib.error.HTTPError as error:
            return error.code, _json(error.read())
        except OSError as error:
            return 502, _error("api_error", f"the model's API could not be reached: {error}")

    def _log(self, status: int, usage: Usage, cost: float) -> None:
        line = {"at": time.time(), "status": status, "usage": usage.model_dump(), "cost_usd": cost}
        with self.log_path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(line) + "\n")

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                try:
                    body: Any = json.loads(raw)
                except ValueError:
                    body = None
                status, reply = proxy.answer(self.path, body)
                encoded = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(encoded)))
                self.end_headers()
                self.wfile.write(encoded)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: every call is in model_proxy.jsonl."""

        return Handler


class UnixHTTPServer(socketserver.ThreadingUnixStreamServer):
    """The proxy on a unix socket at `path`, for agents in a sandbox without network: the socket's folder
    is inside the capsule, which every sandbox mounts. Anyone in the sandbox may connect (mode 0666): the
    run user inside is not this process's user."""

    daemon_threads = True

    def __init__(self, path: Path, handler: type[BaseHTTPRequestHandler]) -> None:
        self.path = path
        super().__init__(str(path), handler)

    def server_bind(self) -> None:
        # A unix socket's address holds about 100 bytes, less than a run directory's path may take:
        # bound through the folder's descriptor, the address stays short whatever the path.
        folder = os.open(self.path.parent, os.O_PATH | os.O_DIRECTORY)
        try:
            self.socket.bind(f"/proc/self/fd/{folder}/{self.path.name}")
        finally:
            os.close(folder)
        self.path.chmod(0o666)


def _target(model: Model) -> tuple[str, str, dict[str, str], Callable[[Any], Usage]]:
    """API kind, upstream URL, auth headers and usage parser for the run's model."""
    from reproducer.agent.claude import ClaudeModel
    from reproducer.agent.models.openai_chat import OpenAIChatModel, usage_from_chat

    if isinstance(model, OpenAIChatModel):
        client = model.client
        return "openai", str(client.base_url), {"authorization": f"Bearer {client.api_key}"}, usage_from_chat
    if isinstance(model, ClaudeModel) and model.platform == "anthropic":
        claude = model.client
        headers = {"x-api-key": str(getattr(claude, "api_key", "")), "anthropic-version": ANTHROPIC_VERSION}
        return "anthropic", str(claude.base_url), headers, usage_from_api
    raise BadInput(f"the model proxy serves anthropic/ and openai/ models, not {model.name} on its platform")


def _json(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except ValueError:
        return _error("api_error", "the model's API sent a reply that is not JSON")
    return (
        data
        if isinstance(data, dict)
        else _error("api_error", "the model's API sent a reply that is not JSON")
    )


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}
