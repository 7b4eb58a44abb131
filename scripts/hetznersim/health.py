"""The fake node agent: one `/health` listener per simulated server, on the server's own
loopback address, started after the boot delay and closed when the server goes away.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass(frozen=True)
class HealthBehaviour:
    """How a server's agent answers; set from a `health` fault rule at creation time.

    `limit` is how many requests the fault applies to (None = all); later ones answer 200.
    """

    status: int = 200
    delay: float = 0.0
    never: bool = False
    limit: int | None = None


class _AgentServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class HealthAgent:
    """Serves `GET /health` for one server on (ip, port) once started; safe to stop early.

    States: pending -> listening | never | bind_failed | not_started; any -> stopped.
    """

    def __init__(self, ip: str, port: int, behaviour: HealthBehaviour) -> None:
        self.ip, self.port, self.behaviour = ip, port, behaviour
        self.state = "pending"
        self.requests = 0
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._server: _AgentServer | None = None

    def schedule(self, after: float, still_wanted: Callable[[], bool]) -> None:
        """Start listening `after` seconds from now if `still_wanted()` says so then."""
        if self.behaviour.never:
            self.state = "never"
            return
        self._timer = threading.Timer(after, self._start, args=(still_wanted,))
        self._timer.daemon = True
        self._timer.start()

    def stop(self) -> None:
        """Cancel a pending start or close the listener; idempotent."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            server, self._server = self._server, None
            self.state = "stopped"
        if server is not None:
            server.shutdown()
            server.server_close()

    def _start(self, still_wanted: Callable[[], bool]) -> None:
        with self._lock:
            if self.state != "pending":
                return
            if not still_wanted():
                self.state = "not_started"
                return
            try:
                server = _AgentServer((self.ip, self.port), self._handler_class())
            except OSError as error:
                self.state = "bind_failed"
                print(f"health {self.ip}:{self.port} bind failed: {error}", file=sys.stderr,
                      flush=True)
                return
            self._server = server
            self.state = "listening"
            # Started under the lock: stop() calls shutdown(), which waits for serve_forever
            # and would hang forever if the serving thread had not been started yet.
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                             name=f"health-{self.ip}", daemon=True).start()

    def _next_answer(self) -> tuple[int, float]:
        """Count one request and say which status and delay it gets."""
        with self._lock:
            self.requests += 1
            faulted = self.behaviour.limit is None or self.requests <= self.behaviour.limit
        if not faulted:
            return 200, 0.0
        return self.behaviour.status, self.behaviour.delay

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        agent = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (name fixed by http.server)
                if self.path.split("?")[0] != "/health":
                    self._reply(404, {"status": "not found"})
                    return
                status, delay = agent._next_answer()
                if delay > 0:
                    time.sleep(delay)
                self._reply(status, {"status": "ok" if status == 200 else "error"})

            def _reply(self, status: int, payload: dict[str, str]) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_request(self, code: object = "-", size: object = "-") -> None:
                print(f"health {agent.ip}:{agent.port} {self.command} {self.path} {code}",
                      file=sys.stderr, flush=True)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                print(f"health {agent.ip}: {format % args}", file=sys.stderr, flush=True)

        return Handler
