"""msao's Python results equal the CLI's files for the same inputs and seed."""
import json
import os

import pandas as pd
import pandas.testing as pdt
import pytest

import msao
from conftest import QUICKSTART, SMALL


def test_run_equals_cli_files(cli, tmp_path):
    r = msao.run(QUICKSTART, set=dict(SMALL, **{"policy.type": "msao"}), seed=3)
    cli("run", QUICKSTART, "--out", tmp_path, "--set", "workload.requests=40", "--set", "policy.type=msao",
        "--seed", 3)
    pdt.assert_frame_equal(r.requests, pd.read_csv(tmp_path / "requests.csv"))
    with open(tmp_path / "summary.json") as f:
        expected = json.load(f)
    for d in (expected, r.summary):
        d.pop("wall_time_s")  # the only field that is not a simulated quantity
    assert r.summary == expected
    assert r.resolved_yaml == (tmp_path / "scenario.resolved.yaml").read_text()
    assert len(r.requests) == 40 and "draft_tokens" in r.requests.columns
    pdt.assert_frame_equal(r.iterations, pd.read_csv(tmp_path / "iterations.csv"))
    assert len(r.iterations) > 0


def test_run_writes_out_and_timeline(tmp_path):
    r = msao.run(QUICKSTART, set=SMALL, out=tmp_path / "run")
    assert (tmp_path / "run" / "summary.json").exists()
    spans = r.timeline()  # recorded by running again: same run
    assert len(spans) > 0 and (spans.end_s >= spans.start_s).all()
    assert set(spans.request) <= set(r.requests.id)
    assert spans.end_s.max() <= r.requests.done_s.max() + 1e-9


def test_compare_equals_compare_csv(cli, tmp_path):
    df = msao.compare(QUICKSTART, policies=["cloud-only", "edge-only"], set=SMALL, jobs=2)
    cli("compare", QUICKSTART, "--policies", "cloud-only,edge-only", "--set", "workload.requests=40", "--out", tmp_path)
    pdt.assert_frame_equal(df, pd.read_csv(tmp_path / "compare.csv"))
    assert list(df.policy) == ["cloud-only", "edge-only"]
    assert df.loc[df.policy == "edge-only", "edge_answer_fraction"].item() == 1.0


def test_sweep_equals_cli_export_and_resumes(cli, tmp_path):
    spec = {"base": QUICKSTART, "set": ["workload.requests=30"], "mode": "grid", "seed": 1,
            "axes": [{"key": "policy.type", "values": ["cloud-only", "edge-only"]},
                     {"key": "platform.edges.0.uplink.bandwidth", "values": ["100Mbps", "300Mbps"]}]}
    df = msao.sweep(spec, jobs=2, out=tmp_path / "py")
    assert df.attrs["ok"] == 4 and len(df) == 4
    cli("sweep", tmp_path / "py" / "sweep.json", "--out", tmp_path / "cli", "--jobs", 2, "--quiet")
    cli("sweep", "export", tmp_path / "cli", "--csv", tmp_path / "cli.csv")
    drop = [c for c in df.columns if "wall" in c]
    pdt.assert_frame_equal(df.drop(columns=drop), msao.numeric_axes(pd.read_csv(tmp_path / "cli.csv")).drop(columns=drop))
    assert df["platform.edges.0.uplink.bandwidth_Mbps"].tolist() == [100.0, 300.0] * 2
    again = msao.sweep(spec, jobs=2, out=tmp_path / "py", resume=True)
    assert again.attrs["skipped"] == 4 and again.attrs["ok"] == 0


def test_cost_and_policies():
    c = msao.cost("qwen2.5-vl-7b", "a100-40gb", image="640x480", output_tokens=8)
    stages = {s["stage"]: s for s in c["stages"]}
    assert c["hardware"] and stages["prefill"]["flops"] > 0 and c["request_seconds"] > 0
    policies = {p["name"]: p for p in msao.list_policies()}
    assert "msao" in policies and "cloud-only" in policies
    assert any(p["name"] == "speculation" for p in policies["msao"]["params"])


def test_check_equals_cli_check(cli):
    text = msao.check(QUICKSTART, set={"policy.type": "msao"}, seed=9)
    assert text == cli("check", QUICKSTART, "--set", "policy.type=msao", "--seed", 9).stdout
    assert "seed: 9" in text


def test_bad_scenario_raises_with_file_and_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(open(QUICKSTART).read().replace("gpus: 1", "gpus: -4"))
    with pytest.raises(msao.InputError, match=r"bad\.yaml:\d+: key 'platform\.cloud\.gpus'"):
        msao.run(bad)
    with pytest.raises(msao.InputError, match=r"--set run\.seed=x"):
        msao.run(QUICKSTART, set={"run.seed": "x"})
    with pytest.raises(msao.InputError, match=r"--set platform\.edges\.3\.count=2: key 'platform\.edges\.3\.count'"):
        msao.check(QUICKSTART, set={"platform.edges.3.count": 2})
    with pytest.raises(ValueError, match="no such file"):
        msao.compare(tmp_path / "missing.yaml")
    with pytest.raises(msao.InputError, match="unknown name 'no-such-gpu'"):
        msao.cost("qwen2.5-vl-7b", "no-such-gpu")
