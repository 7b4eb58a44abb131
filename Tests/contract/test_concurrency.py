"""Races against the real daemon: many threads (each with its own channel) and two daemon
processes sharing one database file.

Every round lines its callers up on a barrier so the calls reach the daemon together, and
the rounds repeat enough to hit the narrow windows (list, re-read, compare-and-set). The
assertions are about outcomes only (who got which node, what the store says afterwards),
never about speed.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import grpc
import pytest

from nodeselector_harness import Daemon, start_daemon, status_of, stubs

FAST = ["--health-interval", "100ms", "--health-timeout", "30s", "--capacity-retry-delay",
        "10ms", "--reconcile-interval", "1h"]
OK = grpc.StatusCode.OK
NOTHING_FITS = grpc.StatusCode.FAILED_PRECONDITION
AT_LIMIT = grpc.StatusCode.RESOURCE_EXHAUSTED

# Rounds per destroy or release race: the losing window is a few microseconds wide, so
# hundreds of rounds are needed (a run hit it within 4 to 120 rounds, one not in 300).
RACE_ROUNDS = 600

Call = Callable[[Any], Any]


class Crowd:
    """Worker threads that each keep one channel (and TCP connection) per daemon, and run a
    round of calls at once: every call of a round waits on one barrier, then all go."""

    def __init__(self, size: int) -> None:
        self.pool = ThreadPoolExecutor(max_workers=size)
        self.local = threading.local()
        self.lock = threading.Lock()
        self.channels: list[grpc.Channel] = []

    def _stub(self, daemon: Daemon) -> Any:
        stubs_here = getattr(self.local, "stubs", None)
        if stubs_here is None:
            stubs_here = self.local.stubs = {}
        if daemon.target not in stubs_here:
            channel = daemon.channel(isolated=True)  # a connection of its own, too
            with self.lock:
                self.channels.append(channel)
            stubs_here[daemon.target] = daemon.stub(channel)
        return stubs_here[daemon.target]

    def run(self, calls: list[tuple[Daemon, Call]]) -> list[Any]:
        """Runs each `call(stub)` on its own thread, all released together; results in order."""
        barrier = threading.Barrier(len(calls), timeout=60)

        def one(daemon: Daemon, call: Call) -> Any:
            stub = self._stub(daemon)
            barrier.wait()
            return call(stub)

        futures = [self.pool.submit(one, daemon, call) for daemon, call in calls]
        return [future.result(timeout=120) for future in futures]

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        for channel in self.channels:
            channel.close()


@pytest.fixture
def ns() -> Any:
    return stubs()["ns"]


@pytest.fixture
def crowd() -> Iterator[Crowd]:
    pool = Crowd(32)
    yield pool
    pool.close()


@pytest.fixture
def daemons(tmp_path: Path, start_simulator: Any) -> Iterator[Callable[..., Daemon]]:
    """Factory: `daemons(sim, *flags, database=None)` starts a daemon; all stop at teardown
    and each must exit 0 (a daemon that crashed under load fails the test here)."""
    started: list[Daemon] = []

    def start(sim: Any, *flags: str, database: Path | None = None) -> Daemon:
        daemon = start_daemon(tmp_path, sim.api_url, database=database,
                              extra=FAST + ["--agent-port", str(sim.agent_port), *flags])
        started.append(daemon)
        return daemon

    yield start
    codes = [daemon.stop() for daemon in started]
    assert codes == [0] * len(started), f"daemon exit codes {codes}"


def register(stub: Any, ns: Any, user: str, cpu: float = 5, memory: float = 5) -> Any:
    metrics = ns.Metrics()
    metrics.cpu_percent.value = cpu
    metrics.memory_percent.value = memory
    return stub.RegisterNode(ns.RegisterNodeRequest(
        user_id=user, address="127.0.0.1", agent_port=9, server_type="cx22", location="fsn1",
        health=ns.NODE_HEALTH_HEALTHY, metrics=metrics), timeout=10).node


def select(ns: Any, user: str, task: str, **options: Any) -> Call:
    request = ns.SelectNodeRequest(user_id=user, task_id=task, **options)
    return lambda stub: status_of(lambda: stub.SelectNode(request, timeout=60))


def make_warm(stub: Any, ns: Any, node_id: str, user: str, task: str) -> None:
    """Assigns `task` to the node, then releases it: the node is warm afterwards."""
    answer = stub.SelectNode(ns.SelectNodeRequest(user_id=user, task_id=task), timeout=10)
    assert answer.node.id == node_id
    released = stub.ReleaseNode(ns.ReleaseNodeRequest(node_id=node_id, task_id=task), timeout=10)
    assert released.node.state == ns.NODE_STATE_WARM


def winners(tasks: list[str], outcomes: list[Any]) -> dict[str, list[tuple[str, Any]]]:
    """Successful answers grouped by node id: node -> [(task, response)]."""
    won: dict[str, list[tuple[str, Any]]] = {}
    for task, (code, answer) in zip(tasks, outcomes):
        if code == OK:
            won.setdefault(answer.node.id, []).append((task, answer))
    return won


def test_warm_node_is_claimed_by_exactly_one_of_many_concurrent_selects(
        start_simulator: Any, daemons: Any, crowd: Crowd, ns: Any) -> None:
    sim = start_simulator(token="test-token")
    daemon = daemons(sim, "--workspace-limit", "1")
    stub = daemon.stub()
    warm = register(stub, ns, "alice")
    make_warm(stub, ns, warm.id, "alice", "warm-up")
    pool = [warm.id]

    for size, rounds in ((2, 400), (32, 100)):
        if size == 32:
            hold = stub.SelectNode(ns.SelectNodeRequest(user_id="alice", task_id="hold"),
                                   timeout=10)
            spare = register(stub, ns, "alice")
            make_warm(stub, ns, spare.id, "alice", "spare-up")
            stub.ReleaseNode(ns.ReleaseNodeRequest(node_id=hold.node.id, task_id="hold"),
                             timeout=10)
            pool.append(spare.id)
        for round_number in range(rounds):
            tasks = [f"w{size}-{round_number}-{i}" for i in range(size)]
            outcomes = crowd.run([(daemon, select(ns, "alice", task)) for task in tasks])

            won = winners(tasks, outcomes)
            assert sorted(won) == sorted(pool), f"round {round_number}: {won}"
            for node_id, claims in won.items():
                assert len(claims) == 1, f"node {node_id} claimed twice: {claims}"
                assert claims[0][1].method == ns.SELECTION_METHOD_WARM_CLAIM
            losers = [code for code, _ in outcomes if code != OK]
            assert losers == [NOTHING_FITS] * (size - len(pool)), outcomes
            for node_id, [(task, _)] in won.items():
                assert stub.GetNode(ns.GetNodeRequest(node_id=node_id),
                                    timeout=10).node.workspaces == 1
                stub.ReleaseNode(ns.ReleaseNodeRequest(node_id=node_id, task_id=task),
                                 timeout=10)


@dataclass
class Timed:
    """An outcome with the monotonic times its call started and ended."""

    code: grpc.StatusCode
    answer: Any
    started: float
    ended: float


def timed(call: Call) -> Call:
    def run(stub: Any) -> Timed:
        started = time.monotonic()
        code, answer = call(stub)
        return Timed(code, answer, started, time.monotonic())
    return run


@dataclass
class DestroyRound:
    """One warm node raced by a DestroyNode(force=false) and four SelectNode calls."""

    node_id: str
    destroyed: Timed
    holders: list[tuple[str, Timed]]  # (task, outcome) of selects answered with the node
    after: Any  # the node as GetNode reads it once every call returned


def race_destroy(daemon: Daemon, crowd: Crowd, ns: Any, user: str) -> DestroyRound:
    stub = daemon.stub()
    node = register(stub, ns, user)
    make_warm(stub, ns, node.id, user, f"{user}-up")
    tasks = [f"{user}-{i}" for i in range(4)]
    destroy = ns.DestroyNodeRequest(node_id=node.id)
    calls = [(daemon, timed(lambda s: status_of(lambda: s.DestroyNode(destroy, timeout=30))))]
    calls += [(daemon, timed(select(ns, user, task))) for task in tasks]
    destroyed, *selects = crowd.run(calls)

    assert all(out.code in (OK, NOTHING_FITS) for out in selects), selects
    assert destroyed.code in (OK, NOTHING_FITS), destroyed
    holders = [(task, out) for task, out in zip(tasks, selects)
               if out.code == OK and out.answer.node.id == node.id]
    after = stub.GetNode(ns.GetNodeRequest(node_id=node.id), timeout=10).node
    return DestroyRound(node.id, destroyed, holders, after)


def test_destroyed_warm_node_is_never_handed_out(
        start_simulator: Any, daemons: Any, crowd: Crowd, ns: Any) -> None:
    """Races DestroyNode(force=false) against warm claims of the same node. Either the
    destroy wins (the node is stopped and nobody holds it: without force a destroy must
    refuse a node with a task, so a claim that got in first makes it fail) or one claim
    wins (the destroy gets FAILED_PRECONDITION and the node keeps running its one task)."""
    sim = start_simulator(token="test-token")
    daemon = daemons(sim, "--workspace-limit", "1")
    stub = daemon.stub()
    destroy_won = 0

    for round_number in range(RACE_ROUNDS):
        user = f"d{round_number}"
        race = race_destroy(daemon, crowd, ns, user)

        assert len(race.holders) <= 1, f"round {round_number}: handed out twice: {race}"
        if race.destroyed.code == OK:
            destroy_won += 1
            late = [task for task, out in race.holders if out.ended > race.destroyed.ended]
            assert late == [], (
                f"round {round_number}: {race.node_id} was the answer of select {late} that "
                "completed after DestroyNode returned")
            assert race.holders == [], (
                f"round {round_number}: DestroyNode(force=false) stopped {race.node_id} "
                f"although task {race.holders[0][0]} had claimed it first")
            assert race.after.state == ns.NODE_STATE_STOPPED and race.after.workspaces == 0
            code, _ = status_of(lambda: stub.SelectNode(ns.SelectNodeRequest(
                user_id=user, task_id=f"{user}-late"), timeout=10))
            assert code == NOTHING_FITS, f"round {round_number}: a stopped node was handed out"
        else:
            assert len(race.holders) == 1, f"round {round_number}: {race}"
            assert race.after.state == ns.NODE_STATE_RUNNING and race.after.workspaces == 1
    assert 0 < destroy_won < RACE_ROUNDS, "the race never went both ways; it proves nothing"


def test_released_node_is_handed_out_at_most_once(
        start_simulator: Any, daemons: Any, crowd: Crowd, ns: Any) -> None:
    sim = start_simulator(token="test-token")
    daemon = daemons(sim, "--workspace-limit", "1")
    stub = daemon.stub()
    node = register(stub, ns, "carol")
    holder = "c-first"
    assert stub.SelectNode(ns.SelectNodeRequest(user_id="carol", task_id=holder),
                           timeout=10).node.id == node.id

    for round_number in range(RACE_ROUNDS):
        release = ns.ReleaseNodeRequest(node_id=node.id, task_id=holder)
        tasks = [f"c{round_number}-{i}" for i in range(6)]
        calls = [(daemon, lambda s: status_of(lambda: s.ReleaseNode(release, timeout=30)))]
        calls += [(daemon, select(ns, "carol", task)) for task in tasks]
        released, *selects = crowd.run(calls)

        assert released[0] == OK, released
        won = winners(tasks, selects)
        assert list(won) in ([], [node.id]) and all(len(v) == 1 for v in won.values()), won
        assert all(code in (OK, NOTHING_FITS) for code, _ in selects), selects
        after = stub.GetNode(ns.GetNodeRequest(node_id=node.id), timeout=10).node
        assert after.workspaces == len(won.get(node.id, []))
        if won:
            holder = won[node.id][0][0]
        else:
            assert after.state == ns.NODE_STATE_WARM
            holder = f"c{round_number}-refill"
            assert stub.SelectNode(ns.SelectNodeRequest(user_id="carol", task_id=holder),
                                   timeout=10).node.id == node.id


def test_two_daemons_sharing_a_database_never_exceed_the_node_limit(
        tmp_path: Path, start_simulator: Any, daemons: Any, crowd: Crowd, ns: Any) -> None:
    limit = 3
    sim = start_simulator(token="test-token", boot_delay=2.0)
    database = tmp_path / "shared.sqlite"
    first = daemons(sim, "--node-limit", str(limit), database=database)
    second = daemons(sim, "--node-limit", str(limit), database=database)
    users = ["erin", "frank"]

    for round_number in range(3):
        plan = [(user, f"p{round_number}-{user}-{i}") for i in range(16) for user in users]
        calls = [((first, second)[i % 2], select(ns, user, task, allow_provision=True))
                 for i, (user, task) in enumerate(plan)]
        outcomes = crowd.run(calls)

        assert {code for code, _ in outcomes} <= {OK, AT_LIMIT}, outcomes
        for user in users:
            mine = [out for (owner, _), out in zip(plan, outcomes) if owner == user]
            nodes = [answer.node for code, answer in mine if code == OK]
            assert len(nodes) == limit, f"{user}: {len(nodes)} of {len(mine)} succeeded"
            assert len({n.id for n in nodes}) == limit
            assert all(n.user_id == user for n in nodes)
            assert all(n.state == ns.NODE_STATE_CREATING for n in nodes)
            for code, details in mine:
                assert code == OK or f"{limit} of {limit}" in details
        settle(first, ns, users, limit)
        servers = sim.servers()
        by_user: dict[str, int] = {}
        for server in servers:
            owner = first.stub().GetNode(ns.GetNodeRequest(
                node_id=server["labels"]["nodeselector-node"]), timeout=10).node.user_id
            by_user[owner] = by_user.get(owner, 0) + 1
        assert by_user == {user: limit for user in users}, servers
        for user in users:  # free the users for the next round
            for node in first.stub().ListNodes(ns.ListNodesRequest(user_id=user),
                                               timeout=10).nodes:
                first.stub().DestroyNode(ns.DestroyNodeRequest(node_id=node.id, force=True),
                                         timeout=30)
        assert sim.servers() == []


def settle(daemon: Daemon, ns: Any, users: list[str], limit: int) -> None:
    """Waits (at most 60 s) until every live node of `users` is running."""
    stub = daemon.stub()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        nodes = [n for user in users for n in stub.ListNodes(
            ns.ListNodesRequest(user_id=user), timeout=10).nodes]
        if len(nodes) == limit * len(users) and all(
                n.state == ns.NODE_STATE_RUNNING for n in nodes):
            return
        time.sleep(0.2)
    raise AssertionError(f"provisioning did not settle: {nodes}")


@dataclass
class Ledger:
    """What the test threads believe: open tasks per node and every metric sent per node."""

    open_tasks: dict[str, set[str]] = field(default_factory=dict)
    sent: dict[str, set[tuple[float, float]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def churn(ns: Any, ledger: Ledger, user: str, node_ids: list[str], limit: int,
          worker: int) -> Call:
    """One thread's load: 120 random steps of select, release and report, recorded in
    `ledger` only after the daemon confirmed them."""
    def run(stub: Any) -> None:
        rng = random.Random(1000 + worker)
        mine: dict[str, str] = {}  # task -> node
        for step in range(120):
            choice = rng.random()
            if choice < 0.4 and len(mine) < 3:
                task = f"g{worker}-{step}"
                code, answer = select(ns, user, task)(stub)
                with ledger.lock:
                    ledger.counts[f"select {code.name}"] += 1
                if code == OK:
                    mine[task] = answer.node.id
                    with ledger.lock:
                        ledger.open_tasks[answer.node.id].add(task)
                        if answer.node.workspaces > limit:
                            ledger.problems.append(f"{task}: {answer.node}")
                elif code != NOTHING_FITS:
                    ledger.problems.append(f"select {task}: {code} {answer}")
            elif choice < 0.7 and mine:
                task = rng.choice(sorted(mine))
                node_id = mine.pop(task)
                with ledger.lock:  # gone from the ledger before the daemon frees the room
                    ledger.open_tasks[node_id].discard(task)
                code, answer = status_of(lambda: stub.ReleaseNode(
                    ns.ReleaseNodeRequest(node_id=node_id, task_id=task), timeout=30))
                if code != OK:
                    ledger.problems.append(f"release {task}: {code} {answer}")
            else:
                node_id = rng.choice(node_ids)
                cpu = round(rng.uniform(1, 60), 4)
                metrics = ns.Metrics()
                metrics.cpu_percent.value = cpu
                metrics.memory_percent.value = cpu / 2
                with ledger.lock:
                    ledger.sent[node_id].add((cpu, cpu / 2))
                code, answer = status_of(lambda: stub.ReportNodeStatus(
                    ns.ReportNodeStatusRequest(node_id=node_id, metrics=metrics), timeout=30))
                if code != OK:
                    ledger.problems.append(f"report {node_id}: {code} {answer}")
    return run


def test_concurrent_reports_selects_and_releases_on_two_daemons_lose_no_write(
        tmp_path: Path, start_simulator: Any, daemons: Any, crowd: Crowd, ns: Any) -> None:
    limit = 3
    sim = start_simulator(token="test-token")
    database = tmp_path / "shared.sqlite"
    first = daemons(sim, "--workspace-limit", str(limit), database=database)
    second = daemons(sim, "--workspace-limit", str(limit), database=database)
    nodes = [register(first.stub(), ns, "gina", cpu=10, memory=5) for _ in range(4)]
    ledger = Ledger(open_tasks={n.id: set() for n in nodes},
                    sent={n.id: {(10.0, 5.0)} for n in nodes})
    ids = [n.id for n in nodes]

    for round_number in range(4):
        crowd.run([((first, second)[worker % 2],
                    churn(ns, ledger, "gina", ids, limit, worker + 100 * round_number))
                   for worker in range(16)])

        assert ledger.problems == []
        assert ledger.counts["select OK"] > 0 and ledger.counts["select FAILED_PRECONDITION"] > 0
        for daemon in (first, second):
            seen = {n.id: n for n in daemon.stub().ListNodes(
                ns.ListNodesRequest(user_id="gina"), timeout=10).nodes}
            for node_id in ids:
                node = seen[node_id]
                assert node.workspaces == len(ledger.open_tasks[node_id]), node_id
                assert node.workspaces <= limit
                reported = (node.metrics.cpu_percent.value, node.metrics.memory_percent.value)
                assert reported in ledger.sent[node_id], f"{node_id}: torn or lost {reported}"
