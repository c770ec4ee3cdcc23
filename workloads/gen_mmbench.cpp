// MMBench-shaped requests: one image up to 512 px, a multiple-choice
// question with 2-4 options and an optional hint, answered by one letter.
// 20 ability dimensions drawn uniformly; per-dimension accuracies spread
// around the MSAO paper's MMBench edge-only/cloud-only figures, whose mean
// over dimensions they equal. Sources and assumptions: traces/README.md.
#include <algorithm>
#include <cmath>

#include "workloads/gen_common.hpp"
#include "workloads/gen_datasets.hpp"

namespace msao::gen {

namespace {

constexpr Accuracy kTarget = kMmbenchTarget;
// MAS calibration (traces/README.md, "Calibration"; scripts/calibrate-mas-pruning).
constexpr double kMmbenchSpatialShift = -3.5, kMmbenchSpatialSigma = 2.8;

struct Dimension {
  const char* name;
  double difficulty;  // -1 easy .. +1 hard, relative (assumption)
  double spatial_mu;  // logit-normal location of the spatial MAS part
};

// The 20 leaf abilities of MMBench (Liu et al. 2023, ECCV 2024), grouped as
// coarse perception, fine-grained single/cross-instance perception,
// attribute/relation/logic reasoning.
constexpr Dimension kDims[] = {
    {"image_style", -0.6, 0.4},           {"image_scene", -0.8, 0.4},
    {"image_emotion", -0.3, 0.2},         {"image_quality", 0.2, 0.6},
    {"image_topic", -0.7, 0.3},           {"object_localization", 0.5, -0.9},
    {"attribute_recognition", -0.3, -0.6}, {"celebrity_recognition", -0.2, -0.8},
    {"ocr", 0.0, -1.0},                   {"spatial_relationship", 0.8, -0.3},
    {"attribute_comparison", 0.4, -0.4},  {"action_recognition", -0.4, -0.2},
    {"physical_property_reasoning", 0.3, -0.4}, {"function_reasoning", -0.4, -0.5},
    {"identity_reasoning", -0.7, -0.3},   {"social_relation", -0.2, -0.1},
    {"physical_relation", 0.7, -0.5},     {"nature_relation", 0.1, -0.2},
    {"structuralized_imagetext_understanding", 0.9, -0.2}, {"future_prediction", 0.4, 0.0},
};
constexpr int kNumDims = sizeof(kDims) / sizeof(kDims[0]);

// Accuracy of dimension i: target + spread * (difficulty centred to mean 0),
// so the mean over dimensions (MMBench's metric) equals the target exactly.
Accuracy dimension_accuracy(int i) {
  double mean = 0;
  for (const auto& d : kDims) mean += d.difficulty / kNumDims;
  const double x = kDims[i].difficulty - mean;
  return {kTarget.edge - 0.15 * x, kTarget.cloud - 0.10 * x};
}

}  // namespace

Request make_mmbench(Rng& rng) {
  const int di = static_cast<int>(rng.integer(0, kNumDims - 1));
  const Dimension& dim = kDims[di];
  Request r;
  r.category = dim.name;
  // Question + options + optional hint: median 45 tokens (evalscope's MMBench-en
  // dev statistics: prompt mean 432 chars of which about 240 are its own
  // instruction, about 4 chars per token); chat template and VLMEvalKit's
  // "Please select the correct answer from the options above." about 32 tokens.
  const double body = std::clamp(rng.lognormal(45.0, 0.6), 12.0, 560.0);
  r.prompt_tokens = 32 + static_cast<int>(std::round(body));
  r.output_tokens = 2;  // a choice letter + end-of-sequence
  // Resolutions 106x56 .. 512x512 (evalscope): half at 512, the rest log-uniform down to 160.
  const double long_side = rng.bernoulli(0.5) ? 512.0 : std::round(160.0 * std::pow(512.0 / 160.0, rng.uniform()));
  const double aspect = rng.uniform(0.5, 1.0);
  const int a = static_cast<int>(long_side), b = std::max(56, static_cast<int>(std::round(long_side * aspect)));
  const bool portrait = rng.bernoulli(0.25);
  ModalityInput& img = r.input(Modality::Image);
  img = draw_image(portrait ? b : a, portrait ? a : b, 0.6, rng);
  // Joint model (gen_common.hpp, traces/README.md): the latent difficulty
  // drives the MAS parts and the correctness together. Spatial location and
  // spread calibrated to VisionZip on LLaVA-1.5-7B MMBench (97.4% / 95.8% /
  // 92.9% of the accuracy kept at 192 / 128 / 64 of 576 tokens).
  const double difficulty = rng.normal();
  img.mas.spatial = latent_logit_normal(rng, dim.spatial_mu + kMmbenchSpatialShift, kMmbenchSpatialSigma, difficulty,
                                        kRhoSpatial);
  img.mas.temporal = 1.0;
  // Dependence on the image, calibrated to a blind LLaVA-1.5-7B keeping 30%
  // of its MMBench accuracy; a few items are answerable from the hint alone.
  img.mas.modal = latent_logit_normal(rng, 1.1, 1.0, difficulty, kRhoModal);
  draw_correctness(r, dimension_accuracy(di), difficulty, rng);
  finish_request(r, rng);
  return r;
}

}  // namespace msao::gen
