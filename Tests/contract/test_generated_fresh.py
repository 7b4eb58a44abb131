"""The checked-in generated code matches what scripts/generate makes from proto/ now.

Regenerates everything into a temporary tree with `scripts/generate --out-dir` and compares
it, file by file, with the repository. A failure names each stale, missing or extra file;
the fix is to run scripts/generate and commit the result.

Self-contained: uses no fixture from other contract tests and starts no server.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Directories that scripts/generate owns entirely.
GENERATED_DIRS = ("Sources/CNodeSelectorProto", "Sources/NodeSelectorMessages/Generated")


def _files(base):
    return {p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()}


def _generate(out):
    """Runs scripts/generate --out-dir out; returns the finished process."""
    env = dict(os.environ)
    # The interpreter running pytest can run the generator when it has protobuf; that
    # spares scripts/generate from creating .venv.
    if "NODESELECTOR_VENV" not in env and importlib.util.find_spec("google.protobuf"):
        env["NODESELECTOR_VENV"] = sys.prefix
    return subprocess.run(
        [str(ROOT / "scripts" / "generate"), "--out-dir", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="module")
def fresh_tree(tmp_path_factory):
    missing = [tool for tool in ("protoc", "protoc-c") if shutil.which(tool) is None]
    assert not missing, (f"{', '.join(missing)} not installed: run scripts/setup "
                         "(protobuf-compiler, protobuf-c-compiler)")
    out = tmp_path_factory.mktemp("generated")
    result = _generate(out)
    assert result.returncode == 0, f"scripts/generate failed:\n{result.stderr}"
    return out


@pytest.mark.parametrize("generated_dir", GENERATED_DIRS)
def test_checked_in_code_matches_fresh_output(fresh_tree, generated_dir):
    fresh, checked_in = fresh_tree / generated_dir, ROOT / generated_dir
    fresh_files, checked_in_files = _files(fresh), _files(checked_in)
    assert fresh_files, f"scripts/generate wrote nothing under {generated_dir}"

    problems = [f"missing: {generated_dir}/{name}"
                for name in sorted(fresh_files - checked_in_files)]
    problems += [f"not generated (stale leftover?): {generated_dir}/{name}"
                 for name in sorted(checked_in_files - fresh_files)]
    problems += [f"stale: {generated_dir}/{name}"
                 for name in sorted(fresh_files & checked_in_files)
                 if (fresh / name).read_bytes() != (checked_in / name).read_bytes()]

    assert not problems, "run scripts/generate and commit the result:\n  " + "\n  ".join(
        problems)


def test_generation_is_deterministic(fresh_tree, tmp_path):
    result = _generate(tmp_path)
    assert result.returncode == 0, f"scripts/generate failed:\n{result.stderr}"

    for generated_dir in GENERATED_DIRS:
        first, second = fresh_tree / generated_dir, tmp_path / generated_dir
        assert _files(first) == _files(second)
        for name in sorted(_files(first)):
            assert (first / name).read_bytes() == (second / name).read_bytes(), name
