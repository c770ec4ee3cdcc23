"""`cmake --install BUILD --component python` gives an importable package."""
import os
import subprocess
import sys

import pytest


def test_installed_package_imports_and_runs(tmp_path):
    build = os.environ.get("MSAO_BUILD_DIR")
    if not build or not os.path.exists(os.path.join(build, "cmake_install.cmake")):
        pytest.skip("MSAO_BUILD_DIR (set by tests/python/run) names no configured build")
    subprocess.run(["cmake", "--install", build, "--component", "python", "--prefix", str(tmp_path)], check=True,
                   capture_output=True)
    site = tmp_path / "lib" / "python3" / "dist-packages"
    assert (site / "msao" / "__init__.py").exists()
    code = "import msao; print(msao.__file__); print(len(msao.list_policies()))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env=dict(os.environ, PYTHONPATH=str(site)), cwd=tmp_path)
    where, count = done.stdout.split()
    assert where.startswith(str(site)) and int(count) >= 10
