"""Starts the NodeSelector daemon for contract tests and gives typed stubs to talk to it.

Stubs are generated from proto/ at test time with grpcio-tools (never hand-written), so a
test that passes proves the .proto files are the contract any language can use. The daemon
binary comes from NODESELECTOR_BIN_DIR (scripts/test sets it) or .build/debug.
"""

from __future__ import annotations

import importlib
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import grpc
from grpc_tools import protoc

REPO = Path(__file__).resolve().parents[2]
PROTO_DIR = REPO / "proto"
START_TIMEOUT = 30.0


def bin_dir() -> Path:
    return Path(os.environ.get("NODESELECTOR_BIN_DIR", REPO / ".build" / "debug"))


_STUBS: dict[str, Any] = {}


def stubs() -> dict[str, Any]:
    """Generates Python modules for every .proto under proto/ once per test session."""
    if _STUBS:
        return _STUBS
    out = Path(tempfile.mkdtemp(prefix="nodeselector-stubs-"))
    protos = [str(p.relative_to(PROTO_DIR)) for p in PROTO_DIR.rglob("*.proto")]
    include = str(Path(protoc.__file__).parent / "_proto")
    code = protoc.main(["protoc", f"-I{PROTO_DIR}", f"-I{include}", f"--python_out={out}",
                        f"--grpc_python_out={out}", *protos])
    assert code == 0, f"grpc_tools.protoc failed with {code}"
    sys.path.insert(0, str(out))
    _STUBS["ns"] = importlib.import_module("nodeselector.v1.nodeselector_pb2")
    _STUBS["ns_grpc"] = importlib.import_module("nodeselector.v1.nodeselector_pb2_grpc")
    _STUBS["health"] = _import_health(out)
    return _STUBS


def _import_health(out: Path) -> Any:
    """Loads the generated grpc.health.v1 messages from their file: the module path starts
    with "grpc" and would collide with the grpcio package. Calls go through
    `health_check()`, which builds the method from these generated message classes."""
    import importlib.util

    path = out / "grpc" / "health" / "v1" / "health_pb2.py"
    spec = importlib.util.spec_from_file_location("nodeselector_health_pb2", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def health_check(channel: grpc.Channel, service: str = "", timeout: float = 5.0) -> Any:
    """Calls grpc.health.v1.Health/Check with the generated request/response classes."""
    health = stubs()["health"]
    call = channel.unary_unary(
        "/grpc.health.v1.Health/Check",
        request_serializer=health.HealthCheckRequest.SerializeToString,
        response_deserializer=health.HealthCheckResponse.FromString)
    return call(health.HealthCheckRequest(service=service), timeout=timeout)


def status_of(call: Callable[[], Any]) -> tuple[grpc.StatusCode, Any]:
    """Runs one RPC: (OK, response) on success, (code, details) on a status; never raises
    grpc.RpcError, so threads can collect outcomes and assert on them afterwards."""
    try:
        return grpc.StatusCode.OK, call()
    except grpc.RpcError as error:
        return error.code(), error.details()


@dataclass
class Daemon:
    """A running nodeselectord and a channel to it."""

    process: subprocess.Popen[str]
    port: int
    log_path: Path
    database: Path

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def channel(self, isolated: bool = False) -> grpc.Channel:
        """A plaintext channel. `isolated` gives it a connection of its own: otherwise
        grpcio shares one connection among channels to the same target, so a connection
        the daemon closed (after hostile input) would fail a "fresh" channel too."""
        options = [("grpc.enable_http_proxy", 0)]
        if isolated:
            options.append(("grpc.use_local_subchannel_pool", 1))
        return grpc.insecure_channel(self.target, options=options)

    def log_lines(self) -> list[dict[str, Any]]:
        lines = []
        for raw in self.log_path.read_text().splitlines():
            try:
                lines.append(json.loads(raw))
            except json.JSONDecodeError:
                lines.append({"raw": raw})
        return lines

    def stub(self, channel: grpc.Channel | None = None) -> Any:
        """A NodeSelector stub on `channel`, or on a new channel of its own."""
        return stubs()["ns_grpc"].NodeSelectorStub(channel or self.channel())

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_for_log(self, matches: Callable[[dict[str, Any]], bool],
                     timeout: float = 10.0) -> dict[str, Any] | None:
        """The first log line `matches` accepts, polling until `timeout`; None if none came."""
        deadline = time.monotonic() + timeout
        while True:
            found = next((line for line in self.log_lines() if matches(line)), None)
            if found is not None or time.monotonic() >= deadline:
                return found
            time.sleep(0.05)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                return self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                return self.process.wait()
        return self.process.returncode


def start_daemon(work_dir: Path, hetzner_url: str, token: str = "test-token",
                 database: Path | None = None, extra: list[str] | None = None) -> Daemon:
    """Starts nodeselectord on 127.0.0.1 with a free port; waits for its "serving" line."""
    database = database or work_dir / "nodeselector.sqlite"
    log_path = work_dir / f"daemon-{time.monotonic_ns()}.log"
    log_path.touch()
    args = [str(bin_dir() / "nodeselectord"), "--listen", "127.0.0.1:0",
            "--database", str(database), "--hetzner-url", hetzner_url,
            "--log-level", "debug", "--drain-grace", "2s", *(extra or [])]
    env = dict(os.environ, HCLOUD_TOKEN=token)
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, env=env)
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_pump, args=(process, log_path, lines), daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if event.get("msg") == "serving":
            return Daemon(process, int(event["port"]), log_path, database)
    process.kill()
    process.wait()
    raise RuntimeError(f"daemon did not start; log: {log_path.read_text()}")


def _pump(process: subprocess.Popen[str], log_path: Path, lines: queue.Queue[str | None]) -> None:
    """Copies the daemon's stderr into its log file and hands each line to the starter."""
    assert process.stderr is not None
    with open(log_path, "a") as log:
        for line in process.stderr:
            log.write(line)
            log.flush()
            lines.put(line)
    lines.put(None)
