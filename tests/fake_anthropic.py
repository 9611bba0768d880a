"""A fake Claude Messages API on 127.0.0.1 for tests: the real SDK talks to it through `base_url`.

It records every request (path, headers, JSON body, arrival time) and answers each from a queue of
scripted replies. A request beyond the queue, or beyond `MAX_REQUESTS`, gets a 500 marked
`x-should-retry: false`, so a test that asks too much fails fast instead of looping.
"""

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

MAX_REQUESTS = 20
# How often the serving thread checks for shutdown; the default half second would slow every test.
SHUTDOWN_POLL_S = 0.02
# In a reply body, this placeholder is replaced by the API key the request carried: a server that echoes
# the key lets a test prove the key never reaches an error message or a saved response.
API_KEY_PLACEHOLDER = "{api_key}"


@dataclass
class Reply:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    at: float
    raw: bytes = b""  # the body as sent (a signature covers these bytes)


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "text": value}


def tool_use(name: str, input: dict[str, Any], id: str) -> dict[str, Any]:
    return {"type": "tool_use", "id": id, "name": name, "input": input}


def message(
    content: list[dict[str, Any]],
    *,
    stop_reason: str = "end_turn",
    usage: dict[str, Any] | None = None,
    model: str = "claude-sonnet-4-5-20250929",
) -> Reply:
    """A successful Messages API response."""
    body = {
        "id": "msg_fake_01",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": usage or {"input_tokens": 10, "output_tokens": 5},
    }
    return Reply(200, body)


def error(status: int, kind: str, text: str, headers: dict[str, str] | None = None) -> Reply:
    """An error answer in the API's shape: `{"type": "error", "error": {"type": ..., "message": ...}}`."""
    body = {"type": "error", "error": {"type": kind, "message": text}}
    return Reply(status, body, {"request-id": f"req_fake_{status}", **(headers or {})})


def rate_limited(retry_after: str = "1") -> Reply:
    return error(
        429,
        "rate_limit_error",
        "Number of request tokens has exceeded your rate limit",
        {"retry-after": retry_after},
    )


def overloaded() -> Reply:
    return error(529, "overloaded_error", "Overloaded")


def unauthorized() -> Reply:
    return error(401, "authentication_error", "invalid x-api-key")


def prompt_too_long() -> Reply:
    return error(400, "invalid_request_error", "prompt is too long: 210345 tokens > 200000 maximum")


def api_key(headers: dict[str, str]) -> str:
    """The key a request carried: SDK 2.x sends `authorization: Bearer <key>`, older ones `x-api-key`."""
    bearer = headers.get("authorization", "")
    return bearer.removeprefix("Bearer ") if bearer.startswith("Bearer ") else headers.get("x-api-key", "")


# A reply, or a function of the request body that builds it (an answer that depends on a tool's output).
Scripted = Reply | Callable[[Any], Reply]


class FakeAnthropic:
    """The server; use as a context manager, which stops it on the way out."""

    max_requests: int | None = MAX_REQUESTS

    def __init__(self, replies: Iterable[Scripted] = ()) -> None:
        self.replies: deque[Scripted] = deque(replies)
        self.requests: list[SeenRequest] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(SHUTDOWN_POLL_S,), daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def queue(self, *replies: Scripted) -> None:
        with self._lock:
            self.replies.extend(replies)

    def gaps(self) -> list[float]:
        """Seconds between consecutive requests' arrivals."""
        times = [seen.at for seen in self.requests]
        return [later - earlier for earlier, later in itertools.pairwise(times)]

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _answer(self, seen: SeenRequest) -> Reply:
        with self._lock:
            self.requests.append(seen)
            if not self.replies or (self.max_requests is not None and len(self.requests) > self.max_requests):
                return self._ran_out()
            scripted = self.replies.popleft()
        return scripted(seen.body) if callable(scripted) else scripted

    def _ran_out(self) -> Reply:
        """The reply to a request past the script: an error the SDK does not retry."""
        return Reply(
            500,
            {"type": "error", "error": {"type": "api_error", "message": "script ran out"}},
            {"x-should-retry": "false"},
        )

    def _encode(self, seen: SeenRequest, reply: Reply) -> tuple[str, bytes]:
        """The content type and bytes a reply is sent as (a JSON body here; other APIs' fakes differ)."""
        payload = json.dumps(reply.body).replace(API_KEY_PLACEHOLDER, api_key(seen.headers))
        return "application/json", payload.encode()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                try:
                    body: Any = json.loads(raw)
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                headers = {name.lower(): value for name, value in self.headers.items()}
                seen = SeenRequest(self.command, self.path, headers, body, time.monotonic(), raw)
                reply = fake._answer(seen)
                kind, encoded = fake._encode(seen, reply)
                self.send_response(reply.status)
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(encoded)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(encoded)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the test reads `requests` instead."""

        return Handler
