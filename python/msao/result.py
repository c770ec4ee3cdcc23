"""RunResult: one run's outputs, the same text `msao run` writes to its
files, parsed: summary.json as a dict, requests.csv as a DataFrame."""
import io
import json

import pandas as pd


class RunResult:
    def __init__(self, scenario, sets, requests_csv, summary_json, resolved_yaml, timeline_json, iterations_csv, rerun):
        self.scenario = scenario
        self.sets = list(sets)
        self.summary = json.loads(summary_json)
        # Every column of requests.csv, token-level ones included; empty cells (a stage that did not happen) are NaN.
        self.requests = pd.read_csv(io.StringIO(requests_csv))
        # The cloud's per-iteration log: iterations.csv, one row per batching iteration per replica.
        self.iterations = pd.read_csv(io.StringIO(iterations_csv))
        self.resolved_yaml = resolved_yaml  # scenario.resolved.yaml: defaults and overrides applied
        self._timeline_json = timeline_json or None
        self._rerun = rerun

    def timeline(self):
        """The run's spans (one per exec or transfer) as a DataFrame with
        track, name, request, start_s, end_s. A run made without
        timeline=True is run again with it: same inputs and seed, so the
        same run (the simulator is deterministic)."""
        if self._timeline_json is None:
            self._timeline_json = self._rerun()
        trace = json.loads(self._timeline_json)
        tracks = {e["tid"]: e["args"]["name"] for e in trace["traceEvents"] if e["ph"] == "M"}
        rows = [(tracks[e["tid"]], e["name"], e["args"]["request"], e["ts"] / 1e6, (e["ts"] + e["dur"]) / 1e6)
                for e in trace["traceEvents"] if e["ph"] == "X"]
        return pd.DataFrame(rows, columns=["track", "name", "request", "start_s", "end_s"])

    def __repr__(self):
        s = self.summary
        return (f"<RunResult {self.scenario}: {s.get('completed')} of {s.get('requests')} requests, "
                f"mean latency {s.get('latency_ms', {}).get('mean')} ms>")
