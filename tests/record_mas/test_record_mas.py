"""scripts/record-mas on real media the test makes with ffmpeg's test sources,
with a small ViT defined here (timm's key names, its own forward pass) saved
as a bare state_dict plus a config, so the recorder's key mapping and encoder
are checked against an independent implementation:

- a static video gives temporal MAS 1/F (its frames are the same picture:
  they embed alike, whatever the weights, up to H.264's coding noise, far
  below the LSH threshold) and a changing one a high share;
- the spatial part equals the hand-computed attention coverage for attention
  maps set in the encoder's weights (closed forms), and, for random weights,
  the coverage of this file's own softmax over its own queries and keys;
- the modal part is the clamped cosine of this file's own embeddings;
- the trace runs through `msao run` (exit 0, one request per row), the same
  inputs give the same bytes, and bad input exits 2 naming line and key.
"""
import json
import math
import os
import subprocess

import numpy as np
import pytest
import torch

from msao import mas_text

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RECORD = os.path.join(ROOT, "scripts", "record-mas")
QUICKSTART = os.path.join(ROOT, "platforms", "scenarios", "quickstart.yaml")
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]


class TinyViT(torch.nn.Module):
    """timm VisionTransformer names: patch_embed.proj, cls_token, pos_embed,
    blocks.i.{norm1, attn.qkv, attn.proj, norm2, mlp.fc1, mlp.fc2}, norm."""

    def __init__(self, size, patch, dim, depth, heads, mlp, cls=True):
        super().__init__()
        self.heads, self.cls, self.dim = heads, cls, dim
        self.patch_embed = torch.nn.Module()
        self.patch_embed.proj = torch.nn.Conv2d(3, dim, patch, patch)
        n = (size // patch) ** 2 + (1 if cls else 0)
        if cls:
            self.cls_token = torch.nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.pos_embed = torch.nn.Parameter(torch.randn(1, n, dim) * 0.02)
        self.blocks = torch.nn.ModuleList()
        for _ in range(depth):
            b = torch.nn.Module()
            b.norm1, b.norm2 = torch.nn.LayerNorm(dim, eps=1e-6), torch.nn.LayerNorm(dim, eps=1e-6)
            b.attn = torch.nn.Module()
            b.attn.qkv, b.attn.proj = torch.nn.Linear(dim, 3 * dim), torch.nn.Linear(dim, dim)
            b.mlp = torch.nn.Module()
            b.mlp.fc1, b.mlp.fc2 = torch.nn.Linear(dim, mlp), torch.nn.Linear(mlp, dim)
            self.blocks.append(b)
        self.norm = torch.nn.LayerNorm(dim, eps=1e-6)

    def tokens(self, px):
        x = (px - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)
        x = self.patch_embed.proj(x).flatten(2).transpose(1, 2)
        if self.cls:
            x = torch.cat([self.cls_token.expand(len(x), -1, -1), x], 1)
        return x + self.pos_embed

    def heads_of(self, t):
        B, N, D = t.shape
        return t.reshape(B, N, self.heads, D // self.heads).permute(0, 2, 1, 3)

    def block(self, b, x):
        q, k, v = map(self.heads_of, b.attn.qkv(b.norm1(x)).chunk(3, -1))
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]), -1) @ v
        x = x + b.attn.proj(a.permute(0, 2, 1, 3).reshape(x.shape))
        return x + b.mlp.fc2(torch.nn.functional.gelu(b.mlp.fc1(b.norm2(x))))


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


def decode(path, size, fps=None):
    vf = (f"fps={fps}," if fps else "") + f"scale={size}:{size}:flags=bicubic"
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-vf", vf,
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], check=True, capture_output=True).stdout
    a = np.frombuffer(raw, np.uint8).reshape(-1, size, size, 3).astype(np.float32) / 255
    return torch.from_numpy(a.transpose(0, 3, 1, 2).copy())


def coverage(importance, share=0.9):
    """The definition in words (workloads/mas.hpp): the smallest share of
    patches whose largest attention covers `share` of the total."""
    v = sorted(importance, reverse=True)
    total, cum = sum(v), 0.0
    for k, x in enumerate(v, 1):
        cum += x
        if cum >= share * total * (1 - 1e-6):
            return k / len(v)
    return 1.0


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    d = tmp_path_factory.mktemp("media")
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=96x64:rate=1", "-frames:v", "1", str(d / "testsrc.png"))
    ffmpeg("-f", "lavfi", "-i", "color=c=orange:size=80x60", "-frames:v", "1", str(d / "orange.jpg"))
    # Static: one test-source picture held for 4 s. Changing: the moving test source, its hue turning
    # half a circle a second (90 degrees between the frames sampled at 2 per second).
    ffmpeg("-loop", "1", "-i", str(d / "testsrc.png"), "-t", "4", "-r", "8", "-pix_fmt", "yuv420p", str(d / "static.mp4"))
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=96x64:rate=8:duration=4,hue=h=180*t:s=2", "-pix_fmt", "yuv420p",
           str(d / "changing.mp4"))
    return d


@pytest.fixture(scope="module")
def random_tower(tmp_path_factory):
    d = tmp_path_factory.mktemp("tower")
    torch.manual_seed(0)
    vit = TinyViT(size=32, patch=8, dim=32, depth=2, heads=2, mlp=64).eval()
    sd = dict(vit.state_dict())
    sd["text_embed.weight"] = torch.randn(64, 32)
    torch.save(sd, d / "tower.pt")
    cfg = {"image_size": 32, "patch_size": 8, "dim": 32, "depth": 2, "heads": 2, "mlp_dim": 64, "cls_token": True,
           "attn_layer": 1}
    (d / "config.json").write_text(json.dumps(cfg))
    return vit, sd["text_embed.weight"], d / "tower.pt", d / "config.json"


def record(tmp_path, rows, ckpt, config=None, extra=()):
    jl = tmp_path / "prompts.jsonl"
    jl.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "trace.csv"
    cmd = [RECORD, str(jl), "--checkpoint", str(ckpt), "--out", str(out), "--no-install", *extra]
    if config:
        cmd += ["--config", str(config), "--key-map", "timm"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    return r, out


def read_trace(path):
    lines = path.read_text().splitlines()
    assert lines[0] == "# msao-mas-trace v1"
    cols = lines[1].split(",")
    return [dict(zip(cols, line.split(","))) for line in lines[2:]]


def row(**kw):
    base = {"output_tokens": 3, "edge_confidence": 0.8, "edge_correct": 1, "cloud_correct": 1}
    base.update(kw)
    return base


def test_temporal_static_low_changing_high_and_modal_is_the_cosine(tmp_path, media, random_tower):
    vit, table, ckpt, cfg = random_tower
    prompt = "what happens in the clip"
    r, out = record(tmp_path, [row(prompt=prompt, video=str(media / "static.mp4")),
                               row(prompt=prompt, video=str(media / "changing.mp4"))], ckpt, cfg)
    assert r.returncode == 0, r.stderr
    static, changing = read_trace(out)
    F = int(static["video_frames"])
    assert F == 8  # 4 s at --fps 2
    assert float(static["video_temporal"]) == pytest.approx(1 / F, abs=1e-6)
    assert float(changing["video_temporal"]) >= 0.75
    assert int(changing["video_frames"]) == 8
    assert float(static["video_seconds"]) == 4.0
    # modal: this file's own forward pass, mean over patches and frames, against the prompt's table rows.
    with torch.no_grad():
        x = vit.tokens(decode(str(media / "changing.mp4"), 32, fps=2))
        for b in vit.blocks:
            x = vit.block(b, x)
        frames = x[:, 1:].mean(1)
    p = table[[mas_text.fnv1a64(w) % 64 for w in mas_text.words(prompt)]].mean(0)
    cos = float(torch.nn.functional.cosine_similarity(p, frames.mean(0), 0))
    assert float(changing["video_modal"]) == pytest.approx(min(max(cos, 0), 1), abs=2e-6)


def test_spatial_equals_this_files_attention_coverage_for_random_weights(tmp_path, media, random_tower):
    vit, table, ckpt, cfg = random_tower
    prompts = ["where is the red square", "count the bars", "is there text"]
    r, out = record(tmp_path, [row(prompt=p, image=str(media / "testsrc.png")) for p in prompts], ckpt, cfg)
    assert r.returncode == 0, r.stderr
    px = decode(str(media / "testsrc.png"), 32)
    for p, got in zip(prompts, read_trace(out)):
        with torch.no_grad():
            x = vit.block(vit.blocks[0], vit.tokens(px))
            b = vit.blocks[1]
            k = vit.heads_of(b.attn.qkv(b.norm1(x)).chunk(3, -1)[1])[0, :, 1:]          # [H, 16, d]
            e = table[[mas_text.fnv1a64(w) % 64 for w in mas_text.words(p)]]
            q = vit.heads_of(b.attn.qkv(b.norm1(e[None])).chunk(3, -1)[0])[0]        # [H, T, d]
            att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]), -1)  # [H, T, 16]
        imp = att.mean((0, 1)).tolist()
        assert float(got["image_spatial"]) == pytest.approx(coverage(imp), abs=1e-9)
        assert got["image_width"] == "96" and got["image_height"] == "64" and got["image_frames"] == "1"
        assert float(got["image_temporal"]) == 1.0
        assert int(got["image_bytes"]) == os.path.getsize(media / "testsrc.png")


def test_spatial_equals_hand_computed_coverage_of_attention_maps_set_in_the_encoder(tmp_path, media):
    """One head of width 16 at block 0; patch embedding zero, so patch p's
    token is pos_embed[p]: v for 4 'hot' patches, w for the other 12. Keys
    are the normed tokens (W_k = I), queries 4 x the normed prompt word
    (W_q = 4 I), whose table row is cos(t) v + sin(t) u (v, w, u orthogonal,
    zero mean, unit variance, so LayerNorm leaves them as they are). The
    logits are then 16 cos(t) for hot patches and 0 for cold ones: the
    attention map is set by t alone, and its coverage is a closed form."""
    D, V = 16, 1024
    j = np.arange(D)
    v = np.where(j % 2 == 0, 1.0, -1.0)
    w = np.where(j % 4 < 2, 1.0, -1.0)
    u = np.where(j % 8 < 4, 1.0, -1.0)
    vit = TinyViT(size=32, patch=8, dim=D, depth=1, heads=1, mlp=8, cls=False)
    hot = [0, 5, 10, 15]
    with torch.no_grad():
        vit.patch_embed.proj.weight.zero_()
        vit.patch_embed.proj.bias.zero_()
        vit.pos_embed[0] = torch.tensor(np.stack([v if p in hot else w for p in range(16)]), dtype=torch.float32)
        qkv = torch.zeros(3 * D, D)
        qkv[:D] = 4 * torch.eye(D)
        qkv[D:2 * D] = torch.eye(D)
        vit.blocks[0].attn.qkv.weight.copy_(qkv)
        vit.blocks[0].attn.qkv.bias.zero_()
    # logit a per word; the closed-form coverage at share 0.9 of 16 patches:
    #   a = 0: uniform, ceil(0.9 x 16) = 15 patches;
    #   a = ln 9: hot 9/48 each (0.75 together), cold 1/48 each: 4 + ceil(0.15 x 48) = 12;
    #   a = 12: hot patches hold 0.99998: ceil(0.9 / 0.25) = 4.
    cases = {"flat": (0.0, 15 / 16), "nine": (math.log(9), 12 / 16), "peak": (12.0, 4 / 16)}
    table = torch.zeros(V, D)
    rows_used = set()
    for word, (a, _) in cases.items():
        t = math.acos(a / 16)
        i = mas_text.fnv1a64(word) % V
        assert i not in rows_used
        rows_used.add(i)
        table[i] = torch.tensor(math.cos(t) * v + math.sin(t) * u, dtype=torch.float32)
    sd = dict(vit.state_dict(), **{"text_embed.weight": table})
    torch.save(sd, tmp_path / "set.pt")
    cfg = {"image_size": 32, "patch_size": 8, "dim": D, "depth": 1, "heads": 1, "mlp_dim": 8, "attn_layer": 0}
    (tmp_path / "set.json").write_text(json.dumps(cfg))
    r, out = record(tmp_path, [row(prompt=word, image=str(media / "orange.jpg")) for word in cases],
                    tmp_path / "set.pt", tmp_path / "set.json")
    assert r.returncode == 0, r.stderr
    for (word, (a, expected)), got in zip(cases.items(), read_trace(out)):
        # The closed form above, and the definition applied to the softmax of the set logits.
        imp = [math.exp(a if p in hot else 0.0) for p in range(16)]
        assert coverage(imp) == expected
        assert float(got["image_spatial"]) == expected, word


def test_trace_runs_through_msao_run_and_is_deterministic(tmp_path, media, random_tower):
    _, _, ckpt, cfg = random_tower
    rows = [row(prompt="what colour is it", image=str(media / "orange.jpg"), arrival_s=0.0),
            row(prompt="describe the pattern", image=str(media / "testsrc.png"), arrival_s=0.4, edge_correct=0),
            row(prompt="what changes", video=str(media / "changing.mp4"), arrival_s=0.9, output_tokens=12),
            row(prompt="what is shown", image=os.path.relpath(media / "testsrc.png", tmp_path),
                video=os.path.relpath(media / "static.mp4", tmp_path), arrival_s=1.5, dataset="mine", category="both")]
    r, out = record(tmp_path, rows, ckpt, cfg)
    assert r.returncode == 0, r.stderr
    first = out.read_bytes()
    r2, out2 = record(tmp_path, rows, ckpt, cfg)
    assert r2.returncode == 0 and out2.read_bytes() == first
    # The fourth row's media paths are relative to the JSONL file's folder.
    assert b"mine,both" in first
    binary = os.environ.get("MSAO_BINARY") or os.path.join(os.environ.get("MSAO_BUILD_DIR", os.path.join(ROOT, "build")), "msao")
    # The quickstart's platform and models, its workload replaced by the recorded trace.
    scenario = open(QUICKSTART).read().split("workload:")[0] + (
        f"workload:\n  source: trace\n  trace: {out}\n  requests: 0\n  arrival: {{type: replay}}\n"
        "policy:\n  type: msao\nrun:\n  seed: 1\n  slo: 1s\n")
    (tmp_path / "recorded.yaml").write_text(scenario)
    run_dir = tmp_path / "run"
    res = subprocess.run([binary, "run", str(tmp_path / "recorded.yaml"), "--quiet", "--out", str(run_dir)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    req = (run_dir / "requests.csv").read_text().splitlines()
    assert len(req) - 1 == len(rows) == len(read_trace(out))


def test_bad_input_exits_2_naming_line_and_key(tmp_path, media, random_tower):
    _, _, ckpt, cfg = random_tower
    img = str(media / "orange.jpg")
    cases = [
        ([row(prompt="a", image=img), {"prompt": "b", "image": img}], ":2: key 'output_tokens'"),
        ([row(prompt="a", image=img, edge_confidence=1.5)], ":1: key 'edge_confidence'"),
        ([row(prompt="a", image=str(media / "missing.png"))], ":1: key 'image'"),
        ([row(prompt="a")], ":1: key 'image'"),
        ([row(prompt="a", image=img, colour="red")], ":1: key 'colour'"),
        ([row(prompt="a", image=img, id=5), row(prompt="b", image=img, id=5)], ":2: key 'id'"),
        ([row(prompt="...", image=img)], ":1: key 'prompt'"),
        ([row(prompt="a", image=str(tmp_path / "prompts.jsonl"))], ":1: key 'image'"),
    ]
    for rows, piece in cases:
        r, _ = record(tmp_path, rows, ckpt, cfg)
        assert r.returncode == 2, (rows, r.stderr)
        assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1 and piece in r.stderr, r.stderr
    r, _ = record(tmp_path, [row(prompt="a", image=img)], ckpt, cfg, ["--target-share", "0"])
    assert r.returncode == 2 and "--target-share" in r.stderr
    r, _ = record(tmp_path, [row(prompt="a", image=img)], ckpt)  # a bare state_dict without --config
    assert r.returncode == 2 and "config" in r.stderr
    r, _ = record(tmp_path, [row(prompt="a", image=img)], media / "orange.jpg", cfg)  # not a checkpoint
    assert r.returncode == 2 and "torch.load" in r.stderr and r.stderr.count("\n") == 1
