"""A fake OpenAI chat-completions API on 127.0.0.1 for tests: the real openai SDK talks to it via
`base_url`. Like `fake_anthropic`, it records every request and answers from a queue; a queued reply may
be a function of the request body, so a scripted model can read what the tools returned. A request beyond
the queue gets a 400, which nobody retries, so a test that asks too much fails fast.
"""

import json
import threading
from collections import deque
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fake_anthropic import SHUTDOWN_POLL_S, Reply, SeenRequest, api_key

Scripted = Reply | Callable[[dict[str, Any]], Reply]


def tool_call(name: str, arguments: dict[str, Any], id: str) -> dict[str, Any]:
    return {"id": id, "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}


def completion(
    tool_calls: list[dict[str, Any]] | None = None,
    *,
    text: str | None = None,
    usage: dict[str, Any] | None = None,
    model: str = "gpt-4o-2024-08-06",
    finish_reason: str | None = None,
) -> Reply:
    """A successful chat completion."""
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if tool_calls:
        message["tool_calls"] = tool_calls
    body = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": finish_reason or ("tool_calls" if tool_calls else "stop"),
            }
        ],
        "usage": usage or {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }
    return Reply(200, body)


def error(status: int, message: str, code: str | None = None) -> Reply:
    return Reply(status, {"error": {"message": message, "type": "invalid_request_error", "code": code}})


class FakeOpenAI:
    """The server; use as a context manager. `url` ends in `/v1`, as a base URL for the SDK does."""

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
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> "FakeOpenAI":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _answer(self, seen: SeenRequest) -> Reply:
        with self._lock:
            self.requests.append(seen)
            if not self.replies:
                return error(400, "script ran out")
            scripted = self.replies.popleft()
        return scripted(seen.body) if callable(scripted) else scripted

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                import time

                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                headers = {name.lower(): value for name, value in self.headers.items()}
                body = json.loads(raw)
                reply = fake._answer(SeenRequest(self.command, self.path, headers, body, time.monotonic()))
                encoded = json.dumps(reply.body).replace("{api_key}", api_key(headers)).encode()
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(encoded)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(encoded)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the test reads `requests` instead."""

        return Handler
