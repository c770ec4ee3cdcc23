// Stage DAG partitioning: the Boost.Graph min cut equals a brute-force search
// over every edge/cloud assignment, the Neurosurgeon chain split is never
// better than it, and a request's DAG has the expected shape.
#include <doctest/doctest.h>

#include <random>

#include "sim/cost/stage_dag.hpp"

using namespace msao;
using namespace msao::cost;

namespace {
double brute_force(const StageDag& dag, double bw, double rtt) {
  const int n = dag.size();
  double best = -1;
  for (long mask = 0; mask < (1L << n); ++mask) {
    std::vector<Side> side(n);
    bool ok = true;
    for (int v = 0; v < n; ++v) {
      side[v] = (mask >> v) & 1 ? Side::Cloud : Side::Edge;
      if (side[v] == Side::Cloud && dag.node(v).pinned_edge) ok = false;
    }
    if (!ok) continue;
    const double l = evaluate(dag, side, bw, rtt).latency_s;
    if (best < 0 || l < best) best = l;
  }
  return best;
}
}  // namespace

TEST_CASE("min cut equals brute force on random small dags") {
  std::mt19937_64 rng(20261125);
  std::uniform_real_distribution<double> t(0.0, 1.0), bytes(0.0, 4e6);
  for (int trial = 0; trial < 300; ++trial) {
    const int n = 3 + int(rng() % 9);
    StageDag dag;
    for (int v = 0; v < n; ++v) {
      const bool pinned = v == 0 || v == n - 1 || (rng() % 10 == 0);
      std::string name = "s";
      name += std::to_string(v);
      dag.add_stage(name, t(rng), t(rng) * 0.3, pinned);
    }
    for (int v = 1; v < n; ++v) dag.add_arc(int(rng() % v), v, bytes(rng));
    for (int k = 0; k < n; ++k) {
      const int a = int(rng() % n), b = int(rng() % n);
      if (a < b) dag.add_arc(a, b, bytes(rng));
    }
    const double bw = 1e6 + t(rng) * 5e7, rtt = t(rng) * 0.05;
    const CutDecision cut = min_cut(dag, bw, rtt);
    const double bf = brute_force(dag, bw, rtt);
    CHECK(cut.latency_s == doctest::Approx(bf).epsilon(1e-9));
    CHECK(cut.cut_value == doctest::Approx(bf).epsilon(1e-9));
    for (int v = 0; v < n; ++v)
      if (dag.node(v).pinned_edge) CHECK(cut.side[v] == Side::Edge);
    CHECK(best_split(dag, bw, rtt).latency_s >= cut.latency_s - 1e-12);
  }
}

TEST_CASE("request dag has one branch per modality and partitions sensibly") {
  const CostModel edge(load_model("qwen2-vl-2b"), load_hardware("rtx3090"));
  const CostModel cloud(load_model("qwen2-vl-2b"), load_hardware("a100-40gb"));
  Request r;
  r.prompt_tokens = 40;
  r.output_tokens = 16;
  ModalityInput& img = r.input(Modality::Image);
  img.present = true;
  img.width = 1280;
  img.height = 720;
  img.frames = 1;
  img.bytes = 200e3;
  ModalityInput& vid = r.input(Modality::Video);
  vid.present = true;
  vid.width = 640;
  vid.height = 360;
  vid.frames = 16;
  vid.bytes = 2e6;
  const StageDag dag = build_stage_dag(r, edge, cloud, {1.0, 0.5, 1.0});
  CHECK(dag.size() == 8);  // input, 2 x (encoder, projector), prefill, decode, output
  CHECK(dag.find("encoder.image") > 0);
  CHECK(dag.find("projector.video") > 0);
  CHECK(dag.find("encoder.audio") < 0);
  CHECK(boost::num_edges(dag.graph()) == 9);  // 3 per branch, prompt, KV, answer

  // A fast link sends everything to the faster cloud; a very slow one keeps all on the edge.
  const CutDecision fast = min_cut(dag, 1e12, 0.0);
  CHECK(fast.side[dag.find("prefill")] == Side::Cloud);
  CHECK(fast.upload_bytes > 0);
  const CutDecision slow = min_cut(dag, 1e3, 0.02);
  CHECK(slow.cloud_stages.empty());
  CHECK(slow.upload_bytes == 0);
  CHECK(slow.latency_s == doctest::Approx(slow.edge_s));
  const SplitDecision split = best_split(dag, 300e6 / 8, 0.02);
  CHECK(split.latency_s >= min_cut(dag, 300e6 / 8, 0.02).latency_s - 1e-12);
  CHECK(split.edge_stages.size() + split.cloud_stages.size() == 8);
}
