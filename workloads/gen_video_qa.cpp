// Video-QA-shaped requests: a clip of tens of seconds sampled to 8-32
// frames, often with an audio track, and an open question whose type mix
// follows NExT-QA (causal / temporal / descriptive). Consecutive frames are
// largely redundant, so the temporal MAS part is well below 1; the audio
// track is rarely relevant to the question, so its modal part is low.
// Accuracies: Qwen2-VL-2B and Qwen2.5-VL-7B on MVBench. Sources: traces/README.md.
#include <algorithm>
#include <cmath>

#include "workloads/gen_common.hpp"
#include "workloads/gen_datasets.hpp"
#include "workloads/gen_video.hpp"

namespace msao::gen {

namespace {

constexpr Accuracy kTarget = kVideoQaTarget;

const std::vector<Category>& categories() {
  static const std::vector<Category> cats = [] {
    std::vector<Category> c = {{"causal", 0.48, {-1, -1}},
                               {"temporal", 0.29, {0.56, 0.63}},
                               {"descriptive", 0.23, {0.72, 0.78}}};
    balance_accuracy(c, kTarget);
    return c;
  }();
  return cats;
}

}  // namespace

Request make_video_qa(Rng& rng) {
  const auto& cats = categories();
  std::vector<double> shares;
  for (const auto& c : cats) shares.push_back(c.share);
  const Category& cat = cats[rng.categorical(shares)];
  Request r;
  r.category = cat.name;
  const double words = std::clamp(rng.lognormal(9.0, 0.3), 4.0, 30.0);
  r.prompt_tokens = 30 + words_to_tokens(std::round(words));
  r.output_tokens = words_to_tokens(std::clamp(std::round(rng.lognormal(3.0, 0.5)), 1.0, 15.0)) + 1;
  // Clip length: NExT-QA averages 44 s; sampled at 0.5 frame/s, 8..32 frames.
  const double seconds = std::clamp(rng.lognormal(40.0, 0.5), 8.0, 180.0);
  r.input(Modality::Video) = draw_video(seconds, rng);
  // Joint model (gen_common.hpp): the latent difficulty drives the MAS parts
  // and the correctness together. Temporal questions need more distinct
  // frames than others.
  const double difficulty = rng.normal();
  draw_clip_mas(r.input(Modality::Video), cat.name == "temporal" ? 0.5 : 0.0, difficulty, rng);
  maybe_add_audio(r, seconds, rng);
  draw_correctness(r, cat.acc, difficulty, rng);
  finish_request(r, rng);
  return r;
}

}  // namespace msao::gen
