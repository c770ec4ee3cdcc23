#include "sim/cost/stage_dag.hpp"

#include <algorithm>
// Boost.Graph's edge iterators trip a GCC false positive at -O2 when instantiated here.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/graph/boykov_kolmogorov_max_flow.hpp>
#include <deque>
#include <stdexcept>

#include "sim/config/input_error.hpp"

namespace msao::cost {

int StageDag::add_stage(std::string name, double edge_s, double cloud_s, bool pinned_edge) {
  return int(boost::add_vertex(StageNode{std::move(name), edge_s, cloud_s, pinned_edge}, g_));
}

void StageDag::add_arc(int from, int to, double bytes) {
  if (from >= to || to >= size()) throw std::invalid_argument("StageDag arcs must go forward in insertion order");
  boost::add_edge(size_t(from), size_t(to), StageArc{bytes}, g_);
}

int StageDag::find(const std::string& name) const {
  for (int v = 0; v < size(); ++v)
    if (node(v).name == name) return v;
  return -1;
}

// Bytes of a cut arc cost their serialisation time; the round trip is paid
// once per offloaded request (every arc that goes up travels in one upload
// message, every arc that comes down in one reply), not once per arc.
static double crossing_seconds(double bytes, double bandwidth_Bps) {
  return bytes / bandwidth_Bps;
}

Placement evaluate(const StageDag& dag, const std::vector<Side>& side, double bandwidth_Bps, double rtt_s) {
  Placement p;
  p.side = side;
  for (int v = 0; v < dag.size(); ++v) {
    const StageNode& n = dag.node(v);
    if (side[v] == Side::Edge) {
      p.edge_s += n.edge_s;
      p.edge_stages.push_back(n.name);
    } else {
      p.cloud_s += n.cloud_s;
      p.cloud_stages.push_back(n.name);
    }
  }
  const StageGraph& g = dag.graph();
  for (auto [e, end] = boost::edges(g); e != end; ++e) {
    const auto u = boost::source(*e, g), v = boost::target(*e, g);
    if (side[u] == side[v]) continue;
    const double b = g[*e].bytes;
    p.transfer_s += crossing_seconds(b, bandwidth_Bps);
    (side[u] == Side::Edge ? p.upload_bytes : p.download_bytes) += b;
  }
  if (!p.cloud_stages.empty()) p.transfer_s += rtt_s;
  p.latency_s = p.edge_s + p.cloud_s + p.transfer_s;
  return p;
}

// ---- the request's DAG ------------------------------------------------------

StageDag build_stage_dag(const Request& r, const CostModel& on_edge, const CostModel& on_cloud,
                         const std::array<double, kNumModalities>& keep_fraction) {
  const ModelSpec& model = on_edge.model();
  StageDag dag;
  const int input = dag.add_stage("input", 0, 0, true);
  struct Branch {
    int proj;
    double bytes;
  };
  std::vector<Branch> branches;
  int prefill_tokens = r.prompt_tokens;
  for (int i = 0; i < kNumModalities; ++i) {
    const auto m = static_cast<Modality>(i);
    const ModalityInput& in = r.input(m);
    if (!in.present) continue;
    // A modality the model has no encoder for is ignored, as the planner's
    // model runs ignore it (e.g. the audio track of a video for a vision model).
    if (!model.accepts(m) || !on_cloud.model().accepts(m)) continue;
    const double keep = keep_fraction[i];
    const int tokens = on_edge.encoder_tokens(m, in, keep);
    const int positions = on_edge.encoder_positions(m, in, keep);
    const StageCost enc_edge = on_edge.encoder(m, in, keep), proj_edge = on_edge.projector(m, tokens);
    const int enc = dag.add_stage(enc_edge.stage, enc_edge.seconds, on_cloud.encoder(m, in, keep).seconds);
    dag.add_arc(input, enc, in.bytes * std::clamp(keep, 0.0, 1.0));
    const int proj = dag.add_stage(proj_edge.stage, proj_edge.seconds, on_cloud.projector(m, tokens).seconds);
    dag.add_arc(enc, proj, kActivationBytes * positions * model.encoder(m).tf.hidden);
    branches.push_back({proj, kActivationBytes * tokens * model.decoder.hidden});
    prefill_tokens += tokens;
  }
  prefill_tokens = std::max(prefill_tokens, 1);
  const int prefill =
      dag.add_stage("prefill", on_edge.prefill(prefill_tokens).seconds, on_cloud.prefill(prefill_tokens).seconds);
  dag.add_arc(input, prefill, kTokenIdBytes * r.prompt_tokens);
  for (const auto& b : branches) dag.add_arc(b.proj, prefill, b.bytes);
  const int out = std::max(r.output_tokens, 1);
  const int decode = dag.add_stage("decode", on_edge.decode(prefill_tokens, out).seconds,
                                   on_cloud.decode(prefill_tokens, out).seconds);
  dag.add_arc(prefill, decode, on_edge.kv_bytes_per_token() * prefill_tokens);
  const int output = dag.add_stage("output", 0, 0, true);
  dag.add_arc(decode, output, kTokenIdBytes * out);
  return dag;
}

// ---- Neurosurgeon -----------------------------------------------------------

SplitDecision best_split(const StageDag& dag, double bandwidth_Bps, double rtt_s) {
  SplitDecision best;
  best.latency_s = -1;
  const int n = dag.size();
  for (int k = 1; k <= n; ++k) {
    std::vector<Side> side(n);
    for (int v = 0; v < n; ++v) side[v] = (v < k || dag.node(v).pinned_edge) ? Side::Edge : Side::Cloud;
    Placement p = evaluate(dag, side, bandwidth_Bps, rtt_s);
    if (best.latency_s < 0 || p.latency_s < best.latency_s - 1e-15) {
      static_cast<Placement&>(best) = std::move(p);
      best.split = k;
    }
  }
  return best;
}

// ---- DADS min-cut -----------------------------------------------------------

namespace {
using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using FlowGraph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS,
    boost::property<boost::vertex_index_t, long,
                    boost::property<boost::vertex_color_t, boost::default_color_type,
                                    boost::property<boost::vertex_distance_t, long,
                                                    boost::property<boost::vertex_predecessor_t,
                                                                    Traits::edge_descriptor>>>>,
    boost::property<boost::edge_capacity_t, double,
                    boost::property<boost::edge_residual_capacity_t, double,
                                    boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;

// An arc pair u->v (cap_uv) and v->u (cap_vu), each the other's reverse.
void add_pair(FlowGraph& g, size_t u, size_t v, double cap_uv, double cap_vu) {
  auto cap = boost::get(boost::edge_capacity, g);
  auto rev = boost::get(boost::edge_reverse, g);
  auto e1 = boost::add_edge(u, v, g).first, e2 = boost::add_edge(v, u, g).first;
  cap[e1] = cap_uv;
  cap[e2] = cap_vu;
  rev[e1] = e2;
  rev[e2] = e1;
}
}  // namespace

CutDecision min_cut(const StageDag& dag, double bandwidth_Bps, double rtt_s) {
  const int n = dag.size();
  const size_t s = size_t(n), t = size_t(n) + 1;  // s: the edge terminal, t: the cloud terminal
  const StageGraph& sg = dag.graph();
  double total = 1;
  for (int v = 0; v < n; ++v) total += dag.node(v).edge_s + dag.node(v).cloud_s;
  for (auto [e, end] = boost::edges(sg); e != end; ++e) total += 2 * crossing_seconds(sg[*e].bytes, bandwidth_Bps);
  const double inf = 4 * total;

  FlowGraph g(size_t(n) + 2);
  for (int v = 0; v < n; ++v) {
    const StageNode& node = dag.node(v);
    // s->v is cut when v runs in the cloud; v->t when it runs on the edge.
    add_pair(g, s, size_t(v), node.pinned_edge ? inf : node.cloud_s, 0);
    add_pair(g, size_t(v), t, node.edge_s, 0);
  }
  for (auto [e, end] = boost::edges(sg); e != end; ++e) {
    const double c = crossing_seconds(sg[*e].bytes, bandwidth_Bps);
    add_pair(g, boost::source(*e, sg), boost::target(*e, sg), c, c);  // upload one way, download the other
  }
  const double flow = boost::boykov_kolmogorov_max_flow(g, s, t);

  // Edge side = reachable from s in the residual graph.
  auto res = boost::get(boost::edge_residual_capacity, g);
  std::vector<char> reach(size_t(n) + 2, 0);
  std::deque<size_t> q{s};
  reach[s] = 1;
  const double eps = 1e-12 * total;
  while (!q.empty()) {
    const size_t u = q.front();
    q.pop_front();
    for (auto [e, end] = boost::out_edges(u, g); e != end; ++e) {
      const size_t v = boost::target(*e, g);
      if (!reach[v] && res[*e] > eps) {
        reach[v] = 1;
        q.push_back(v);
      }
    }
  }
  std::vector<Side> side(n);
  for (int v = 0; v < n; ++v) side[v] = reach[size_t(v)] ? Side::Edge : Side::Cloud;
  // The cut ignores the round trip, which any offloading placement pays
  // once: the optimum is the min cut plus the RTT, or everything on the edge.
  CutDecision d;
  static_cast<Placement&>(d) = evaluate(dag, side, bandwidth_Bps, rtt_s);
  d.cut_value = flow + (d.cloud_stages.empty() ? 0 : rtt_s);
  Placement local = evaluate(dag, std::vector<Side>(n, Side::Edge), bandwidth_Bps, rtt_s);
  if (local.latency_s < d.cut_value) {
    static_cast<Placement&>(d) = std::move(local);
    d.cut_value = d.latency_s;
  }
  return d;
}

}  // namespace msao::cost
