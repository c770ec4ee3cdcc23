// Video clip pieces shared by the video datasets (video-qa, video-caption):
// the clip as captured, its MAS parts and an optional audio track. Each
// draws in a fixed order from the caller's Rng, so a dataset's requests
// depend only on its seed. Sources and assumptions: traces/README.md.
#pragma once
#include "sim/request.hpp"
#include "workloads/rng.hpp"

namespace msao::gen {

// A web clip of `seconds`: 640x360 / 480x360 / 1280x720 w.p. .7/.2/.1,
// sampled at 0.5 frame/s to 8..32 frames, H.264 at about 0.8 Mbit/s for
// 640x360 scaled by pixel count.
ModalityInput draw_video(double seconds, Rng& rng);

// The clip's MAS parts under the joint model: frames pruned like VQAv2
// "other" images; half the clips static (a fixed camera repeats most
// frames), the rest dynamic; `temporal_shift` raises the temporal part for
// tasks that need more distinct frames; the question is about the video.
void draw_clip_mas(ModalityInput& v, double temporal_shift, double difficulty, Rng& rng);

// With probability 0.5, an Opus 32 kbit/s audio track of `seconds` that
// rarely matters to the answer.
void maybe_add_audio(Request& r, double seconds, Rng& rng);

}  // namespace msao::gen
