"""Crash recovery: the daemon dies with SIGKILL mid-provisioning, a new one takes over.

The new daemon runs on the same database and simulator with `--stale-after 0`, so its
start-up reconcile treats every transient row as abandoned. Afterwards no labelled server
may lack a live row that records it, and every row must have settled (running or failed,
stopped for a destroy). Rows and servers are polled with a bound, never a bare sleep.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any, Callable, Iterator

import grpc
import pytest

from conftest import SimulatorProcess
from nodeselector_harness import start_daemon
from test_provisioning_faults import FAST, MANAGED, TOKEN, Rig, ns, wait_until

SETTLED = {"NODE_STATE_RUNNING", "NODE_STATE_FAILED", "NODE_STATE_STOPPED"}
LIVE = {"NODE_STATE_CREATING", "NODE_STATE_BOOTING", "NODE_STATE_RUNNING", "NODE_STATE_WARM",
        "NODE_STATE_DESTROYING"}


def state_name(node: Any) -> str:
    return ns().NodeState.Name(node.state)


class Site:
    """One simulator and the daemons that take turns on one database."""

    def __init__(self, tmp_path: Path, sim: SimulatorProcess) -> None:
        self.tmp_path, self.sim = tmp_path, sim
        self.rigs: list[Rig] = []

    def start(self, *extra: str) -> Rig:
        daemon = start_daemon(self.tmp_path, self.sim.api_url, token=TOKEN,
                              database=self.tmp_path / "shared.sqlite",
                              extra=FAST + ["--agent-port", str(self.sim.agent_port), *extra])
        self.rigs.append(Rig(self.sim, daemon, daemon.channel()))
        return self.rigs[-1]

    @staticmethod
    def crash(rig: Rig) -> None:
        assert rig.daemon.stop(signal.SIGKILL) == -signal.SIGKILL

    def recover(self, *extra: str) -> Rig:
        """A new daemon that treats every transient row as abandoned at start-up."""
        return self.start("--stale-after", "0", *extra)

    def crash_and_restart(self, rig: Rig, *extra: str) -> Rig:
        self.crash(rig)
        return self.recover(*extra)


@pytest.fixture
def site(tmp_path: Path, start_simulator: Callable[..., SimulatorProcess]) -> Iterator[Any]:
    """Factory: `site(faults=..., boot_delay=..., action_delay=...)` -> Site."""
    sites: list[Site] = []

    def make(faults: list[dict[str, Any]] | None = None, boot_delay: float = 0.2,
             action_delay: float = 0.1) -> Site:
        sim = start_simulator(token=TOKEN, boot_delay=boot_delay, action_delay=action_delay,
                              faults=faults or [])
        sites.append(Site(tmp_path, sim))
        return sites[-1]

    yield make
    for each in sites:
        for rig in each.rigs:
            rig.channel.close()
            rig.daemon.stop(timeout=10)


def problems(rig: Rig) -> list[str]:
    """What still breaks the recovery invariants; empty once everything has settled."""
    rows = {node.id: node for node in rig.stub.ListNodes(
        ns().ListNodesRequest(include_terminal=True), timeout=5).nodes}
    found = [f"{node_id} is {state_name(node)}" for node_id, node in rows.items()
             if state_name(node) not in SETTLED]
    for server in rig.sim.servers():
        labels = server["labels"]
        if not labels.items() >= MANAGED.items():
            continue  # not this deployment's server: never ours to judge or delete
        row = rows.get(labels.get("nodeselector-node", ""))
        if row is None or state_name(row) not in LIVE or row.cloud_server_id != server["id"]:
            found.append(f"orphan server {server['id']} ({labels})")
    return found


def settle(rig: Rig, timeout: float = 15.0) -> None:
    left = wait_until(lambda: not problems(rig), timeout=timeout, step=0.1)
    assert problems(rig) == [], left


def start_provisioning(rig: Rig, task: str = "t1") -> Any:
    code, answer = rig.select(task, wait=False)
    assert code == grpc.StatusCode.OK, answer
    assert answer.node.state == ns().NODE_STATE_CREATING
    return answer.node


@pytest.mark.parametrize("effect, outcome", [
    pytest.param({}, "NODE_STATE_RUNNING", id="create-lands-after-the-crash"),
    pytest.param({"status": 503, "code": "unavailable"}, "NODE_STATE_FAILED",
                 id="create-fails-after-the-crash"),
])
def test_crash_while_the_create_request_is_in_flight(
        site: Any, effect: dict[str, Any], outcome: str) -> None:
    delay = 1.5
    place = site(faults=[{"op": "create_server", "delay": delay, **effect}])
    first = place.start()
    node = start_provisioning(first)
    assert wait_until(lambda: first.count("POST /v1/servers") == 1)

    place.crash(first)
    # The simulator finishes the request the dead daemon sent (it logs each request once
    # answered); only then does the new daemon start, and its start-up reconcile must
    # clean up whatever the request left.
    answered = wait_until(lambda: "POST /v1/servers " in place.sim.log(), timeout=delay + 5)
    assert answered, place.sim.log()
    second = place.recover()

    settle(second)
    recovered = second.node(node.id)
    assert state_name(recovered) == outcome
    assert len(second.sim.servers()) == (1 if outcome == "NODE_STATE_RUNNING" else 0)
    if outcome == "NODE_STATE_RUNNING":
        assert second.logged("resuming interrupted provisioning")
    else:
        assert "interrupted" in recovered.failure_reason
    assert second.count("POST /v1/servers") == 1  # recovery never creates a second server


@pytest.mark.parametrize("action_error, outcome", [
    pytest.param(None, "NODE_STATE_RUNNING", id="action-succeeds"),
    pytest.param({"code": "placement_error"}, "NODE_STATE_FAILED", id="action-fails"),
])
def test_crash_while_the_create_action_is_running(
        site: Any, action_error: dict[str, str] | None, outcome: str) -> None:
    faults = [{"op": "create_server", "action_error": action_error}] if action_error else []
    place = site(faults=faults, action_delay=2.5)
    first = place.start()
    node = start_provisioning(first)
    assert wait_until(lambda: first.servers_of(node.id)
                      and first.count("GET /v1/actions/{id}") >= 1)
    assert state_name(first.node(node.id)) == "NODE_STATE_CREATING"
    [server] = first.servers_of(node.id)

    second = place.crash_and_restart(first, "--health-timeout", "4s")

    settle(second)
    recovered = second.node(node.id)
    assert state_name(recovered) == outcome
    assert [line["node.id"] for line in second.logged("resuming interrupted provisioning")] \
        == [node.id]
    if outcome == "NODE_STATE_RUNNING":
        assert recovered.cloud_server_id == server["id"]
        assert [s["id"] for s in second.sim.servers()] == [server["id"]]
    else:
        assert second.sim.servers() == []
        assert "/health" in recovered.failure_reason


def test_crash_during_health_polling_resumes_the_wait(site: Any) -> None:
    place = site(boot_delay=2.5)
    first = place.start()
    node = start_provisioning(first)
    assert wait_until(lambda: state_name(first.node(node.id)) == "NODE_STATE_BOOTING")
    booting = first.node(node.id)

    second = place.crash_and_restart(first)

    settle(second)
    recovered = second.node(node.id)
    assert state_name(recovered) == "NODE_STATE_RUNNING"
    assert second.logged("resuming interrupted provisioning")
    assert recovered.cloud_server_id == booting.cloud_server_id
    assert [s["id"] for s in second.sim.servers()] == [booting.cloud_server_id]
    assert second.count("POST /v1/servers") == 1


def create_directly(sim: SimulatorProcess, name: str, labels: dict[str, str]) -> int:
    reply = sim.request("POST", "/v1/servers", {
        "name": name, "server_type": "cx22", "image": "ubuntu-24.04", "location": "fsn1",
        "labels": labels})
    assert reply.status == 201, reply.body
    return reply.body["server"]["id"]


def test_startup_deletes_servers_whose_row_is_gone_or_terminal(site: Any) -> None:
    place = site(faults=[
        {"op": "health", "health_never": True},
        {"op": "delete_server", "status": 403, "code": "forbidden"},
    ])
    first = place.start("--health-timeout", "500ms")
    # A failed row whose server could not be deleted (a permanent error ends the retries).
    code, _ = first.select("t-failed")
    assert code == grpc.StatusCode.UNAVAILABLE
    [failed] = first.nodes()
    assert state_name(failed) == "NODE_STATE_FAILED" and first.servers_of(failed.id)
    # A destroy interrupted by a failed delete leaves the row destroying.
    code, answer = first.select("t-destroyed")
    assert code == grpc.StatusCode.OK, answer
    first.sim.add_faults({"op": "delete_server", "status": 403, "code": "forbidden"})
    destroyed = first.stub.DestroyNode(
        ns().DestroyNodeRequest(node_id=answer.node.id, force=True), timeout=10).node
    assert state_name(destroyed) == "NODE_STATE_DESTROYING"
    # A server of this deployment with no row at all, and two that are not ours.
    ghost = create_directly(place.sim, "ghost", {**MANAGED, "nodeselector-node": "n-ghost"})
    other = create_directly(place.sim, "other-instance", {
        **MANAGED, "nodeselector-instance": "other", "nodeselector-node": "n-ghost"})
    unlabelled = create_directly(place.sim, "unlabelled", {})

    second = place.crash_and_restart(first)

    settle(second)
    left = {s["id"] for s in place.sim.servers()}
    assert ghost not in left
    assert left == {other, unlabelled}
    assert len(second.logged("deleting orphan server")) == 2  # the ghost, the failed row's
    assert state_name(second.node(failed.id)) == "NODE_STATE_FAILED"
    assert state_name(second.node(answer.node.id)) == "NODE_STATE_STOPPED"


def test_daemons_on_different_databases_never_delete_each_others_servers(
        tmp_path: Path, start_simulator: Callable[..., SimulatorProcess]) -> None:
    """Without --instance each database names its own deployment, so a second daemon on
    another database (another directory, another team) sees the first one's servers as
    someone else's, not as orphans."""
    sim = start_simulator(token=TOKEN, boot_delay=0.1, action_delay=0.05)
    flags = ["--health-interval", "100ms", "--agent-port", str(sim.agent_port),
             "--stale-after", "0"]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = start_daemon(tmp_path / "a", sim.api_url, token=TOKEN, extra=flags)
    try:
        rig = Rig(sim, first, first.channel())
        code, answer = rig.select("t-a")
        assert code == grpc.StatusCode.OK, answer
        [server] = sim.servers()

        second = start_daemon(tmp_path / "b", sim.api_url, token=TOKEN, extra=flags)
        try:
            instances = {line.get("instance") for daemon in (first, second)
                         for line in daemon.log_lines() if line.get("msg") == "serving"}
            assert len(instances) == 2
            assert [s["id"] for s in sim.servers()] == [server["id"]]
            assert not [line for line in second.log_lines()
                        if line.get("msg") == "deleting orphan server"]
        finally:
            second.stop()
    finally:
        first.stop()
