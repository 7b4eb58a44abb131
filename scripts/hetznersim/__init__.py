"""Hetzner Cloud API simulator for NodeSelector tests and the local demo.

Run it through `scripts/hetzner_simulator.py`; see that file's docstring and `--help`.
"""
