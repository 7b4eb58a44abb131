"""Label selectors as the Hetzner Cloud API reads them.

Supported terms, joined by commas (all must hold): `k=v`, `k==v`, `k!=v`, `k` (present),
`!k` (absent), `k in (a,b)` and `k notin (a,b)`.

Assumption: as in Kubernetes, whose selector syntax the API borrows, `k!=v` and
`k notin (...)` also match servers that have no `k` label at all. The API docs do not say.
"""

from __future__ import annotations

import re
from typing import Callable

Predicate = Callable[[dict[str, str]], bool]

_KEY = r"[A-Za-z0-9](?:[A-Za-z0-9._/-]*[A-Za-z0-9])?"
_SET_TERM = re.compile(rf"^({_KEY})\s+(in|notin)\s+\(([^()]*)\)$")
_EQ_TERM = re.compile(rf"^({_KEY})\s*(==|!=|=)\s*(.*)$")
_KEY_TERM = re.compile(rf"^(!?)\s*({_KEY})$")


class SelectorError(ValueError):
    """A label selector that cannot be parsed; the message names the bad term."""


def compile_selector(text: str) -> Predicate:
    """Turn a selector string into a predicate over a label map; raises SelectorError."""
    terms = [_compile_term(term.strip()) for term in _split_terms(text) if term.strip()]
    return lambda labels: all(term(labels) for term in terms)


def validate_labels(labels: object) -> str | None:
    """Why a `labels` request field is invalid, or None when it is a map of strings."""
    if not isinstance(labels, dict):
        return "labels must be an object"
    for key, value in labels.items():
        if not re.fullmatch(_KEY, key) or len(key) > 63 + 254:
            return f"invalid label key {key!r}"
        if not isinstance(value, str) or len(value) > 63:
            return f"invalid label value for {key!r}"
    return None


def _split_terms(text: str) -> list[str]:
    """Split on commas that are not inside an `in (...)` value list."""
    terms, depth, current = [], 0, []
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            terms.append("".join(current))
            current = []
        else:
            current.append(char)
    terms.append("".join(current))
    return terms


def _compile_term(term: str) -> Predicate:
    match = _SET_TERM.match(term)
    if match:
        key, operator, raw = match.groups()
        values = {value.strip() for value in raw.split(",")}
        if operator == "in":
            return lambda labels: labels.get(key) in values
        return lambda labels: labels.get(key) not in values

    match = _EQ_TERM.match(term)
    if match:
        key, operator, value = match.groups()
        if operator == "!=":
            return lambda labels: labels.get(key) != value
        return lambda labels: labels.get(key) == value

    match = _KEY_TERM.match(term)
    if match:
        negated, key = match.groups()
        if negated:
            return lambda labels: key not in labels
        return lambda labels: key in labels

    raise SelectorError(f"invalid label selector term {term!r}")
