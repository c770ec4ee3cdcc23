#include "sim/policy/planner.hpp"

#include <cmath>

#include "sim/policy/prompt_reuse_of.hpp"
#include "sim/policy/token_costs.hpp"
#include "workloads/mas.hpp"

namespace msao {

Planner::Planner(cost::CostModel edge, cost::CostModel cloud, cost::CostModel cloud_on_edge, Protocol proto)
    : edge_(std::move(edge)), cloud_(std::move(cloud)), cloud_on_edge_(std::move(cloud_on_edge)), proto_(proto) {}

Planner::ModelRun Planner::inputs_run(const cost::CostModel& m, const Request& r, const KeepArray& keep) const {
  ModelRun run;
  int visual = 0;
  for (int i = 0; i < kNumModalities; ++i) {
    const auto& in = r.inputs[i];
    const auto mod = static_cast<Modality>(i);
    if (!in.present || keep[i] <= 0 || !m.model().accepts(mod)) continue;
    auto enc = m.encoder(mod, in, keep[i]);
    int toks = m.encoder_tokens(mod, in, keep[i]);
    auto proj = m.projector(mod, toks);
    run.pre_s += enc.seconds + proj.seconds;
    run.pre_flops += enc.flops + proj.flops;
    run.pre_activation_bytes = std::max(run.pre_activation_bytes, m.encoder_activation_bytes(mod, in, keep[i]));
    visual += toks;
  }
  run.tokens = r.prompt_tokens + visual;
  return run;
}

Planner::ModelRun Planner::model_run(const cost::CostModel& m, const Request& r, const KeepArray& keep,
                                     double token_keep, int prune_layer) const {
  ModelRun run = inputs_run(m, r, keep);
  const int visual = run.tokens - r.prompt_tokens;
  run.visual = visual;
  auto full = m.prefill(run.tokens);
  // The edge model still holds this conversation's earlier turns (and the
  // media, laid out as the same visual tokens): only the rest is prefilled,
  // and no encoder runs once the media's positions are held.
  const int held = &m == &edge_ && token_keep >= 1.0 && visual == r.edge_context_visual
                       ? std::min(r.edge_context_tokens, run.tokens - 1)
                       : 0;
  if (held > 0) {
    run.held = held;
    full = m.batch_iteration({{run.tokens - held, held, true}}, {});
    if (held >= r.prefix_tokens + visual) run.pre_s = run.pre_flops = 0;
  }
  int ctx = run.tokens;
  if (token_keep < 1.0) {
    // FastV: layers before prune_layer see every token, the rest the kept ones.
    const int kept = r.prompt_tokens + static_cast<int>(std::lround(visual * token_keep));
    const double f = std::min(1.0, static_cast<double>(prune_layer) / m.model().decoder.layers);
    auto small = m.prefill(kept);
    run.prefill_s = f * full.seconds + (1 - f) * small.seconds;
    run.prefill_flops = f * full.flops + (1 - f) * small.flops;
    ctx = kept;
  } else {
    run.prefill_s = full.seconds;
    run.prefill_flops = full.flops;
  }
  if (r.output_tokens > 1) {
    auto dec = m.decode(ctx, r.output_tokens - 1);
    run.decode_s = dec.seconds;
    run.decode_flops = dec.flops;
  }
  // Its memory peak: the prefill (the prompt's KV and the larger of the
  // encoders' and the prefill's activations, all tokens being seen in the
  // first layers even when FastV prunes later) or the last decode step
  // (the whole context's KV, one token's activations), whichever holds more.
  const double w = m.weight_bytes(), kv = m.kv_bytes_per_token();
  const cost::MemoryUse at_prefill{w, ctx * kv, std::max(run.pre_activation_bytes, m.forward_activation_bytes(run.tokens, 1)), 0};
  const cost::MemoryUse at_end{w, (ctx + std::max(0, r.output_tokens - 1)) * kv, m.forward_activation_bytes(1, 1), 0};
  run.mem = cost::peak_of(at_prefill, at_end);
  return run;
}

std::pair<double, double> Planner::mas_cost(const Request& r) const {
  // The MAS kernel path on the edge, per present modality
  // (cost::CostModel::mas_kernel: measured per token with a kernel profile,
  // else its own work on the roofline).
  double s = 0, flops = 0;
  for (int i = 0; i < kNumModalities; ++i) {
    const auto& in = r.inputs[i];
    const auto mod = static_cast<Modality>(i);
    if (!in.present || !edge_.model().accepts(mod)) continue;
    const auto k = edge_.mas_kernel(mod, in, r.prompt_tokens);
    s += k.seconds;
    flops += k.flops;
  }
  return {s, flops};
}

double Planner::upload_bytes(const Request& r, const KeepArray& keep) const {
  double b = proto_.header_bytes + r.prompt_tokens * proto_.bytes_per_token;
  for (int i = 0; i < kNumModalities; ++i)
    if (r.inputs[i].present) b += r.inputs[i].bytes * std::clamp(keep[i], 0.0, 1.0);
  return b;
}

cost::StageDag Planner::stage_dag(const Request& r, const KeepArray& keep) const {
  return cost::build_stage_dag(r, cloud_on_edge_, cloud_, keep);
}

namespace {
// The policy's own phase sequence, else the standard one of its placement and speculation.
Phases phases_or(const Plan& p, const Phases& standard) { return p.phases.empty() ? standard : p.phases; }
}  // namespace

ExecPlan Planner::plan_head(const Request& r, const Plan& p) const {
  ExecPlan e;
  e.decision = p.label;
  KeepArray edge_keep = p.keep;  // what the edge model effectively sees
  if (p.token_keep < 1.0)
    for (int i = 0; i < kNumModalities; ++i) edge_keep[i] = std::min(edge_keep[i], p.token_keep);
  if (p.uniform_prune) {
    e.edge_answer_correct = correct_under_uniform_keep(r.edge_correct_full, r, edge_keep);
    e.cloud_answer_correct = correct_under_uniform_keep(r.cloud_correct_full, r, p.keep);
  } else {
    e.edge_answer_correct = verdict_under_keep(r.edge_correct_full, r.edge_correct_pruned, r, edge_keep);
    e.cloud_answer_correct = verdict_under_keep(r.cloud_correct_full, r.cloud_correct_pruned, r, p.keep);
  }
  e.fallback_correct = e.edge_answer_correct;
  e.edge_confident = r.edge_confidence >= p.confidence_threshold;
  if (p.mas_on_edge) {
    const auto [s, flops] = mas_cost(r);
    e.edge_pre_s += s;
    e.edge_flops += flops;
    // MAS runs the edge model's early encoder layers: its weights are
    // loaded and the encoder's activations are live.
    e.edge_mem.weights = edge_.weight_bytes();
    for (int i = 0; i < kNumModalities; ++i)
      e.edge_mem.activations = std::max(
          e.edge_mem.activations, edge_.encoder_activation_bytes(static_cast<Modality>(i), r.inputs[i]));
  }
  return e;
}

ExecPlan Planner::plan(const Request& r, const Plan& p) const {
  if (p.placement == Placement::Split) return plan(r, p, stage_dag(r, p.keep));
  return with_fallback(r, p, plan_unsplit(r, p));
}

ExecPlan Planner::plan(const Request& r, const Plan& p, const cost::StageDag& dag) const {
  return with_fallback(r, p, plan_split(r, p, dag));
}

ExecPlan Planner::with_fallback(const Request& r, const Plan& p, ExecPlan e) const {
  // A plan that reaches the cloud gets one; an edge answer it already plans
  // is that fallback, else the edge model's own answer is priced for it.
  if (plan_fallback && (e.phases.contains(Phase::Cloud) || e.phases.contains(Phase::Tokens))) {
    if (e.edge_answer_s > 0) {
      e.fallback_edge_s = e.edge_answer_s;
      e.fallback_edge_ttft_s = e.edge_ttft_s;
    } else {
      const ModelRun m = model_run(edge_, r, p.keep, p.token_keep, p.prune_layer);
      e.fallback_edge_s = m.pre_s + m.prefill_s + m.decode_s;
      e.fallback_edge_ttft_s = m.pre_s + m.prefill_s;
    }
  }
  return e;
}

ExecPlan Planner::plan_unsplit(const Request& r, const Plan& p) const {
  ExecPlan e = plan_head(r, p);
  const KeepArray keep = p.keep;

  auto edge_run = [&] { return model_run(edge_, r, keep, p.token_keep, p.prune_layer); };
  auto edge_answer = [&](const ModelRun& m) {
    e.edge_prompt_tokens = m.tokens;
    e.edge_visual_tokens = m.visual;
    e.edge_cached_tokens = m.held;
    e.edge_answer_s = m.pre_s + m.prefill_s + m.decode_s;
    e.edge_ttft_s = m.pre_s + m.prefill_s;
    e.edge_answer_flops = m.pre_flops + m.prefill_flops + m.decode_flops;
    e.edge_flops += e.edge_answer_flops;
    e.edge_mem = cost::peak_of(e.edge_mem, m.mem);
  };

  if (p.placement == Placement::Edge && p.spec == Speculation::None) {
    e.phases = phases_or(p, scheme::kEdge);
    edge_answer(edge_run());
    return e;
  }
  // Cloud placement, possibly with speculation on the edge. The cloud job's
  // prefill and decode are costed by the batching server, iteration by
  // iteration: the plan needs only the encoders' work and the token count.
  const ModelRun c = inputs_run(cloud_, r, keep);
  e.cloud.pre_s = c.pre_s;
  e.cloud.pre_flops = c.pre_flops;
  e.cloud.pre_activation_bytes = c.pre_activation_bytes;
  e.cloud.prefill_tokens = c.tokens;
  e.cloud.encoder_tokens = c.pre_s > 0 ? c.tokens - r.prompt_tokens : 0;
  e.cloud.decode_tokens = r.output_tokens;
  e.cloud.reuse = prompt_reuse_of(r, c.tokens - r.prompt_tokens);
  e.upload_bytes = upload_bytes(r, keep);
  e.reply_bytes = reply_bytes(r.output_tokens);
  switch (p.spec) {
    case Speculation::None:
      e.phases = phases_or(p, scheme::kOffload);
      return e;
    case Speculation::Race:
      e.phases = phases_or(p, scheme::kRace);
      edge_answer(edge_run());
      return e;
    case Speculation::Cascade:
      e.phases = phases_or(p, scheme::kCascade);
      edge_answer(edge_run());
      return e;
    case Speculation::Tokens: {
      // Token-level collaboration: the rule decides round by round; every
      // phase is costed here (sim/policy/token_costs.cpp).
      e.phases = phases_or(p, scheme::kTokens);
      const ModelRun m = edge_run();
      e.edge_prompt_tokens = m.tokens;
      e.edge_visual_tokens = m.visual;
      e.edge_cached_tokens = m.held;
      e.edge_answer_s = m.pre_s + m.prefill_s + m.decode_s;  // the edge drafting the whole answer alone
      e.edge_ttft_s = m.pre_s + m.prefill_s;
      e.edge_mem = cost::peak_of(e.edge_mem, m.mem);
      TokenCostInputs in;
      in.edge = &edge_;
      in.header_bytes = proto_.header_bytes;
      in.bytes_per_token = proto_.bytes_per_token;
      in.edge_context = {m.pre_s + m.prefill_s, m.pre_flops + m.prefill_flops};
      in.edge_context_tokens = m.tokens;
      in.cloud_context.up_bytes = e.upload_bytes;
      in.cloud_context.job = e.cloud;
      in.cloud_context.job.decode_tokens = 0;
      e.tokens = {p.rule, std::make_shared<PlannedTokenCosts>(in)};
      return e;
    }
  }
  return e;
}

ExecPlan Planner::plan_split(const Request& r, const Plan& p, const cost::StageDag& dag) const {
  ExecPlan e = plan_head(r, p);
  const KeepArray keep = p.keep;
  std::vector<cost::Side> side(dag.size(), cost::Side::Cloud);
  for (int v = 0; v < dag.size(); ++v)
    if (dag.node(v).pinned_edge) side[v] = cost::Side::Edge;
  for (const auto& name : p.edge_stages) {
    int v = dag.find(name);
    if (v >= 0) side[v] = cost::Side::Edge;
  }
  cost::Placement pl = cost::evaluate(dag, side, 1.0, 0.0);
  const int prefill = dag.find("prefill"), decode = dag.find("decode");
  const bool prefill_cloud = prefill >= 0 && side[prefill] == cost::Side::Cloud;
  const bool decode_cloud = decode >= 0 && side[decode] == cost::Side::Cloud;
  e.edge_answer_correct = e.cloud_answer_correct;  // the cloud model's stages answer either way
  if (!prefill_cloud && !decode_cloud && pl.upload_bytes == 0) {
    // Everything on the edge: the full model runs locally.
    e.phases = phases_or(p, scheme::kEdge);
    e.edge_answer_s = pl.edge_s;
    e.edge_ttft_s = pl.edge_s - (decode >= 0 ? dag.node(decode).edge_s : 0);
    e.edge_mem = {cloud_on_edge_.weight_bytes(), 0, 0, 0};
    return e;
  }
  e.phases = phases_or(p, scheme::kOffload);
  for (int v = 0; v < dag.size(); ++v) {
    if (side[v] != cost::Side::Edge) continue;
    if (v == decode)
      e.edge_post_s += dag.node(v).edge_s;
    else
      e.edge_pre_s += dag.node(v).edge_s;
  }
  // Cloud-side stages before prefill are paid as the job's pre-work; the
  // decoder runs in the batcher (prefill, and decode unless it is on the edge).
  const ModelRun c = inputs_run(cloud_, r, keep);
  double cloud_pre = 0;
  for (int v = 0; v < dag.size(); ++v)
    if (side[v] == cost::Side::Cloud && v != prefill && v != decode) cloud_pre += dag.node(v).cloud_s;
  e.cloud.pre_s = cloud_pre;
  e.cloud.pre_flops = c.pre_flops * (c.pre_s > 0 ? cloud_pre / c.pre_s : 0);
  e.cloud.prefill_tokens = prefill_cloud ? c.tokens : 0;
  e.cloud.encoder_tokens = cloud_pre > 0 ? c.tokens - r.prompt_tokens : 0;
  if (prefill_cloud) e.cloud.reuse = prompt_reuse_of(r, c.tokens - r.prompt_tokens);
  e.cloud.decode_tokens = decode_cloud ? r.output_tokens : 0;
  e.upload_bytes = proto_.header_bytes + pl.upload_bytes;
  e.reply_bytes = proto_.header_bytes + pl.download_bytes;
  return e;
}

double Planner::cloud_batch1_s(const CloudJob& j) const {
  double s = j.pre_s;
  if (j.prefill_tokens > 0) s += cloud_.prefill(j.prefill_tokens).seconds;
  if (j.decode_tokens > 1) s += cloud_.decode(j.context_tokens + j.prefill_tokens, j.decode_tokens - 1).seconds;
  return s;
}

Prediction Planner::predict(const ExecPlan& e, const Phases& phases, double bw_Bps, double rtt_s,
                            int cloud_queue) const {
  auto xfer = [&](double bytes) { return bytes > 0 ? rtt_s / 2 + bytes / std::max(bw_Bps, 1.0) : 0.0; };
  const double service = cloud_batch1_s(e.cloud);
  const double wait = cloud_queue * service / std::max(1, max_batch);
  PhaseTimes t;
  t.edge_pre_s = e.edge_pre_s;
  t.edge_answer_s = e.edge_answer_s;
  t.edge_ttft_s = e.edge_ttft_s;
  t.cloud_path_s = xfer(e.upload_bytes) + wait + service + xfer(e.reply_bytes) + e.edge_post_s;
  t.edge_confident = e.edge_confident;
  return predict_phases(phases, t);
}

Prediction Planner::predict(const ExecPlan& e, const Phases& phases, const Observation& o) const {
  return predict(e, phases, o.bandwidth_est_Bps, o.rtt_est_s, o.cloud_queue);
}

double Planner::predict_latency(const ExecPlan& e, const Observation& o) const {
  return predict(e, e.phases, o).seconds;
}

}  // namespace msao
