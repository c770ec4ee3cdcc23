// VQAv2-shaped requests: one COCO image, a short open question, a 1-3 word
// answer. Type mix and answer lengths from the VQA paper (Antol et al. 2015),
// accuracies calibrated to the MSAO paper's edge-only/cloud-only VQAv2
// figures; sources and the MAS assumptions are in traces/README.md.
#include <algorithm>

#include "workloads/gen_common.hpp"
#include "workloads/gen_datasets.hpp"

namespace msao::gen {

namespace {

constexpr Accuracy kTarget = kVqav2Target;
// MAS calibration (traces/README.md, "Calibration"; scripts/calibrate-mas-pruning).
constexpr double kVqav2SpatialShift = -2.0, kVqav2SpatialSigma = 2.4;
constexpr double kVqav2ModalMu = -0.45, kVqav2ModalSigma = 1.2;

const std::vector<Category>& categories() {
  static const std::vector<Category> cats = [] {
    // yes/no is easiest, counting hardest; "other" balances to the target.
    std::vector<Category> c = {{"yes-no", 0.3837, {0.78, 0.90}},
                               {"number", 0.1231, {0.42, 0.60}},
                               {"other", 0.4932, {-1, -1}}};
    balance_accuracy(c, kTarget);
    return c;
  }();
  return cats;
}

// Answer words for "other": the VQA paper's 89.32% / 6.91% / 2.74% of one /
// two / three-word answers overall, with yes/no and number always one word.
int other_answer_words(Rng& rng) {
  static const std::vector<double> w = {0.7830, 0.1401, 0.0556, 0.0213};
  const size_t i = rng.categorical(w);
  return i < 3 ? static_cast<int>(i) + 1 : static_cast<int>(rng.integer(4, 6));
}

}  // namespace

Request make_vqav2(Rng& rng) {
  const auto& cats = categories();
  std::vector<double> shares;
  for (const auto& c : cats) shares.push_back(c.share);
  const size_t ci = rng.categorical(shares);
  const Category& cat = cats[ci];
  Request r;
  r.category = cat.name;
  // Question: mostly 4-10 words (VQA paper), median 6.
  const double words = std::clamp(rng.lognormal(6.0, 0.3), 3.0, 20.0);
  // Chat template + "Answer the question using a single word or phrase." about 30 tokens.
  r.prompt_tokens = 30 + words_to_tokens(std::round(words));
  const int answer_words = cat.name == "other" ? other_answer_words(rng) : 1;
  r.output_tokens = words_to_tokens(answer_words) + 1;  // + end-of-sequence
  auto [w, h] = coco_resolution(rng);
  ModalityInput& img = r.input(Modality::Image);
  img = draw_image(w, h, 0.5, rng);
  // Joint model (gen_common.hpp, traces/README.md): the latent difficulty
  // drives the MAS parts and the correctness together.
  const double difficulty = rng.normal();
  // Counting needs every instance visible; yes/no questions often hinge on one
  // region. Location and spread calibrated so pruning every image to 192 / 128
  // / 64 of 576 tokens keeps the relative accuracy VisionZip measured on
  // LLaVA-1.5-7B (97.8% / 96.3% / 92.2%).
  const double spatial_mu = (cat.name == "number" ? 0.0 : cat.name == "yes-no" ? -0.6 : -0.4) + kVqav2SpatialShift;
  img.mas.spatial = latent_logit_normal(rng, spatial_mu, kVqav2SpatialSigma, difficulty, kRhoSpatial);
  img.mas.temporal = 1.0;
  // Dependence on the image: dropping it keeps 1 - modal of the correct
  // answers; calibrated to a blind (0-token) LLaVA-1.5-7B keeping 61% (GQA).
  img.mas.modal = latent_logit_normal(rng, kVqav2ModalMu, kVqav2ModalSigma, difficulty, kRhoModal);
  draw_correctness(r, cat.acc, difficulty, rng);
  finish_request(r, rng);
  return r;
}

}  // namespace msao::gen
