#include "sim/cli/cost_iteration.hpp"

#include <cstdio>
#include <iostream>

namespace msao::cli {

void print_json(const nlohmann::ordered_json& j) {
  std::cout << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

int print_cost_iteration(const cost::CostModel& cm, int prefill_chunk, int decode_batch, int context, bool json) {
  std::vector<cost::PrefillChunk> chunks;
  if (prefill_chunk > 0) chunks.push_back({prefill_chunk, 0, true});
  const std::vector<int> decodes(decode_batch, context);
  const auto ops = cm.iteration_breakdown(chunks, decodes);
  const cost::StageCost total = cm.batch_iteration(chunks, decodes);
  const cost::Parallelism& par = cm.parallelism();
  // Model FLOPs utilisation of the replica: its FLOPs over its GPUs' peak.
  // (the cost model gives one tensor-parallel rank's FLOPs over all pipeline stages).
  const double mfu = total.seconds > 0 ? total.flops / (total.seconds * cm.hardware().flops * par.pp) : 0;
  if (json) {
    nlohmann::ordered_json j = {{"model", cm.model().name}, {"hardware", cm.hardware().name}, {"tensor_parallel", par.tp},
                                {"pipeline_parallel", par.pp}, {"prefill_chunk", prefill_chunk},
                                {"decode_batch", decode_batch}, {"context", context}, {"seconds", total.seconds},
                                {"mfu", mfu}, {"operators", nlohmann::ordered_json::array()}};
    for (const auto& op : ops)
      j["operators"].push_back({{"operator", op.stage}, {"flops", op.flops}, {"bytes", op.bytes},
                                {"seconds", op.seconds}, {"bound", op.bound}});
    print_json(j);
    return 0;
  }
  std::printf("%s on %s, tensor_parallel %d, pipeline_parallel %d%s%s\n", cm.model().name.c_str(),
              cm.hardware().name.c_str(), par.tp, par.pp, cm.profiled() ? ", with profile" : "",
              cm.graphed(chunks, decodes) ? ", replayed as one CUDA graph" : "");
  std::printf("one iteration: a %d-token prefill chunk + %d decode steps at context %d (per GPU of a replica)\n\n",
              prefill_chunk, decode_batch, context);
  std::printf("%-18s %12s %12s %11s %7s  %s\n", "operator", "GFLOP", "MB moved", "ms", "share", "bound");
  for (const auto& op : ops)
    std::printf("%-18s %12.3f %12.3f %11.4f %6.1f%%  %s\n", op.stage.c_str(), op.flops / 1e9, op.bytes / 1e6,
                op.seconds * 1e3, 100 * op.seconds / total.seconds, op.bound.c_str());
  std::printf("%-18s %12.3f %12.3f %11.4f %6.1f%%\n", "total", total.flops / 1e9, total.bytes / 1e6,
              total.seconds * 1e3, 100.0);
  std::printf("\nMFU %.1f%% (the replica's FLOPs over its GPUs' peak)\n", 100 * mfu);
  return 0;
}

}  // namespace msao::cli
