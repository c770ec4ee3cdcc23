#include "workloads/recorded_request.hpp"

#include <algorithm>

#include "workloads/gen_common.hpp"
#include "workloads/mas.hpp"
#include "workloads/mas_trace.hpp"
#include "workloads/rng.hpp"

namespace msao {

void finish_recorded(Request& r, uint64_t seed, std::optional<double> prune_u, std::optional<double> draft_acceptance) {
  for (auto& in : r.inputs) {
    if (!in.present) {
      in.mas = MasScore{};
      continue;
    }
    in.mas.spatial = quantize_fraction(clamp01(in.mas.spatial));
    in.mas.temporal = quantize_fraction(clamp01(in.mas.temporal));
    in.mas.modal = quantize_fraction(clamp01(in.mas.modal));
    in.mas.mas = quantize_fraction(combine_mas(in.mas.spatial, in.mas.temporal, in.mas.modal));
  }
  r.edge_confidence = quantize_fraction(clamp01(r.edge_confidence));
  const double u = prune_u ? *prune_u : hash_uniform(stream_seed(seed, "prune-u/" + r.dataset), r.id);
  r.prune_u = std::min(quantize_fraction(u), 0.999999);
  gen::draw_draft_agreement(r, seed);
  if (draft_acceptance) r.draft_acceptance = quantize_fraction(clamp01(*draft_acceptance));
  const auto keep = keep_at_mas(r);
  r.edge_correct_pruned = correct_under_keep(r.edge_correct_full, r, keep);
  r.cloud_correct_pruned = correct_under_keep(r.cloud_correct_full, r, keep);
}

}  // namespace msao
