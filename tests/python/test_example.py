"""examples/bandwidth_study.py runs end to end (small), resumes, and draws its figure."""
import os
import subprocess
import sys

import pytest

from conftest import ROOT


def test_bandwidth_study_runs_and_resumes(tmp_path):
    pytest.importorskip("matplotlib", reason="python3-matplotlib is not installed")
    cmd = [sys.executable, os.path.join(ROOT, "examples", "bandwidth_study.py"), "--out", str(tmp_path / "bw"),
           "--requests", "20", "--jobs", "2"]
    first = subprocess.run(cmd, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "15 runs (0 already done)" in first.stdout and "latency_ms_mean" in first.stdout
    assert (tmp_path / "bw" / "latency_vs_bandwidth.png").stat().st_size > 1000
    again = subprocess.run(cmd, capture_output=True, text=True)
    assert "15 runs (15 already done)" in again.stdout
