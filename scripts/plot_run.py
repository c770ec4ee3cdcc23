"""Figures of one run (`msao run --out DIR`), drawn by `scripts/plot DIR`
from DIR/requests.csv:

  latency_cdf.png         end-to-end latency CDF of completed requests
  latency_histogram.png   their latency histogram
  latency_over_time.png   each request's latency against its arrival time
  placement.png           where requests were answered (answered_by), per decision
  bytes_over_time.png     uplink and downlink bytes per second of simulated time
"""
import os


def is_run_dir(path):
    return os.path.isdir(path) and os.path.exists(os.path.join(path, "requests.csv"))


def run_title(run_dir):
    """"msao, rtx3090 + a100-40gb, 300Mbps, vqav2": the run's policy, edge
    and cloud hardware, first uplink and dataset, from its
    scenario.resolved.yaml (the folder's name when that is missing)."""
    path = os.path.join(run_dir, "scenario.resolved.yaml")
    try:
        import yaml
        with open(path) as f:
            sc = yaml.safe_load(f)
        edge = sc["platform"]["edges"][0]
        parts = [sc["policy"]["type"], f"{edge['hardware']} + {sc['platform']['cloud']['hardware']}",
                 str(edge.get("uplink", {}).get("bandwidth", "")), str(sc["workload"].get("dataset", ""))]
        return ", ".join(p for p in parts if p)
    except (OSError, ImportError, KeyError, IndexError, TypeError):
        return os.path.basename(os.path.abspath(run_dir))


def plot_run(run_dir, save):
    """Draws the figures above; save(fig, name) writes each one."""
    import matplotlib.pyplot as plt
    import pandas as pd

    df = pd.read_csv(os.path.join(run_dir, "requests.csv"))
    done = df[df.status == "completed"].copy()
    done["latency_ms"] = 1e3 * done.latency_s
    title = run_title(run_dir)

    if len(done):
        lat = done.latency_ms.sort_values()
        fig, ax = plt.subplots()
        ax.plot(lat.values, [(i + 1) / len(lat) for i in range(len(lat))])
        ax.set_xlabel("end-to-end latency (ms)")
        ax.set_ylabel("fraction of requests")
        ax.set_title(f"Latency CDF ({len(lat)} completed)\n{title}", fontsize=10)
        save(fig, "latency_cdf.png")

        fig, ax = plt.subplots()
        ax.hist(done.latency_ms, bins=min(60, max(10, len(done) // 20)))
        ax.set_xlabel("end-to-end latency (ms)")
        ax.set_ylabel("requests")
        ax.set_title(f"Latency histogram\n{title}", fontsize=10)
        save(fig, "latency_histogram.png")

        fig, ax = plt.subplots()
        ax.scatter(done.arrival_s, done.latency_ms, s=4, alpha=0.4, label="request")
        window = max(1, len(done) // 50)  # a rolling mean over 2% of the requests shows the trend
        trend = done.sort_values("arrival_s").latency_ms.rolling(window, min_periods=1).mean()
        ax.plot(done.sort_values("arrival_s").arrival_s, trend, color="black", lw=1, label=f"mean of {window}")
        ax.set_xlabel("arrival (simulated s)")
        ax.set_ylabel("end-to-end latency (ms)")
        ax.set_title(f"Latency over simulated time\n{title}", fontsize=10)
        ax.legend()
        save(fig, "latency_over_time.png")

    if len(df):
        counts = df.assign(answered_by=df.answered_by.fillna("none")).groupby(["decision", "answered_by"]).size()
        table = counts.unstack(fill_value=0)
        fig, ax = plt.subplots()
        table.plot.bar(stacked=True, ax=ax)
        ax.set_xlabel("policy decision")
        ax.set_ylabel("requests")
        ax.set_title(f"Where requests ran\n{title}", fontsize=10)
        ax.legend(title="answered by", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        save(fig, "placement.png")

        t = df.done_s.fillna(df.arrival_s)  # a request's bytes counted when it ended (or arrived, if it never did)
        step = max(t.max() / 100, 1e-3)
        bins = (t // step) * step
        per_s = df.groupby(bins)[["uplink_bytes", "downlink_bytes"]].sum() / step / 1e6
        fig, ax = plt.subplots()
        ax.plot(per_s.index, per_s.uplink_bytes, label="uplink")
        ax.plot(per_s.index, per_s.downlink_bytes, label="downlink")
        ax.set_xlabel("simulated time (s)")
        ax.set_ylabel(f"MB/s (requests ending in each {step:.3g} s)")
        ax.set_ylim(bottom=0)  # bytes are never negative, even when none moved
        if not (per_s.uplink_bytes.any() or per_s.downlink_bytes.any()):
            ax.set_ylim(0, 1)
            ax.text(0.5, 0.5, "no bytes crossed the network", transform=ax.transAxes, ha="center", va="center")
        ax.set_title(f"Bytes over time\n{title}", fontsize=10)
        ax.legend()
        save(fig, "bytes_over_time.png")
