"""scripts/record-mas: per-request MAS measured on real media, written as MAS
trace v1 (traces/README.md). Usage and every input key: docs/mas-recorder.md.

For each JSONL row (a prompt with an image and/or a video):
  spatial  - the prompt's queries against the patch keys at an early block of
             the vision tower (mas_vit.VisionTower.patch_qk), reduced by the
             C++ kernels: patch_importance (softmax over patches, mean over
             heads and prompt words), then coverage_fraction (share of patches
             covering target_share of the mass). Video: its middle sampled frame.
  temporal - the per-frame embeddings hashed by the kernels' random-hyperplane
             LSH (FrameHasher); the share of frames whose hash differs from the
             last kept frame's in more than hamming_threshold bits. Image: 1.
  modal    - the kernels' modal_relevance: cosine of the mean prompt embedding
             and the mean frame embedding, clamped to [0, 1].
The parts are combined, quantized and written by the C++ trace writer
(combine_mas, correct_under_keep: workloads/mas.hpp), so the recorder and the
simulator share one definition of MAS. PyTorch only computes embeddings,
queries and keys.
"""
import argparse
import json
import math
import os
import re
import sys

from . import _msao, mas_media, mas_text

NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}$")
REQUIRED = ("prompt", "output_tokens", "edge_confidence", "edge_correct", "cloud_correct")
OPTIONAL = ("id", "image", "video", "prompt_tokens", "arrival_s", "edge", "dataset", "category", "prune_u",
            "draft_acceptance")
PROMPT_TEMPLATE_TOKENS = 30  # the vqav2 generator's chat template estimate (traces/README.md)


class InputError(Exception):
    """One line: FILE[:LINE]: key 'K': found X, expected Y (exit 2)."""

    def __init__(self, file, line, key, found, expected):
        where = f"{file}:{line}" if line else str(file)
        super().__init__(f"{where}: " + (f"key '{key}': " if key else "") + f"found {found}, expected {expected}")


def _number(row, key, file, line, lo, hi, integer=False, default=None):
    if key not in row:
        return default
    v = row[key]
    ok = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and lo <= v <= hi
    if integer:
        ok = ok and float(v).is_integer()
    if not ok:
        kind = "an integer" if integer else "a number"
        raise InputError(file, line, key, json.dumps(v), f"{kind} in [{lo}, {hi}]")
    return int(v) if integer else float(v)


def _flag(row, key, file, line):
    v = row[key]
    if v in (0, 1) and not isinstance(v, float):
        return bool(v)
    raise InputError(file, line, key, json.dumps(v), "true, false, 0 or 1")


def _name(row, key, file, line, default):
    v = row.get(key, default)
    if not isinstance(v, str) or not NAME.match(v):
        raise InputError(file, line, key, json.dumps(v), "a name of 1-64 characters from [A-Za-z0-9_.-]")
    return v


def read_prompts(path):
    """Validated rows (dicts) of the JSONL file, media paths resolved against its folder."""
    if not os.path.isfile(path):
        raise InputError(path, 0, "", "no such file", "a JSONL file of prompts")
    folder = os.path.dirname(os.path.abspath(path))
    rows, last_id, last_arrival = [], -1, 0.0
    with open(path, encoding="utf-8") as f:
        for line_no, text in enumerate(f, 1):
            if not text.strip():
                continue
            try:
                row = json.loads(text)
            except json.JSONDecodeError as e:
                raise InputError(path, line_no, "", f"invalid JSON ({e.msg})", "one JSON object per line")
            if not isinstance(row, dict):
                raise InputError(path, line_no, "", type(row).__name__, "a JSON object")
            for k in row:
                if k not in REQUIRED + OPTIONAL:
                    raise InputError(path, line_no, k, f"unknown key '{k}'", "one of " + ", ".join(REQUIRED + OPTIONAL))
            for k in REQUIRED:
                if k not in row:
                    raise InputError(path, line_no, k, "nothing", "a value (required)")
            r = {"line": line_no}
            if not isinstance(row["prompt"], str) or not mas_text.words(row["prompt"]):
                raise InputError(path, line_no, "prompt", json.dumps(row["prompt"]), "a prompt with at least one word")
            r["prompt"] = row["prompt"]
            r["id"] = _number(row, "id", path, line_no, 0, 2**62, True, last_id + 1)
            if r["id"] <= last_id:
                raise InputError(path, line_no, "id", r["id"], f"an id above the previous row's {last_id}")
            last_id = r["id"]
            r["arrival_s"] = _number(row, "arrival_s", path, line_no, 0, 1e9, default=last_arrival)
            if r["arrival_s"] < last_arrival:
                raise InputError(path, line_no, "arrival_s", r["arrival_s"], f"at least the previous row's {last_arrival}")
            last_arrival = r["arrival_s"]
            r["edge"] = _number(row, "edge", path, line_no, 0, 1000000, True, 0)
            r["dataset"] = _name(row, "dataset", path, line_no, "recorded")
            r["category"] = _name(row, "category", path, line_no, "recorded")
            words = len(mas_text.words(row["prompt"]))
            r["prompt_tokens"] = _number(row, "prompt_tokens", path, line_no, 0, 1000000, True,
                                         PROMPT_TEMPLATE_TOKENS + math.ceil(1.3 * words))
            r["output_tokens"] = _number(row, "output_tokens", path, line_no, 1, 1000000, True)
            r["edge_confidence"] = _number(row, "edge_confidence", path, line_no, 0, 1)
            r["edge_correct"] = _flag(row, "edge_correct", path, line_no)
            r["cloud_correct"] = _flag(row, "cloud_correct", path, line_no)
            r["prune_u"] = _number(row, "prune_u", path, line_no, 0, 0.999999)
            r["draft_acceptance"] = _number(row, "draft_acceptance", path, line_no, 0, 1)
            if "image" not in row and "video" not in row:
                raise InputError(path, line_no, "image", "neither image nor video", "a path to an image or a video")
            for kind in ("image", "video"):
                if kind in row:
                    p = row[kind]
                    if not isinstance(p, str) or not p:
                        raise InputError(path, line_no, kind, json.dumps(p), "a path to a media file")
                    p = p if os.path.isabs(p) else os.path.join(folder, p)
                    if not os.path.isfile(p):
                        raise InputError(path, line_no, kind, f"'{p}' (no such file)", "a media file")
                    try:
                        mas_media.probe(p)
                    except mas_media.MediaError as e:
                        raise InputError(path, line_no, kind, str(e), "an image or video ffmpeg reads")
                    r[kind] = p
            rows.append(r)
    if not rows:
        raise InputError(path, 0, "", "no rows", "at least one JSON object")
    return rows


# torch and the encoder are imported by record() once the prompts file has
# been read: importing torch takes seconds, and bad input should fail at once.

def measure(model, pixels, prompt_emb, opts):
    """MAS parts of one visual input: pixels [F, 3, S, S] (F = 1 for an image)."""
    import torch

    mid = pixels[len(pixels) // 2: len(pixels) // 2 + 1]
    q, K = model.patch_qk(mid, prompt_emb)
    spatial, _ = _msao.mas_spatial(q.cpu().numpy(), K.cpu().numpy(), opts.target_share)
    embs = torch.cat([model.embed(pixels[i: i + 16])[0] for i in range(0, len(pixels), 16)]).cpu().numpy()
    temporal = _msao.mas_temporal(embs, opts.lsh_bits, opts.hamming_threshold, opts.lsh_seed)
    modal = _msao.mas_modal(prompt_emb.cpu().numpy(), embs)
    return {"spatial": spatial, "temporal": temporal, "modal": modal}


def record(opts):
    rows = read_prompts(opts.prompts)
    import torch

    from . import mas_vit
    config = None
    if opts.config:
        try:
            with open(opts.config, encoding="utf-8") as f:
                config = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            raise InputError(opts.config, 0, "", str(e), "a JSON object of encoder config keys")
    if not os.path.isfile(opts.checkpoint):
        raise InputError(opts.checkpoint, 0, "", "no such file", "a vision tower checkpoint")
    try:
        model, table = mas_vit.load_checkpoint(opts.checkpoint, config, opts.key_map, opts.device)
    except mas_vit.ConfigError as e:
        raise InputError(opts.checkpoint, 0, "", str(e), "a checkpoint docs/mas-recorder.md describes")
    except Exception as e:  # torch.load's many ways to reject a file that is not a checkpoint
        raise InputError(opts.checkpoint, 0, "", f"a file torch.load rejects ({type(e).__name__}: {e})".replace("\n", " "),
                         "a checkpoint written by torch.save")
    dim, size = model.config["dim"], model.config["image_size"]
    if table is not None and table.shape[1] != dim:
        raise InputError(opts.checkpoint, 0, "text_embed.weight", f"width {table.shape[1]}", f"the tower's width {dim}")
    out_rows = []
    for r in rows:
        prompt_emb = mas_text.embed_prompt(r["prompt"], dim, table).to(opts.device)
        row = {k: r[k] for k in ("id", "arrival_s", "edge", "dataset", "category", "prompt_tokens", "output_tokens",
                                 "edge_confidence", "edge_correct", "cloud_correct", "prune_u", "draft_acceptance")}
        for kind in ("image", "video"):
            if kind not in r:
                continue
            try:
                if kind == "image":
                    px = mas_media.decode(r[kind], size, max_frames=1)
                    info = mas_media.describe_image(r[kind])
                else:
                    px = mas_media.decode(r[kind], size, opts.fps, opts.max_frames)
                    info = mas_media.describe_video(r[kind], len(px))
            except mas_media.MediaError as e:
                raise InputError(opts.prompts, r["line"], kind, str(e), "an image or video ffmpeg decodes")
            row[kind] = dict(info, **measure(model, torch.from_numpy(px).to(opts.device), prompt_emb, opts))
        out_rows.append(row)
    written = _msao.write_mas_trace(opts.out, out_rows, opts.seed)
    return out_rows, written


def parser():
    ap = argparse.ArgumentParser(prog="scripts/record-mas", description="Per-request MAS from real media, as MAS trace v1.")
    ap.add_argument("prompts", help="JSONL file: one request per line (docs/mas-recorder.md)")
    ap.add_argument("--checkpoint", required=True, help="vision tower checkpoint (msao-vit v1, or a state_dict with --config)")
    ap.add_argument("--config", help="JSON file of encoder config keys (required for a bare state_dict; overrides a msao-vit checkpoint's)")
    ap.add_argument("--key-map", default="msao", choices=["clip-hf", "msao", "qwen2-vl", "timm"],
                    help="state_dict key names (default msao; docs/mas-recorder.md)")
    ap.add_argument("--out", "-o", default="recorded-mas.csv", help="trace file to write (default recorded-mas.csv)")
    ap.add_argument("--target-share", type=float, default=0.9, help="attention mass the spatial part covers (default 0.9)")
    ap.add_argument("--lsh-bits", type=int, default=64, help="LSH hash bits (default 64)")
    ap.add_argument("--hamming-threshold", type=int, default=8, help="bits two kept frames must differ in (default 8)")
    ap.add_argument("--lsh-seed", type=int, default=0x5EED, help="seed of the LSH hyperplanes (default 24301)")
    ap.add_argument("--fps", type=float, default=2.0, help="video frames sampled per second (default 2)")
    ap.add_argument("--max-frames", type=int, default=64, help="most frames sampled from a video (default 64)")
    ap.add_argument("--seed", type=int, default=1, help="seed of prune_u, draft_acceptance, token_seed when a row lacks them (default 1)")
    ap.add_argument("--device", default="cpu", help="torch device (default cpu; e.g. cuda)")
    return ap


def check_options(o):
    checks = [("--target-share", o.target_share, 0 < o.target_share <= 1, "a share in (0, 1]"),
              ("--lsh-bits", o.lsh_bits, 1 <= o.lsh_bits <= 4096, "an integer in [1, 4096]"),
              ("--hamming-threshold", o.hamming_threshold, 0 <= o.hamming_threshold <= o.lsh_bits, "an integer in [0, --lsh-bits]"),
              ("--lsh-seed", o.lsh_seed, 0 <= o.lsh_seed < 2**64, "an integer in [0, 2^64)"),
              ("--fps", o.fps, 0 < o.fps <= 240, "a rate in (0, 240]"),
              ("--max-frames", o.max_frames, 1 <= o.max_frames <= 100000, "an integer in [1, 100000]"),
              ("--seed", o.seed, 0 <= o.seed < 2**64, "an integer in [0, 2^64)")]
    for flag, v, ok, expected in checks:
        if not (ok and math.isfinite(v)):
            raise InputError("command line", 0, flag, repr(v), expected)


def main(argv=None):
    opts = parser().parse_args(argv)
    try:
        check_options(opts)
        rows, _ = record(opts)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for kind in ("image", "video"):
        got = [r[kind] for r in rows if kind in r]
        if got:
            mean = {p: sum(g[p] for g in got) / len(got) for p in ("spatial", "temporal", "modal")}
            print(f"{kind}: {len(got)} requests, mean spatial {mean['spatial']:.4f} temporal {mean['temporal']:.4f} "
                  f"modal {mean['modal']:.4f}")
    print(f"wrote {len(rows)} requests to {opts.out} (MAS kernels: {_msao.kernel_backend()} backend)")
    return 0
