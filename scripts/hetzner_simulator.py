#!/usr/bin/env python3
"""Hetzner Cloud API simulator: a loopback-only stand-in for https://api.hetzner.cloud/v1.

Why: NodeSelector's tests and local demo must provision "servers" without touching the real
cloud. This serves the API subset NodeSelector uses (create/get/list/delete servers, poll
actions, label selectors, paging, rate-limit headers, bearer auth), gives every server its
own 127.x.y.z address with a fake node agent answering GET /health there after a boot delay,
and takes scripted faults (412/429/5xx, failing actions, servers created despite an error,
slow or failing health) plus counters under /_sim/ for assertions.

Usage: scripts/hetzner_simulator.py --listen 127.0.0.1:0 [--token T] [--boot-delay S] ...
Prints one line, `hetzner-simulator listening on http://127.0.0.1:<port>`, then logs one
line per request to stderr. Run with --help for every flag and the fault rule format.
Standard library only (Python 3.11); the code lives in the hetznersim package next to it.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hetznersim.cli import main  # noqa: E402 (needs the path set just above)

if __name__ == "__main__":
    sys.exit(main())
