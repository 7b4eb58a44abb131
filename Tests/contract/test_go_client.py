"""The daemon's contract seen from Go: grpc-go, with its own HTTP/2 stack, runs every RPC's
happy path and every documented error status against a real daemon and simulator.

The Go client lives in Tests/go; Tests/go/build.sh generates its stubs from proto/ with
protoc-gen-go and protoc-gen-go-grpc and builds it from Debian's Go packages (no module
proxy). A missing toolchain fails this test, never skips it: scripts/setup installs it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from nodeselector_harness import REPO, start_daemon

BUILD_SCRIPT = REPO / "Tests" / "go" / "build.sh"
NODE_LIMIT = 1
FAST = ["--health-interval", "100ms", "--health-timeout", "20s", "--capacity-retry-delay",
        "10ms", "--reconcile-interval", "1h"]
RPCS = ["Health/Check", "SelectNode", "ReleaseNode", "ReportNodeStatus", "RegisterNode",
        "GetNode", "ListNodes", "DestroyNode"]
STATUSES = ["INVALID_ARGUMENT", "NOT_FOUND", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
            "UNAVAILABLE", "DEADLINE_EXCEEDED", "UNIMPLEMENTED"]
PROXY_VARIABLES = {"http_proxy", "https_proxy", "all_proxy", "grpc_proxy"}


@pytest.fixture(scope="module")
def go_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Builds the Go client once for this module; fails with the build's own words."""
    build_dir = tmp_path_factory.mktemp("go-client")
    try:
        built = subprocess.run(["bash", str(BUILD_SCRIPT), str(build_dir)], capture_output=True,
                               text=True, timeout=600, env=_client_env())
    except subprocess.TimeoutExpired:
        pytest.fail("building the Go client took more than 10 minutes")
    if built.returncode == 3:
        pytest.fail(f"the Go client toolchain is missing (run scripts/setup):\n{built.stderr}")
    assert built.returncode == 0, f"Tests/go/build.sh failed:\n{built.stdout}\n{built.stderr}"
    binary = Path(built.stdout.strip().splitlines()[-1])
    assert binary.is_file(), f"build.sh named {binary}, which does not exist"
    return binary


def _client_env() -> dict[str, str]:
    """The environment without proxy settings: every address here is loopback."""
    return {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARIABLES}


def test_go_client_passes_every_rpc_and_error_status(
        go_client: Path, tmp_path: Path, start_simulator: Any) -> None:
    sim = start_simulator(token="test-token", boot_delay=0.2, action_delay=0.1)
    daemon = start_daemon(tmp_path, sim.api_url, extra=FAST + [
        "--agent-port", str(sim.agent_port), "--node-limit", str(NODE_LIMIT)])
    try:
        run = subprocess.run(
            [str(go_client), "-target", daemon.target, "-sim-url", sim.base_url,
             "-node-limit", str(NODE_LIMIT)],
            capture_output=True, text=True, timeout=180, env=_client_env())
    finally:
        daemon.stop()

    print(run.stdout)  # one line per check; shown with pytest -s or on failure
    report = f"Go client exited {run.returncode}:\n{run.stdout}\n{run.stderr}"
    assert run.returncode == 0, report
    lines = run.stdout.splitlines()
    assert lines and lines[-1].startswith("go-contract: ") and " 0 failed" in lines[-1], report
    passed = [line for line in lines if line.startswith("ok ")]
    assert not [line for line in lines if line.startswith("FAIL")], report
    for name in RPCS:
        assert any(name in line for line in passed), f"no passing check calls {name}\n{report}"
    for code in STATUSES:
        assert any(code in line for line in passed), f"no passing check gets {code}\n{report}"
