"""The package's functions, each a thin layer over the C++ core (_msao):
the same validation, the same files and the same numbers as the CLI
command it is named after."""
from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from typing import Any, Iterator, Mapping, Optional, Sequence, Union

import pandas as pd

from . import _msao
from .overrides import Overrides, set_args, take_overrides
from .result import Reproduction, RunResult, numeric_axes

PathLike = Union[str, "os.PathLike[str]"]
Spec = Union[PathLike, Mapping[str, Any]]


@contextlib.contextmanager
def _as_file(spec: Spec, what: str) -> Iterator[str]:
    """Yields a path for spec: the path itself, or a dict saved as JSON (JSON
    is YAML: the CLI's reader takes it) in a temporary file in the working
    directory, so that its relative paths are taken from there. An
    InputError about that file names "<WHAT dict>" instead."""
    if not isinstance(spec, Mapping):
        yield str(spec)
        return
    fd, path = tempfile.mkstemp(prefix=".msao-", suffix=".json", dir=".")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(spec, f, indent=1)
        try:
            yield path
        except InputError as e:
            raise InputError(str(e).replace(path, f"<{what} dict>")) from None
    finally:
        os.unlink(path)


InputError = _msao.InputError


def run(scenario: Spec, overrides: Overrides = None, seed: Optional[int] = None, out: Optional[PathLike] = None,
        timeline: bool = False, **legacy: Any) -> RunResult:
    """Runs one scenario (`msao run`).

    Args:
        scenario: a scenario YAML file, or a dict of the same keys (relative
            paths in it are taken from the working directory).
        overrides: {key: value} applied on top, as `--set key=value`.
        seed: run.seed.
        out: also write requests.csv, iterations.csv, summary.json and
            scenario.resolved.yaml into this folder.
        timeline: record the spans now (otherwise result.timeline() runs
            the same simulation again to get them).

    Returns:
        RunResult: .summary (dict), .row (flat dict), .requests and
        .iterations (DataFrames), .resolved_yaml, .timeline().

    Raises:
        InputError: bad input, with the file, line, key, what was found and expected.
    """
    sets = set_args(take_overrides(overrides, legacy, "run"), seed)
    with _as_file(scenario, "scenario") as path:
        outputs = _msao.run(path, sets, bool(timeline), str(out or ""))
    if isinstance(scenario, Mapping):
        def rerun() -> str:
            with _as_file(scenario, "scenario") as p:
                return _msao.run(p, sets, True, "")[3]
        name = "<scenario dict>"
    else:
        def rerun() -> str:
            return _msao.run(str(scenario), sets, True, "")[3]
        name = str(scenario)
    return RunResult(name, sets, *outputs, rerun=rerun)


def check(scenario: Spec, overrides: Overrides = None, seed: Optional[int] = None, **legacy: Any) -> str:
    """Makes every check a run would (`msao check`), without simulating.

    Returns:
        str: the resolved configuration (scenario.resolved.yaml's text).

    Raises:
        InputError: bad input.
    """
    sets = set_args(take_overrides(overrides, legacy, "check"), seed)
    with _as_file(scenario, "scenario") as path:
        return _msao.check(path, sets)


def compare(scenario: Spec, policies: Optional[Sequence[str]] = None, overrides: Overrides = None,
            seed: Optional[int] = None, jobs: int = 0, out: Optional[PathLike] = None, **legacy: Any) -> pd.DataFrame:
    """Runs the scenario once per policy on the same workload (`msao compare`).

    Args:
        policies: names (default: every registered policy).
        jobs: runs at once (0: one per core).
        out: also write `compare --out` files (a folder per policy, compare.csv).

    Returns:
        DataFrame: compare.csv, one row per policy.
    """
    sets = set_args(take_overrides(overrides, legacy, "compare"), seed)
    with _as_file(scenario, "scenario") as path:
        csv = _msao.compare(path, list(policies or []), sets, int(jobs), str(out or ""))
    return pd.read_csv(io.StringIO(csv))


def _sweep_file(spec: Spec, out: PathLike, name: str) -> str:
    """A sweep or tune spec as a path: a dict is saved as OUT/NAME (kept, so
    a resumed sweep finds the same spec)."""
    if not isinstance(spec, Mapping):
        return str(spec)
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, name)
    with open(path + ".tmp", "w") as f:
        json.dump(spec, f, indent=1)
    os.replace(path + ".tmp", path)
    return path


def sweep(spec: Spec, jobs: int = 0, out: PathLike = "out/sweep", resume: bool = False, progress: bool = False,
          allow_base_change: bool = False) -> pd.DataFrame:
    """Runs a sweep (`msao sweep`) into OUT/results.sqlite, the CLI's store,
    so resume=True skips runs already done there.

    Args:
        spec: a sweep YAML file, or a dict of the same keys (saved as
            OUT/sweep.json; its relative paths are taken from the working
            directory).
        jobs: runs at once (0: one per core).

    Returns:
        DataFrame: one row per run, the table `msao sweep export` writes,
        with quantity axes as numbers and the unit in the column name
        (numeric_axes: platform.edges.0.uplink.bandwidth_Mbps). Its .attrs
        hold the counts: total, ok, failed, skipped.
    """
    path = _sweep_file(spec, out, "sweep.json")
    csv, total, ok, failed, skipped = _msao.sweep(path, str(out), int(jobs), bool(resume), bool(progress),
                                                  bool(allow_base_change))
    df = numeric_axes(pd.read_csv(io.StringIO(csv)))
    df.attrs.update(total=total, ok=ok, failed=failed, skipped=skipped)
    return df


def tune(spec: Spec, out: PathLike = "out/tune.json", jobs: int = 0, budget: Optional[int] = None,
         method: Optional[str] = None, seed: Optional[int] = None,
         eval_seeds: Optional[Sequence[int]] = None) -> dict[str, Any]:
    """Tunes parameters by Bayesian optimisation (`msao tune`).

    Args:
        spec: a tune YAML file, or a dict of the same keys (saved beside
            OUT as NAME.spec.json).
        out: the JSON file for the best point and the history.
        jobs: simulations at once (0: one per core).
        budget, method, seed, eval_seeds: override the file's (see `msao tune --help`).

    Returns:
        dict: OUT's JSON: best (eval, params, metrics), held_out (the best
        point re-run on the held-out seeds, with its reference), history
        (each evaluation), reference, objective, constraints.

    Raises:
        InputError: bad input. RuntimeError: no feasible point was found
        (OUT still holds the history).
    """
    out = str(out)
    path = _sweep_file(spec, os.path.dirname(out) or ".", os.path.splitext(os.path.basename(out))[0] + ".spec.json")
    args = ["tune", path, "--out", out, "--jobs", str(int(jobs)), "--quiet"]
    for flag, value in (("--budget", budget), ("--method", method), ("--seed", seed)):
        if value is not None:
            args += [flag, str(value)]
    if eval_seeds is not None:
        args += ["--eval-seeds", ",".join(str(int(s)) for s in eval_seeds)]
    _msao.cli(args)
    with open(out) as f:
        return json.load(f)


def reproduce(out: PathLike = "out/reproduce", requests: Optional[int] = None, jobs: int = 0, plots: bool = False,
              resume: bool = False) -> Reproduction:
    """Reproduces the MSAO paper's figures (`msao reproduce paper`).

    Args:
        requests: requests per run (default: the paper scenario's).
        plots: draw the figures (needs matplotlib).
        resume: keep the runs already in OUT.

    Returns:
        Reproduction: .report (report.md: paper against simulated, and the
        verdict), .runs (every run), .figures, .out.
    """
    out = str(out)
    args = ["reproduce", "paper", "--out", out, "--jobs", str(int(jobs)), "--quiet"]
    if requests is not None:
        args += ["--requests", str(int(requests))]
    if not plots:
        args.append("--no-plots")
    if resume:
        args.append("--resume")
    _msao.cli(args)
    with open(os.path.join(out, "report.md")) as f:
        report = f.read()
    runs = numeric_axes(pd.read_csv(io.StringIO(_msao.export_csv(os.path.join(out, "results.sqlite")))))
    figures = []
    manifest = os.path.join(out, "figures", "figures.tsv")
    if plots and os.path.exists(manifest):
        with open(manifest) as f:
            figures = [os.path.join(out, "figures", line.split("\t")[0]) for line in f if "\t" in line]
    return Reproduction(out=out, report=report, runs=runs, figures=figures)


def trace_gen(dataset: str, n: int, seed: int = 1, out: Optional[PathLike] = None, rate_rps: Optional[float] = None,
              edges: Optional[int] = None) -> pd.DataFrame:
    """Generates a MAS trace (`msao trace gen`): requests shaped like a dataset.

    Args:
        dataset: vqav2, mmbench, video-qa, coco-caption, detail-description, mm-vet or video-caption.
        n: requests.
        out: the CSV to write (default out/traces/DATASET-nN-seedS.csv).
        rate_rps: fill Poisson arrivals at this rate per edge (default: arrivals left at 0).
        edges: edges for rate_rps.

    Returns:
        DataFrame: the trace as written.
    """
    out = str(out or os.path.join("out", "traces", f"{dataset}-n{int(n)}-seed{int(seed)}.csv"))
    if os.path.dirname(out):
        os.makedirs(os.path.dirname(out), exist_ok=True)
    args = ["trace", "gen", "--dataset", str(dataset), "--n", str(int(n)), "--seed", str(int(seed)), "-o", out]
    if rate_rps is not None:
        args += ["--rate-rps", str(float(rate_rps))]
    if edges is not None:
        args += ["--edges", str(int(edges))]
    _msao.cli(args)
    return pd.read_csv(out, comment="#")


def cost(model: str, hardware: str, image: Optional[str] = None, frames: Optional[int] = None,
         frame_size: Optional[str] = None, audio_s: Optional[float] = None, prompt_tokens: Optional[int] = None,
         output_tokens: Optional[int] = None, context: Optional[int] = None, batch: Optional[int] = None,
         profile: Optional[str] = None) -> dict[str, Any]:
    """Per-stage FLOPs, bytes, memory and time of one request (`msao cost --json`).

    Arguments left None take the CLI's defaults.

    Returns:
        dict: model, hardware, weight_bytes, kv_bytes_per_token,
        request_seconds, and stages (a list of dicts: stage, tokens, flops,
        bytes, mem_bytes, seconds, bound).
    """
    args = ["cost", str(model), str(hardware), "--json"]
    options = {"--image": image, "--frames": frames, "--frame-size": frame_size, "--audio-s": audio_s,
               "--prompt-tokens": prompt_tokens, "--output-tokens": output_tokens, "--context": context,
               "--batch": batch, "--profile": profile}
    for flag, value in options.items():
        if value is not None:
            args += [flag, str(value)]
    return json.loads(_msao.cli(args))


def list_policies() -> list[dict[str, Any]]:
    """Returns every registered policy: name, description and params (name, default, min, max, help)."""
    return _msao.list_policies()


def list_hardware() -> list[dict[str, Any]]:
    """Returns the hardware catalog (platforms/hardware): name, tflops,
    mem_bw_gb_s, mem_gb, eff_compute, eff_memory, idle_w, busy_w, description."""
    return _msao.list_hardware()


def list_models() -> list[dict[str, Any]]:
    """Returns the model catalog (platforms/models): name, precision,
    weights_gb, kv_kb_per_token, modalities, description."""
    return _msao.list_models()


def list_serving() -> list[dict[str, Any]]:
    """Returns the serving stacks (platforms/serving): name,
    continuous_batching, layer_dispatch_ms, encoder_layer_dispatch_ms,
    multimodal_step_dispatch_ms, runtime_gb, description."""
    return _msao.list_serving()
