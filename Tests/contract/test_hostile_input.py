"""Hostile bytes against the real daemon: random, truncated and mutated payloads to every
method (seeded, so a failure reproduces), messages over the 4 MiB limit, and oversized
metadata. Every call must end in a status, never a crash: afterwards the process is alive
and Health/Check still answers SERVING.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, Callable, Iterator

import grpc
import pytest

from nodeselector_harness import Daemon, health_check, start_daemon, status_of, stubs

SEED = 20261204
SERVICE = "/nodeselector.v1.NodeSelector/"
LIMIT = 4 << 20  # the daemon's receive limit, in bytes
# Statuses a request can earn on its merits. UNKNOWN, INTERNAL or UNIMPLEMENTED (for a
# method that exists) would mean a handler failed or the router lost the call.
ANSWERS = {grpc.StatusCode.OK, grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND,
           grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.RESOURCE_EXHAUSTED}


@pytest.fixture
def ns() -> Any:
    return stubs()["ns"]


@pytest.fixture
def daemon(tmp_path: Path, start_simulator: Any) -> Iterator[Daemon]:
    sim = start_simulator(token="test-token", boot_delay=0.1, action_delay=0.02)
    running = start_daemon(tmp_path, sim.api_url, extra=[
        "--agent-port", str(sim.agent_port), "--health-interval", "100ms",
        "--capacity-retry-delay", "10ms", "--reconcile-interval", "1h", "--node-limit", "2"])
    yield running
    assert running.stop() == 0, "the daemon did not drain and exit 0 after hostile input"


def samples(ns: Any, node_id: str) -> dict[str, bytes]:
    """One fully populated, valid request per method, serialised."""
    metrics = ns.Metrics()
    metrics.cpu_percent.value = 12.5
    metrics.load_average_1m.value = 0.7
    metrics.memory_percent.value = 40
    health = stubs()["health"]
    requests = {
        "SelectNode": ns.SelectNodeRequest(
            user_id="mallory", task_id="t-1", preferred_size="cx22", preferred_location="fsn1",
            allow_provision=True, wait_until_ready=False),
        "ReleaseNode": ns.ReleaseNodeRequest(node_id=node_id, task_id="t-1"),
        "ReportNodeStatus": ns.ReportNodeStatusRequest(
            node_id=node_id, health=ns.NODE_HEALTH_HEALTHY, metrics=metrics),
        "RegisterNode": ns.RegisterNodeRequest(
            user_id="mallory", address="127.0.0.1", agent_port=9, server_type="cx22",
            location="fsn1", cloud_server_id=7, health=ns.NODE_HEALTH_HEALTHY, metrics=metrics),
        "GetNode": ns.GetNodeRequest(node_id=node_id),
        "ListNodes": ns.ListNodesRequest(user_id="mallory", include_terminal=True),
        "DestroyNode": ns.DestroyNodeRequest(node_id="n-not-there", force=True),
    }
    encoded = {SERVICE + name: request.SerializeToString() for name, request in requests.items()}
    encoded["/grpc.health.v1.Health/Check"] = health.HealthCheckRequest(
        service="nodeselector.v1.NodeSelector").SerializeToString()
    return encoded


def payloads(rng: random.Random, valid: bytes) -> Iterator[tuple[str, bytes]]:
    """Seeded hostile variants of one valid request, each with a name for the report."""
    for _ in range(150):
        length = rng.choice((1, 2, 3, 4, 6, 8, 12, 16, 32, 64, 256, 4096))
        yield f"random {length}", rng.randbytes(length)
    for cut in range(1, len(valid)):
        yield f"truncated at {cut}", valid[:cut]
    for round_number in range(25):
        mutated = bytearray(valid)
        for _ in range(rng.randint(1, 4)):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        yield f"mutated #{round_number}", bytes(mutated)
    yield "unknown field only", b"\xf8\xff\xff\xff\x0f\x01"
    yield "length past the end", b"\x0a\xff\xff\xff\xff\x0f" + b"x" * 10
    yield "wrong wire type for field 1", b"\x0d\x00\x00\x80\x7f"
    yield "group start, never ended", b"\x0b" * 64
    yield "varint of eleven bytes", b"\x08" + b"\xff" * 10 + b"\x01"
    yield "deeply nested metrics", b"\x1a\x7f" * 2000


def raw(channel: grpc.Channel, path: str) -> Callable[..., Any]:
    return channel.unary_unary(path)  # bytes in, bytes out: no (de)serialiser


def assert_still_serving(daemon: Daemon) -> None:
    """The process is alive and a new connection gets SERVING."""
    assert daemon.alive, f"the daemon died; log tail: {daemon.log_lines()[-5:]}"
    channel = daemon.channel(isolated=True)
    try:
        assert health_check(channel).status == stubs()["health"].HealthCheckResponse.SERVING
    finally:
        channel.close()


def test_random_truncated_and_mutated_payloads_to_every_method_get_a_status(
        daemon: Daemon, ns: Any) -> None:
    channel = daemon.channel()
    stub = daemon.stub(channel)
    node = stub.RegisterNode(ns.RegisterNodeRequest(
        user_id="mallory", address="127.0.0.1", server_type="cx22"), timeout=10).node
    rng = random.Random(SEED)
    seen: dict[grpc.StatusCode, int] = {}

    for path, valid in samples(ns, node.id).items():
        for name, payload in payloads(rng, valid):
            code, details = status_of(lambda: raw(channel, path)(payload, timeout=10))
            seen[code] = seen.get(code, 0) + 1
            assert code in ANSWERS, f"{path} {name} {payload[:40]!r}: {code} {details}"
            assert daemon.alive, f"{path} {name} {payload[:40]!r} killed the daemon"
        assert_still_serving(daemon)
    channel.close()
    print(f"statuses: {seen}")
    # The payloads must have reached the handlers, not only the decoder.
    assert seen.get(grpc.StatusCode.INVALID_ARGUMENT, 0) > 0 and seen.get(grpc.StatusCode.OK)


@pytest.mark.parametrize("method", ["SelectNode", "ReleaseNode", "ReportNodeStatus",
                                    "RegisterNode", "GetNode", "ListNodes", "DestroyNode"])
def test_message_over_four_mebibytes_is_resource_exhausted(
        daemon: Daemon, ns: Any, method: str) -> None:
    channel = daemon.channel()
    field_one = b"\x0a" + encode_varint(LIMIT + 1024) + b"u" * (LIMIT + 1024)
    code, details = status_of(lambda: raw(channel, SERVICE + method)(field_one, timeout=30))
    assert code == grpc.StatusCode.RESOURCE_EXHAUSTED, details
    assert_still_serving(daemon)

    just_under = b"\x0a" + encode_varint(LIMIT - 64) + b"u" * (LIMIT - 64)
    code, details = status_of(lambda: raw(channel, SERVICE + method)(just_under, timeout=30))
    assert code == grpc.StatusCode.INVALID_ARGUMENT, details
    assert "at most 128" in details
    channel.close()
    assert_still_serving(daemon)


@pytest.mark.parametrize("headers", [
    [("x-huge", "h" * (1 << 20))],
    [(f"x-many-{i}", "m" * 1024) for i in range(256)],
    [("x-binary-bin", bytes(range(256)) * 4096)],
], ids=["one 1 MiB header", "256 headers of 1 KiB", "1 MiB binary header"])
def test_huge_metadata_is_refused_with_a_status_and_the_daemon_keeps_serving(
        daemon: Daemon, ns: Any, headers: list[tuple[str, Any]]) -> None:
    channel = daemon.channel(isolated=True)
    stub = daemon.stub(channel)
    code, details = status_of(lambda: stub.GetNode(
        ns.GetNodeRequest(node_id="n-x"), timeout=10, metadata=headers))
    # The gRPC core refuses headers over its limit. Past the hard limit it also closes the
    # connection, and a client still writing the headers then sees the stream removed.
    refused = code == grpc.StatusCode.RESOURCE_EXHAUSTED and "metadata" in details
    dropped = code == grpc.StatusCode.UNAVAILABLE and "Stream removed" in details
    assert refused or dropped, (code, details)
    channel.close()
    assert_still_serving(daemon)


def encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)
