// Pieces every dataset generator shares: the joint model of a request's
// latent difficulty and modality dependence (traces/README.md, "The joint
// model"), the correctness/confidence model (calibrated edge confidence,
// cloud correctness correlated with the edge's),
// category accuracies that average to a published target, COCO-like images,
// word-to-token conversion, and the final step that quantizes MAS to the
// trace's precision and derives the pruned-correctness flags from the one
// pruning function in workloads/mas.hpp.
#pragma once
#include <string>
#include <vector>

#include "sim/request.hpp"
#include "workloads/rng.hpp"

namespace msao::gen {

// P(cloud correct | edge correct): a stronger model of the same family
// rarely fails where the weaker one succeeds (assumption, traces/README.md).
inline constexpr double kCloudGivenEdgeCorrect = 0.95;

struct Accuracy {
  double edge = 0, cloud = 0;
};

// A question category with its share of the dataset and its accuracies.
struct Category {
  std::string name;
  double share = 0;
  Accuracy acc;
};

// Fills the accuracy of the category whose acc is negative so that the
// share-weighted mean equals `target` (the paper's dataset-level accuracy).
void balance_accuracy(std::vector<Category>& cats, Accuracy target);

// The joint model (traces/README.md). Each request has a latent difficulty
// z ~ N(0,1). It sets the edge confidence's uniform U = Phi(-z) (so harder
// questions get lower confidence and fail more often, through the unchanged
// calibrated rule below), and shifts the MAS parts through a Gaussian copula:
// a part drawn as logit-normal(mu, sigma) uses the normal rho z + sqrt(1 -
// rho^2) e, e ~ N(0,1) of its own, so every part keeps its marginal
// distribution and only its dependence on z is added.
// rho of the spatial part: harder questions need more of the image (counting,
// small text, fine detail); of the modal part: questions that depend more on
// the modality are harder (a language prior answers the rest). Assumptions.
inline constexpr double kRhoSpatial = 0.5;
inline constexpr double kRhoTemporal = 0.5;
inline constexpr double kRhoModal = 0.5;

// logistic(mu + sigma (rho z + sqrt(1 - rho^2) e)), e drawn from rng.
double latent_logit_normal(Rng& rng, double mu, double sigma, double z, double rho);

// Draws edge_confidence c = U^(1/p - 1) (mean p) with U = Phi(-difficulty)
// (uniform, since difficulty ~ N(0,1)), edge correct with probability c
// (calibrated by construction), cloud correct with probability
// kCloudGivenEdgeCorrect if the edge is, else the rate that makes the
// cloud's mean accuracy acc.cloud.
void draw_correctness(Request& r, Accuracy acc, double difficulty, Rng& rng);

// P(cloud correct | edge wrong): the rate that makes the cloud's mean accuracy acc.cloud.
double cloud_given_edge_wrong(Accuracy acc);

// Draft/verify agreement (workloads/draft_tokens.hpp, docs/speculation-model.md).
// A dataset's answer-agreement model: its accuracy targets, and the chance
// that two wrong answers to the same question coincide (assumption per dataset).
struct AgreementModel {
  const char* dataset;
  Accuracy target;
  double same_wrong;
};
inline constexpr double kDraftAcceptanceLo = 0.05, kDraftAcceptanceHi = 0.98;
inline constexpr double kDraftAcceptanceNoise = 0.05;  // sd of the per-request noise (assumption)
// Datasets without an agreement model (recorded traces): Request's default.
inline constexpr double kDraftAcceptanceDefault = 0.7;

// Long answers (captions, descriptions, open-ended VQA) agree token by token,
// not as one answer, so their alpha comes from measured speculative decoding
// on VLMs instead: papers report tau, the mean tokens per draft/verify round
// (accepted drafts plus the verifier's own token). With i.i.d. per-token
// acceptance alpha over gamma drafted tokens (Leviathan et al., arXiv
// 2211.17192) tau = (1 - alpha^(gamma+1)) / (1 - alpha) = 1 + alpha + ... +
// alpha^gamma, increasing in alpha; this inverts it by bisection.
constexpr double acceptance_from_round_tokens(double tau, int gamma) {
  double lo = 0, hi = 1;
  for (int it = 0; it < 60; ++it) {
    const double a = 0.5 * (lo + hi);
    double sum = 0, power = 1;
    for (int i = 0; i <= gamma; ++i, power *= a) sum += power;
    (sum < tau ? lo : hi) = a;
  }
  return 0.5 * (lo + hi);
}

// A long-answer dataset's agreement: its mean per-token alpha and its
// accuracy targets (for the edge's mean confidence p_e).
struct TokenAgreementModel {
  const char* dataset;
  Accuracy target;
  double alpha;
};
// alpha_r = alpha + slope (c - p_e): an edge sure of its answer also phrases it
// more as the cloud would, but less tightly than for a one-word answer, where
// agreeing is being right (slopes 0.68-0.80 above). Assumption.
inline constexpr double kTokenAgreementSlope = 0.3;

// The probability that the edge and cloud models give the same answer, given
// the edge's confidence c, under draw_correctness's model:
//   c k + (1 - c)(1 - g) s,  k = kCloudGivenEdgeCorrect, g = cloud_given_edge_wrong, s = same_wrong,
// i.e. base + slope (c - p_e) with base = p_e k + (1 - p_e)(1 - g) s, slope = k - (1 - g) s,
// clamped to [kDraftAcceptanceLo, kDraftAcceptanceHi] and quantized; the noise-free
// alpha_r of a request of `dataset`. Long-answer datasets: alpha + kTokenAgreementSlope
// (c - p_e), clamped and quantized the same way. kDraftAcceptanceDefault for other datasets.
double draft_acceptance_rule(const std::string& dataset, double edge_confidence);

// Sets r.token_seed and r.draft_acceptance = rule + kDraftAcceptanceNoise x N(0,1),
// clamped and quantized, from streams of their own keyed by (seed, dataset,
// r.id): the generator's Rng is not touched, so every other field keeps its bytes.
void draw_draft_agreement(Request& r, uint64_t seed);

// Image as captured: resolution and JPEG bytes from bits-per-pixel.
ModalityInput draw_image(int width, int height, double median_bytes_per_pixel, Rng& rng);

// COCO-like resolution: long side 640, common aspect ratios.
std::pair<int, int> coco_resolution(Rng& rng);

// Qwen2 tokenizer rule of thumb: about 1.3 tokens per English word.
int words_to_tokens(double words);

// Quantizes MAS parts, sets each modality's combined mas, draws prune_u and
// sets the pruned-correctness flags with correct_under_keep at MAS.
void finish_request(Request& r, Rng& rng);

}  // namespace msao::gen
