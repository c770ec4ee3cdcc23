"""Shared fixtures: the msao CLI binary ctest built (MSAO_BINARY) and a small
quickstart workload so every test runs in well under a second."""
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QUICKSTART = os.path.join(ROOT, "platforms", "scenarios", "quickstart.yaml")
SMALL = {"workload.requests": 40}


@pytest.fixture
def cli():
    binary = os.environ.get("MSAO_BINARY") or os.path.join(ROOT, "build", "msao")
    if not os.path.exists(binary):
        pytest.skip(f"no msao binary at {binary}")

    def call(*args):
        return subprocess.run([binary, *map(str, args)], check=True, capture_output=True, text=True)

    return call
