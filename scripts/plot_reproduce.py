"""Figures of `msao reproduce paper` (called by scripts/plot when the runs
table has its `method` and `load` axes).

Every figure is drawn from runs of a single load (and a single serving
stack and dataset): nothing is averaged across loads. The rows each figure
is drawn from are written beside it as a CSV of the same name, and each
figure is listed with its caption in figures.tsv, which the report links.
"""
import os

BW = "platform.edges.0.uplink.bandwidth"
DS = "workload.dataset"
SERVING = "platform.serving"
PAPER_METHODS = ["cloud-only", "edge-only", "perllm", "msao"]
ABLATION = ["msao", "msao-no-mas", "msao-no-spec", "msao-neither", "cloud-only"]
# The paper's tokens/s, VQAv2 @ 400 Mbit/s (msao-notes.md), for the sequential measurement.
PAPER_TOKS = {"cloud-only": 35, "edge-only": 60, "perllm": 75, "msao": 128}
KEYS = [DS, BW, SERVING, "method", "load"]


def plot_reproduce(df, out, save, mbit_per_s):
    import matplotlib.pyplot as plt

    manifest = []
    df = df.copy()
    df["bw_mbps"] = df[BW].map(mbit_per_s)

    def emit(fig, name, caption, rows, cols):
        """The PNG, its data as CSV beside it (atomically), its manifest line."""
        save(fig, name + ".png")
        path = os.path.join(out, name + ".csv")
        rows[KEYS + [c for c in cols if c not in KEYS]].to_csv(path + ".tmp", index=False)
        os.replace(path + ".tmp", path)
        manifest.append((name + ".png", caption))

    def pick(serving, load, ds=None, bw=None, methods=None):
        s = df[(df[SERVING] == serving) & (df["load"] == load)]
        if ds is not None:
            s = s[s[DS] == ds]
        if bw is not None:
            s = s[s[BW] == bw]
        if methods is not None:
            s = s[s["method"].isin(methods)]
        return s

    def order(rows, methods):
        rows = rows.set_index("method")
        return rows.loc[[m for m in methods if m in rows.index]].reset_index()

    for serving in sorted(df[SERVING].unique()):
        for ds in sorted(df[DS].unique()):
            rows = pick(serving, "offered", ds=ds, methods=PAPER_METHODS)
            if len(rows):
                fig, ax = plt.subplots()
                for m in PAPER_METHODS:
                    g = rows[rows["method"] == m].sort_values("bw_mbps")
                    if len(g):
                        ax.plot(g["bw_mbps"], g["latency_ms_mean"], marker="o", label=m)
                ax.set_xlabel("uplink bandwidth (Mbit/s)")
                ax.set_ylabel("mean end-to-end latency (ms)")
                ax.set_title(f"Latency vs bandwidth: {ds}, {serving}, offered load", fontsize=10)
                ax.legend(title="method")
                emit(fig, f"latency_vs_bandwidth_{ds}_{serving}",
                     f"Mean latency vs uplink bandwidth, {ds}, {serving}, offered load", rows,
                     ["bw_mbps", "latency_ms_mean"])
            rows = pick(serving, "offered", ds=ds)
            if len(rows):
                fig, ax = plt.subplots()
                for m in PAPER_METHODS + ABLATION[1:4]:
                    g = rows[rows["method"] == m]
                    if len(g):
                        ax.scatter(g["latency_ms_mean"], 100 * g["accuracy"], label=m, alpha=0.8)
                ax.set_xlabel("mean end-to-end latency (ms)")
                ax.set_ylabel("accuracy (%)")
                ax.set_title(f"Accuracy vs latency (one point per uplink): {ds}, {serving}, offered load", fontsize=10)
                ax.legend(title="method", fontsize=8)
                emit(fig, f"pareto_{ds}_{serving}", f"Accuracy vs mean latency, {ds}, {serving}, offered load", rows,
                     ["latency_ms_mean", "accuracy"])

        rows = pick(serving, "offered", ds="vqav2", bw="200Mbps", methods=PAPER_METHODS)
        if len(rows) and "latency_cdf_ms" in rows:
            fig, ax = plt.subplots()
            for m in PAPER_METHODS:
                g = rows[rows["method"] == m]
                for s in g["latency_cdf_ms"].dropna():
                    q = [float(x) for x in s.split(",")]
                    if len(q) == 101:
                        ax.plot(q, [i / 100 for i in range(101)], label=m)
            ax.set_xscale("log")
            ax.set_xlabel("end-to-end latency (ms)")
            ax.set_ylabel("fraction of requests")
            ax.set_title(f"Latency CDF: vqav2 @ 200 Mbit/s, {serving}, offered load", fontsize=10)
            ax.legend(title="method", loc="lower right")
            emit(fig, f"latency_cdf_vqav2_200Mbps_{serving}", f"Latency CDF, VQAv2 @ 200 Mbit/s, {serving}, offered load",
                 rows, ["latency_cdf_ms"])

        for load in ("sequential", "saturated"):
            rows = order(pick(serving, load, ds="vqav2", bw="400Mbps", methods=PAPER_METHODS), PAPER_METHODS)
            if not len(rows):
                continue
            fig, ax = plt.subplots()
            x = range(len(rows))
            ax.bar([i - 0.2 for i in x], rows["throughput_tok_s"], width=0.4, label=f"simulated ({serving}, {load})")
            if load == "sequential":
                ax.bar([i + 0.2 for i in x], [PAPER_TOKS.get(m, float("nan")) for m in rows["method"]], width=0.4,
                       label="paper", hatch="//", color="none", edgecolor="black")
            ax.set_xticks(list(x))
            ax.set_xticklabels(rows["method"])
            ax.set_ylabel("tokens/s")
            ax.set_title(f"Throughput: vqav2 @ 400 Mbit/s, {serving}, {load} load", fontsize=10)
            ax.legend()
            emit(fig, f"throughput_vqav2_400Mbps_{serving}_{load}",
                 f"Throughput (output tokens / wall time), VQAv2 @ 400 Mbit/s, {serving}, {load} load", rows,
                 ["throughput_tok_s"])

        rows = order(pick(serving, "offered", ds="vqav2", bw="200Mbps"), PAPER_METHODS + ABLATION[1:4])
        if len(rows):
            fig, ax = plt.subplots()
            x = range(len(rows))
            ax.bar(x, rows["flops_edge"] / 1e12, label="edge")
            ax.bar(x, rows["flops_cloud"] / 1e12, bottom=rows["flops_edge"] / 1e12, label="cloud")
            ax.set_xticks(list(x))
            ax.set_xticklabels(rows["method"], rotation=20, fontsize=8)
            ax.set_ylabel("total FLOPs of the run (TFLOP)")
            ax.set_title(f"Compute: vqav2 @ 200 Mbit/s, {serving}, offered load", fontsize=10)
            ax.legend()
            emit(fig, f"flops_vqav2_200Mbps_{serving}", f"Total FLOPs, edge and cloud, VQAv2 @ 200 Mbit/s, {serving}, offered load",
                 rows, ["flops_edge", "flops_cloud"])

            fig, ax = plt.subplots(figsize=(10, 5))
            parts = ["weights", "kv", "activations", "runtime"]
            colors = ["#4c72b0", "#dd8452", "#55a868", "#8c8c8c"]
            labels, pos = [], 0
            for _, row in rows.iterrows():
                for side in ("edge", "cloud"):
                    bottom = 0.0
                    for p, c in zip(parts, colors):
                        v = row[f"memory_{side}_{p}_gb"]
                        ax.bar(pos, v, bottom=bottom, color=c, label=p if pos == 0 else None)
                        bottom += v
                    labels.append(f"{row['method']}\n{side}")
                    pos += 1
            ax.set_xticks(list(range(pos)))
            ax.set_xticklabels(labels, fontsize=7, rotation=45, ha="right")
            ax.set_ylabel("peak GPU memory (GB)")
            ax.set_title(f"Peak GPU memory by part: vqav2 @ 200 Mbit/s, {serving}, offered load", fontsize=10)
            ax.legend()
            emit(fig, f"memory_vqav2_200Mbps_{serving}",
                 f"Peak GPU memory per side (weights, KV, activations, runtime), VQAv2 @ 200 Mbit/s, {serving}, offered load",
                 rows, [f"memory_{s}_{p}_gb" for s in ("edge", "cloud") for p in parts])

        rows = order(pick(serving, "offered", ds="vqav2", bw="200Mbps", methods=ABLATION), ABLATION)
        if len(rows):
            fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 4))
            x = range(len(rows))
            a1.bar(x, rows["latency_ms_mean"])
            a1.set_ylabel("mean end-to-end latency (ms)")
            a2.bar(x, 100 * rows["accuracy"])
            a2.set_ylabel("accuracy (%)")
            a2.set_ylim(50, 80)
            for a in (a1, a2):
                a.set_xticks(list(x))
                a.set_xticklabels(rows["method"], rotation=25, fontsize=8)
            fig.suptitle(f"msao ablations: vqav2 @ 200 Mbit/s, {serving}, offered load", fontsize=10)
            emit(fig, f"ablation_vqav2_200Mbps_{serving}",
                 f"msao without MAS, without speculative scheduling, without both: VQAv2 @ 200 Mbit/s, {serving}, offered load",
                 rows, ["latency_ms_mean", "accuracy"])

    path = os.path.join(out, "figures.tsv")
    with open(path + ".tmp", "w") as f:
        for name, caption in manifest:
            f.write(f"{name}\t{caption}\n")
    os.replace(path + ".tmp", path)
