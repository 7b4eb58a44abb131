"""Request routing for the simulator: the /v1 API subset and the /_sim admin endpoints.

Kept free of HTTP plumbing: `SimApp.handle` takes the parsed request and returns a Reply,
so the order of checks (count, rate headers, auth, route, fault, operation) reads top-down.
"""

from __future__ import annotations

import hmac
import json
import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

from .cloud import Cloud
from .errors import ApiError
from .faults import FaultBook, FaultRule, FaultRuleError
from .ratelimit import RateBucket, exhausted_headers


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int
    payload: Any
    headers: dict[str, str] = field(default_factory=dict)


Route = tuple[str, "re.Pattern[str]", str, str]
_V1_ROUTES: list[Route] = [
    ("POST", re.compile(r"^/v1/servers$"), "create_server", "POST /v1/servers"),
    ("GET", re.compile(r"^/v1/servers$"), "list_servers", "GET /v1/servers"),
    ("GET", re.compile(r"^/v1/servers/(\d+)$"), "get_server", "GET /v1/servers/{id}"),
    ("DELETE", re.compile(r"^/v1/servers/(\d+)$"), "delete_server",
     "DELETE /v1/servers/{id}"),
    ("GET", re.compile(r"^/v1/actions/(\d+)$"), "get_action", "GET /v1/actions/{id}"),
]


class SimApp:
    """Owns the cloud, the fault book, the rate bucket and the request counters."""

    def __init__(self, cloud: Cloud, faults: FaultBook, token: str | None) -> None:
        self.cloud, self.faults, self._token = cloud, faults, token
        self.bucket = RateBucket()
        self._counts: Counter[str] = Counter()
        self._counts_lock = threading.Lock()

    def handle(self, request: Request) -> Reply:
        if request.path.startswith("/_sim/"):
            return self._admin(request)
        if request.path == "/v1" or request.path.startswith("/v1/"):
            return self._v1(request)
        return _error_reply(ApiError(404, "not_found", "no such endpoint"))

    def _v1(self, request: Request) -> Reply:
        route = _find_route(request)
        self._count(route[3] if route else f"{request.method} {request.path}")
        headers = {**self.bucket.spend(), "X-Correlation-Id": uuid.uuid4().hex[:16]}
        try:
            self._authorize(request)
            if route is None:
                raise ApiError(404, "not_found", "no such endpoint")
            status, payload = self._operation(route[2])(request, route[1])
            return Reply(status, payload, headers)
        except ApiError as error:
            return _error_reply(error, {**headers, **error.headers})

    def _authorize(self, request: Request) -> None:
        if self._token is None:
            return
        given = request.headers.get("authorization", "").encode()
        if not hmac.compare_digest(given, f"Bearer {self._token}".encode()):
            raise ApiError(401, "unauthorized", "unable to authenticate")

    def _operation(self, name: str) -> Callable[[Request, "re.Pattern[str]"], tuple[int, Any]]:
        return getattr(self, f"_op_{name}")

    def _op_create_server(self, request: Request, _: "re.Pattern[str]") -> tuple[int, Any]:
        create = self.cloud.validate_create(_json_body(request))
        rule = self.faults.take("create_server", create.facts())
        _apply_fault(rule, before_effect=True)
        health_rule = self.faults.take("health", create.facts())
        result = self.cloud.create_server(create, rule, health_rule)
        _apply_fault(rule, before_effect=False)
        return 201, result

    def _op_list_servers(self, request: Request, _: "re.Pattern[str]") -> tuple[int, Any]:
        _apply_fault(self.faults.take("list_servers", dict(request.query)), True)
        return 200, self.cloud.list_servers(request.query)

    def _op_get_server(self, request: Request, pattern: "re.Pattern[str]") -> tuple[int, Any]:
        server_id = _path_id(request, pattern)
        _apply_fault(self.faults.take("get_server", self.cloud.server_facts(server_id)), True)
        return 200, self.cloud.get_server(server_id)

    def _op_delete_server(self, request: Request,
                          pattern: "re.Pattern[str]") -> tuple[int, Any]:
        server_id = _path_id(request, pattern)
        rule = self.faults.take("delete_server", self.cloud.server_facts(server_id))
        _apply_fault(rule, True)
        return 200, self.cloud.delete_server(server_id, rule)

    def _op_get_action(self, request: Request, pattern: "re.Pattern[str]") -> tuple[int, Any]:
        action_id = _path_id(request, pattern)
        _apply_fault(self.faults.take("get_action", self.cloud.action_facts(action_id)), True)
        return 200, self.cloud.get_action(action_id)

    def _admin(self, request: Request) -> Reply:
        key = f"{request.method} {request.path}"
        try:
            if key == "GET /_sim/stats":
                return Reply(200, self._stats())
            if key == "GET /_sim/servers":
                return Reply(200, {"servers": self.cloud.sim_servers()})
            if key == "GET /_sim/faults":
                return Reply(200, {"faults": self.faults.describe()})
            if key == "POST /_sim/faults":
                added = self.faults.add(_json_body(request))
                return Reply(200, {"added": added, "faults": self.faults.describe()})
            if key == "DELETE /_sim/faults":
                self.faults.clear()
                return Reply(200, {"faults": []})
            if key == "POST /_sim/reset":
                self.reset()
                return Reply(200, {"reset": True})
        except FaultRuleError as error:
            return _error_reply(ApiError(400, "invalid_input", str(error)))
        except ApiError as error:
            return _error_reply(error)
        return _error_reply(ApiError(404, "not_found", f"no admin endpoint {key}"))

    def reset(self) -> None:
        """Back to an empty project: no servers, faults, counters or spent rate budget."""
        self.faults.clear()
        self.cloud.remove_all()
        self.bucket.reset()
        with self._counts_lock:
            self._counts.clear()

    def _count(self, key: str) -> None:
        with self._counts_lock:
            self._counts[key] += 1

    def _stats(self) -> dict[str, Any]:
        with self._counts_lock:
            counts = dict(self._counts)
        return {"requests": counts, "total": sum(counts.values()),
                "servers": self.cloud.live_count()}


def _find_route(request: Request) -> Route | None:
    for route in _V1_ROUTES:
        if route[0] == request.method and route[1].match(request.path):
            return route
    return None


def _path_id(request: Request, pattern: "re.Pattern[str]") -> int:
    match = pattern.match(request.path)
    assert match is not None  # the route was chosen by this very pattern
    return int(match.group(1))


def _json_body(request: Request) -> Any:
    if not request.body.strip():
        return {}
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(400, "json_error", f"request body is not valid JSON: {error}") from error


def _apply_fault(rule: FaultRule | None, before_effect: bool) -> None:
    """Sleep for a rule's delay and raise its error at the right moment.

    `before_effect` is the moment before the operation runs; a create_despite_error rule
    raises only afterwards, once the server exists.
    """
    if rule is None:
        return
    if before_effect and rule.delay > 0:
        time.sleep(rule.delay)
    if rule.status is None or rule.create_despite_error == before_effect:
        return
    headers = {}
    if rule.status == 429:
        headers = exhausted_headers(3600, 1.0 if rule.reset_in is None else rule.reset_in)
    raise ApiError(rule.status, rule.code or "server_error", rule.message or "simulated fault",
                   rule.details, headers)


def _error_reply(error: ApiError, headers: dict[str, str] | None = None) -> Reply:
    return Reply(error.status, error.body(), headers or {})
