"""Media for scripts/record-mas, decoded by Debian's ffmpeg: an image (PNG,
JPEG, anything ffmpeg reads) or a video's frames sampled at a fixed rate,
each resized to the encoder's square input and returned as RGB in [0, 1],
with what the MAS trace records about the file (resolution, frames,
duration, bytes as stored)."""
import json
import os
import subprocess

import numpy as np


class MediaError(ValueError):
    pass


def probe(path):
    """(width, height, duration seconds or 0) of the first video stream."""
    cmd = ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
           "stream=width,height,duration:format=duration", "-of", "json", path]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise MediaError(f"'{path}' that ffprobe cannot read ({r.stderr.strip().splitlines()[-1] if r.stderr.strip() else 'no output'})")
    info = json.loads(r.stdout or "{}")
    streams = info.get("streams") or []
    if not streams:
        raise MediaError(f"'{path}' without a picture stream")
    s = streams[0]
    dur = s.get("duration") or (info.get("format") or {}).get("duration") or 0
    try:
        dur = float(dur)
    except ValueError:
        dur = 0.0
    return int(s["width"]), int(s["height"]), dur


def decode(path, size, fps=None, max_frames=None):
    """Frames as float32 [F, 3, size, size] in [0, 1]: every frame of an image,
    or a video sampled at `fps` frames per second (at most max_frames)."""
    vf = (f"fps={fps}," if fps else "") + f"scale={size}:{size}:flags=bicubic"
    cmd = ["ffmpeg", "-v", "error", "-nostdin", "-i", path, "-vf", vf]
    if max_frames:
        cmd += ["-frames:v", str(max_frames)]
    cmd += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    r = subprocess.run(cmd, capture_output=True)
    if r.returncode != 0 or not r.stdout:
        err = r.stderr.decode(errors="replace").strip().splitlines()
        raise MediaError(f"'{path}' that ffmpeg cannot decode ({err[-1] if err else 'no frames'})")
    frame = size * size * 3
    n = len(r.stdout) // frame
    a = np.frombuffer(r.stdout[: n * frame], dtype=np.uint8).reshape(n, size, size, 3)
    return (a.astype(np.float32) / 255.0).transpose(0, 3, 1, 2).copy()


def describe_image(path):
    w, h, _ = probe(path)
    return {"width": w, "height": h, "frames": 1, "seconds": 0.0, "bytes": float(os.path.getsize(path))}


def describe_video(path, frames):
    w, h, dur = probe(path)
    if dur <= 0:
        raise MediaError(f"'{path}' without a known duration")
    return {"width": w, "height": h, "frames": int(frames), "seconds": round(dur, 3), "bytes": float(os.path.getsize(path))}
