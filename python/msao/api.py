"""The package's functions, each a thin layer over the C++ core (_msao)."""
import io
import json
import os

import pandas as pd

from . import _msao
from .overrides import set_args
from .result import RunResult


def run(scenario, set=None, seed=None, out=None, timeline=False):
    """Runs one scenario (`msao run`). set: {key: value} overrides; seed:
    run.seed; out: also write requests.csv, summary.json and
    scenario.resolved.yaml there; timeline: record the spans now (else
    result.timeline() runs again to get them)."""
    sets = set_args(set, seed)
    outputs = _msao.run(str(scenario), sets, bool(timeline), str(out or ""))
    return RunResult(scenario, sets, *outputs, rerun=lambda: _msao.run(str(scenario), sets, True, "")[3])


def check(scenario, set=None, seed=None):
    """Makes every check run would (`msao check`), without simulating, and
    returns the resolved configuration (scenario.resolved.yaml's text);
    raises InputError on bad input."""
    return _msao.check(str(scenario), set_args(set, seed))


def compare(scenario, policies=None, set=None, seed=None, jobs=0, out=None):
    """Runs the scenario once per policy on the same workload (`msao
    compare`) and returns its table (compare.csv) as a DataFrame, one row
    per policy. policies: names (default every registered policy); jobs:
    runs at once (0: one per core); out: also write `compare --out` files."""
    csv = _msao.compare(str(scenario), list(policies or []), set_args(set, seed), int(jobs), str(out or ""))
    return pd.read_csv(io.StringIO(csv))


def sweep(spec, jobs=0, out="sweep-out", resume=False, progress=False, allow_base_change=False):
    """Runs a sweep (`msao sweep`) into OUT/results.sqlite, the CLI's store,
    so resume=True skips runs already done there, and returns the results
    table (what `msao sweep export` writes) as a DataFrame; its .attrs hold
    the counts (total, ok, failed, skipped). spec: a sweep YAML file, or a
    dict of the same keys (saved as OUT/sweep.json; its relative paths are
    taken from the working directory)."""
    if isinstance(spec, dict):
        os.makedirs(out, exist_ok=True)
        path = os.path.join(out, "sweep.json")  # JSON is YAML: the CLI's reader takes it
        with open(path + ".tmp", "w") as f:
            json.dump(spec, f, indent=1)
        os.replace(path + ".tmp", path)
        spec = path
    csv, total, ok, failed, skipped = _msao.sweep(str(spec), str(out), int(jobs), bool(resume), bool(progress),
                                                  bool(allow_base_change))
    df = pd.read_csv(io.StringIO(csv))
    df.attrs.update(total=total, ok=ok, failed=failed, skipped=skipped)
    return df


def cost(model, hardware, image=None, frames=None, frame_size=None, audio_s=None, prompt_tokens=None,
         output_tokens=None, context=None, batch=None, profile=None):
    """Per-stage FLOPs, bytes, memory and time of one request (`msao cost
    --json`) as a dict; stages is a list of dicts. Arguments left None take
    the CLI's defaults."""
    args = ["cost", str(model), str(hardware), "--json"]
    options = {"--image": image, "--frames": frames, "--frame-size": frame_size, "--audio-s": audio_s,
               "--prompt-tokens": prompt_tokens, "--output-tokens": output_tokens, "--context": context,
               "--batch": batch, "--profile": profile}
    for flag, value in options.items():
        if value is not None:
            args += [flag, str(value)]
    return json.loads(_msao.cli(args))


def list_policies():
    """Every registered policy: name, description and params (name, default, min, max, help)."""
    return _msao.list_policies()
