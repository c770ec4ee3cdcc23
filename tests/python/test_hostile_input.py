"""Bad arguments to the Python functions raise msao.InputError (a
ValueError) with the CLI's words, before any run: never a run of another
file, a TypeError, or a bound the CLI would refuse."""
import os
import subprocess

import pytest

import msao
from conftest import QUICKSTART, ROOT


def test_a_path_with_a_nul_is_refused_not_cut(tmp_path):
    for call in (lambda: msao.run(QUICKSTART + "\x00junk"), lambda: msao.check(QUICKSTART + "\x00junk"),
                 lambda: msao.compare(QUICKSTART + "\x00junk", policies=["cloud-only"]),
                 lambda: msao.sweep(str(tmp_path / "s.yaml") + "\x00junk", out=tmp_path / "o")):
        with pytest.raises(msao.InputError, match="a NUL character at byte"):
            call()
    with pytest.raises(msao.InputError, match="NUL"):
        msao.check(QUICKSTART, set=["run.seed=3\x00junk"])


@pytest.mark.parametrize("jobs", [-1, -3, 2**40, 2**80])
def test_jobs_out_of_range_is_a_value_error_with_the_cli_bound(jobs, tmp_path):
    expected = f"jobs: found '{jobs}', expected a whole number from 0 to 4096 (runs at once; 0: one per core)"
    with pytest.raises(ValueError) as e:
        msao.compare(QUICKSTART, policies=["cloud-only"], jobs=jobs)
    assert str(e.value) == expected
    with pytest.raises(ValueError) as e:
        msao.sweep({"base": QUICKSTART, "axes": [{"key": "run.seed", "values": [1]}]}, jobs=jobs, out=tmp_path / "sw")
    assert str(e.value) == expected
    assert not (tmp_path / "sw" / "results.sqlite").exists()
    # The CLI says the same of --jobs.
    binary = os.environ.get("MSAO_BINARY") or os.path.join(ROOT, "build", "msao")
    if os.path.exists(binary):
        r = subprocess.run([binary, "compare", QUICKSTART, "--jobs", str(jobs)], capture_output=True, text=True)
        assert r.returncode == 2
        assert r.stderr == "error: command line: --" + expected + "\n"
