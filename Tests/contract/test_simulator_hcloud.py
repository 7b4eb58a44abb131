"""Fidelity of the Hetzner API simulator, judged by the official `hcloud` Python client.

If hcloud parses what the simulator sends and sees the errors it expects, the simulator is
close enough to the real API for NodeSelector's own client to be tested against it.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from hcloud import APIException, Client
from hcloud.actions import ActionFailedException
from hcloud.images import Image
from hcloud.locations import Location
from hcloud.server_types import ServerType

TOKEN = "contract-test-token"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """requests honours proxy variables; keep every call on loopback."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def sim(start_simulator):
    return start_simulator(token=TOKEN)


def make_client(sim, token: str = TOKEN) -> Client:
    return Client(token=token, api_endpoint=sim.api_url, poll_interval=0.02,
                  timeout=10)


def create(client: Client, name: str, labels: dict[str, str], location: str = "fsn1"):
    return client.servers.create(name=name, server_type=ServerType(name="cx32"),
                                 image=Image(name="ubuntu-24.04"),
                                 location=Location(name=location), labels=labels)


def test_create_wait_get_and_delete_round_trip(sim):
    client = make_client(sim)

    response = create(client, "node-1", {"managed-by": "nodeselector", "node-id": "42"},
                      location="hel1")
    assert response.server.status == "initializing"
    assert response.action.command == "create_server"
    assert response.root_password is None
    response.action.wait_until_finished()

    server = client.servers.get_by_id(response.server.id)
    assert server.status == "running"
    assert server.name == "node-1"
    assert server.labels == {"managed-by": "nodeselector", "node-id": "42"}
    assert (server.server_type.name, server.server_type.cores) == ("cx32", 4)
    assert server.server_type.memory == 8.0
    assert server.location.name == "hel1"
    assert server.public_net.ipv4.ip.startswith(sim.address_prefix + ".")
    assert isinstance(server.created, datetime)

    delete_action = server.delete()
    delete_action.wait_until_finished()
    with pytest.raises(APIException) as raised:
        client.servers.get_by_id(server.id)
    assert raised.value.code == "not_found"


def test_each_server_gets_its_own_loopback_address(sim):
    client = make_client(sim)

    first = create(client, "addr-a", {}).server.public_net.ipv4.ip
    second = create(client, "addr-b", {}).server.public_net.ipv4.ip

    assert first != second
    assert first.startswith("127.") and second.startswith("127.")


@pytest.mark.parametrize("selector, expected", [
    ("role=worker", 7),
    ("role==db", 2),
    ("role!=worker", 3),  # db-0, db-1 and the unlabelled one (no key also matches)
    ("role", 9),
    ("!role", 1),
    ("role=worker,idx=3", 1),
    ("role in (db,worker)", 9),
    ("role notin (worker)", 3),
])
def test_label_selectors_filter_like_the_api(sim, selector, expected):
    client = make_client(sim)
    for idx in range(7):
        create(client, f"worker-{idx}", {"role": "worker", "idx": str(idx)})
    for idx in range(2):
        create(client, f"db-{idx}", {"role": "db"})
    create(client, "unlabelled", {})

    assert len(client.servers.get_all(label_selector=selector)) == expected


def test_list_pages_through_more_than_one_page(sim):
    client = make_client(sim)
    for idx in range(7):
        create(client, f"paged-{idx}", {"pool": "p"})

    first = client.servers.get_list(label_selector="pool=p", per_page=3)
    last = client.servers.get_list(label_selector="pool=p", per_page=3, page=3)
    client.servers.max_per_page = 3  # make get_all walk next_page links
    everything = client.servers.get_all(label_selector="pool=p")

    pagination = first.meta.pagination
    assert len(first.servers) == 3
    assert (pagination.page, pagination.next_page, pagination.previous_page) == (1, 2, None)
    assert (pagination.last_page, pagination.total_entries) == (3, 7)
    assert [s.name for s in last.servers] == ["paged-6"]
    assert last.meta.pagination.next_page is None
    assert sorted(s.name for s in everything) == [f"paged-{i}" for i in range(7)]


def test_list_by_name(sim):
    client = make_client(sim)
    create(client, "alpha", {})
    create(client, "beta", {})

    assert client.servers.get_by_name("beta").name == "beta"
    assert client.servers.get_by_name("gamma") is None


def test_wrong_token_raises_unauthorized(sim):
    client = make_client(sim, token="not-the-token")

    with pytest.raises(APIException) as raised:
        client.servers.get_all()

    assert raised.value.code == "unauthorized"


@pytest.mark.parametrize("kwargs, code", [
    ({"server_type": ServerType(name="cx99")}, "invalid_input"),
    ({"location": Location(name="mars1")}, "invalid_input"),
    ({"name": "taken"}, "uniqueness_error"),
])
def test_create_rejections_reach_the_client_as_api_errors(sim, kwargs, code):
    client = make_client(sim)
    create(client, "taken", {})
    arguments = {"name": "fresh", "server_type": ServerType(name="cx22"),
                 "image": Image(name="debian-12"), **kwargs}

    with pytest.raises(APIException) as raised:
        client.servers.create(**arguments)

    assert raised.value.code == code


def test_asynchronous_action_failure_is_an_action_failed_exception(sim):
    sim.add_faults({"op": "create_server",
                    "action_error": {"code": "placement_error", "message": "no host"}})
    client = make_client(sim)

    response = create(client, "doomed", {})
    with pytest.raises(ActionFailedException) as raised:
        response.action.wait_until_finished()

    assert raised.value.action.error["code"] == "placement_error"
    assert client.servers.get_by_id(response.server.id).status == "off"
