"""MSAO-Sim from Python: the C++ simulator's runs, comparisons, sweeps and
cost model, with results as dicts and pandas DataFrames.

    import msao
    r = msao.run("platforms/scenarios/quickstart.yaml", set={"policy.type": "msao"}, seed=3)
    r.summary["latency_ms"]["mean"]; r.requests.head(); r.timeline()
    msao.compare("platforms/scenarios/quickstart.yaml", policies=["msao", "cloud-only"])
    msao.sweep("platforms/scenarios/sweep-bandwidth.yaml", jobs=4, out="sweep-bw")
    msao.cost("qwen2.5-vl-7b", "a100-40gb", image="640x480")
    msao.list_policies()
    msao.check("platforms/scenarios/quickstart.yaml", set={"run.seed": 4})  # resolved YAML, nothing run

Each simulation runs in a forked child process (SimGrid allows one engine
per process), so any number of runs can be made from one interpreter.
Bad input raises msao.InputError (a ValueError) carrying the CLI's message:
file, line, key, what was found and what was expected.
"""
from ._msao import InputError
from .api import check, compare, cost, list_policies, run, sweep
from .result import RunResult

__all__ = ["InputError", "RunResult", "check", "compare", "cost", "list_policies", "run", "sweep"]
