"""What the package's functions return: RunResult (one run's outputs, the
same text `msao run` writes to its files, parsed), Reproduction (`msao
reproduce paper`'s folder) and numeric_axes (a sweep table's quantities
as numbers)."""
from __future__ import annotations

import dataclasses
import io
import json
import re
from typing import Any, Callable, Optional

import pandas as pd

# "21.5443Mbps", "20ms", "24GB": a number and a unit, nothing else.
_QUANTITY = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z][A-Za-z/]*)\s*$")


def _split_quantity(value: Any) -> Optional[tuple[float, str]]:
    m = _QUANTITY.match(value) if isinstance(value, str) else None
    return (float(m.group(1)), m.group(2)) if m else None


def numeric_axes(df: pd.DataFrame) -> pd.DataFrame:
    """Returns df with each column whose values are all quantities in one
    unit ("21.5443Mbps", "300Mbps") as a float column named with its unit
    ("platform.edges.0.uplink.bandwidth_Mbps": 21.5443, 300.0), in place of
    the text column. Other columns are left as they are. msao.sweep applies
    it; apply it to a table read from `msao sweep export` to get the same
    columns."""
    out = df.copy()
    renames = {}
    for col in df.columns:
        if df[col].dtype != object:
            continue
        values = df[col].dropna()
        parts = [_split_quantity(v) for v in values]
        if not parts or any(p is None for p in parts) or len({p[1] for p in parts}) != 1:
            continue
        unit = parts[0][1]
        out[col] = df[col].map(lambda v: _split_quantity(v)[0] if isinstance(v, str) else v).astype(float)
        renames[col] = f"{col}_{unit}"
    return out.rename(columns=renames)


def flat_summary(summary: dict[str, Any]) -> dict[str, Any]:
    """Returns summary.json flattened as a sweep's row names its metrics:
    latency_ms.mean becomes latency_ms_mean; the version fields are left out."""
    row = {}
    for k, v in summary.items():
        if k in ("msao_version", "git_commit"):
            continue
        if isinstance(v, dict):
            for sub, x in v.items():
                row[f"{k}_{sub}"] = x
        else:
            row[k] = v
    return row


class RunResult:
    """One simulation's outputs (`msao run`), parsed.

    Attributes:
        scenario: the scenario file it ran (or the file a dict was saved to).
        sets: the overrides applied, as "key=value" strings (the seed last).
        summary: summary.json as a dict (nested: latency_ms["mean"], ...).
        requests: requests.csv as a DataFrame, one row per request, every column.
        iterations: iterations.csv as a DataFrame, one row per cloud batching iteration.
        resolved_yaml: scenario.resolved.yaml's text (defaults and overrides applied).
    """

    def __init__(self, scenario: str, sets: list[str], requests_csv: str, summary_json: str, resolved_yaml: str,
                 timeline_json: str, iterations_csv: str, rerun: Callable[[], str]):
        self.scenario = str(scenario)
        self.sets = list(sets)
        self.summary: dict[str, Any] = json.loads(summary_json)
        # Every column of requests.csv, token-level ones included; empty cells (a stage that did not happen) are NaN.
        self.requests: pd.DataFrame = pd.read_csv(io.StringIO(requests_csv))
        self.iterations: pd.DataFrame = pd.read_csv(io.StringIO(iterations_csv))
        self.resolved_yaml: str = resolved_yaml
        self._timeline_json = timeline_json or None
        self._rerun = rerun

    @property
    def row(self) -> dict[str, Any]:
        """Returns the run as one flat row, as a sweep's results table has
        it: each override's key (quantities as numbers, the unit in the
        name: platform.edges.0.uplink.bandwidth_Mbps) then every summary
        metric (latency_ms_mean, accuracy, ...). pd.DataFrame([r.row for r
        in runs]) is a table of several runs."""
        overrides = {}
        for s in self.sets:
            key, _, value = s.partition("=")
            q = _split_quantity(value)
            if q is not None:
                overrides[f"{key}_{q[1]}"] = q[0]
            else:
                try:
                    overrides[key] = float(value) if "." in value or "e" in value.lower() else int(value)
                except ValueError:
                    overrides[key] = value
        return {**overrides, **flat_summary(self.summary)}

    def timeline(self) -> pd.DataFrame:
        """Returns the run's spans (one per exec or transfer) as a DataFrame
        with track, name, request, start_s, end_s. A run made without
        timeline=True is run again with it: same inputs and seed, so the
        same run (the simulator is deterministic)."""
        if self._timeline_json is None:
            self._timeline_json = self._rerun()
        trace = json.loads(self._timeline_json)
        tracks = {e["tid"]: e["args"]["name"] for e in trace["traceEvents"] if e["ph"] == "M"}
        rows = [(tracks[e["tid"]], e["name"], e["args"]["request"], e["ts"] / 1e6, (e["ts"] + e["dur"]) / 1e6)
                for e in trace["traceEvents"] if e["ph"] == "X"]
        return pd.DataFrame(rows, columns=["track", "name", "request", "start_s", "end_s"])

    def __repr__(self) -> str:
        s = self.summary
        return (f"<RunResult {self.scenario}: {s.get('completed')} of {s.get('requests')} requests, "
                f"mean latency {s.get('latency_ms', {}).get('mean')} ms>")


@dataclasses.dataclass
class Reproduction:
    """`msao reproduce paper`'s results.

    Attributes:
        out: the folder (results.sqlite, report.md, figures/).
        report: report.md's text: each paper figure beside the simulated one, and the verdict.
        runs: every run as a DataFrame (the table `msao sweep export` writes, numeric_axes applied).
        figures: paths of the figures drawn (empty with plots=False or without matplotlib).
    """
    out: str
    report: str
    runs: pd.DataFrame
    figures: list[str]
