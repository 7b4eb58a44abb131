"""The simulated project: servers, actions and their lifecycle, behind one lock.

Every method returns the JSON payload to send or raises ApiError. Faults that change what
happens (not just what is answered) arrive as a FaultRule argument.
"""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass
from typing import Any

from . import catalog
from .errors import ApiError, invalid_input, not_found
from .faults import FaultRule
from .health import HealthAgent, HealthBehaviour
from .labels import SelectorError, compile_selector, validate_labels
from .records import Action, AddressPool, Server, now

_HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                       r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")
DEFAULT_PER_PAGE, MAX_PER_PAGE = 25, 50


@dataclass(frozen=True)
class CloudConfig:
    """Timing and addressing; seconds for delays."""

    boot_delay: float = 1.0
    action_delay: float = 0.2
    agent_port: int = 8080
    address_prefix: str = "127.77"


@dataclass(frozen=True)
class CreateRequest:
    """A validated POST /v1/servers body."""

    name: str
    server_type: str
    location: str
    image: dict[str, Any]
    labels: dict[str, str]
    user_data: str | None
    start_after_create: bool

    def facts(self) -> dict[str, Any]:
        return {"name": self.name, "server_type": self.server_type,
                "location": self.location, "image": self.image.get("name"),
                "labels": self.labels}


class Cloud:
    """All live servers and every action ever started (actions outlive their servers)."""

    def __init__(self, config: CloudConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._servers: dict[int, Server] = {}
        self._actions: dict[int, Action] = {}
        self._addresses = AddressPool(config.address_prefix)

    def validate_create(self, body: Any) -> CreateRequest:
        """Check a create body the way the API does; raises 422/409 ApiErrors."""
        if not isinstance(body, dict):
            raise ApiError(400, "json_error", "request body must be a JSON object")
        name = body.get("name")
        if not isinstance(name, str) or not name:
            raise invalid_input("name", "name is required")
        if not _HOSTNAME.match(name):
            raise invalid_input("name", "name must be a valid hostname (RFC 1123)")
        for required in ("server_type", "image"):
            if body.get(required) in (None, ""):
                raise invalid_input(required, f"{required} is required")
        server_type = catalog.find_server_type(body["server_type"])
        if server_type is None:
            raise invalid_input("server_type", f"unknown server type {body['server_type']!r}")
        location = self._location_of(body)
        labels = body.get("labels") or {}
        problem = validate_labels(labels)
        if problem:
            raise invalid_input("labels", problem)
        user_data = body.get("user_data")
        if user_data is not None and not isinstance(user_data, str):
            raise invalid_input("user_data", "user_data must be a string")
        with self._lock:
            if any(server.name == name for server in self._servers.values()):
                raise ApiError(409, "uniqueness_error", "server name is already used",
                               {"fields": [{"name": "name"}]})
        return CreateRequest(name, server_type, location, catalog.image_payload(body["image"]),
                             dict(labels), user_data, body.get("start_after_create", True)
                             is not False)

    def create_server(self, request: CreateRequest, rule: FaultRule | None,
                      health_rule: FaultRule | None) -> dict[str, Any]:
        """Create the server, its create action and its (scheduled) health agent."""
        started = now()
        action_error = rule.action_error if rule else None
        with self._lock:
            if any(server.name == request.name for server in self._servers.values()):
                raise ApiError(409, "uniqueness_error", "server name is already used")
            ip = self._addresses.take()
            if ip is None:
                raise ApiError(403, "resource_limit_exceeded", "no simulated addresses left")
            server_id = next(self._ids)
            action = self._new_action("create_server", server_id, started, action_error)
            agent = HealthAgent(ip, self.config.agent_port, _behaviour(health_rule))
            server = Server(server_id, request.name, request.server_type, request.location,
                            request.image, request.labels, ip, started,
                            request.start_after_create, action, agent, request.user_data)
            self._servers[server_id] = server
            payload = server.payload(started)

        boot_after = max(self.config.boot_delay, self.config.action_delay)
        agent.schedule(boot_after, lambda: self._should_boot(server_id))
        return {"server": payload, "action": action.payload(started), "next_actions": [],
                "root_password": None}

    def server_facts(self, server_id: int) -> dict[str, Any]:
        with self._lock:
            server = self._servers.get(server_id)
            return server.facts() if server else {"id": server_id}

    def get_server(self, server_id: int) -> dict[str, Any]:
        with self._lock:
            server = self._servers.get(server_id)
            if server is None:
                raise not_found("server", server_id)
            return {"server": server.payload(now())}

    def delete_server(self, server_id: int, rule: FaultRule | None) -> dict[str, Any]:
        """Remove the server at once and stop its agent, unless the action is to fail."""
        action_error = rule.action_error if rule else None
        with self._lock:
            server = self._servers.get(server_id)
            if server is None:
                raise not_found("server", server_id)
            action = self._new_action("delete_server", server_id, now(), action_error)
            if action_error is None:
                del self._servers[server_id]
        if action_error is None:
            server.agent.stop()
        return {"action": action.payload(now())}

    def get_action(self, action_id: int) -> dict[str, Any]:
        with self._lock:
            action = self._actions.get(action_id)
            if action is None:
                raise not_found("action", action_id)
            return {"action": action.payload(now())}

    def action_facts(self, action_id: int) -> dict[str, Any]:
        with self._lock:
            action = self._actions.get(action_id)
            if action is None:
                return {"id": action_id}
            return {"id": action_id, "command": action.command, "server": action.resource_id}

    def list_servers(self, query: dict[str, str]) -> dict[str, Any]:
        """Filter by name and label selector, then page like the API (25 default, 50 max)."""
        try:
            selector = compile_selector(query.get("label_selector", ""))
        except SelectorError as error:
            raise invalid_input("label_selector", str(error)) from error
        page = _positive_int(query, "page", 1)
        per_page = min(_positive_int(query, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
        name = query.get("name")
        moment = now()
        with self._lock:
            chosen = [server for _, server in sorted(self._servers.items())
                      if (name is None or server.name == name) and selector(server.labels)]
            items = [server.payload(moment) for server in
                     chosen[(page - 1) * per_page:page * per_page]]
        last_page = max(1, -(-len(chosen) // per_page))
        pagination = {"page": page, "per_page": per_page,
                      "previous_page": page - 1 if page > 1 else None,
                      "next_page": page + 1 if page < last_page else None,
                      "last_page": last_page, "total_entries": len(chosen)}
        return {"servers": items, "meta": {"pagination": pagination}}

    def sim_servers(self) -> list[dict[str, Any]]:
        with self._lock:
            return [server.sim_payload(now()) for _, server in sorted(self._servers.items())]

    def live_count(self) -> int:
        with self._lock:
            return len(self._servers)

    def remove_all(self) -> None:
        """Forget every server and action and close every agent (reset and shutdown)."""
        with self._lock:
            servers = list(self._servers.values())
            self._servers.clear()
            self._actions.clear()
        for server in servers:
            server.agent.stop()

    def _new_action(self, command: str, server_id: int, started: float,
                    error: dict[str, str] | None) -> Action:
        """Caller holds the lock."""
        action = Action(next(self._ids), command, server_id, started,
                        started + self.config.action_delay, error)
        self._actions[action.id] = action
        return action

    def _should_boot(self, server_id: int) -> bool:
        """Only a live server whose create action succeeded and that was started boots.

        Judged from the action's outcome, not the clock, because the boot timer may fire a
        hair before `finishes_at` when boot and action delays are equal.
        """
        with self._lock:
            server = self._servers.get(server_id)
            if server is None:
                return False
            return server.create_action.error is None and server.start_after_create

    @staticmethod
    def _location_of(body: dict[str, Any]) -> str:
        for field in ("location", "datacenter"):
            ref = body.get(field)
            if ref in (None, ""):
                continue
            location = catalog.find_location(ref)
            if location is None:
                raise invalid_input(field, f"unknown {field} {ref!r}")
            return location
        return catalog.DEFAULT_LOCATION


def _behaviour(rule: FaultRule | None) -> HealthBehaviour:
    if rule is None:
        return HealthBehaviour()
    return HealthBehaviour(status=rule.health_status or 200, delay=rule.health_delay,
                           never=rule.health_never, limit=rule.health_requests)


def _positive_int(query: dict[str, str], key: str, default: int) -> int:
    raw = query.get(key)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise invalid_input(key, f"{key} must be a positive integer")
    return int(raw)
