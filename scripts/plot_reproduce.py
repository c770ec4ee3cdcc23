"""Figures of `msao reproduce paper` (called by scripts/plot when the runs
table has its `method` and `load` axes).

Every figure is drawn from runs of a single load (and a single serving
stack and dataset): nothing is averaged across loads. The rows each figure
is drawn from are written beside it as a CSV of the same name, and each
figure is listed with its caption in figures.tsv, which the report links.
"""
import json
import os

BW = "platform.edges.0.uplink.bandwidth"
DS = "workload.dataset"
SERVING = "platform.serving"
PAPER_METHODS = ["cloud-only", "edge-only", "perllm", "msao"]
ABLATION = ["msao", "msao-no-mas", "msao-uniform-prune", "msao-no-spec", "msao-neither", "cloud-only"]
# The paper's own figures (arXiv 2604.02945), drawn beside the simulated
# ones: platforms/paper/msao.json, the file the report reads too.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "platforms", "paper", "msao.json")) as _f:
    _PAPER = json.load(_f)
# tokens/s, VQAv2 @ 400 Mbit/s (the sequential measurement):
PAPER_TOKS = _PAPER["tokens_per_s"]["vqav2@400Mbps"]
# accuracy (%), VQAv2 @ 200 Mbit/s and MMBench @ 400 Mbit/s:
PAPER_ACC = {tuple(k.split("@")): v for k, v in _PAPER["accuracy_pct"].items()}
# peak GPU memory (GB), side not stated (compared with the larger side):
PAPER_MEM = _PAPER["peak_memory_gb_at_200Mbps"]
# ablations, relative to full msao: speculation off +48% latency; MAS off
# -6.8 accuracy points on VQAv2 (the paper does not say which reading of
# "MAS off": both of ours carry the mark).
PAPER_NO_SPEC_LATENCY = 1 + _PAPER["ablations"]["speculation_off_latency_higher_pct"] / 100
PAPER_NO_MAS_ACC_DROP = _PAPER["ablations"]["mas_off_accuracy_points_lost"]["vqav2@200Mbps"]
KEYS = [DS, BW, SERVING, "method", "load"]


def plot_reproduce(df, out, save, mbit_per_s):
    import matplotlib.pyplot as plt

    from plot_style import legend_outside, series_styles, styled
    styles = series_styles(set(df["method"]) | set(PAPER_METHODS) | set(ABLATION))

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
                        ax.plot(g["bw_mbps"], g["latency_ms_mean"], label=m, **styled(styles, m))
                ax.set_ylim(bottom=0)
                ax.set_xlabel("uplink bandwidth (Mbit/s)")
                ax.set_ylabel("mean end-to-end latency (ms)")
                ax.set_title(f"Latency vs bandwidth: {ds}, {serving}, offered load\n"
                             "(the paper gives reductions only: report.md compares them)", fontsize=10)
                legend_outside(ax, "method")
                emit(fig, f"latency_vs_bandwidth_{ds}_{serving}",
                     f"Mean latency vs uplink bandwidth, {ds}, {serving}, offered load", rows,
                     ["bw_mbps", "latency_ms_mean"])
            rows = pick(serving, "offered", ds=ds)
            if len(rows):
                fig, ax = plt.subplots()
                for m in PAPER_METHODS + ABLATION[1:4]:
                    g = rows[rows["method"] == m]
                    if len(g):
                        ax.scatter(g["latency_ms_mean"], 100 * g["accuracy"], label=m, alpha=0.8,
                                   **styled(styles, m, line=False))
                for (pds, _), acc in PAPER_ACC.items():
                    if pds != ds:
                        continue
                    for m, v in acc.items():
                        ax.axhline(v, color=styles[m]["color"], lw=1, ls="--", alpha=0.7)
                    ax.plot([], [], color="grey", lw=1, ls="--", label="paper's accuracy\n(same colour)")
                ax.set_xlabel("mean end-to-end latency (ms)")
                ax.set_ylabel("accuracy (%)")
                ax.set_title(f"Accuracy vs latency (one point per uplink): {ds}, {serving}, offered load", fontsize=10)
                legend_outside(ax, "method")
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
                        ax.plot(q, [i / 100 for i in range(101)], label=m, color=styles[m]["color"],
                                linestyle=styles[m]["linestyle"])
            ax.set_xscale("log")
            ax.set_xlabel("end-to-end latency (ms)")
            ax.set_ylabel("fraction of requests")
            ax.set_title(f"Latency CDF: vqav2 @ 200 Mbit/s, {serving}, offered load\n(the paper gives no CDF)",
                         fontsize=10)
            legend_outside(ax, "method")
            emit(fig, f"latency_cdf_vqav2_200Mbps_{serving}", f"Latency CDF, VQAv2 @ 200 Mbit/s, {serving}, offered load",
                 rows, ["latency_cdf_ms"])

        for (ds, bw), paper in PAPER_ACC.items():
            rows = order(pick(serving, "offered", ds=ds, bw=bw, methods=PAPER_METHODS), PAPER_METHODS)
            if not len(rows):
                continue
            fig, ax = plt.subplots()
            x = list(range(len(rows)))
            ax.bar([i - 0.2 for i in x], 100 * rows["accuracy"], width=0.4,
                   color=[styles[m]["color"] for m in rows["method"]], label=f"simulated ({serving})")
            ax.bar([i + 0.2 for i in x], [paper.get(m, float("nan")) for m in rows["method"]], width=0.4,
                   label="paper", hatch="//", color="none", edgecolor="black")
            ax.set_xticks(x)
            ax.set_xticklabels(rows["method"])
            ax.set_ylim(0, 100)
            ax.set_ylabel("accuracy (%)")
            ax.set_title(f"Accuracy against the paper's: {ds} @ {bw}, {serving}, offered load", fontsize=10)
            legend_outside(ax)
            emit(fig, f"accuracy_{ds}_{bw}_{serving}", f"Accuracy, simulated and the paper's, {ds} @ {bw}, {serving}, offered load",
                 rows, ["accuracy"])

        for load in ("sequential", "saturated"):
            rows = order(pick(serving, load, ds="vqav2", bw="400Mbps", methods=PAPER_METHODS), PAPER_METHODS)
            if not len(rows):
                continue
            fig, ax = plt.subplots()
            x = list(range(len(rows)))
            # The paper's figure is of one user (sequential): only there are its bars drawn beside ours;
            # otherwise our bars stand alone, centred on their ticks.
            paired = load == "sequential"
            shift, width = (0.2, 0.4) if paired else (0.0, 0.6)
            ax.bar([i - shift for i in x], rows["throughput_tok_s"], width=width,
                   color=[styles[m]["color"] for m in rows["method"]])
            if paired:
                ax.bar([i + shift for i in x], [PAPER_TOKS.get(m, float("nan")) for m in rows["method"]], width=width,
                       hatch="//", color="none", edgecolor="black")
                # Legend proxies: our bars take each method's colour, so a plain patch stands for all of them.
                from matplotlib.patches import Patch
                ax.legend(handles=[Patch(color="0.55", label=f"simulated ({serving})"),
                                   Patch(facecolor="none", edgecolor="black", hatch="//", label="paper")],
                          loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, fontsize=8, frameon=False)
            ax.set_xticks(x)
            ax.set_xticklabels(rows["method"])
            ax.set_xlim(-0.6, len(x) - 0.4)
            ax.set_ylabel("tokens/s")
            ax.set_title(f"Throughput: vqav2 @ 400 Mbit/s, {serving}, {load} load"
                         + ("" if paired else "\n(simulated; the paper reports one user only)"), fontsize=10)
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
            ax.set_title(f"Compute: vqav2 @ 200 Mbit/s, {serving}, offered load\n"
                         "(the paper gives reductions only: report.md compares them)", fontsize=10)
            legend_outside(ax)
            emit(fig, f"flops_vqav2_200Mbps_{serving}", f"Total FLOPs, edge and cloud, VQAv2 @ 200 Mbit/s, {serving}, offered load",
                 rows, ["flops_edge", "flops_cloud"])

            fig, ax = plt.subplots(figsize=(10, 5))
            parts = ["weights", "kv", "activations", "runtime"]
            colors = ["#4c72b0", "#dd8452", "#55a868", "#8c8c8c"]
            labels, pos, paper_drawn = [], 0, False
            for _, row in rows.iterrows():
                for side in ("edge", "cloud"):
                    bottom = 0.0
                    for p, c in zip(parts, colors):
                        v = row[f"memory_{side}_{p}_gb"]
                        ax.bar(pos, v, bottom=bottom, color=c, label=p if pos == 0 else None)
                        bottom += v
                    if side == "cloud" and row["method"] in PAPER_MEM:
                        # The paper's figure, side unstated, beside the larger of our two sides.
                        big = max(sum(row[f"memory_{s}_{p}_gb"] for p in parts) for s in ("edge", "cloud"))
                        ax.plot([pos - 1.4, pos + 0.4], [PAPER_MEM[row["method"]]] * 2, color="black", lw=2, ls="--",
                                label="paper (side not stated)" if not paper_drawn else None)
                        ax.annotate(f"paper {PAPER_MEM[row['method']]:g}\nours {big:.1f}", (pos - 0.5, PAPER_MEM[row["method"]]),
                                    textcoords="offset points", xytext=(0, 4), ha="center", fontsize=7)
                        paper_drawn = True
                    labels.append(f"{row['method']}\n{side}")
                    pos += 1
            ax.set_xticks(list(range(pos)))
            ax.set_xticklabels(labels, fontsize=7, rotation=45, ha="right")
            ax.set_ylabel("peak GPU memory (GB)")
            ax.set_title(f"Peak GPU memory by part: vqav2 @ 200 Mbit/s, {serving}, offered load", fontsize=10)
            legend_outside(ax, "part")
            emit(fig, f"memory_vqav2_200Mbps_{serving}",
                 f"Peak GPU memory per side (weights, KV, activations, runtime), VQAv2 @ 200 Mbit/s, {serving}, offered load",
                 rows, [f"memory_{s}_{p}_gb" for s in ("edge", "cloud") for p in parts])

        rows = order(pick(serving, "offered", ds="vqav2", bw="200Mbps", methods=ABLATION), ABLATION)
        if len(rows):
            fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 4))
            x = range(len(rows))
            colors = [styles[m]["color"] for m in rows["method"]]
            a1.bar(x, rows["latency_ms_mean"], color=colors)
            a1.set_ylabel("mean end-to-end latency (ms)")
            a2.bar(x, 100 * rows["accuracy"], color=colors)
            a2.set_ylabel("accuracy (%)")
            a2.set_ylim(0, 100)
            # The paper's ablations are relative to full msao: drawn where they put each variant given our msao.
            full = rows[rows["method"] == "msao"]
            if len(full):
                lat0, acc0 = float(full["latency_ms_mean"].iloc[0]), 100 * float(full["accuracy"].iloc[0])
                mark = dict(marker="D", s=60, facecolor="none", edgecolor="black", zorder=3, linewidths=1.5)
                for i, m in enumerate(rows["method"]):
                    if m == "msao-no-spec":
                        a1.scatter([i], [lat0 * PAPER_NO_SPEC_LATENCY], label=f"paper: msao +{100 * (PAPER_NO_SPEC_LATENCY - 1):.0f}%", **mark)
                    if m in ("msao-no-mas", "msao-uniform-prune"):
                        a2.scatter([i], [acc0 - PAPER_NO_MAS_ACC_DROP], label=f"paper: msao -{PAPER_NO_MAS_ACC_DROP:g} points" if m == "msao-no-mas" else None, **mark)
                for a in (a1, a2):  # above the axes: inside, the mark's label would sit on a bar
                    a.legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=7, frameon=False, borderaxespad=0.2)
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
