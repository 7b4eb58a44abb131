"""The life of a call and of the daemon: a client that cancels, a deadline that ends while
a server boots, and SIGTERM while calls are in flight.

The simulator's boot delay keeps a provisioned node booting for several seconds, so a
SelectNode with wait_until_ready is reliably still waiting when the test acts on it.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any, Iterator

import grpc
import pytest

from nodeselector_harness import Daemon, health_check, start_daemon, status_of, stubs

FAST = ["--health-interval", "100ms", "--health-timeout", "60s", "--capacity-retry-delay",
        "10ms", "--reconcile-interval", "1h"]
BOOT_DELAY = 4.0  # seconds the simulator's agents stay silent after a server is created


@pytest.fixture
def ns() -> Any:
    return stubs()["ns"]


@pytest.fixture
def slow_cloud(start_simulator: Any) -> Any:
    return start_simulator(token="test-token", boot_delay=BOOT_DELAY, action_delay=0.05)


@pytest.fixture
def daemon(tmp_path: Path, slow_cloud: Any) -> Iterator[Daemon]:
    running = start_daemon(tmp_path, slow_cloud.api_url,
                           extra=FAST + ["--agent-port", str(slow_cloud.agent_port)])
    yield running
    running.stop()


def waiting_select(ns: Any, task: str) -> Any:
    return ns.SelectNodeRequest(user_id="alice", task_id=task, preferred_size="cx22",
                                allow_provision=True, wait_until_ready=True)


def rpc_line(daemon: Daemon, method: str, status: str, timeout: float = 10.0) -> Any:
    """The daemon's log line for a call of `method` that ended with `status`."""
    return daemon.wait_for_log(
        lambda line: line.get("msg") == "rpc" and line.get("rpc.status") == status
        and str(line.get("rpc.method", "")).endswith("/" + method), timeout)


def test_cancelled_waiting_select_ends_cancelled_and_the_daemon_keeps_serving(
        daemon: Daemon, slow_cloud: Any, ns: Any) -> None:
    channel = daemon.channel()
    stub = daemon.stub(channel)
    future = stub.SelectNode.future(waiting_select(ns, "cancel-me"), timeout=60)
    time.sleep(0.5)
    assert future.cancel(), "the call had already finished; the boot delay is too short"

    assert future.cancelled()
    line = rpc_line(daemon, "SelectNode", "CANCELLED")
    assert line is not None, "no log line shows the SelectNode ending CANCELLED"
    assert line.get("task.id") == "cancel-me"
    assert health_check(channel).status == stubs()["health"].HealthCheckResponse.SERVING
    # The node keeps booting without its caller; the retry gets that same node.
    again = stub.SelectNode(waiting_select(ns, "cancel-me"), timeout=30)
    assert again.method == ns.SELECTION_METHOD_EXISTING_ASSIGNMENT
    assert again.node.state == ns.NODE_STATE_RUNNING
    assert [s["id"] for s in slow_cloud.servers()] == [again.node.cloud_server_id]
    channel.close()


def test_short_deadline_on_slow_provisioning_is_deadline_exceeded_and_retry_gets_same_node(
        daemon: Daemon, slow_cloud: Any, ns: Any) -> None:
    stub = daemon.stub()
    code, details = status_of(lambda: stub.SelectNode(waiting_select(ns, "hurry"), timeout=1))

    assert code == grpc.StatusCode.DEADLINE_EXCEEDED
    # The daemon's own answer, not the client library's bare "Deadline Exceeded": it says
    # the node is still coming up and how to follow it.
    assert "retry SelectNode with the same task id" in details, details
    nodes = stub.ListNodes(ns.ListNodesRequest(user_id="alice"), timeout=5).nodes
    assert len(nodes) == 1 and nodes[0].id in details
    assert rpc_line(daemon, "SelectNode", "DEADLINE_EXCEEDED") is not None, "logged otherwise"

    again = stub.SelectNode(waiting_select(ns, "hurry"), timeout=30)
    assert again.node.id == nodes[0].id
    assert again.method == ns.SELECTION_METHOD_EXISTING_ASSIGNMENT
    assert again.node.state == ns.NODE_STATE_RUNNING
    assert [s["id"] for s in slow_cloud.servers()] == [again.node.cloud_server_id]


def test_health_check_answers_not_serving_while_draining(
        tmp_path: Path, slow_cloud: Any) -> None:
    daemon = start_daemon(tmp_path, slow_cloud.api_url,
                          extra=FAST + ["--drain-announce", "2s"])
    health = stubs()["health"].HealthCheckResponse
    channel = daemon.channel()
    try:
        assert health_check(channel).status == health.SERVING
        daemon.process.send_signal(signal.SIGTERM)
        assert daemon.wait_for_log(lambda line: line.get("msg") == "draining") is not None

        # "draining" is logged just before the flag flips: ask until it shows, well
        # inside the 2 s announce window, while the process is still up.
        answers = [health_check(channel).status]
        while answers[-1] != health.NOT_SERVING and len(answers) < 20:
            time.sleep(0.05)
            answers.append(health_check(channel).status)
        assert answers[-1] == health.NOT_SERVING, answers
        assert daemon.alive, "the daemon exited before the announce window ended"
        assert daemon.process.wait(timeout=30) == 0
    finally:
        channel.close()
        daemon.stop()


def test_sigterm_drains_a_waiting_select_and_exits_zero(
        tmp_path: Path, slow_cloud: Any, ns: Any) -> None:
    daemon = start_daemon(tmp_path, slow_cloud.api_url,
                          extra=FAST + ["--agent-port", str(slow_cloud.agent_port)])
    channel = daemon.channel()
    try:
        future = daemon.stub(channel).SelectNode.future(waiting_select(ns, "drain"),
                                                        timeout=60)
        time.sleep(0.5)
        daemon.process.send_signal(signal.SIGTERM)

        code, answer = status_of(lambda: future.result(timeout=60))
        assert daemon.process.wait(timeout=30) == 0
        assert code in (grpc.StatusCode.OK, grpc.StatusCode.CANCELLED,
                        grpc.StatusCode.UNAVAILABLE), (code, answer)
        if code == grpc.StatusCode.OK:
            assert answer.node.state == ns.NODE_STATE_RUNNING
        messages = [line.get("msg") for line in daemon.log_lines()]
        assert "draining" in messages and "stopped" in messages
        ended = [line for line in daemon.log_lines() if line.get("msg") == "rpc"
                 and str(line.get("rpc.method")).endswith("/SelectNode")]
        assert [line.get("task.id") for line in ended] == ["drain"], "the call was lost"
        assert ended[0].get("rpc.status") in ("OK", "CANCELLED", "UNAVAILABLE"), ended
    finally:
        channel.close()
        daemon.stop()


def test_sigterm_lets_a_waiting_select_finish_when_its_node_boots_within_the_grace(
        tmp_path: Path, start_simulator: Any, ns: Any) -> None:
    """Draining means calls in flight may finish: a node that answers /health 1 s into a
    5 s grace is handed to its waiting caller, RUNNING, before the daemon exits."""
    cloud = start_simulator(token="test-token", boot_delay=1.0, action_delay=0.05)
    daemon = start_daemon(tmp_path, cloud.api_url, extra=FAST + [
        "--agent-port", str(cloud.agent_port), "--drain-grace", "5s"])
    channel = daemon.channel()
    try:
        future = daemon.stub(channel).SelectNode.future(waiting_select(ns, "finish"),
                                                        timeout=60)
        assert daemon.wait_for_log(lambda line: line.get("msg") == "server created")
        daemon.process.send_signal(signal.SIGTERM)

        code, answer = status_of(lambda: future.result(timeout=60))
        assert code == grpc.StatusCode.OK, (code, answer)
        assert answer.method == ns.SELECTION_METHOD_PROVISIONED
        assert answer.node.state == ns.NODE_STATE_RUNNING
        assert daemon.process.wait(timeout=30) == 0
    finally:
        channel.close()
        daemon.stop()
