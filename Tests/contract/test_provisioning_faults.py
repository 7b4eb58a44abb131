"""Provisioning through the real daemon and the Hetzner simulator, with scripted faults.

Each test starts its own simulator (with the faults it needs) and its own daemon on a fresh
database, drives SelectNode over gRPC, then checks three views that must agree: what the
caller was told, what the node row says (GetNode), and what the simulator saw and holds
(`sim.stats()`, `sim.servers()`, the fault rules left over).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import grpc
import pytest

from conftest import SimulatorProcess
from nodeselector_harness import Daemon, start_daemon, status_of, stubs

TOKEN = "test-token"
LOCATIONS = ["fsn1", "nbg1", "hel1"]
# A fixed --instance, so tests can build this deployment's labels themselves.
FAST = ["--health-interval", "100ms", "--health-timeout", "5s", "--capacity-retry-delay",
        "10ms", "--reconcile-interval", "1h", "--locations", ",".join(LOCATIONS),
        "--instance", "default"]
CREATE = "POST /v1/servers"
DELETE = "DELETE /v1/servers/{id}"
MANAGED = {"managed-by": "nodeselector", "nodeselector-instance": "default"}


def ns() -> Any:
    return stubs()["ns"]


@dataclass
class Rig:
    """One simulator, one daemon on it, and the calls the tests make."""

    sim: SimulatorProcess
    daemon: Daemon
    channel: grpc.Channel

    @property
    def stub(self) -> Any:
        return stubs()["ns_grpc"].NodeSelectorStub(self.channel)

    def select(self, task: str, user: str = "alice", location: str = "",
               wait: bool = True, timeout: float = 20) -> tuple[grpc.StatusCode, Any]:
        request = ns().SelectNodeRequest(
            user_id=user, task_id=task, preferred_size="cx22", preferred_location=location,
            allow_provision=True, wait_until_ready=wait)
        return status_of(lambda: self.stub.SelectNode(request, timeout=timeout))

    def node(self, node_id: str) -> Any:
        return self.stub.GetNode(ns().GetNodeRequest(node_id=node_id), timeout=5).node

    def nodes(self, user: str = "alice") -> list[Any]:
        request = ns().ListNodesRequest(user_id=user, include_terminal=True)
        return list(self.stub.ListNodes(request, timeout=5).nodes)

    def count(self, key: str) -> int:
        return int(self.sim.stats()["requests"].get(key, 0))

    def servers_of(self, node_id: str) -> list[dict[str, Any]]:
        return [s for s in self.sim.servers()
                if s["labels"].get("nodeselector-node") == node_id]

    def faults_left(self) -> list[dict[str, Any]]:
        return self.sim.request("GET", "/_sim/faults").body["faults"]

    def logged(self, msg: str) -> list[dict[str, Any]]:
        return [line for line in self.daemon.log_lines() if line.get("msg") == msg]


@pytest.fixture
def rig(tmp_path: Path, start_simulator: Callable[..., SimulatorProcess]) -> Iterator[Any]:
    """Factory: `rig(faults=[...], extra=[...], boot_delay=..., action_delay=...)`."""
    started: list[Rig] = []

    def make(faults: list[dict[str, Any]] | None = None, extra: list[str] | None = None,
             boot_delay: float = 0.2, action_delay: float = 0.1) -> Rig:
        sim = start_simulator(token=TOKEN, boot_delay=boot_delay, action_delay=action_delay,
                              faults=faults or [])
        work = tmp_path / f"rig-{len(started)}"
        work.mkdir()
        daemon = start_daemon(work, sim.api_url, token=TOKEN, extra=FAST + [
            "--agent-port", str(sim.agent_port), *(extra or [])])
        started.append(Rig(sim, daemon, daemon.channel()))
        return started[-1]

    yield make
    for each in started:
        each.channel.close()
        each.daemon.stop(timeout=10)


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, step: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(step)


def assert_running_on_its_server(rig: Rig, node: Any) -> dict[str, Any]:
    assert node.state == ns().NODE_STATE_RUNNING, node
    servers = rig.servers_of(node.id)
    assert [s["id"] for s in servers] == [node.cloud_server_id]
    assert servers[0]["labels"].items() >= MANAGED.items()
    return servers[0]


def test_success_provisions_one_labelled_server_within_the_api_budget(rig: Any) -> None:
    world = rig()
    before = world.sim.stats()["total"]

    code, answer = world.select("t1", location="nbg1")

    assert code == grpc.StatusCode.OK, answer
    assert answer.method == ns().SELECTION_METHOD_PROVISIONED
    server = assert_running_on_its_server(world, answer.node)
    assert server["location"] == "nbg1" and answer.node.location == "nbg1"
    assert answer.node.address == server["ip"]
    spent = world.sim.stats()["total"] - before
    assert spent <= 15, world.sim.stats()["requests"]
    assert world.count(CREATE) == 1
    assert server["health_requests"] == 1  # healthy on the first try
    assert [line["health.attempts"] for line in world.logged("node running")] == ["1"]


CAPACITY_FAULTS = [
    pytest.param({"status": 412, "code": "placement_error"}, id="placement_error"),
    pytest.param({"status": 412, "code": "resource_unavailable"}, id="resource_unavailable"),
    pytest.param({"status": 412, "code": "no_space_left_in_location"}, id="no_space_left"),
    pytest.param({"status": 503, "code": "resource_unavailable"}, id="resource_unavailable-503"),
    pytest.param({"action_error": {"code": "placement_error"}}, id="failed-action-placement"),
    pytest.param({"action_error": {"code": "resource_unavailable"}},
                 id="failed-action-resource_unavailable"),
]


@pytest.mark.parametrize("effect", CAPACITY_FAULTS)
def test_capacity_error_retries_once_in_place_then_the_next_location(
        rig: Any, effect: dict[str, Any]) -> None:
    # Preferred nbg1, then --locations order without it: fsn1, then hel1.
    world = rig(faults=[
        {"op": "create_server", "times": 2, "match": {"location": "nbg1"}, **effect},
        {"op": "create_server", "times": 2, "match": {"location": "fsn1"}, **effect},
    ])

    code, answer = world.select("t1", location="nbg1")

    assert code == grpc.StatusCode.OK, answer
    server = assert_running_on_its_server(world, answer.node)
    assert server["location"] == "hel1" and answer.node.location == "hel1"
    assert world.count(CREATE) == 5
    assert world.faults_left() == []  # two tries in nbg1, two in fsn1, none elsewhere
    tried = [line["location"] for line in world.logged("no capacity")]
    assert tried == ["nbg1", "nbg1", "fsn1", "fsn1"]
    assert [line["attempt"] for line in world.logged("no capacity")] == ["1", "2"] * 2
    # A failed create action leaves a server behind; each one was deleted before moving on.
    assert world.count(DELETE) == (4 if "action_error" in effect else 0)


def test_capacity_everywhere_fails_unavailable_after_two_tries_per_location(rig: Any) -> None:
    world = rig(faults=[{"op": "create_server", "times": -1, "status": 412,
                         "code": "no_space_left_in_location"}])

    code, details = world.select("t1")

    assert code == grpc.StatusCode.UNAVAILABLE
    assert "no_space_left_in_location" in details
    assert world.count(CREATE) == 2 * len(LOCATIONS)
    assert [line["location"] for line in world.logged("no capacity")] == [
        loc for loc in LOCATIONS for _ in range(2)]
    [node] = world.nodes()
    assert node.state == ns().NODE_STATE_FAILED
    assert "no_space_left_in_location" in node.failure_reason
    assert world.sim.servers() == []


def test_rate_limit_retry_waits_for_the_reset_time(rig: Any) -> None:
    reset_in = 2.0
    world = rig(faults=[{"op": "create_server", "status": 429, "code": "rate_limit_exceeded",
                         "reset_in": reset_in}])
    started = time.time()
    last_seen_one = started
    outcome: list[tuple[grpc.StatusCode, Any]] = []

    caller = threading.Thread(target=lambda: outcome.append(world.select("t1")))
    caller.start()
    # The retry must not reach the simulator before RateLimit-Reset (>= started + reset_in);
    # a plain backoff would retry within 0.5 s.
    while caller.is_alive():
        creates = world.count(CREATE)
        if creates <= 1:
            last_seen_one = time.time()
        time.sleep(0.02)
    caller.join()

    code, answer = outcome[0]
    assert code == grpc.StatusCode.OK, answer
    assert world.count(CREATE) == 2
    assert last_seen_one >= started + reset_in - 0.5, last_seen_one - started
    assert_running_on_its_server(world, answer.node)


@pytest.mark.parametrize("op, status, code", [
    ("create_server", 500, "server_error"), ("create_server", 502, "bad_gateway"),
    ("create_server", 503, "unavailable"), ("create_server", 504, "timeout"),
    ("create_server", 423, "locked"), ("create_server", 409, "conflict"),
    ("get_action", 503, "unavailable"), ("get_action", 423, "locked")])
def test_transient_errors_are_retried_until_success(
        rig: Any, op: str, status: int, code: str) -> None:
    world = rig(faults=[{"op": op, "times": 2, "status": status, "code": code}])

    result, answer = world.select("t1")

    assert result == grpc.StatusCode.OK, answer
    assert_running_on_its_server(world, answer.node)
    assert world.faults_left() == []
    expected_creates = 3 if op == "create_server" else 1
    assert world.count(CREATE) == expected_creates


@pytest.mark.parametrize("status, code", [
    (403, "resource_limit_exceeded"), (401, "unauthorized"), (403, "forbidden"),
    (422, "invalid_input")])
def test_permanent_error_fails_at_once_and_frees_the_users_slot(
        rig: Any, status: int, code: str) -> None:
    world = rig(faults=[{"op": "create_server", "status": status, "code": code}],
                extra=["--node-limit", "1"])

    result, details = world.select("t1")

    assert result == grpc.StatusCode.UNAVAILABLE
    assert code in details
    assert world.count(CREATE) == 1
    [failed] = world.nodes()
    assert world.node(failed.id).state == ns().NODE_STATE_FAILED
    assert code in world.node(failed.id).failure_reason
    assert world.sim.servers() == []

    # The failed node no longer counts against the limit of one.
    result, answer = world.select("t2")
    assert result == grpc.StatusCode.OK, answer
    assert answer.node.id != failed.id
    assert_running_on_its_server(world, answer.node)


@pytest.mark.parametrize("status, code, expected", [
    (500, "server_error", grpc.StatusCode.OK), (412, "placement_error", grpc.StatusCode.OK),
    (403, "resource_limit_exceeded", grpc.StatusCode.UNAVAILABLE)])
def test_server_created_despite_an_error_is_deleted(
        rig: Any, status: int, code: str, expected: grpc.StatusCode) -> None:
    world = rig(faults=[{"op": "create_server", "status": status, "code": code,
                         "create_despite_error": True}])

    result, answer = world.select("t1")

    assert result == expected, answer
    [node] = world.nodes()
    assert world.count(DELETE) == 1  # the server made by the failed call, before going on
    if expected == grpc.StatusCode.OK:
        assert world.count(CREATE) == 2  # the retry did not collide with the leftover
        assert_running_on_its_server(world, node)
        assert len(world.sim.servers()) == 1
    else:
        assert code in answer and world.count(CREATE) == 1
        assert node.state == ns().NODE_STATE_FAILED and code in node.failure_reason
        assert world.sim.servers() == []


def test_destroy_retries_a_failed_delete(rig: Any) -> None:
    world = rig()
    code, answer = world.select("t1")
    assert code == grpc.StatusCode.OK, answer
    world.sim.add_faults({"op": "delete_server", "status": 503, "code": "unavailable"})

    destroyed = world.stub.DestroyNode(
        ns().DestroyNodeRequest(node_id=answer.node.id, force=True), timeout=20).node

    assert destroyed.state == ns().NODE_STATE_STOPPED
    assert world.count(DELETE) == 2
    assert world.faults_left() == []
    assert world.sim.servers() == []


def test_health_succeeds_after_failing_answers(rig: Any) -> None:
    world = rig(faults=[{"op": "health", "health_status": 500, "requests": 3}])

    code, answer = world.select("t1")

    assert code == grpc.StatusCode.OK, answer
    server = assert_running_on_its_server(world, answer.node)
    assert server["health_requests"] == 4
    assert [line["health.attempts"] for line in world.logged("node running")] == ["4"]


@pytest.mark.parametrize("health", [
    pytest.param({"health_never": True}, id="never-listens"),
    pytest.param({"health_status": 503}, id="always-503"),
])
def test_health_timeout_fails_the_row_and_deletes_the_server(
        rig: Any, health: dict[str, Any]) -> None:
    world = rig(faults=[{"op": "health", **health},
                        {"op": "delete_server", "status": 500, "code": "server_error"}],
                extra=["--health-timeout", "1s"])

    code, details = world.select("t1")

    assert code == grpc.StatusCode.UNAVAILABLE
    assert "/health" in details
    [node] = world.nodes()
    assert node.state == ns().NODE_STATE_FAILED
    assert "/health" in node.failure_reason
    assert world.count(DELETE) == 2  # the first delete failed and was retried
    assert world.sim.servers() == []
