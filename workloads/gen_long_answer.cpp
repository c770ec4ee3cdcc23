// Shared long-answer generator pieces; see gen_long_answer.hpp.
#include "workloads/gen_long_answer.hpp"

#include <algorithm>
#include <cmath>

namespace msao::gen {

namespace {
// VQAv2's spatial calibration (gen_vqav2.cpp, traces/README.md "Calibration"):
// no pruning curve is published for open-ended answers, so theirs is reused.
constexpr double kSpatialShift = -2.0, kSpatialSigma = 2.4;
}  // namespace

int draw_words(const WordCount& w, Rng& rng) {
  return static_cast<int>(std::clamp(std::round(rng.lognormal(w.median, w.sigma)), w.lo, w.hi));
}

int answer_tokens(int words) { return words_to_tokens(words) + 1; }

Request make_image_task(const ImageTask& task, Rng& rng) {
  Request r;
  r.category = task.category;
  r.prompt_tokens = kChatTemplateTokens + words_to_tokens(draw_words(task.question, rng));
  r.output_tokens = answer_tokens(draw_words(task.answer, rng));
  auto [w, h] = coco_resolution(rng);
  ModalityInput& img = r.input(Modality::Image);
  img = draw_image(w, h, 0.5, rng);
  // Joint model (gen_common.hpp): the latent difficulty drives the MAS parts
  // and the correctness together.
  const double difficulty = rng.normal();
  img.mas.spatial = latent_logit_normal(rng, task.spatial_mu + kSpatialShift, kSpatialSigma, difficulty, kRhoSpatial);
  img.mas.temporal = 1.0;
  img.mas.modal = latent_logit_normal(rng, task.modal_mu, task.modal_sigma, difficulty, kRhoModal);
  draw_correctness(r, task.target, difficulty, rng);
  finish_request(r, rng);
  return r;
}

}  // namespace msao::gen
