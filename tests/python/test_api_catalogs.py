"""The API's newer entry points: tune, reproduce, trace_gen, the catalogs,
run from a dict, RunResult.row, numeric axes, __version__ and overrides=."""
import json
import os
import re
import warnings

import pandas as pd
import pytest

import msao
from conftest import QUICKSTART, ROOT, SMALL


def test_version_matches_cli_and_summary(cli):
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", msao.__version__)
    assert cli("--version").stdout.strip() == f"msao {msao.__version__} (commit {msao.git_commit})"
    r = msao.run(QUICKSTART, overrides=SMALL)
    assert r.summary["msao_version"] == msao.__version__ and r.summary["git_commit"] == msao.git_commit


def test_run_from_a_dict_equals_run_from_its_file(tmp_path):
    import yaml  # python3-yaml: scripts/setup installs it
    with open(QUICKSTART) as f:
        spec = yaml.safe_load(f)
    cwd = os.getcwd()
    os.chdir(os.path.dirname(QUICKSTART))  # the dict's relative paths are taken from here
    try:
        from_dict = msao.run(spec, overrides=SMALL, seed=2)
    finally:
        os.chdir(cwd)
    from_file = msao.run(QUICKSTART, overrides=SMALL, seed=2)
    assert from_dict.summary == from_file.summary or \
        {k: v for k, v in from_dict.summary.items() if k != "wall_time_s"} == \
        {k: v for k, v in from_file.summary.items() if k != "wall_time_s"}
    assert from_dict.scenario == "<scenario dict>"
    bad = dict(spec, run=dict(spec["run"], seed="x"))
    with pytest.raises(msao.InputError, match=r"^<scenario dict>"):
        msao.check(bad)
    assert not [p for p in os.listdir(".") if p.startswith(".msao-")]  # the temporary file is gone


def test_row_is_flat_with_numeric_overrides():
    r = msao.run(QUICKSTART, overrides={"workload.requests": 40, "platform.edges.0.uplink.bandwidth": "50Mbps",
                                        "policy.type": "msao"})
    row = r.row
    assert row["platform.edges.0.uplink.bandwidth_Mbps"] == 50.0 and row["policy.type"] == "msao"
    assert row["workload.requests"] == 40
    assert row["latency_ms_mean"] == r.summary["latency_ms"]["mean"] and "latency_ms" not in row
    assert all(not isinstance(v, dict) for v in row.values()) and "git_commit" not in row


def test_numeric_axes_keeps_mixed_and_text_columns():
    df = pd.DataFrame({"a": ["10Mbps", "20Mbps"], "b": ["10Mbps", "20ms"], "policy.type": ["msao", "x"], "m": [1.0, 2.0]})
    out = msao.numeric_axes(df)
    assert list(out.columns) == ["a_Mbps", "b", "policy.type", "m"]
    assert out["a_Mbps"].tolist() == [10.0, 20.0] and out["b"].tolist() == ["10Mbps", "20ms"]


def test_set_keyword_still_works_with_a_warning():
    with pytest.warns(DeprecationWarning, match="overrides="):
        text = msao.check(QUICKSTART, set={"run.seed": 5})
    assert "seed: 5" in text
    with pytest.raises(TypeError, match="both"):
        msao.check(QUICKSTART, set={}, overrides={})
    with pytest.raises(TypeError, match="unexpected keyword argument 'sett'"):
        msao.check(QUICKSTART, sett={})


def test_catalogs_match_the_cli_lists(cli):
    for name, listed in (("hardware", msao.list_hardware()), ("models", msao.list_models()),
                         ("serving", msao.list_serving())):
        names = [line.split()[0] for line in cli("list", name).stdout.splitlines()[1:] if line.strip()]
        assert [e["name"] for e in listed] == names, name
    gpu = {h["name"]: h for h in msao.list_hardware()}["a100-40gb"]
    assert gpu["mem_gb"] > 39 and gpu["tflops"] > 100
    models = {m["name"]: m for m in msao.list_models()}
    assert all(m["weights_gb"] > 0 for m in models.values())
    # Text-only LLMs have no encoder; the VLMs name theirs.
    assert models["llama-2-7b"]["modalities"] == [] and "image" in models["qwen2.5-vl-7b"]["modalities"]


def test_trace_gen_equals_cli(cli, tmp_path):
    df = msao.trace_gen("vqav2", n=25, seed=4, out=tmp_path / "py.csv")
    cli("trace", "gen", "--dataset", "vqav2", "--n", 25, "--seed", 4, "-o", tmp_path / "cli.csv")
    assert (tmp_path / "py.csv").read_bytes() == (tmp_path / "cli.csv").read_bytes()
    assert len(df) == 25 and set(df.dataset) == {"vqav2"}


def test_tune_returns_the_history_and_held_out_check(tmp_path):
    spec = {"base": QUICKSTART, "set": ["workload.requests=30", "policy.type=cascade"],
            "params": [{"key": "policy.threshold", "min": 0.5, "max": 0.95}],
            "objective": {"metric": "latency_ms_mean", "goal": "minimize"}, "budget": 4, "method": "random",
            "eval_seeds": [11]}
    out = tmp_path / "t.json"
    t = msao.tune(spec, out=out, jobs=2)
    assert json.loads(out.read_text()) == t
    assert len(t["history"]) == 4 and t["best"]["eval"] in range(4)
    assert t["held_out"]["seeds"] == [11] and t["held_out"]["ok"]
    assert (tmp_path / "t.spec.json").exists()


def test_reproduce_small(tmp_path):
    r = msao.reproduce(out=tmp_path / "rep", requests=20, jobs=2)
    assert "| paper |" in r.report.replace("  ", " ") or "paper" in r.report
    assert len(r.runs) > 0 and r.figures == []
    assert any(c.endswith("_Mbps") for c in r.runs.columns)
