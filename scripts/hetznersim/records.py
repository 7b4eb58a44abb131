"""Simulated servers and actions, and how they render as API JSON.

Status is derived from the clock when read, so nothing needs a timer to "finish" an action:
an action is `running` until its `finishes_at`, then `success` or `error`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from . import catalog
from .health import HealthAgent


def iso(timestamp: float) -> str:
    """ISO 8601 in UTC, as the API writes times."""
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="seconds")


@dataclass
class Action:
    id: int
    command: str
    resource_id: int
    started: float
    finishes_at: float
    error: dict[str, str] | None = None

    def status(self, now: float) -> str:
        if now < self.finishes_at:
            return "running"
        return "error" if self.error else "success"

    def payload(self, now: float) -> dict[str, Any]:
        status = self.status(now)
        span = max(self.finishes_at - self.started, 1e-9)
        progress = 100 if status != "running" else int(100 * (now - self.started) / span)
        return {
            "id": self.id,
            "command": self.command,
            "status": status,
            "progress": min(progress, 100),
            "started": iso(self.started),
            "finished": None if status == "running" else iso(self.finishes_at),
            "resources": [{"id": self.resource_id, "type": "server"}],
            "error": self.error if status == "error" else None,
        }


@dataclass
class Server:
    id: int
    name: str
    server_type: str
    location: str
    image: dict[str, Any]
    labels: dict[str, str]
    ip: str
    created: float
    start_after_create: bool
    create_action: Action
    agent: HealthAgent
    user_data: str | None = field(default=None, repr=False)

    def status(self, now: float) -> str:
        action_status = self.create_action.status(now)
        if action_status == "running":
            return "initializing"
        if action_status == "error" or not self.start_after_create:
            return "off"
        return "running"

    def facts(self) -> dict[str, Any]:
        """What a fault rule's `match` can compare against."""
        return {"id": self.id, "name": self.name, "server_type": self.server_type,
                "location": self.location, "image": self.image.get("name"),
                "labels": self.labels, "ip": self.ip}

    def payload(self, now: float) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status(now),
            "created": iso(self.created),
            "public_net": self._public_net(),
            "private_net": [],
            "server_type": catalog.server_type_payload(self.server_type),
            "datacenter": catalog.datacenter_payload(self.location),
            "location": catalog.location_payload(self.location),
            "image": self.image,
            "iso": None,
            "rescue_enabled": False,
            "locked": False,
            "backup_window": None,
            "outgoing_traffic": 0,
            "ingoing_traffic": 0,
            "included_traffic": 21990232555520,
            "protection": {"delete": False, "rebuild": False},
            "labels": dict(self.labels),
            "volumes": [],
            "load_balancers": [],
            "primary_disk_size": catalog.server_type_payload(self.server_type)["disk"],
            "placement_group": None,
        }

    def sim_payload(self, now: float) -> dict[str, Any]:
        """The admin view: what a test needs to check, including the agent's state."""
        return {"id": self.id, "name": self.name, "status": self.status(now),
                "labels": dict(self.labels), "ip": self.ip, "location": self.location,
                "server_type": self.server_type,
                "health_url": f"http://{self.ip}:{self.agent.port}/health",
                "health": self.agent.state, "health_requests": self.agent.requests}

    def _public_net(self) -> dict[str, Any]:
        ipv6 = f"2001:db8:{self.id >> 16:x}:{self.id & 0xFFFF:x}::/64"
        return {
            "ipv4": {"id": self.id, "ip": self.ip, "blocked": False,
                     "dns_ptr": f"static.{self.ip}.clients.your-server.de"},
            "ipv6": {"id": self.id + 1_000_000, "ip": ipv6, "blocked": False, "dns_ptr": []},
            "floating_ips": [],
            "firewalls": [],
        }


class AddressPool:
    """Hands out 127.x.y.z addresses under a prefix, never reusing one.

    Not reusing means a client still polling a deleted server's address gets a refusal,
    never a newer server's answer. Host parts ending in .0 or .255 are skipped.
    """

    def __init__(self, prefix: str) -> None:
        self._octets = [int(part) for part in prefix.split(".")]
        self._free_parts = 4 - len(self._octets)
        self._next = 0

    def take(self) -> str | None:
        """The next address, or None when the prefix is used up."""
        while self._next < 256 ** self._free_parts:
            number, self._next = self._next, self._next + 1
            host = [(number >> (8 * i)) & 0xFF for i in reversed(range(self._free_parts))]
            if host[-1] not in (0, 255):
                return ".".join(str(octet) for octet in self._octets + host)
        return None


def now() -> float:
    return time.time()
