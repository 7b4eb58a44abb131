"""Scripted faults: rules that make the next matching requests fail in a chosen way.

A rule names an operation, how many matching requests it hits (`times`, -1 = forever), an
optional `match` (request or server fields that must be equal; `labels` is a subset match),
and one effect. Rules are checked in the order they were added; the first live match wins.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from .catalog import DEFAULT_STATUS_FOR_CODE

OPS = ("create_server", "get_action", "delete_server", "list_servers", "get_server",
       "health")

_HEALTH_KEYS = ("health_status", "health_delay", "health_never")
_KNOWN_KEYS = {"op", "times", "match", "status", "code", "message", "details", "reset_in",
               "action_error", "create_despite_error", "delay", "requests", *_HEALTH_KEYS}

_CODE_FOR_STATUS = {401: "unauthorized", 403: "forbidden", 404: "not_found",
                    409: "conflict", 412: "placement_error", 422: "invalid_input",
                    423: "locked", 429: "rate_limit_exceeded", 500: "server_error",
                    502: "bad_gateway", 503: "unavailable", 504: "timeout"}


class FaultRuleError(ValueError):
    """A fault rule that cannot be used; the message says which field is wrong."""


@dataclass
class FaultRule:
    """One validated rule. `remaining` counts down as matching requests hit it."""

    op: str
    remaining: int
    match: dict[str, Any]
    raw: dict[str, Any] = field(repr=False)
    status: int | None = None
    code: str | None = None
    message: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    reset_in: float | None = None
    action_error: dict[str, str] | None = None
    create_despite_error: bool = False
    delay: float = 0.0
    health_status: int | None = None
    health_delay: float = 0.0
    health_never: bool = False
    health_requests: int | None = None

    def matches(self, facts: dict[str, Any]) -> bool:
        """Whether every `match` entry equals the request's or server's fact."""
        for key, wanted in self.match.items():
            if key == "labels":
                labels = facts.get("labels") or {}
                if any(labels.get(k) != v for k, v in dict(wanted).items()):
                    return False
            elif key not in facts or str(facts[key]) != str(wanted):
                return False
        return True

    def describe(self) -> dict[str, Any]:
        """The rule as it was given, with the hits it has left."""
        return {**self.raw, "times_left": self.remaining}


def parse_rule(raw: Any) -> FaultRule:
    """Validate one rule object; raises FaultRuleError naming the problem."""
    if not isinstance(raw, dict):
        raise FaultRuleError("a fault rule must be a JSON object")
    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise FaultRuleError(f"unknown fault rule fields: {sorted(unknown)}")
    op = raw.get("op")
    if op not in OPS:
        raise FaultRuleError(f"op must be one of {list(OPS)}, got {op!r}")
    times = raw.get("times", 1)
    if not isinstance(times, int) or isinstance(times, bool) or (times < 1 and times != -1):
        raise FaultRuleError("times must be a positive integer or -1 (forever)")
    match = raw.get("match", {})
    if not isinstance(match, dict):
        raise FaultRuleError("match must be an object")

    rule = FaultRule(op=op, remaining=times, match=match, raw=dict(raw))
    rule.delay = _seconds(raw, "delay")
    if op == "health":
        _fill_health(rule, raw)
    else:
        _fill_request_effect(rule, raw)
    return rule


def _fill_health(rule: FaultRule, raw: dict[str, Any]) -> None:
    if not any(key in raw for key in _HEALTH_KEYS):
        raise FaultRuleError(f"a health rule needs one of {list(_HEALTH_KEYS)}")
    if any(key in raw for key in ("status", "code", "action_error", "create_despite_error",
                                  "delay")):
        raise FaultRuleError("a health rule takes only health_* effects and requests")
    status = raw.get("health_status")
    if status is not None and not _is_status(status, 100):
        raise FaultRuleError("health_status must be an HTTP status code")
    rule.health_status = status
    rule.health_delay = _seconds(raw, "health_delay")
    rule.health_never = bool(raw.get("health_never", False))
    requests = raw.get("requests")
    if requests is not None and (not isinstance(requests, int) or requests < 1):
        raise FaultRuleError("requests must be a positive integer")
    rule.health_requests = requests


def _fill_request_effect(rule: FaultRule, raw: dict[str, Any]) -> None:
    if any(key in raw for key in (*_HEALTH_KEYS, "requests")):
        raise FaultRuleError("health_* effects need op 'health'")
    action_error = raw.get("action_error")
    if action_error is not None:
        _fill_action_error(rule, raw, action_error)
        return
    if "status" not in raw and "code" not in raw:
        if rule.delay > 0:
            return
        raise FaultRuleError("a rule needs an effect: status/code, action_error or delay")
    _fill_error(rule, raw)
    rule.create_despite_error = bool(raw.get("create_despite_error", False))
    if rule.create_despite_error and rule.op != "create_server":
        raise FaultRuleError("create_despite_error needs op 'create_server'")


def _fill_action_error(rule: FaultRule, raw: dict[str, Any], action_error: Any) -> None:
    if rule.op not in ("create_server", "delete_server"):
        raise FaultRuleError("action_error needs op 'create_server' or 'delete_server'")
    if not isinstance(action_error, dict) or not isinstance(action_error.get("code"), str):
        raise FaultRuleError("action_error must be an object with a string code")
    message = action_error.get("message") or f"action failed: {action_error['code']}"
    rule.action_error = {"code": action_error["code"], "message": str(message)}


def _fill_error(rule: FaultRule, raw: dict[str, Any]) -> None:
    status, code = raw.get("status"), raw.get("code")
    if status is not None and not _is_status(status, 400):
        raise FaultRuleError("status must be an HTTP error status (400-599)")
    if code is not None and not isinstance(code, str):
        raise FaultRuleError("code must be a string")
    if status is None:
        status = DEFAULT_STATUS_FOR_CODE.get(code, 500)
    if code is None:
        code = _CODE_FOR_STATUS.get(status, "server_error" if status >= 500 else "invalid_input")
    details = raw.get("details", {})
    if not isinstance(details, dict):
        raise FaultRuleError("details must be an object")
    rule.status, rule.code, rule.details = status, code, details
    rule.message = str(raw.get("message") or f"simulated fault: {code}")
    rule.reset_in = _seconds(raw, "reset_in") if "reset_in" in raw else None


def _is_status(value: Any, low: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= 599


def _seconds(raw: dict[str, Any], key: str) -> float:
    value = raw.get(key, 0)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
        raise FaultRuleError(f"{key} must be a non-negative number of seconds")
    return float(value)


class FaultBook:
    """The live rule list, shared by every request thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []

    def add(self, raw_rules: Any) -> int:
        """Validate and append a list of rules (all or none); returns how many were added."""
        if not isinstance(raw_rules, list):
            raw_rules = [raw_rules]
        parsed = [parse_rule(raw) for raw in raw_rules]
        with self._lock:
            self._rules.extend(parsed)
        return len(parsed)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            return [rule.describe() for rule in self._rules]

    def take(self, op: str, facts: dict[str, Any]) -> FaultRule | None:
        """The first live rule for `op` matching `facts`, charged one hit; None if none."""
        with self._lock:
            for rule in self._rules:
                if rule.op != op or rule.remaining == 0 or not rule.matches(facts):
                    continue
                if rule.remaining > 0:
                    rule.remaining -= 1
                if rule.remaining == 0:
                    self._rules.remove(rule)
                return rule
        return None
