"""The text side of scripts/record-mas: a prompt as token embeddings [T, dim]
in the vision tower's hidden width, so its queries can attend to the
patches and its pooled embedding can be compared with the modality's.

Words: the lower-cased prompt split into runs of letters and digits. Each
word w has the 64-bit FNV-1a hash h(w) of its UTF-8 bytes. With a
`text_embed.weight` table [V, dim] in the checkpoint, word w embeds as row
h(w) mod V. Without one, it embeds as a deterministic hashed projection:
component j is +1/sqrt(dim) or -1/sqrt(dim) by bit (j mod 64) of
splitmix64(h(w) + floor(j / 64)), the same on every machine and version.
"""
import re

import numpy as np

WORD = re.compile(r"[a-z0-9]+")
MASK64 = (1 << 64) - 1


def words(prompt):
    return WORD.findall(prompt.lower())


def fnv1a64(text):
    h = 0xCBF29CE484222325
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & MASK64
    return h


def splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


def hashed_vector(word, dim):
    h = fnv1a64(word)
    v = np.empty(dim, dtype=np.float32)
    for block in range((dim + 63) // 64):
        bits = splitmix64((h + block) & MASK64)
        for j in range(block * 64, min(dim, block * 64 + 64)):
            v[j] = 1.0 if (bits >> (j % 64)) & 1 else -1.0
    return v / np.sqrt(dim)


def embed_prompt(prompt, dim, table=None):
    """[T, dim] float32 tensor, one row per word; ValueError for a prompt without words."""
    import torch  # here, not at the top: reading a prompts file needs words() only

    ws = words(prompt)
    if not ws:
        raise ValueError("a prompt with at least one word (letters or digits)")
    if table is not None:
        idx = torch.tensor([fnv1a64(w) % table.shape[0] for w in ws], device=table.device)
        return table[idx]
    return torch.from_numpy(np.stack([hashed_vector(w, dim) for w in ws]))
