"""The daemon's gRPC contract, exercised from Python with stubs generated from proto/.

Each test starts its own simulator (the Hetzner API on loopback) and its own daemon on a
fresh database, so tests are independent and can be read one by one.
"""

from __future__ import annotations

import math
import signal
from pathlib import Path
from typing import Any, Iterator

import grpc
import pytest

from nodeselector_harness import Daemon, health_check, start_daemon, stubs

FAST = ["--health-interval", "100ms", "--health-timeout", "20s", "--capacity-retry-delay",
        "10ms", "--reconcile-interval", "1h"]


@pytest.fixture
def ns() -> Any:
    return stubs()["ns"]


@pytest.fixture
def world(tmp_path: Path, start_simulator: Any) -> Iterator[Any]:
    """A simulator plus a daemon pointed at it; yields an object with both and a stub."""
    sim = start_simulator(token="test-token", boot_delay=0.2, action_delay=0.1)
    daemon = start_daemon(tmp_path, sim.api_url,
                          extra=FAST + ["--agent-port", str(sim.agent_port)])
    channel = daemon.channel()

    class World:
        simulator = sim
        process: Daemon = daemon
        stub = stubs()["ns_grpc"].NodeSelectorStub(channel)
        chan = channel

    yield World
    channel.close()
    daemon.stop()


def register(world: Any, ns: Any, user: str, size: str, location: str,
             cpu: float | None = None, memory: float | None = None, healthy: bool = True) -> Any:
    metrics = ns.Metrics()
    if cpu is not None:
        metrics.cpu_percent.value = cpu
    if memory is not None:
        metrics.memory_percent.value = memory
    request = ns.RegisterNodeRequest(
        user_id=user, address="127.0.0.1", agent_port=9, server_type=size, location=location,
        health=ns.NODE_HEALTH_HEALTHY if healthy else ns.NODE_HEALTH_UNHEALTHY,
        metrics=metrics)
    return world.stub.RegisterNode(request, timeout=5).node


def code_of(call: Any) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value.code(), caught.value.details()


def test_health_check_answers_serving_and_not_found_for_unknown_service(world: Any) -> None:
    health = stubs()["health"]
    assert health_check(world.chan).status == health.HealthCheckResponse.SERVING
    named = health_check(world.chan, "nodeselector.v1.NodeSelector")
    assert named.status == health.HealthCheckResponse.SERVING
    code, details = code_of(lambda: health_check(world.chan, "no.such.Service"))
    assert code == grpc.StatusCode.NOT_FOUND and "no.such.Service" in details


def test_select_node_picks_least_loaded_matching_node_and_explains(world: Any, ns: Any) -> None:
    busy = register(world, ns, "alice", "cx32", "fsn1", cpu=70, memory=70)
    idle = register(world, ns, "alice", "cx32", "fsn1", cpu=10, memory=20)
    elsewhere = register(world, ns, "alice", "cx32", "hel1", cpu=0, memory=0)

    answer = world.stub.SelectNode(ns.SelectNodeRequest(
        user_id="alice", task_id="t1", preferred_size="cx32", preferred_location="fsn1"),
        timeout=5)

    assert answer.node.id == idle.id
    assert answer.method == ns.SELECTION_METHOD_EXISTING_CAPACITY
    assert answer.node.workspaces == 1
    considered = {c.node_id: c for c in answer.explanation.considered}
    assert set(considered) == {busy.id, idle.id, elsewhere.id}
    assert considered[idle.id].chosen and not considered[busy.id].chosen
    assert answer.explanation.summary


def test_report_node_status_stores_metrics_and_drops_hostile_figures(world: Any, ns: Any) -> None:
    node = register(world, ns, "alice", "cx22", "fsn1")
    metrics = ns.Metrics()
    metrics.cpu_percent.value = 42.5
    metrics.memory_percent.value = math.nan
    metrics.load_average_1m.value = -3
    answer = world.stub.ReportNodeStatus(ns.ReportNodeStatusRequest(
        node_id=node.id, health=ns.NODE_HEALTH_UNHEALTHY, metrics=metrics), timeout=5)

    assert answer.node.health == ns.NODE_HEALTH_UNHEALTHY
    assert answer.node.metrics.HasField("cpu_percent")
    assert answer.node.metrics.cpu_percent.value == 42.5
    assert not answer.node.metrics.HasField("memory_percent")
    assert not answer.node.metrics.HasField("load_average_1m")


def test_bad_input_gets_statuses_a_person_can_act_on(world: Any, ns: Any) -> None:
    code, details = code_of(lambda: world.stub.SelectNode(
        ns.SelectNodeRequest(user_id="", task_id="t"), timeout=5))
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "user_id" in details

    code, details = code_of(lambda: world.stub.SelectNode(
        ns.SelectNodeRequest(user_id="alice", preferred_size="huge"), timeout=5))
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "huge" in details

    code, details = code_of(lambda: world.stub.GetNode(
        ns.GetNodeRequest(node_id="n-missing"), timeout=5))
    assert code == grpc.StatusCode.NOT_FOUND and "n-missing" in details

    code, details = code_of(lambda: world.stub.ReportNodeStatus(
        ns.ReportNodeStatusRequest(node_id="n-missing"), timeout=5))
    assert code == grpc.StatusCode.NOT_FOUND

    code, _ = code_of(lambda: world.chan.unary_unary("/nodeselector.v1.NodeSelector/Nope")(
        b"", timeout=5))
    assert code == grpc.StatusCode.UNIMPLEMENTED

    code, _ = code_of(lambda: world.chan.unary_unary(
        "/nodeselector.v1.NodeSelector/GetNode")(b"\xff\xff\xff", timeout=5))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert health_check(world.chan).status == stubs()["health"].HealthCheckResponse.SERVING


def test_nothing_fits_without_allow_provision_is_failed_precondition(world: Any, ns: Any) -> None:
    register(world, ns, "alice", "cx22", "fsn1", healthy=False)
    code, details = code_of(lambda: world.stub.SelectNode(
        ns.SelectNodeRequest(user_id="alice", task_id="t1"), timeout=5))
    assert code == grpc.StatusCode.FAILED_PRECONDITION
    assert "unhealthy" in details and "allow_provision" in details


def test_select_provisions_through_the_simulator_and_waits_until_running(
        world: Any, ns: Any) -> None:
    answer = world.stub.SelectNode(ns.SelectNodeRequest(
        user_id="alice", task_id="t-new", preferred_size="cx22", preferred_location="nbg1",
        allow_provision=True, wait_until_ready=True), timeout=30)

    assert answer.method == ns.SELECTION_METHOD_PROVISIONED
    assert answer.node.state == ns.NODE_STATE_RUNNING
    assert answer.node.provisioned and answer.node.cloud_server_id > 0
    assert answer.node.address.startswith("127.")
    servers = world.simulator.servers()
    assert [s["id"] for s in servers] == [answer.node.cloud_server_id]
    assert servers[0]["labels"]["nodeselector-node"] == answer.node.id

    again = world.stub.SelectNode(ns.SelectNodeRequest(
        user_id="alice", task_id="t-new", allow_provision=True, wait_until_ready=True),
        timeout=30)
    assert again.node.id == answer.node.id
    assert again.method == ns.SELECTION_METHOD_EXISTING_ASSIGNMENT
    assert len(world.simulator.servers()) == 1


def test_node_limit_gives_resource_exhausted_naming_limit_and_count(
        tmp_path: Path, start_simulator: Any, ns: Any) -> None:
    sim = start_simulator(token="test-token")
    daemon = start_daemon(tmp_path, sim.api_url, extra=FAST + ["--node-limit", "1"])
    try:
        stub = stubs()["ns_grpc"].NodeSelectorStub(daemon.channel())
        stub.RegisterNode(ns.RegisterNodeRequest(
            user_id="alice", address="127.0.0.1", server_type="cx22",
            health=ns.NODE_HEALTH_UNHEALTHY), timeout=5)
        with pytest.raises(grpc.RpcError) as caught:
            stub.SelectNode(ns.SelectNodeRequest(
                user_id="alice", task_id="t1", allow_provision=True), timeout=5)
        assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "1 of 1" in caught.value.details()
        assert sim.servers() == []
    finally:
        daemon.stop()


def test_release_makes_node_warm_and_next_task_claims_it(world: Any, ns: Any) -> None:
    node = register(world, ns, "alice", "cx22", "fsn1", cpu=5, memory=5)
    first = world.stub.SelectNode(ns.SelectNodeRequest(user_id="alice", task_id="a"), timeout=5)
    assert first.node.id == node.id

    released = world.stub.ReleaseNode(ns.ReleaseNodeRequest(node_id=node.id, task_id="a"),
                                      timeout=5)
    assert released.node.state == ns.NODE_STATE_WARM

    second = world.stub.SelectNode(ns.SelectNodeRequest(user_id="alice", task_id="b"), timeout=5)
    assert second.node.id == node.id
    assert second.method == ns.SELECTION_METHOD_WARM_CLAIM
    assert second.node.state == ns.NODE_STATE_RUNNING

    code, _ = code_of(lambda: world.stub.ReleaseNode(
        ns.ReleaseNodeRequest(node_id=node.id, task_id="a"), timeout=5))
    assert code == grpc.StatusCode.NOT_FOUND


def test_users_never_see_each_others_nodes(world: Any, ns: Any) -> None:
    register(world, ns, "alice", "cx22", "fsn1", cpu=1, memory=1)
    code, details = code_of(lambda: world.stub.SelectNode(
        ns.SelectNodeRequest(user_id="bob", task_id="b1"), timeout=5))
    assert code == grpc.StatusCode.FAILED_PRECONDITION
    assert "0" in details
    listed = world.stub.ListNodes(ns.ListNodesRequest(user_id="bob"), timeout=5)
    assert list(listed.nodes) == []


def test_sigterm_drains_and_exits_zero(world: Any) -> None:
    assert world.process.stop(signal.SIGTERM) == 0
    messages = [line.get("msg") for line in world.process.log_lines()]
    assert "draining" in messages and "stopped" in messages


def test_list_nodes_pages_through_every_node_in_id_order(world: Any, ns: Any) -> None:
    ids = sorted(register(world, ns, "paula", "cx22", "fsn1").id for _ in range(7))
    seen: list[str] = []
    token = ""
    pages = 0
    while True:
        page = world.stub.ListNodes(ns.ListNodesRequest(
            user_id="paula", page_size=3, page_token=token), timeout=5)
        seen += [node.id for node in page.nodes]
        pages += 1
        token = page.next_page_token
        if not token:
            break
    assert seen == ids
    assert pages == 3

    code, details = code_of(lambda: world.stub.ListNodes(
        ns.ListNodesRequest(page_size=5000), timeout=5))
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "page_size" in details
