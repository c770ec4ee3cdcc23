// The one definition of the combined Modality Activation Sparsity (MAS)
// score, shared by the workload generators, the policies and the kernel
// backend (kernels/ computes the three parts from activations; this file
// says how they combine). Header-only so kernels/ can use it without the
// simulator core.
//
// Parts, each in [0,1]:
//   spatial  - fraction of image patches needed to cover the target share of
//              the prompt's attention mass (1 = every patch matters);
//   temporal - fraction of frames that are not near-duplicates of the last
//              kept frame (1 = no redundancy; images and audio clips use 1
//              unless the workload says otherwise);
//   modal    - cosine relevance of the prompt to the modality, clamped to [0,1].
// Combined: the fraction of the modality's content that matters, scaled by
// how relevant the modality is at all:  mas = spatial * temporal * modal.
// The content a policy must keep to lose nothing is spatial * temporal (see
// needed_fraction); modal decides whether the modality is needed at all.
#pragma once
#include <algorithm>
#include <array>

#include "sim/request.hpp"

namespace msao {

inline double clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

inline double combine_mas(double spatial, double temporal, double modal) {
  return clamp01(spatial) * clamp01(temporal) * clamp01(modal);
}

// Fraction of a modality's content (patches x frames) that carries the
// attention mass the MAS parts describe.
inline double needed_fraction(double spatial, double temporal) { return clamp01(spatial) * clamp01(temporal); }

// The one accuracy effect of pruning. pruning_retention(k, s) is the
// probability that an answer that is correct on the full input stays correct
// when the modality keeps the fraction k of its content (patches x frames):
//   n = needed_fraction(s.spatial, s.temporal)
//   r(k) = 1                              for k >= n (nothing that matters is lost)
//   r(k) = 1 - modal * (1 - k/n)^2        for k <  n
// It is continuous with a continuous slope at k = n, so pruning a little
// below the needed part costs little and the loss grows smoothly, and falls
// to 1 - modal when the modality is dropped entirely (k = 0): modal is the
// request's dependence on the modality (the share of its correct answers a
// language prior cannot recover). The generators' MAS distributions are
// calibrated so that this function reproduces published accuracy-versus-
// kept-visual-tokens curves (traces/README.md, "Calibration").
inline double pruning_retention(double keep_fraction, const MasScore& s) {
  const double n = needed_fraction(s.spatial, s.temporal);
  const double k = clamp01(keep_fraction);
  if (k >= n) return 1.0;
  const double gap = 1.0 - k / n;
  return 1.0 - clamp01(s.modal) * gap * gap;
}

// Retention when the kept fraction k is chosen blind to MAS (uniformly at
// random over the content, as a pruner that knows only how much to keep):
// every region loses the same share, so the needed part is covered only in
// proportion to k. That is pruning_retention with all of the content
// needed (n = 1): 1 - modal * (1 - k)^2. Equal to it at k = 0 (dropped) and
// k = 1; below it wherever MAS-guided pruning keeps all that matters.
inline double uniform_pruning_retention(double keep_fraction, const MasScore& s) {
  const double gap = 1.0 - clamp01(keep_fraction);
  return 1.0 - clamp01(s.modal) * gap * gap;
}

// Whether an answer correct on the full input survives MAS-blind pruning to
// `keep`: as correct_under_keep, with uniform_pruning_retention. A recorded
// answer pruned to the MAS does not apply (other content was kept).
inline bool correct_under_uniform_keep(bool correct_full, const Request& r,
                                       const std::array<double, kNumModalities>& keep) {
  double p = 1.0;
  for (int m = 0; m < kNumModalities; ++m)
    if (r.inputs[m].present) p *= uniform_pruning_retention(keep[m], r.inputs[m].mas);
  return correct_full && r.prune_u < p;
}

// Retention of a whole request when each present modality m keeps
// keep[m]: the product over present modalities (losses are independent).
inline double request_retention(const Request& r, const std::array<double, kNumModalities>& keep) {
  double p = 1.0;
  for (int m = 0; m < kNumModalities; ++m)
    if (r.inputs[m].present) p *= pruning_retention(keep[m], r.inputs[m].mas);
  return p;
}

// Deterministic verdict of the model: a model that answers correctly on the
// full input still does so under pruning iff the request's stored uniform
// prune_u is below the retention. Smaller keep fractions can only turn
// answers wrong. The generators set the *_pruned flags with this.
inline bool correct_under_keep(bool correct_full, const Request& r, const std::array<double, kNumModalities>& keep) {
  return correct_full && r.prune_u < request_retention(r, keep);
}

// Keep fractions that prune every present modality to its MAS (the
// "pruned" ground-truth flags of a Request use these).
inline std::array<double, kNumModalities> keep_at_mas(const Request& r) {
  std::array<double, kNumModalities> k{};
  for (int m = 0; m < kNumModalities; ++m) k[m] = r.inputs[m].present ? r.inputs[m].mas.mas : 1.0;
  return k;
}

// The simulator's verdict, which also uses the request's recorded answer when
// pruned to its MAS (correct_at_mas: a *_pruned column, given as measured in
// a recorded trace, or the model's own verdict in a generated one). With
// R(k) = request_retention at keep k and R_mas at the MAS keep:
//   - keep covers every present modality's needed fraction: nothing that
//     matters is lost, the full-input answer stands;
//   - keep at or below the MAS keep in every modality: the recorded pruned
//     answer, surviving with probability R(k) / R_mas (less kept, no gain);
//   - keep at or above it in every modality: the recorded pruned answer if
//     correct, else the full answer recovered with probability
//     (R(k) - R_mas) / (1 - R_mas) (more kept, no loss);
//   - otherwise (mixed): the model alone.
// prune_u decides: where the recorded answer agrees with the model at the MAS
// keep (always, for a generated request) exactly as correct_under_keep does;
// where it does not, rescaled to a uniform on its side of R_mas. At keep =
// MAS exactly it is the recorded answer.
inline bool verdict_under_keep(bool correct_full, bool correct_at_mas, const Request& r,
                               const std::array<double, kNumModalities>& keep) {
  bool above_mas = true, below_mas = true, covers_need = true;
  for (int m = 0; m < kNumModalities; ++m) {
    const ModalityInput& in = r.inputs[m];
    if (!in.present) continue;
    const double k = clamp01(keep[m]);
    above_mas = above_mas && k >= in.mas.mas;
    below_mas = below_mas && k <= in.mas.mas;
    covers_need = covers_need && k >= needed_fraction(in.mas.spatial, in.mas.temporal);
  }
  if (covers_need) return correct_full;
  if (!above_mas && !below_mas) return correct_under_keep(correct_full, r, keep);
  const double rk = request_retention(r, keep), rm = request_retention(r, keep_at_mas(r));
  const double u = r.prune_u;
  if (below_mas) {
    if (!correct_at_mas) return false;
    if (u < rm) return u < rk;  // as the model decided at the MAS keep
    return (u - rm) / (1 - rm) < rk / rm;  // a recorded survivor the model would have lost
  }
  if (correct_at_mas) return true;
  if (!correct_full) return false;
  if (u >= rm) return u < rk;  // as the model decided at the MAS keep
  return u / rm < (rk - rm) / (1 - rm);  // a recorded loss the model would have kept
}

}  // namespace msao
