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

namespace msao::gen {

namespace {

constexpr Accuracy kTarget = kVideoQaTarget;
// Frames' spatial part as VQAv2 "other" images (gen_vqav2.cpp's calibration).
constexpr double kFrameSpatialShift = -2.0, kFrameSpatialSigma = 2.4;
// Share of static clips (fixed camera, little motion): assumption.
constexpr double kStaticClipShare = 0.5;

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
  static const std::vector<double> res_w = {0.7, 0.2, 0.1};
  static const int res[][2] = {{640, 360}, {480, 360}, {1280, 720}};
  const auto& wh = res[rng.categorical(res_w)];
  ModalityInput& v = r.input(Modality::Video);
  v.present = true;
  v.width = wh[0];
  v.height = wh[1];
  v.frames = static_cast<int>(std::clamp(std::round(seconds * 0.5), 8.0, 32.0));
  v.seconds = std::round(seconds * 1000.0) / 1000.0;
  // H.264 at about 0.8 Mbit/s for 640x360, scaled by pixel count.
  const double bitrate = 0.8e6 * (wh[0] * wh[1]) / (640.0 * 360.0) * rng.lognormal(1.0, 0.3);
  v.bytes = std::round(bitrate / 8.0 * seconds);
  // Joint model (gen_common.hpp): the latent difficulty drives the MAS parts
  // and the correctness together. Frames are pruned like VQAv2 images.
  const double difficulty = rng.normal();
  v.mas.spatial = latent_logit_normal(rng, -0.4 + kFrameSpatialShift, kFrameSpatialSigma, difficulty, kRhoSpatial);
  // Static clips (a fixed camera, little motion) repeat most frames; dynamic
  // ones do not. Temporal questions need more distinct frames than others.
  const bool static_clip = rng.bernoulli(kStaticClipShare);
  const double temporal_mu = (static_clip ? -1.6 : -0.2) + (cat.name == "temporal" ? 0.5 : 0.0);
  v.mas.temporal = latent_logit_normal(rng, temporal_mu, 0.7, difficulty, kRhoTemporal);
  v.mas.modal = latent_logit_normal(rng, 2.0, 0.8, difficulty, kRhoModal);
  if (rng.bernoulli(0.5)) {  // audio track (Opus, 32 kbit/s)
    ModalityInput& a = r.input(Modality::Audio);
    a.present = true;
    a.seconds = v.seconds;
    a.bytes = std::round(4000.0 * seconds);
    a.mas.spatial = 1.0;
    a.mas.temporal = rng.logit_normal(0.5, 0.8);  // share of non-silent audio
    a.mas.modal = rng.logit_normal(-1.5, 1.0);
  }
  draw_correctness(r, cat.acc, difficulty, rng);
  finish_request(r, rng);
  return r;
}

}  // namespace msao::gen
