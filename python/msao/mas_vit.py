"""The vision encoder of scripts/record-mas: a ViT-style vision tower (patch
embedding, pre-norm transformer blocks with multi-head self-attention)
loaded from a checkpoint, with the state_dict key mappings of common towers
(docs/mas-recorder.md). It produces only what the MAS kernels need:

  patch_qk(pixels, prompt)  -> q [heads, tokens, d] (prompt queries) and
                               K [heads, patches, d] (patch keys) at the
                               attention layer (an early one);
  embed(pixels)             -> per-frame embeddings [F, dim] and patch
                               tokens, at the embedding layer.

The coverage, LSH and cosine steps are the C++ kernels (msao._msao.mas_*).
"""
import math

import torch
import torch.nn.functional as F

CHECKPOINT_FORMAT = "msao-vit v1"

# Config keys, their defaults (None: required) and meaning (docs/mas-recorder.md).
CONFIG_KEYS = {
    "image_size": (None, "side of the square the media is resized to, pixels"),
    "patch_size": (None, "patch side, pixels"),
    "dim": (None, "hidden width"),
    "depth": (None, "number of transformer blocks"),
    "heads": (None, "attention heads"),
    "mlp_dim": (None, "hidden width of the MLP"),
    "act": ("gelu", "MLP activation: gelu or quick_gelu"),
    "norm_eps": (1e-6, "LayerNorm epsilon"),
    "cls_token": (False, "a class token precedes the patches"),
    "pos_embed": (True, "learned absolute position embedding (pos_embed)"),
    "rope_2d": (False, "2-D rotary position embedding on q and k (Qwen2-VL's vision tower)"),
    "rope_theta": (10000.0, "rotary base"),
    "norm_pre": (False, "a LayerNorm after the embeddings (CLIP's pre_layrnorm)"),
    "attn_layer": (1, "block whose attention gives the spatial part (0-based; an early one)"),
    "embed_layer": (None, "blocks run for the frame embeddings (default: depth, i.e. all)"),
    "mean": ([0.48145466, 0.4578275, 0.40821073], "per-channel pixel mean (RGB, 0-1 scale)"),
    "std": ([0.26862954, 0.26130258, 0.27577711], "per-channel pixel std"),
}


class ConfigError(ValueError):
    """A bad config value: key, what was found, what was expected."""

    def __init__(self, key, found, expected):
        super().__init__(f"key '{key}': found {found}, expected {expected}")
        self.key = key


def resolve_config(raw):
    cfg = {}
    for key in raw:
        if key not in CONFIG_KEYS:
            raise ConfigError(key, f"unknown key '{key}'", "one of " + ", ".join(CONFIG_KEYS))
    for key, (default, _) in CONFIG_KEYS.items():
        if key in raw:
            cfg[key] = raw[key]
        elif default is None and key != "embed_layer":
            raise ConfigError(key, "nothing", "a value (required)")
        else:
            cfg[key] = default
    for key in ("image_size", "patch_size", "dim", "depth", "heads", "mlp_dim"):
        if not isinstance(cfg[key], int) or isinstance(cfg[key], bool) or cfg[key] < 1:
            raise ConfigError(key, repr(cfg[key]), "a positive integer")
    if cfg["image_size"] % cfg["patch_size"]:
        raise ConfigError("image_size", cfg["image_size"], f"a multiple of patch_size {cfg['patch_size']}")
    if cfg["dim"] % cfg["heads"]:
        raise ConfigError("heads", cfg["heads"], f"a divisor of dim {cfg['dim']}")
    if cfg["embed_layer"] is None:
        cfg["embed_layer"] = cfg["depth"]
    if not isinstance(cfg["attn_layer"], int) or not 0 <= cfg["attn_layer"] < cfg["depth"]:
        raise ConfigError("attn_layer", repr(cfg["attn_layer"]), f"a block index in [0, {cfg['depth'] - 1}]")
    if not isinstance(cfg["embed_layer"], int) or not 1 <= cfg["embed_layer"] <= cfg["depth"]:
        raise ConfigError("embed_layer", repr(cfg["embed_layer"]), f"a block count in [1, {cfg['depth']}]")
    if cfg["act"] not in ("gelu", "quick_gelu"):
        raise ConfigError("act", repr(cfg["act"]), "gelu or quick_gelu")
    if cfg["rope_2d"] and (cfg["dim"] // cfg["heads"]) % 4:
        raise ConfigError("rope_2d", "a head width not a multiple of 4", "dim / heads divisible by 4")
    for key in ("mean", "std"):
        v = cfg[key]
        if not (isinstance(v, list) and len(v) == 3 and all(isinstance(x, (int, float)) for x in v)):
            raise ConfigError(key, repr(v), "a list of 3 numbers")
    return cfg


# ---- state_dict key mappings: a tower's keys -> this module's (timm-style) keys.

def _map_clip_hf(sd, depth):
    """Hugging Face CLIPVisionModel / CLIPModel (vision_model.*)."""
    p = "vision_model."
    out = {
        "patch_embed.proj.weight": sd[p + "embeddings.patch_embedding.weight"],
        "cls_token": sd[p + "embeddings.class_embedding"].reshape(1, 1, -1),
        "pos_embed": sd[p + "embeddings.position_embedding.weight"].unsqueeze(0),
        "norm_pre.weight": sd[p + "pre_layrnorm.weight"],
        "norm_pre.bias": sd[p + "pre_layrnorm.bias"],
    }
    for i in range(depth):
        s = f"{p}encoder.layers.{i}."
        b = f"blocks.{i}."
        for ours, theirs in (("norm1", "layer_norm1"), ("norm2", "layer_norm2"), ("attn.proj", "self_attn.out_proj"),
                             ("mlp.fc1", "mlp.fc1"), ("mlp.fc2", "mlp.fc2")):
            out[b + ours + ".weight"] = sd[s + theirs + ".weight"]
            out[b + ours + ".bias"] = sd[s + theirs + ".bias"]
        for kind in ("weight", "bias"):
            out[b + "attn.qkv." + kind] = torch.cat([sd[f"{s}self_attn.{x}_proj.{kind}"] for x in "qkv"], 0)
    return out


def _map_qwen2_vl(sd, depth):
    """Qwen2-VL (Qwen2VLForConditionalGeneration): visual.* ; the Conv3d patch
    embedding (temporal patch 2) is summed over time, which is exact for a
    still image (Qwen2-VL repeats an image's frame to fill the time patch)."""
    out = {}
    w = sd["visual.patch_embed.proj.weight"]
    out["patch_embed.proj.weight"] = w.sum(2) if w.dim() == 5 else w
    for i in range(depth):
        s, b = f"visual.blocks.{i}.", f"blocks.{i}."
        for name in ("norm1", "norm2", "attn.qkv", "attn.proj", "mlp.fc1", "mlp.fc2"):
            for kind in ("weight", "bias"):
                out[b + name + "." + kind] = sd[s + name + "." + kind]
    return out


KEY_MAPS = {
    "msao": lambda sd, depth: sd,   # this module's own keys (timm's VisionTransformer names)
    "timm": lambda sd, depth: sd,
    "clip-hf": _map_clip_hf,
    "qwen2-vl": _map_qwen2_vl,
}


class Block(torch.nn.Module):
    def __init__(self, dim, heads, mlp_dim, eps):
        super().__init__()
        self.norm1 = torch.nn.LayerNorm(dim, eps=eps)
        self.attn = torch.nn.Module()
        self.attn.qkv = torch.nn.Linear(dim, 3 * dim)
        self.attn.proj = torch.nn.Linear(dim, dim)
        self.norm2 = torch.nn.LayerNorm(dim, eps=eps)
        self.mlp = torch.nn.Module()
        self.mlp.fc1 = torch.nn.Linear(dim, mlp_dim)
        self.mlp.fc2 = torch.nn.Linear(mlp_dim, dim)


class VisionTower(torch.nn.Module):
    """Pre-norm ViT: x = x + attn(norm1(x)); x = x + mlp(norm2(x))."""

    def __init__(self, config):
        super().__init__()
        c = self.config = resolve_config(config)
        self.heads, self.head_dim = c["heads"], c["dim"] // c["heads"]
        self.grid = c["image_size"] // c["patch_size"]
        self.patch_embed = torch.nn.Module()
        self.patch_embed.proj = torch.nn.Conv2d(3, c["dim"], c["patch_size"], c["patch_size"])
        n_tokens = self.grid * self.grid + (1 if c["cls_token"] else 0)
        if c["cls_token"]:
            self.cls_token = torch.nn.Parameter(torch.zeros(1, 1, c["dim"]))
        if c["pos_embed"]:
            self.pos_embed = torch.nn.Parameter(torch.zeros(1, n_tokens, c["dim"]))
        if c["norm_pre"]:
            self.norm_pre = torch.nn.LayerNorm(c["dim"], eps=c["norm_eps"])
        self.blocks = torch.nn.ModuleList(Block(c["dim"], c["heads"], c["mlp_dim"], c["norm_eps"]) for _ in range(c["depth"]))
        self.register_buffer("mean", torch.tensor(c["mean"]).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(c["std"]).view(1, 3, 1, 1), persistent=False)

    # -- pieces

    def _act(self, x):
        return x * torch.sigmoid(1.702 * x) if self.config["act"] == "quick_gelu" else F.gelu(x)

    def _rope(self, x):
        """Qwen2-VL's vision RoPE on [B, heads, cls+patches, d]: the first half
        of the rotary frequencies follow the patch row, the second its column."""
        d = self.head_dim
        inv = 1.0 / (self.config["rope_theta"] ** (torch.arange(0, d // 2, 2, dtype=torch.float32, device=x.device) / (d // 2)))
        rows = torch.arange(self.grid, device=x.device).repeat_interleave(self.grid)
        cols = torch.arange(self.grid, device=x.device).repeat(self.grid)
        freqs = torch.cat([torch.outer(rows.float(), inv), torch.outer(cols.float(), inv)], -1)  # [P, d/2]
        if self.config["cls_token"]:
            freqs = torch.cat([torch.zeros(1, d // 2, device=x.device), freqs], 0)
        cos, sin = torch.cat([freqs.cos()] * 2, -1), torch.cat([freqs.sin()] * 2, -1)
        x1, x2 = x[..., : d // 2], x[..., d // 2:]
        return x * cos + torch.cat([-x2, x1], -1) * sin

    def _split_heads(self, t):  # [B, N, dim] -> [B, heads, N, d]
        return t.view(t.shape[0], t.shape[1], self.heads, self.head_dim).transpose(1, 2)

    def _qkv(self, block, x):
        q, k, v = block.attn.qkv(block.norm1(x)).chunk(3, -1)
        q, k, v = (self._split_heads(t) for t in (q, k, v))
        if self.config["rope_2d"]:
            q, k = self._rope(q), self._rope(k)
        return q, k, v

    def _block(self, block, x):
        q, k, v = self._qkv(block, x)
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(self.head_dim), -1) @ v
        x = x + block.attn.proj(a.transpose(1, 2).reshape(x.shape))
        return x + block.mlp.fc2(self._act(block.mlp.fc1(block.norm2(x))))

    def tokens(self, pixels):
        """pixels: [B, 3, S, S] in [0, 1] -> embedded tokens [B, cls+patches, dim]."""
        x = (pixels - self.mean) / self.std
        x = self.patch_embed.proj(x).flatten(2).transpose(1, 2)
        if self.config["cls_token"]:
            x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1)
        if self.config["pos_embed"]:
            x = x + self.pos_embed
        if self.config["norm_pre"]:
            x = self.norm_pre(x)
        return x

    def _patches(self, x):
        return x[:, 1:] if self.config["cls_token"] else x

    # -- what the recorder asks for

    @torch.no_grad()
    def patch_qk(self, pixels, prompt):
        """pixels [1, 3, S, S], prompt [T, dim] -> (q [heads, T, d], K [heads, P, d])
        at block attn_layer: patch keys after the blocks before it, prompt
        queries from the prompt embedding through that block's norm1 and query
        projection (no rotary position: the prompt is not on the patch grid)."""
        x = self.tokens(pixels)
        for block in self.blocks[: self.config["attn_layer"]]:
            x = self._block(block, x)
        block = self.blocks[self.config["attn_layer"]]
        _, k, _ = self._qkv(block, x)
        dim = self.config["dim"]
        q = F.linear(block.norm1(prompt), block.attn.qkv.weight[:dim], block.attn.qkv.bias[:dim])
        q = q.view(prompt.shape[0], self.heads, self.head_dim).transpose(0, 1)
        K = k[0, :, 1:] if self.config["cls_token"] else k[0]
        return q.contiguous(), K.contiguous()

    @torch.no_grad()
    def embed(self, pixels):
        """pixels [F, 3, S, S] -> (frame embeddings [F, dim]: the patch tokens
        after embed_layer blocks, mean-pooled; patch tokens [F, P, dim])."""
        x = self.tokens(pixels)
        for block in self.blocks[: self.config["embed_layer"]]:
            x = self._block(block, x)
        p = self._patches(x)
        return p.mean(1), p


def save_checkpoint(path, model):
    torch.save({"format": CHECKPOINT_FORMAT, "config": dict(model.config), "state_dict": model.state_dict()}, path)


def load_checkpoint(path, config=None, key_map="msao", device="cpu"):
    """A `msao-vit v1` checkpoint ({format, config, state_dict}), or a bare
    state_dict (a .pt/.bin file, or .safetensors when the safetensors package
    is installed) with `config` given and its keys translated by `key_map`.
    Raises ConfigError naming what is wrong."""
    if str(path).endswith(".safetensors"):
        try:
            from safetensors.torch import load_file
        except ImportError:
            raise ConfigError("checkpoint", f"'{path}' (a .safetensors file)",
                              "the safetensors Python package, or a checkpoint converted with torch.save")
        blob = load_file(str(path))
    else:
        blob = torch.load(str(path), map_location="cpu")
    if isinstance(blob, dict) and blob.get("format") == CHECKPOINT_FORMAT:
        cfg, sd = dict(blob["config"]), blob["state_dict"]
        if config:
            cfg.update(config)
    elif isinstance(blob, dict):
        if not config:
            raise ConfigError("config", "a bare state_dict without --config", "a config JSON (docs/mas-recorder.md)")
        cfg, sd = config, blob
    else:
        raise ConfigError("checkpoint", type(blob).__name__, f"a '{CHECKPOINT_FORMAT}' dict or a state_dict")
    if key_map not in KEY_MAPS:
        raise ConfigError("key_map", repr(key_map), "one of " + ", ".join(KEY_MAPS))
    model = VisionTower(cfg)
    try:
        mapped = KEY_MAPS[key_map](sd, model.config["depth"])
    except KeyError as e:
        raise ConfigError("key_map", f"no key {e} in the checkpoint", f"a '{key_map}' state_dict")
    text = mapped.pop("text_embed.weight", None)
    for k in list(mapped):
        if k.startswith("text_embed."):
            mapped.pop(k)
    own = model.state_dict()
    # A tower without biases (Qwen2-VL's patch embedding) keeps zero biases.
    for k in own:
        if k.endswith(".bias") and k not in mapped:
            mapped[k] = torch.zeros_like(own[k])
    missing = [k for k in own if k not in mapped]
    unused = [k for k in mapped if k not in own and not k.startswith(("norm.", "head.", "fc_norm."))]
    if missing:
        raise ConfigError("state_dict", f"no '{missing[0]}' ({len(missing)} keys missing)", "every key the config implies")
    if unused and key_map in ("msao", "timm"):
        raise ConfigError("state_dict", f"unexpected key '{unused[0]}'", "only the keys the config implies")
    for k in own:
        if tuple(mapped[k].shape) != tuple(own[k].shape):
            raise ConfigError("state_dict", f"'{k}' of shape {tuple(mapped[k].shape)}", f"shape {tuple(own[k].shape)}")
    model.load_state_dict({k: mapped[k].float() for k in own})
    model.eval().to(device)
    return model, (text.float().to(device) if text is not None else None)
