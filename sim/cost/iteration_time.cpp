// CostModel's batching iteration: each operator's rates on this device (the
// catalog's efficiencies, a GEMM table, a profile), an operator's time, an
// iteration's total with the serving stack's host work, and the memoised
// totals the serving loop asks for every iteration. The per-request stages
// (encoders, prefill, decode) and memory are in cost_model.cpp.
#include <algorithm>
#include <vector>

#include "sim/cost/cost_model.hpp"

namespace msao::cost {

namespace {
bool on_samples(Op op) { return op == Op::LmHead || op == Op::Sampling; }
bool on_attention(Op op) { return op == Op::AttentionPrefill || op == Op::AttentionDecode; }
// Iterations up to this many tokens (or sampled sequences) have their parts remembered.
constexpr double kRememberedUpTo = 1 << 16;
}  // namespace

void CostModel::resolve_op_rates() {
  // The device-wide rates (catalog x efficiency, or a profile's calibration)
  // scaled by the operator's published efficiency relative to the device's;
  // a profile's own figure for the operator is taken as measured. A
  // profile's GEMM table, measured on this machine, outranks the catalog's
  // figures and table for the linear layers; its own per-operator figures
  // outrank it.
  profile_gemm_ = profile_ && !profile_->gemm.empty();
  for (int i = 0; i < kNumOps; ++i) {
    const std::string& op = operator_names()[i];
    double fl = rates_.flops, bw = rates_.bw;
    bool shaped = !hw_.gemm.empty();  // a linear layer's rates then follow its M (op_rates)
    if (auto it = hw_.operators.find(op); it != hw_.operators.end()) {
      if (it->second.compute) fl *= *it->second.compute / hw_.eff_compute;
      if (it->second.memory) bw *= *it->second.memory / hw_.eff_memory;
      if (it->second.fixed_s) op_fixed_s_[i] = *it->second.fixed_s;
      shaped = false;
    }
    if (profile_gemm_) shaped = true;
    if (profile_)
      if (auto it = profile_->operators.find(op); it != profile_->operators.end()) {
        if (it->second.compute) fl = hw_.flops * *it->second.compute;
        if (it->second.memory) bw = hw_.mem_bw * *it->second.memory;
        // Its measured times hold whatever a call costs besides its bytes.
        op_fixed_s_[i] = it->second.fixed_s.value_or(0);
        shaped = false;
      }
    op_rates_[i] = {fl, bw};
    gemm_shaped_[i] = shaped;
  }
  // A profile's table is in fractions of the catalog's peaks, as its
  // `operators:` are; the catalog's own scales the device's rates (or a
  // profile's calibration of them) back to peak.
  gemm_peak_ = profile_gemm_ ? std::pair{hw_.flops, hw_.mem_bw}
                             : std::pair{rates_.flops / hw_.eff_compute, rates_.bw / hw_.eff_memory};
}

std::pair<double, double> CostModel::op_rates(const OpWork& op) const {
  const int i = static_cast<int>(op.op);
  if (op.gemm_tokens <= 0 || !gemm_shaped_[i]) return op_rates_[i];
  // The device's rates (or a profile's calibration of them) at the
  // efficiency the GEMM table gives for this many tokens.
  const auto [memory, compute] = gemm_table().at(op.gemm_tokens);
  return {gemm_peak_.first * compute, gemm_peak_.second * memory};
}

double CostModel::op_seconds(const OpWork& op, bool graphed) const {
  const auto [fl, bw] = op_rates(op);
  return op_seconds_at(op, graphed, fl, bw);
}

double CostModel::op_seconds_at(const OpWork& op, bool graphed, double fl, double bw) const {
  double s = std::max(op.flops / fl, op.bytes / bw) + (graphed ? 0 : op.launches * rates_.launch_s) +
             op.launches * op_fixed_s_[static_cast<int>(op.op)];
  if (op.comm_calls > 0 || op.comm_bytes > 0)
    s += op.comm_calls * hw_.interconnect.latency_s + op.comm_bytes / hw_.interconnect.bandwidth_Bps;
  return s;
}

bool CostModel::graphed(const std::vector<PrefillChunk>& prefills, const std::vector<int>& decode_contexts) const {
  return prefills.empty() && !decode_contexts.empty() &&
         int(decode_contexts.size()) <= host_.cuda_graph_max_batch;
}

double CostModel::iteration_host_s(const std::vector<PrefillChunk>& prefills,
                                   const std::vector<int>& decode_contexts) const {
  const double sequences = double(prefills.size() + decode_contexts.size());
  return host_.iteration_overhead.empty() || sequences == 0 ? 0 : host_.iteration_overhead(sequences);
}

std::vector<StageCost> CostModel::iteration_breakdown(const std::vector<PrefillChunk>& prefills,
                                                      const std::vector<int>& decode_contexts) const {
  std::vector<StageCost> rows;
  const bool graph = graphed(prefills, decode_contexts);
  for (const OpWork& op : iteration_ops(model_, par_, prefills, decode_contexts)) {
    const auto [fl, bw] = op_rates(op);
    const bool comm = op.comm_bytes > 0;
    rows.push_back({op_name(op.op), op.flops, op.bytes, 0, op_seconds(op, graph),
                    comm ? "interconnect" : op.flops / fl >= op.bytes / bw ? "compute" : "memory"});
  }
  if (graph) rows.push_back({"graph_launch", 0, 0, 0, rates_.launch_s, "host"});
  if (const double host_s = iteration_host_s(prefills, decode_contexts); host_s > 0)
    rows.push_back({"cpu_overhead", 0, 0, 0, host_s, "host"});
  return rows;
}

IterationTotals CostModel::iteration_totals(const std::vector<PrefillChunk>& prefills,
                                           const std::vector<int>& decode_contexts, const char** bound) const {
  IterationTotals c;
  double compute_s = 0, other_s = 0;
  // A decode step CUDA graphs replay launches once, not once per kernel.
  const bool graph = graphed(prefills, decode_contexts);
  if (graph) c.seconds += rates_.launch_s;
  for_each_op(model_, par_, prefills, decode_contexts, [&](const OpWork& op) {
    const auto [fl, bw] = op_rates(op);
    const double secs = op_seconds_at(op, graph, fl, bw);
    c.flops += op.flops;
    c.bytes += op.bytes;
    c.seconds += secs;
    if (bound) (op.comm_bytes == 0 && op.flops / fl >= op.bytes / bw ? compute_s : other_s) += secs;
  });
  if (bound) *bound = compute_s >= other_s ? "compute" : "memory";
  bool host_bound = false;
  c.seconds = with_host_s(c.seconds, prefills, decode_contexts, &host_bound);
  if (bound && host_bound) *bound = "host";
  return c;
}

double CostModel::with_host_s(double gpu_s, const std::vector<PrefillChunk>& prefills,
                              const std::vector<int>& decode_contexts, bool* host_bound) const {
  double s = gpu_s;
  // An eager host issues the kernels layer by layer while the GPU runs
  // them: the forward ends when the slower of the two does.
  const double host_s = model_.decoder.layers * host_.decoder_layer_s + host_.multimodal_step_s;
  if (host_s > s) {
    s = host_s;
    if (host_bound) *host_bound = true;
  }
  // The batching server's own host work (scheduling, preparing inputs,
  // sampling, processing outputs) runs between the GPU's forward passes,
  // or beside them when the engine schedules one iteration ahead.
  const double iteration_s = iteration_host_s(prefills, decode_contexts);
  if (host_.overlapped) {
    if (iteration_s > s && host_bound) *host_bound = true;
    return std::max(s, iteration_s);
  }
  return s + iteration_s;
}

const CostModel::OpParts& CostModel::parts_at(std::vector<OpParts>& cache, double n, bool samples) const {
  const auto i = static_cast<size_t>(n);
  if (i >= cache.size()) cache.resize(i + 1);
  OpParts& parts = cache[i];
  if (parts.filled) return parts;
  IterationShape sh;
  (samples ? sh.S : sh.T) = n;
  for_each_op(model_, par_, sh, [&](const OpWork& w) {
    if (on_attention(w.op) || on_samples(w.op) != samples) return;
    parts.op[static_cast<int>(w.op)] = {w.flops, w.bytes, op_seconds(w, false), op_seconds(w, true), true};
  });
  parts.filled = true;
  return parts;
}

IterationTotals CostModel::remembered_iteration_totals(const std::vector<PrefillChunk>& prefills,
                                                       const std::vector<int>& decode_contexts) const {
  const IterationShape sh = iteration_shape(model_, par_, prefills, decode_contexts);
  if (sh.T > kRememberedUpTo || sh.S > kRememberedUpTo) return iteration_totals(prefills, decode_contexts);
  const bool graph = graphed(prefills, decode_contexts);
  const OpParts& tokens = parts_at(by_tokens_, sh.T, false);
  const OpParts& samples = parts_at(by_samples_, sh.S, true);
  OpParts attention;
  IterationShape only_attention = sh;
  only_attention.T = only_attention.S = 0;
  for_each_op(model_, par_, only_attention, [&](const OpWork& w) {
    if (on_attention(w.op)) {
      const double secs = op_seconds(w, graph);
      attention.op[static_cast<int>(w.op)] = {w.flops, w.bytes, secs, secs, true};
    }
  });
  // Summed as iteration_totals sums them, operator by operator in order.
  IterationTotals c;
  if (graph) c.seconds += rates_.launch_s;
  for (Op op : op_order_) {
    const OpParts& from = on_attention(op) ? attention : on_samples(op) ? samples : tokens;
    const OpPart& p = from.op[static_cast<int>(op)];
    if (!p.present) continue;
    c.flops += p.flops;
    c.bytes += p.bytes;
    c.seconds += graph ? p.graphed_seconds : p.seconds;
  }
  c.seconds = with_host_s(c.seconds, prefills, decode_contexts);
  return c;
}

}  // namespace msao::cost
