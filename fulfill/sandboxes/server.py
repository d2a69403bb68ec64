"""The HTTP side every sandbox shares: a loopback server, a rate limit, injected faults."""

from __future__ import annotations

import abc
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class SandboxRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    raw_query: str = ""  # the query string exactly as sent, for platforms that sign it

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class SandboxReply:
    status: int = 200
    body: Any = None  # JSON-able, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)


class _ServerRateLimit:
    """Refuses requests beyond `rate` per second (burst `burst`) with 429 and Retry-After."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.updated = burst, time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> float:
        """0 when allowed, else the seconds until a token is due."""
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens >= 1:
                self.tokens -= 1
                return 0.0
            return (1 - self.tokens) / self.rate


class Sandbox(abc.ABC):
    """Subclasses implement route(); this class serves it on 127.0.0.1 with faults and limits."""

    label = "sandbox"

    def __init__(self, *, rate: float | None = None, burst: float | None = None) -> None:
        self.limit = _ServerRateLimit(rate, burst or rate) if rate else None
        self.faults: deque[tuple[str, Any]] = deque()
        self.requests = 0
        self.throttled = 0
        self.lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None

    @abc.abstractmethod
    def route(self, request: SandboxRequest) -> SandboxReply:
        """Answer one request the way the platform would."""

    def recorded_tracking(self) -> list[tuple[str, str]]:
        """(platform order id, tracking number) of every shipment this stand-in accepted,
        oldest first; the order id as fulfill stores it. What a seller would see on the
        platform's own order page after a write-back. Empty for one that takes no shipments."""
        return []

    def throttle_reply(self, wait_s: float) -> SandboxReply:
        """How this platform says "too many requests" (override for platform specifics)."""
        return SandboxReply(429, {"error": "Too many requests"}, {"Retry-After": f"{wait_s:.2f}"})

    # --- faults tests can inject ---------------------------------------------------------
    def fail_next(self, status: int = 500, times: int = 1) -> None:
        self.faults.extend([("status", status)] * times)

    def stall_next(self, seconds: float) -> None:
        self.faults.append(("stall", seconds))

    def garble_next(self) -> None:
        self.faults.append(("garble", None))

    # --- serving -------------------------------------------------------------------------
    def handle(self, request: SandboxRequest) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            self.requests += 1
            fault = self.faults.popleft() if self.faults else None
        if fault and fault[0] == "stall":
            time.sleep(fault[1])
        if fault and fault[0] == "status":
            return fault[1], {"Content-Type": "application/json"}, b'{"error":"injected fault"}'
        if self.limit:
            wait = self.limit.take()
            if wait:
                with self.lock:
                    self.throttled += 1
                reply = self.throttle_reply(wait)
                return reply.status, reply.headers, json.dumps(reply.body).encode()
        with self.lock:
            reply = self.route(request)
        body = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
        if fault and fault[0] == "garble":
            body = body[: len(body) // 2]
        return reply.status, headers, body

    def start(self) -> str:
        sandbox = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out as two writes; with Nagle on, each reply would wait
            # for the client's delayed ACK (about 40 ms).
            disable_nagle_algorithm = True

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = SandboxRequest(self.command, parts.path, parse_qs(parts.query),
                                         {k.lower(): v for k, v in self.headers.items()},
                                         self.rfile.read(length) if length else b"",
                                         parts.query)
                status, headers, body = sandbox.handle(request)
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nothing to answer

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A short poll interval: stop() returns within 50 ms instead of half a second.
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         name=f"{self.label}-sandbox", daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        assert self._server, "start() the sandbox first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
