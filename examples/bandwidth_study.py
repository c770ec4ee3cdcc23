#!/usr/bin/env python3
"""How much does uplink bandwidth matter to each policy? A sweep over the
quickstart scenario's uplink (10 to 1000 Mbit/s) for msao, cloud-only and
edge-only, a table of mean latency and accuracy, and a figure.

    PYTHONPATH=build/python python3 examples/bandwidth_study.py [--out out/bw-study] [--jobs N]

The sweep is stored in OUT/results.sqlite as `msao sweep` stores it, so a
second call resumes (nothing is run again) and `scripts/plot OUT` works too.
"""
import argparse
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import msao  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BANDWIDTHS_MBPS = [10, 30, 100, 300, 1000]
POLICIES = ["msao", "cloud-only", "edge-only"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="out/bw-study", help="sweep folder (results.sqlite) and figure")
    ap.add_argument("--jobs", type=int, default=0, help="runs at once (0: one per core)")
    ap.add_argument("--requests", type=int, default=300, help="requests per run")
    a = ap.parse_args()

    spec = {
        "base": os.path.join(ROOT, "platforms", "scenarios", "quickstart.yaml"),
        "set": [f"workload.requests={a.requests}"],
        "mode": "grid",
        "seed": 1,
        "axes": [
            {"key": "policy.type", "values": POLICIES},
            {"key": "platform.edges.0.uplink.bandwidth", "values": [f"{b}Mbps" for b in BANDWIDTHS_MBPS]},
        ],
    }
    runs = msao.sweep(spec, jobs=a.jobs, out=a.out, resume=True)
    runs["mbps"] = runs["platform.edges.0.uplink.bandwidth_Mbps"]  # a number: the unit is in the column name

    table = runs.pivot_table(index="mbps", columns="policy.type", values=["latency_ms_mean", "accuracy"])
    print(table.round(3).to_string())

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for policy, g in runs.sort_values("mbps").groupby("policy.type"):
        ax.plot(g.mbps, g.latency_ms_mean, marker="o", label=policy)
    ax.set_xscale("log")
    ax.set_xlabel("uplink bandwidth (Mbit/s)")
    ax.set_ylabel("mean end-to-end latency (ms)")
    ax.set_title(f"Quickstart, {a.requests} requests per run")
    ax.grid(alpha=0.3)
    ax.legend(title="policy")
    fig.tight_layout()
    path = os.path.join(a.out, "latency_vs_bandwidth.png")
    fig.savefig(path, dpi=120)
    print(f"{len(runs)} runs ({runs.attrs['skipped']} already done); figure {path}")


if __name__ == "__main__":
    main()
