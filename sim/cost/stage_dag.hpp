// Stage DAG of one request for edge-cloud partitioning: a pinned source (the
// raw input, on the edge), one encoder -> projector branch per present
// modality, joining at prefill (with the text prompt), then decode (all
// output tokens as one node) and a pinned sink (the answer, back on the
// edge). Nodes carry their edge-side and cloud-side seconds; arcs carry the
// bytes that cross the network if the cut separates their ends.
//
// A placement's predicted latency is the sum of the stage times on their
// sides plus, for every arc whose ends are on different sides, bytes /
// bandwidth, plus one RTT if any stage runs in the cloud (the cut arcs travel
// in one upload message and one reply). This is the DADS objective; both the
// Neurosurgeon chain split and the DADS min-cut minimise exactly it, and
// evaluate() computes it for any placement.
#pragma once
#include <array>
#include <boost/graph/adjacency_list.hpp>
#include <string>
#include <vector>

#include "sim/cost/cost_model.hpp"
#include "sim/request.hpp"

namespace msao::cost {

enum class Side { Edge, Cloud };

struct StageNode {
  std::string name;
  double edge_s = 0, cloud_s = 0;
  bool pinned_edge = false;
};
struct StageArc {
  double bytes = 0;
};

using StageGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, StageNode, StageArc>;

class StageDag {
 public:
  // Nodes must be added in a topological order (every arc goes forward).
  int add_stage(std::string name, double edge_s, double cloud_s, bool pinned_edge = false);
  void add_arc(int from, int to, double bytes);

  const StageGraph& graph() const { return g_; }
  int size() const { return int(boost::num_vertices(g_)); }
  const StageNode& node(int v) const { return g_[static_cast<size_t>(v)]; }
  int find(const std::string& name) const;  // -1 if absent

 private:
  StageGraph g_;
};

struct Placement {
  std::vector<Side> side;  // per node
  std::vector<std::string> edge_stages, cloud_stages;
  double latency_s = 0;  // predicted: edge + cloud + transfer
  double edge_s = 0, cloud_s = 0, transfer_s = 0;
  double upload_bytes = 0, download_bytes = 0;
};

struct SplitDecision : Placement {
  int split = 0;  // the first `split` nodes of the topological chain run on the edge, the rest (but the sink) in the cloud
};
struct CutDecision : Placement {
  double cut_value = 0;  // max-flow value; equals latency_s
};

Placement evaluate(const StageDag& dag, const std::vector<Side>& side, double bandwidth_Bps, double rtt_s);

// keep_fraction per modality (index Modality): content pruned before encoding and upload.
StageDag build_stage_dag(const Request& r, const CostModel& on_edge, const CostModel& on_cloud,
                         const std::array<double, kNumModalities>& keep_fraction);

// Neurosurgeon: best single split point of the topologically ordered chain.
SplitDecision best_split(const StageDag& dag, double bandwidth_Bps, double rtt_s);
// DADS: minimum edge/cloud cut via Boost.Graph max-flow (Boykov-Kolmogorov).
CutDecision min_cut(const StageDag& dag, double bandwidth_Bps, double rtt_s);

}  // namespace msao::cost
