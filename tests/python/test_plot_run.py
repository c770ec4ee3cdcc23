"""scripts/plot RUN_DIR draws a single run's figures."""
import os
import subprocess
import sys

import pytest

import msao
from conftest import QUICKSTART, ROOT, SMALL

FIGURES = ["latency_cdf.png", "latency_histogram.png", "latency_over_time.png", "placement.png", "bytes_over_time.png"]


def test_plot_run_dir_writes_every_figure(tmp_path):
    pytest.importorskip("matplotlib", reason="python3-matplotlib is not installed")
    msao.run(QUICKSTART, set=dict(SMALL, **{"policy.type": "cascade"}), out=tmp_path / "run")
    done = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "plot"), str(tmp_path / "run"), "--no-install"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for name in FIGURES:
        path = tmp_path / "run" / "figures" / name
        assert path.stat().st_size > 1000, name  # a real PNG, not an empty file
