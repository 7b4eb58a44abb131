"""Command line of the Hetzner Cloud API simulator: parse, refuse non-loopback, serve."""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import signal
import sys
import threading
from typing import Any

from .app import SimApp
from .cloud import Cloud, CloudConfig
from .faults import FaultBook, FaultRuleError
from .http_server import SimHTTPServer

FAULTS_HELP = """\
fault file / POST /_sim/faults format: a JSON list of rules, e.g.
  [{"op": "create_server", "times": 1, "match": {"location": "fsn1"},
    "status": 412, "code": "placement_error"}]
  op       create_server | get_action | delete_server | list_servers | get_server | health
  times    matching requests the rule hits (default 1; -1 = forever)
  match    optional; fields that must be equal: name, server_type, location, image,
           labels (subset) for servers; id, command for actions; query params for lists
  effect, one of:
    {"status": 503, "code": "unavailable", "message": "..."}   answer this error instead
    {"status": 429, "code": "rate_limit_exceeded", "reset_in": 2}
                         also RateLimit-Remaining: 0 and RateLimit-Reset = now + reset_in
    {"action_error": {"code": "placement_error", "message": "..."}}
                         create/delete answers normally, its action then ends in error
                         (a failed create leaves the server "off"; a failed delete keeps it)
    {"create_despite_error": true, "status": 500, "code": "server_error"}
                         the server IS created, then the error is answered
    {"delay": 1.5}       answer late (combines with the effects above)
  health rules (op "health") apply to servers created while the rule is live, one hit
  per created server:
    {"health_status": 500}  {"health_delay": 5}  {"health_never": true}
    "requests": N        the fault covers only each server's first N health requests
admin endpoints (no auth): GET /_sim/stats, GET /_sim/servers, GET|POST|DELETE
  /_sim/faults, POST /_sim/reset
RateLimit-* headers follow a 3600-request bucket refilled 1/s; running it dry does not
reject requests (script a 429 rule for that)."""


class UsageError(ValueError):
    """A command-line value that breaks a rule (e.g. not loopback); exits with status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hetzner_simulator.py",
        description="Loopback-only simulator of the Hetzner Cloud API subset NodeSelector "
                    "uses, with a fake node agent /health per server and scripted faults.",
        epilog=FAULTS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listen", default="127.0.0.1:0", metavar="HOST:PORT",
                        help="loopback address to serve the API on; port 0 picks a free "
                             "port (default 127.0.0.1:0; [::1]:PORT for IPv6)")
    parser.add_argument("--token", help="if set, every /v1 request must send "
                                        "'Authorization: Bearer TOKEN', else 401")
    parser.add_argument("--boot-delay", type=float, default=1.0, metavar="S",
                        help="seconds from create until the server's /health answers "
                             "(default 1.0; never before its create action finishes)")
    parser.add_argument("--action-delay", type=float, default=0.2, metavar="S",
                        help="seconds an action stays running (default 0.2)")
    parser.add_argument("--agent-port", type=int, default=8080, metavar="P",
                        help="port of each server's /health listener (default 8080)")
    parser.add_argument("--address-prefix", default="127.77", metavar="PREFIX",
                        help="1-3 leading octets of server addresses, inside 127.0.0.0/8 "
                             "(default 127.77 -> 127.77.0.1, 127.77.0.2, ...)")
    parser.add_argument("--faults", metavar="FILE.json",
                        help="fault rules active from the start (format below)")
    parser.add_argument("--port-file", metavar="PATH",
                        help="also write the chosen API port to this file")
    return parser


def parse_listen(text: str) -> tuple[str, int]:
    """Split HOST:PORT and insist HOST is a loopback literal (or 'localhost')."""
    host, sep, port_text = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not port_text.isdigit() or int(port_text) > 65535:
        raise UsageError(f"--listen must be HOST:PORT, got {text!r}")
    if host == "localhost":
        host = "127.0.0.1"
    if not _is_loopback(host):
        raise UsageError(f"--listen {text!r} is not a loopback address; refusing to serve "
                         "anywhere but 127.0.0.0/8 or ::1")
    return host, int(port_text)


def check_prefix(prefix: str) -> str:
    """Insist the address prefix is 1-3 octets that start with 127."""
    parts = prefix.split(".")
    valid = 1 <= len(parts) <= 3 and all(p.isdigit() and int(p) <= 255 for p in parts)
    if not valid or parts[0] != "127":
        raise UsageError(f"--address-prefix {prefix!r} must be 1-3 octets inside "
                         "127.0.0.0/8, e.g. 127.77")
    return ".".join(str(int(part)) for part in parts)


def check_numbers(args: argparse.Namespace) -> None:
    if args.boot_delay < 0 or args.action_delay < 0:
        raise UsageError("--boot-delay and --action-delay must not be negative")
    if not 1 <= args.agent_port <= 65535:
        raise UsageError("--agent-port must be 1-65535")


def load_faults(book: FaultBook, path: str | None) -> None:
    if path is None:
        return
    try:
        with open(path, encoding="utf-8") as handle:
            rules: Any = json.load(handle)
        book.add(rules)
    except (OSError, ValueError) as error:
        raise UsageError(f"--faults {path}: {error}") from error


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _write_port_file(path: str, port: int) -> None:
    """Write then rename, so a reader never sees a half-written port."""
    temporary = f"{path}.tmp{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(f"{port}\n")
    os.replace(temporary, path)


def _stop_on_signals(server: SimHTTPServer) -> None:
    """SIGTERM/SIGINT end serve_forever; shutdown() must run off the serving thread."""
    def stop(_signum: int, _frame: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def main(argv: list[str] | None = None) -> int:
    # A parent that blocks SIGTERM in the starting thread (test runners do) passes that mask
    # on; without this the simulator would ignore every polite request to stop.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    args = build_parser().parse_args(argv)
    try:
        host, port = parse_listen(args.listen)
        prefix = check_prefix(args.address_prefix)
        check_numbers(args)
        book = FaultBook()
        load_faults(book, args.faults)
    except (UsageError, FaultRuleError) as error:
        print(f"hetzner-simulator: error: {error}", file=sys.stderr)
        return 2

    config = CloudConfig(args.boot_delay, args.action_delay, args.agent_port, prefix)
    app = SimApp(Cloud(config), book, args.token)
    try:
        server = SimHTTPServer(host, port, app)
    except OSError as error:
        print(f"hetzner-simulator: error: cannot listen on {args.listen}: {error}",
              file=sys.stderr)
        return 1
    bound_port = server.server_address[1]
    shown_host = f"[{host}]" if ":" in host else host
    _stop_on_signals(server)  # before the banner: whoever reads it may signal at once
    if args.port_file:
        _write_port_file(args.port_file, bound_port)
    print(f"hetzner-simulator listening on http://{shown_host}:{bound_port}", flush=True)

    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        app.cloud.remove_all()
        server.server_close()
    return 0
