"""MSAO-Sim from Python: the C++ simulator's runs, comparisons, sweeps,
tuning, paper reproduction, traces and cost model, with results as dicts and
pandas DataFrames.

    import msao
    r = msao.run("platforms/scenarios/quickstart.yaml", overrides={"policy.type": "msao"}, seed=3)
    r.summary["latency_ms"]["mean"]; r.row["latency_ms_mean"]; r.requests.head(); r.timeline()
    msao.compare("platforms/scenarios/quickstart.yaml", policies=["msao", "cloud-only"])
    msao.sweep("platforms/scenarios/sweep-small.yaml", jobs=4)           # out/sweep
    msao.tune("platforms/scenarios/tune-msao.yaml", budget=12)           # out/tune.json, as a dict
    msao.reproduce(requests=200)                                         # out/reproduce
    msao.trace_gen("vqav2", n=1000, seed=1, out="my.csv")
    msao.cost("qwen2.5-vl-7b", "a100-40gb", image="640x480")
    msao.list_policies(); msao.list_hardware(); msao.list_models(); msao.list_serving()
    msao.check("platforms/scenarios/quickstart.yaml", overrides={"run.seed": 4})  # resolved YAML, nothing run

Each simulation runs in a forked child process (SimGrid allows one engine
per process), so any number of runs can be made from one interpreter.
Bad input raises msao.InputError (a ValueError) carrying the CLI's message:
file, line, key, what was found and what was expected.
"""
import sys

try:
    import pandas  # noqa: F401  (every table comes back as a DataFrame)
except ImportError:
    raise ImportError(
        f"the msao package needs pandas, which {sys.executable} (Python {sys.version.split()[0]}) cannot import: "
        "install Debian's python3-pandas (apt-get install python3-pandas) and use /usr/bin/python3, "
        "the interpreter the package was built for") from None

from ._msao import InputError, __version__, git_commit
from .api import (check, compare, cost, list_hardware, list_models, list_policies, list_serving, reproduce, run,
                  sweep, trace_gen, tune)
from .result import Reproduction, RunResult, numeric_axes

__all__ = ["InputError", "Reproduction", "RunResult", "__version__", "check", "compare", "cost", "git_commit",
           "list_hardware", "list_models", "list_policies", "list_serving", "numeric_axes", "reproduce", "run",
           "sweep", "trace_gen", "tune"]
