"""Shared fixtures for contract tests: a Hetzner Cloud API simulator in a subprocess.

Fixtures:
- `start_simulator(**options)`: factory; starts one simulator per call, all stopped at
  teardown. Options: token, boot_delay, action_delay, agent_port, address_prefix,
  faults (list of rules), extra_args.
- `simulator`: one simulator with defaults; pass options by indirect parametrisation,
  e.g. `@pytest.mark.parametrize("simulator", [{"token": "t"}], indirect=True)`.
- `simulator_url`: just the base URL (`http://127.0.0.1:<port>`) of `simulator`.

Each simulator gets a random 127.x.y address prefix and a free agent port, so several can
run at once (parallel engineers, pytest-xdist) without their /health listeners colliding.
All traffic stays on loopback; urllib is built without proxy support to make sure of it.
"""

from __future__ import annotations

import json
import random
import select
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

REPO = Path(__file__).resolve().parents[2]
SIMULATOR_SCRIPT = REPO / "scripts" / "hetzner_simulator.py"
START_TIMEOUT = 10.0
_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class HTTPReply:
    status: int
    headers: dict[str, str]
    body: Any

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class SimulatorProcess:
    """A running simulator and small helpers to talk to it and its admin endpoints."""

    base_url: str
    agent_port: int
    address_prefix: str
    token: str | None
    process: subprocess.Popen[str]
    log_path: Path
    args: list[str] = field(default_factory=list)

    @property
    def api_url(self) -> str:
        """What to hand an API client as its endpoint (`.../v1`)."""
        return self.base_url + "/v1"

    def request(self, method: str, path: str, body: Any = None,
                token: str | None = "default", timeout: float = 10.0) -> HTTPReply:
        """One HTTP call; `token="default"` sends the simulator's token, None sends none."""
        return http_call(method, self.base_url + path, body,
                         self.token if token == "default" else token, timeout)

    def stats(self) -> dict[str, Any]:
        return self.request("GET", "/_sim/stats").body

    def servers(self) -> list[dict[str, Any]]:
        return self.request("GET", "/_sim/servers").body["servers"]

    def add_faults(self, *rules: dict[str, Any]) -> None:
        reply = self.request("POST", "/_sim/faults", list(rules))
        assert reply.status == 200, reply.body

    def clear_faults(self) -> None:
        self.request("DELETE", "/_sim/faults")

    def reset(self) -> None:
        self.request("POST", "/_sim/reset")

    def log(self) -> str:
        """Everything the simulator wrote to stderr so far (one line per request)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        """SIGTERM, then SIGKILL after 5 s; returns the exit status."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode


def http_call(method: str, url: str, body: Any = None, token: str | None = None,
              timeout: float = 10.0) -> HTTPReply:
    """A JSON request with no proxy; error statuses are returned, not raised."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with _NO_PROXY_OPENER.open(request, timeout=timeout) as response:
            return _reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return _reply(error.code, error.headers, error.read())


def _reply(status: int, headers: Any, raw: bytes) -> HTTPReply:
    body = json.loads(raw) if raw.strip() else None
    return HTTPReply(status, {k.lower(): v for k, v in headers.items()}, body)


def free_loopback_port() -> int:
    """A port free on 127.0.0.1 right now (small race window; fine for tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def random_address_prefix() -> str:
    return f"127.{random.randint(100, 250)}.{random.randint(1, 254)}"


def launch_simulator(log_dir: Path, *, token: str | None = None, boot_delay: float = 0.2,
                     action_delay: float = 0.05, agent_port: int | None = None,
                     address_prefix: str | None = None,
                     faults: list[dict[str, Any]] | None = None,
                     extra_args: tuple[str, ...] = ()) -> SimulatorProcess:
    """Start the simulator on 127.0.0.1 port 0 and wait for its 'listening on' line."""
    agent_port = agent_port or free_loopback_port()
    address_prefix = address_prefix or random_address_prefix()
    args = [sys.executable, str(SIMULATOR_SCRIPT), "--listen", "127.0.0.1:0",
            "--boot-delay", str(boot_delay), "--action-delay", str(action_delay),
            "--agent-port", str(agent_port), "--address-prefix", address_prefix]
    if token is not None:
        args += ["--token", token]
    if faults is not None:
        faults_path = log_dir / f"faults-{agent_port}.json"
        faults_path.write_text(json.dumps(faults), encoding="utf-8")
        args += ["--faults", str(faults_path)]
    args += list(extra_args)

    log_path = log_dir / f"simulator-{agent_port}.log"
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True)
    handle = SimulatorProcess("", agent_port, address_prefix, token, process, log_path, args)
    handle.base_url = _await_banner(handle)
    return handle


def _await_banner(handle: SimulatorProcess) -> str:
    stdout = handle.process.stdout
    assert stdout is not None
    ready, _, _ = select.select([stdout], [], [], START_TIMEOUT)
    line = stdout.readline().strip() if ready else ""
    prefix = "hetzner-simulator listening on "
    if not line.startswith(prefix):
        handle.stop()
        raise RuntimeError(f"simulator did not start (got {line!r}):\n{handle.log()}")
    return line[len(prefix):]


@pytest.fixture
def start_simulator(tmp_path: Path) -> Iterator[Callable[..., SimulatorProcess]]:
    started: list[SimulatorProcess] = []

    def start(**options: Any) -> SimulatorProcess:
        handle = launch_simulator(tmp_path, **options)
        started.append(handle)
        return handle

    yield start
    for handle in started:
        handle.stop()


@pytest.fixture
def simulator(request: pytest.FixtureRequest,
              start_simulator: Callable[..., SimulatorProcess]) -> SimulatorProcess:
    options = getattr(request, "param", None) or {}
    return start_simulator(**options)


@pytest.fixture
def simulator_url(simulator: SimulatorProcess) -> str:
    return simulator.base_url
