"""A fake Amazon Bedrock runtime on 127.0.0.1: InvokeModel and InvokeModelWithResponseStream for Claude, as
the anthropic SDK's `AnthropicBedrock` client sends them.

`POST /model/{id}/invoke` answers the scripted Messages API reply as JSON; `.../invoke-with-response-stream`
sends the same reply as Bedrock does, an AWS event stream (`application/vnd.amazon.eventstream`) of
`chunk` events whose payload is `{"bytes": base64(one Messages streaming event)}`. Every request is
recorded; `signature_ok` checks its SigV4 `Authorization` header against the secret key the test set.
"""

import base64
import binascii
import json
import re
import struct
from collections.abc import Iterator
from typing import Any

from fake_anthropic import FakeAnthropic, Reply, SeenRequest

INVOKE = re.compile(r"^/model/(?P<model>[^/]+)/(?P<action>invoke|invoke-with-response-stream)$")
SIGV4 = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)"
    r"/aws4_request, SignedHeaders=(?P<signed>[^,]+), Signature=(?P<signature>[0-9a-f]{64})$"
)
EVENT_STREAM = "application/vnd.amazon.eventstream"
STRING_HEADER = 7  # the event stream's header value type for a UTF-8 string


def signature_ok(seen: SeenRequest, url: str, secret_key: str, session_token: str | None = None) -> bool:
    """Whether the request's SigV4 signature is the one botocore computes with `secret_key` (so the SDK
    signed with the credentials from the environment, over this very body and these headers)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    found = SIGV4.match(seen.headers.get("authorization", ""))
    if not found:
        return False
    signed = {name: seen.headers[name] for name in found["signed"].split(";")}
    request = AWSRequest(method=seen.method, url=url + seen.path, headers=signed, data=seen.raw)
    request.context["timestamp"] = seen.headers["x-amz-date"]
    signer = SigV4Auth(
        Credentials(found["key"], secret_key, session_token), found["service"], found["region"]
    )
    expected = signer.signature(signer.string_to_sign(request, signer.canonical_request(request)), request)
    return bool(expected == found["signature"])


def stream_events(message: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A whole Messages API reply as the streaming events that build it (text and tool input in one delta)."""
    usage = message.get("usage") or {}
    start = {**message, "content": [], "stop_reason": None, "usage": {**usage, "output_tokens": 1}}
    yield {"type": "message_start", "message": start}
    for index, block in enumerate(message["content"]):
        if block["type"] == "tool_use":
            yield {"type": "content_block_start", "index": index, "content_block": {**block, "input": {}}}
            delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
        else:
            yield {
                "type": "content_block_start",
                "index": index,
                "content_block": {"type": "text", "text": ""},
            }
            delta = {"type": "text_delta", "text": block["text"]}
        yield {"type": "content_block_delta", "index": index, "delta": delta}
        yield {"type": "content_block_stop", "index": index}
    stop = {"stop_reason": message["stop_reason"], "stop_sequence": None}
    yield {"type": "message_delta", "delta": stop, "usage": {"output_tokens": usage.get("output_tokens", 0)}}
    yield {"type": "message_stop"}


def event_frame(headers: dict[str, str], payload: bytes) -> bytes:
    """One AWS event stream message: prelude (lengths and their CRC), string headers, payload, CRC."""
    encoded = b"".join(
        struct.pack("!B", len(name))
        + name.encode()
        + struct.pack("!BH", STRING_HEADER, len(value))
        + value.encode()
        for name, value in headers.items()
    )
    total = 12 + len(encoded) + len(payload) + 4
    prelude = struct.pack("!II", total, len(encoded))
    prelude += struct.pack("!I", binascii.crc32(prelude))
    message = prelude + encoded + payload
    return message + struct.pack("!I", binascii.crc32(message))


def chunk_frame(event: dict[str, Any]) -> bytes:
    payload = json.dumps({"bytes": base64.b64encode(json.dumps(event).encode()).decode()}).encode()
    headers = {":event-type": "chunk", ":content-type": "application/json", ":message-type": "event"}
    return event_frame(headers, payload)


class FakeBedrock(FakeAnthropic):
    """The scripted replies are Messages API replies (`fake_anthropic.message`), served the Bedrock way."""

    def _answer(self, seen: SeenRequest) -> Reply:
        if not INVOKE.match(seen.path):
            return Reply(404, {"message": f"no route {seen.path}"})  # Bedrock's errors are `{"message"}`
        return super()._answer(seen)

    def _encode(self, seen: SeenRequest, reply: Reply) -> tuple[str, bytes]:
        if seen.path.endswith("/invoke-with-response-stream") and reply.status == 200:
            return EVENT_STREAM, b"".join(chunk_frame(event) for event in stream_events(reply.body))
        return super()._encode(seen, reply)
