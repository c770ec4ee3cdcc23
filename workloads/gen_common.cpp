// Shared generator pieces; see gen_common.hpp for what each does and
// traces/README.md for the sources of the constants.
#include "workloads/gen_common.hpp"

#include <algorithm>
#include <cmath>

#include "workloads/gen_datasets.hpp"
#include "workloads/mas.hpp"
#include "workloads/mas_trace.hpp"

namespace msao::gen {

void balance_accuracy(std::vector<Category>& cats, Accuracy target) {
  double se = 0, sc = 0, free_share_e = 0, free_share_c = 0;
  for (const auto& c : cats) {
    if (c.acc.edge >= 0) se += c.share * c.acc.edge; else free_share_e += c.share;
    if (c.acc.cloud >= 0) sc += c.share * c.acc.cloud; else free_share_c += c.share;
  }
  for (auto& c : cats) {
    if (c.acc.edge < 0) c.acc.edge = (target.edge - se) / free_share_e;
    if (c.acc.cloud < 0) c.acc.cloud = (target.cloud - sc) / free_share_c;
  }
}

double cloud_given_edge_wrong(Accuracy acc) {
  return std::clamp((acc.cloud - acc.edge * kCloudGivenEdgeCorrect) / (1.0 - acc.edge), 0.0, 1.0);
}

double latent_logit_normal(Rng& rng, double mu, double sigma, double z, double rho) {
  const double x = rho * z + std::sqrt(1.0 - rho * rho) * rng.normal();
  return 1.0 / (1.0 + std::exp(-(mu + sigma * x)));
}

void draw_correctness(Request& r, Accuracy acc, double difficulty, Rng& rng) {
  const double k = 1.0 / acc.edge - 1.0;
  const double u = 0.5 * std::erfc(difficulty / std::sqrt(2.0));  // Phi(-difficulty)
  r.edge_confidence = quantize_fraction(std::pow(u, k));
  r.edge_correct_full = rng.uniform() < r.edge_confidence;
  const double given_wrong = cloud_given_edge_wrong(acc);
  r.cloud_correct_full = rng.uniform() < (r.edge_correct_full ? kCloudGivenEdgeCorrect : given_wrong);
}

namespace {

// same_wrong (assumptions, docs/speculation-model.md): VQAv2 0.5 (38% yes/no
// questions, where two wrong answers always coincide, the rest open answers at
// about 0.2); MMBench 0.4 (two wrong picks among the 1-3 wrong options);
// video-qa 0.2 (open answers of a few words).
constexpr AgreementModel kAgreement[] = {
    {"vqav2", kVqav2Target, 0.5}, {"mmbench", kMmbenchTarget, 0.4}, {"video-qa", kVideoQaTarget, 0.2}};

// Long answers (docs/speculation-model.md, "Long answers"). ViSpec (arXiv
// 2509.15235), Qwen2.5-VL-7B at T = 0, drafts a tree of depth 5 (its
// evaluation scripts' default), so gamma = 5 and 1 + a + ... + a^5 = tau:
//   coco-caption   COCO Caps tau 2.27  -> alpha 0.5755
//   mm-vet         MM-Vet    tau 2.16  -> alpha 0.5498
//   video-caption  overall   tau 2.24  -> alpha 0.5687 (ViSpec reports no video captioning)
//   visual-chat    overall   tau 2.24  -> alpha 0.5687 (nor conversational answers)
// (its EAGLE-2 baseline, tau 1.34, would give 0.254). A tree keeps the best of
// several branches, so a single chain drafter would agree somewhat less.
// detail-description: vLLM's draft-model speculation with a VLM draft,
// Qwen2.5-VL-32B verifying Qwen2.5-VL-3B, mean accepted length 2.29
// (vllm-project/vllm#33458); its draft length is not stated, gamma = 5 assumed
// -> alpha 0.5799 (gamma 3 would give 0.634).
constexpr int kViSpecDepth = 5;
constexpr TokenAgreementModel kTokenAgreement[] = {
    {"coco-caption", kCocoCaptionTarget, acceptance_from_round_tokens(2.27, kViSpecDepth)},
    {"mm-vet", kMmVetTarget, acceptance_from_round_tokens(2.16, kViSpecDepth)},
    {"video-caption", kVideoCaptionTarget, acceptance_from_round_tokens(2.24, kViSpecDepth)},
    {"visual-chat", kVisualChatTarget, acceptance_from_round_tokens(2.24, kViSpecDepth)},
    {"detail-description", kDetailDescriptionTarget, acceptance_from_round_tokens(2.29, 5)}};

double clamp_acceptance(double a) {
  return quantize_fraction(std::clamp(a, kDraftAcceptanceLo, kDraftAcceptanceHi));
}

}  // namespace

double draft_acceptance_rule(const std::string& dataset, double edge_confidence) {
  for (const auto& m : kAgreement) {
    if (dataset != m.dataset) continue;
    const double c = std::clamp(edge_confidence, 0.0, 1.0);
    const double coincide = (1.0 - cloud_given_edge_wrong(m.target)) * m.same_wrong;
    return clamp_acceptance(c * kCloudGivenEdgeCorrect + (1.0 - c) * coincide);
  }
  for (const auto& m : kTokenAgreement) {
    if (dataset != m.dataset) continue;
    const double c = std::clamp(edge_confidence, 0.0, 1.0);
    return clamp_acceptance(m.alpha + kTokenAgreementSlope * (c - m.target.edge));
  }
  return kDraftAcceptanceDefault;
}

void draw_draft_agreement(Request& r, uint64_t seed) {
  r.token_seed = hash_bits(stream_seed(seed, "tokens/" + r.dataset), r.id);
  const double z = hash_normal(stream_seed(seed, "draft-acceptance/" + r.dataset), r.id);
  const double rule = draft_acceptance_rule(r.dataset, r.edge_confidence);
  r.draft_acceptance = clamp_acceptance(rule + kDraftAcceptanceNoise * z);
}

ModalityInput draw_image(int width, int height, double median_bytes_per_pixel, Rng& rng) {
  ModalityInput in;
  in.present = true;
  in.width = width;
  in.height = height;
  in.frames = 1;
  in.bytes = std::round(static_cast<double>(width) * height * rng.lognormal(median_bytes_per_pixel, 0.35));
  return in;
}

std::pair<int, int> coco_resolution(Rng& rng) {
  // Short side for a 640 long side: 480 (4:3), 427 (3:2), 360 (16:9), 640 (1:1), 512 (5:4).
  static const std::vector<double> w = {0.55, 0.25, 0.08, 0.05, 0.07};
  static const int short_side[] = {480, 427, 360, 640, 512};
  const int s = short_side[rng.categorical(w)];
  const bool portrait = rng.bernoulli(0.25);
  return portrait ? std::pair{s, 640} : std::pair{640, s};
}

int words_to_tokens(double words) { return static_cast<int>(std::ceil(1.3 * words)); }

void finish_request(Request& r, Rng& rng) {
  for (auto& in : r.inputs) {
    if (!in.present) {
      in.mas = MasScore{};
      continue;
    }
    in.mas.spatial = quantize_fraction(in.mas.spatial);
    in.mas.temporal = quantize_fraction(in.mas.temporal);
    in.mas.modal = quantize_fraction(in.mas.modal);
    in.mas.mas = quantize_fraction(combine_mas(in.mas.spatial, in.mas.temporal, in.mas.modal));
  }
  r.prune_u = std::min(quantize_fraction(rng.uniform()), 0.999999);
  const auto keep = keep_at_mas(r);
  r.edge_correct_pruned = correct_under_keep(r.edge_correct_full, r, keep);
  r.cloud_correct_pruned = correct_under_keep(r.cloud_correct_full, r, keep);
}

}  // namespace msao::gen
