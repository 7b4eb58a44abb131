"""HTTP/1.1 plumbing: turns http.server requests into app Requests and Replies into bytes.

Logs one line per request to stderr (method, path, status). Headers are never logged, so
the bearer token cannot leak through the log.
"""

from __future__ import annotations

import json
import socket
import sys
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from .app import Reply, Request, SimApp

_MAX_BODY = 1 << 20


class SimHTTPServer(ThreadingHTTPServer):
    """A threading server that also binds IPv6 loopback when given `::1`."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str, port: int, app: SimApp) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.app = app
        super().__init__((host, port), SimHandler)


class SimHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SimHTTPServer

    def do_GET(self) -> None:  # noqa: N802 (names fixed by http.server)
        self._dispatch()

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch()

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch()

    def do_PUT(self) -> None:  # noqa: N802
        self._dispatch()

    def _dispatch(self) -> None:
        body = self._read_body()
        if body is None:
            return
        parts = urlsplit(self.path)
        request = Request(method=self.command, path=parts.path,
                          query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                          headers={k.lower(): v for k, v in self.headers.items()}, body=body)
        try:
            reply = self.server.app.handle(request)
        except Exception:  # noqa: BLE001 (any bug becomes a 500, never a dropped socket)
            traceback.print_exc(file=sys.stderr)
            error = {"code": "server_error", "message": "simulator bug", "details": {}}
            reply = Reply(500, {"error": error})
        self._send(reply)

    def _read_body(self) -> bytes | None:
        """The request body, or None after answering 400/413 for one we cannot read."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            self._send(_plain_error(400, "json_error", "chunked bodies are not supported"))
            return None
        length_text = self.headers.get("Content-Length", "0") or "0"
        if not length_text.isdigit() or int(length_text) > _MAX_BODY:
            self.close_connection = True
            self._send(_plain_error(413, "json_error", "missing or oversized body length"))
            return None
        return self.rfile.read(int(length_text))

    def _send(self, reply: Reply) -> None:
        body = json.dumps(reply.payload).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_request(self, code: object = "-", size: object = "-") -> None:
        print(f"{self.command} {self.path} {code}", file=sys.stderr, flush=True)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        print(f"http: {format % args}", file=sys.stderr, flush=True)


def _plain_error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"error": {"code": code, "message": message, "details": {}}})
