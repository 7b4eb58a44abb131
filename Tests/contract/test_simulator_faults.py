"""Scripted faults, counters, rate-limit headers, health listeners and CLI guards of the
Hetzner API simulator, exercised over plain HTTP.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error

import pytest

from conftest import SIMULATOR_SCRIPT, http_call


def body(name: str, location: str = "fsn1", **extra):
    return {"name": name, "server_type": "cpx11", "image": "ubuntu-24.04",
            "location": location, "labels": {"t": "faults"}, **extra}


def create(sim, name: str, location: str = "fsn1", **extra):
    return sim.request("POST", "/v1/servers", body(name, location, **extra))


def wait_for(predicate, timeout: float = 5.0, step: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")


def health(sim, server_body, timeout: float = 2.0):
    ip = server_body["server"]["public_net"]["ipv4"]["ip"]
    return http_call("GET", f"http://{ip}:{sim.agent_port}/health", timeout=timeout)


def action_status(sim, action_id: int):
    return sim.request("GET", f"/v1/actions/{action_id}").body["action"]


def finished_action(sim, action_id: int):
    return wait_for(lambda: (a := action_status(sim, action_id))["status"] != "running" and a)


@pytest.mark.parametrize("status, code", [
    (412, "placement_error"),
    (412, "resource_unavailable"),
    (412, "no_space_left_in_location"),
    (403, "resource_limit_exceeded"),
    (401, "unauthorized"),
    (403, "forbidden"),
    (422, "invalid_input"),
    (423, "locked"),
    (409, "conflict"),
    (500, "server_error"),
    (502, "bad_gateway"),
    (503, "unavailable"),
])
def test_error_rule_answers_once_then_requests_succeed(simulator, status, code):
    simulator.add_faults({"op": "create_server", "times": 1, "status": status, "code": code})

    failed = create(simulator, "first")
    retried = create(simulator, "first")

    assert (failed.status, failed.body["error"]["code"]) == (status, code)
    assert set(failed.body["error"]) == {"code", "message", "details"}
    assert retried.status == 201
    assert len(simulator.servers()) == 1


def test_match_limits_a_rule_to_one_location(simulator):
    simulator.add_faults({"op": "create_server", "times": -1, "match": {"location": "fsn1"},
                          "status": 412, "code": "placement_error"})

    assert create(simulator, "a", "fsn1").status == 412
    assert create(simulator, "b", "fsn1").status == 412
    assert create(simulator, "c", "nbg1").status == 201

    simulator.clear_faults()
    assert create(simulator, "d", "fsn1").status == 201


def test_rate_limit_rule_sets_remaining_zero_and_reset(simulator):
    simulator.add_faults({"op": "list_servers", "status": 429, "code": "rate_limit_exceeded",
                          "reset_in": 2})

    limited = simulator.request("GET", "/v1/servers")
    after = simulator.request("GET", "/v1/servers")

    assert limited.status == 429
    assert limited.body["error"]["code"] == "rate_limit_exceeded"
    assert limited.header("RateLimit-Remaining") == "0"
    assert 1 <= int(limited.header("RateLimit-Reset")) - time.time() <= 3
    assert after.status == 200
    assert int(after.header("RateLimit-Remaining")) > 0


def test_every_v1_response_carries_rate_limit_headers(simulator):
    replies = [simulator.request("GET", "/v1/servers"), create(simulator, "rl"),
               simulator.request("GET", "/v1/servers/999999")]

    remaining = [int(reply.header("RateLimit-Remaining")) for reply in replies]
    assert all(reply.header("RateLimit-Limit") == "3600" for reply in replies)
    assert all(3590 <= left < 3600 for left in remaining)
    assert all(int(reply.header("RateLimit-Reset")) >= int(time.time()) for reply in replies)


def test_action_error_rule_fails_the_action_after_a_201(simulator):
    simulator.add_faults({"op": "create_server",
                          "action_error": {"code": "placement_error", "message": "full"}})

    created = create(simulator, "late-fail")
    action = finished_action(simulator, created.body["action"]["id"])

    assert created.status == 201
    assert action["status"] == "error"
    assert action["error"] == {"code": "placement_error", "message": "full"}
    assert simulator.servers()[0]["status"] == "off"


def test_create_despite_error_leaves_a_server_behind(simulator):
    simulator.add_faults({"op": "create_server", "create_despite_error": True,
                          "status": 500, "code": "server_error"})

    reply = create(simulator, "ghost")
    listed = simulator.request("GET", "/v1/servers?label_selector=t=faults").body

    assert (reply.status, reply.body["error"]["code"]) == (500, "server_error")
    assert [s["name"] for s in listed["servers"]] == ["ghost"]


@pytest.mark.parametrize("op, path", [
    ("get_action", "/v1/actions/{action}"),
    ("get_server", "/v1/servers/{server}"),
    ("delete_server", "/v1/servers/{server}"),
    ("list_servers", "/v1/servers"),
])
def test_each_operation_can_be_faulted(simulator, op, path):
    created = create(simulator, "target").body
    ids = {"action": created["action"]["id"], "server": created["server"]["id"]}
    method = "DELETE" if op == "delete_server" else "GET"
    simulator.add_faults({"op": op, "status": 503, "code": "unavailable"})

    reply = simulator.request(method, path.format(**ids))

    assert reply.status == 503
    assert simulator.request(method, path.format(**ids)).status == 200


def test_health_answers_only_after_the_boot_delay_and_stops_after_delete(start_simulator):
    sim = start_simulator(boot_delay=1.0)
    created = create(sim, "booting").body

    with pytest.raises(urllib.error.URLError):
        health(sim, created)
    reply = wait_for(lambda: _health_or_none(sim, created), timeout=5)
    assert (reply.status, reply.body) == (200, {"status": "ok"})

    assert sim.request("DELETE", f"/v1/servers/{created['server']['id']}").status == 200
    with pytest.raises(urllib.error.URLError):
        health(sim, created)


def _health_or_none(sim, created):
    try:
        return health(sim, created)
    except urllib.error.URLError:
        return None


def test_sigterm_closes_every_listener_and_exits_cleanly(start_simulator):
    sim = start_simulator(boot_delay=0.1)
    created = create(sim, "short-lived").body
    wait_for(lambda: _health_or_none(sim, created))

    assert sim.stop() == 0
    with pytest.raises(urllib.error.URLError):
        health(sim, created)
    with pytest.raises(urllib.error.URLError):
        sim.request("GET", "/_sim/stats")


def test_health_status_rule_fails_the_first_requests_only(simulator):
    simulator.add_faults({"op": "health", "health_status": 500, "requests": 2})
    created = create(simulator, "flaky").body
    faulted_later = create(simulator, "healthy").body

    statuses = [wait_for(lambda: _health_or_none(simulator, created)).status
                for _ in range(3)]

    assert statuses == [500, 500, 200]
    assert wait_for(lambda: _health_or_none(simulator, faulted_later)).status == 200


def test_health_delay_rule_answers_late(simulator):
    simulator.add_faults({"op": "health", "health_delay": 1.0})
    created = create(simulator, "slow").body
    wait_for(lambda: simulator.servers()[0]["health"] == "listening")

    started = time.monotonic()
    reply = health(simulator, created, timeout=5)

    assert reply.status == 200
    assert time.monotonic() - started >= 0.9


def test_health_never_rule_keeps_the_agent_silent(simulator):
    simulator.add_faults({"op": "health", "health_never": True})
    created = create(simulator, "mute").body
    time.sleep(0.4)

    with pytest.raises(urllib.error.URLError):
        health(simulator, created)
    assert simulator.servers()[0]["health"] == "never"


def test_stats_count_requests_per_route(simulator):
    created = create(simulator, "counted").body
    simulator.request("GET", f"/v1/actions/{created['action']['id']}")
    simulator.request("GET", f"/v1/servers/{created['server']['id']}")
    simulator.request("GET", "/v1/servers")
    simulator.request("GET", "/v1/servers")

    stats = simulator.stats()

    assert stats["requests"] == {"POST /v1/servers": 1, "GET /v1/actions/{id}": 1,
                                 "GET /v1/servers/{id}": 1, "GET /v1/servers": 2}
    assert (stats["total"], stats["servers"]) == (5, 1)


def test_reset_forgets_servers_faults_and_counts(simulator):
    create(simulator, "old")
    simulator.add_faults({"op": "list_servers", "times": -1, "status": 500})

    simulator.reset()

    assert simulator.request("GET", "/v1/servers").status == 200
    assert simulator.stats() == {"requests": {"GET /v1/servers": 1}, "total": 1, "servers": 0}


@pytest.mark.parametrize("simulator", [{"token": "s3cret"}], indirect=True)
def test_token_guards_v1_but_not_admin_and_is_never_logged(simulator):
    assert simulator.request("GET", "/v1/servers", token=None).status == 401
    assert simulator.request("GET", "/v1/servers", token="wrong").body["error"]["code"] == \
        "unauthorized"
    assert simulator.request("GET", "/v1/servers").status == 200
    assert simulator.request("GET", "/_sim/stats", token=None).status == 200
    assert "s3cret" not in simulator.log()
    assert "GET /v1/servers 401" in simulator.log()


@pytest.mark.parametrize("payload, status, code", [
    ({"server_type": "cx22", "image": "debian-12"}, 422, "invalid_input"),
    ({"name": "x", "image": "debian-12"}, 422, "invalid_input"),
    ({"name": "x", "server_type": "cx22"}, 422, "invalid_input"),
    ({"name": "x", "server_type": "cx22", "image": "debian-12", "location": "moon"}, 422,
     "invalid_input"),
    ({"name": "under_score", "server_type": "cx22", "image": "debian-12"}, 422,
     "invalid_input"),
])
def test_create_validation(simulator, payload, status, code):
    reply = simulator.request("POST", "/v1/servers", payload)

    assert (reply.status, reply.body["error"]["code"]) == (status, code)


def test_unknown_server_is_not_found(simulator):
    assert simulator.request("GET", "/v1/servers/424242").body["error"]["code"] == "not_found"
    assert simulator.request("DELETE", "/v1/servers/424242").status == 404


def test_faults_file_is_active_from_start(start_simulator):
    sim = start_simulator(faults=[{"op": "list_servers", "status": 502, "code": "bad_gateway"}])

    assert sim.request("GET", "/v1/servers").status == 502
    assert sim.request("GET", "/v1/servers").status == 200


@pytest.mark.parametrize("rule", [
    {"op": "reboot_server", "status": 500},
    {"op": "create_server"},
    {"op": "get_server", "health_status": 500},
    {"op": "health", "status": 500},
    {"op": "list_servers", "create_despite_error": True, "status": 500},
    {"op": "create_server", "times": 0, "status": 500},
])
def test_bad_fault_rules_are_refused(simulator, rule):
    reply = simulator.request("POST", "/_sim/faults", [rule])

    assert reply.status == 400
    assert simulator.request("GET", "/_sim/faults").body["faults"] == []


@pytest.mark.parametrize("flag, value", [
    ("--listen", "0.0.0.0:0"),
    ("--listen", "192.0.2.1:0"),
    ("--listen", "[::]:0"),
    ("--address-prefix", "10.0"),
    ("--address-prefix", "127.1.2.3"),
])
def test_non_loopback_addresses_are_refused(flag, value):
    args = [sys.executable, str(SIMULATOR_SCRIPT), "--listen", "127.0.0.1:0", flag, value]

    result = subprocess.run(args, capture_output=True, text=True, timeout=10)

    assert result.returncode == 2
    assert "error" in result.stderr and result.stdout == ""


def test_help_explains_every_flag_and_the_fault_format():
    result = subprocess.run([sys.executable, str(SIMULATOR_SCRIPT), "--help"],
                            capture_output=True, text=True, timeout=10)

    for word in ("--listen", "--token", "--boot-delay", "--action-delay", "--agent-port",
                 "--address-prefix", "--faults", "--port-file", "create_despite_error",
                 "health_never", "reset_in"):
        assert word in result.stdout


def test_port_file_holds_the_listening_port(start_simulator, tmp_path):
    port_file = tmp_path / "port"
    sim = start_simulator(extra_args=("--port-file", str(port_file)))

    assert sim.base_url.endswith(":" + port_file.read_text().strip())
    assert sim.stats()["total"] == 0
