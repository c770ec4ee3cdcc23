// perllm: PerLLM's CS-UCB (Yang et al., "PerLLM: Personalized Inference
// Scheduling with Edge-Cloud Collaboration for Diverse LLM Services",
// arXiv 2405.14636). Scheduling is a combinatorial multi-armed bandit: each
// request class (dataset/category x input-size bucket x output-length
// bucket) chooses a server (arm: edge or cloud) to minimise weighted energy
// subject to a processing-time constraint, and learns both from outcomes.
// Constraint-satisfaction UCB, per class with t requests decided so far and
// arm a tried n_a times:
//   satisfied_a = share of a's outcomes with latency <= deadline
//                 + sqrt(2 ln t / n_a)            (optimistic)
//   feasible    = { a : satisfied_a >= satisfaction }
//   choose argmin over feasible of  cost_a - explore * sqrt(2 ln t / n_a) * scale
// where cost_a is the mean weighted energy (edge_weight * edge busy seconds
// + cloud_weight * cloud busy seconds + radio_weight * the edge radio's
// joules for the request's transfers; with the weights set to the devices'
// dynamic watts and radio_weight 1 it is joules) and scale the class's largest mean cost, so
// the bonus is in the cost's units. Untried arms are tried first (cloud,
// then edge); if no arm is feasible the most-satisfying one is chosen.
// No cost model is consulted: it learns only from RequestRecord outcomes.
// The radio term is the edge device's own energy spent to offload (PerLLM
// minimises energy; an edge on LTE pays its uplink and RRC tail): it is 0
// on links without a radio model (docs/energy.md), so scenarios without one
// decide as before.
#include <cmath>
#include <map>
#include <string>

#include "sim/policy/policy.hpp"

namespace msao {
namespace {

enum Arm { kCloud = 0, kEdge = 1, kArms = 2 };

struct ArmStats {
  int n = 0;
  double cost_sum = 0;
  int satisfied = 0;
  double mean_cost() const { return n ? cost_sum / n : 0; }
};

struct ClassStats {
  int t = 0;
  ArmStats arm[kArms];
};

int log2_bucket(double x) { return x >= 1 ? static_cast<int>(std::floor(std::log2(x))) : 0; }

class PerLlm final : public Policy {
 public:
  explicit PerLlm(const PolicyParams& p)
      : deadline_(p.at("deadline_s")), target_(p.at("satisfaction")), explore_(p.at("explore")),
        w_edge_(p.at("edge_weight")), w_cloud_(p.at("cloud_weight")), w_radio_(p.at("radio_weight")) {}

  static std::string class_of(const Request& r) {
    double bytes = 0;
    for (const auto& in : r.inputs)
      if (in.present) bytes += in.bytes;
    return r.dataset + "/" + r.category + "/b" + std::to_string(log2_bucket(bytes)) + "/o" +
           std::to_string(log2_bucket(r.output_tokens));
  }

  Plan decide(const PolicyInput& in) override {
    ClassStats& c = classes_[class_of(in.request)];
    ++c.t;
    const Arm a = choose(c);
    Plan p;
    p.placement = a == kEdge ? Placement::Edge : Placement::Cloud;
    p.label = a == kEdge ? "cs-ucb:edge" : "cs-ucb:cloud";
    return p;
  }

  void observe(const Request& r, const Plan& p, const RequestRecord& rec) override {
    ClassStats& c = classes_[class_of(r)];
    ArmStats& s = c.arm[p.placement == Placement::Edge ? kEdge : kCloud];
    ++s.n;
    s.cost_sum += w_edge_ * rec.edge_busy_s + w_cloud_ * rec.cloud_busy_s + w_radio_ * rec.radio_energy_j;
    if (rec.status == RequestStatus::Completed && rec.latency() <= deadline_) ++s.satisfied;
  }

 private:
  Arm choose(const ClassStats& c) const {
    for (Arm a : {kCloud, kEdge})
      if (c.arm[a].n == 0) return a;
    double scale = 0;
    for (const auto& s : c.arm) scale = std::max(scale, s.mean_cost());
    Arm best = kCloud, most = kCloud;
    double best_score = INFINITY, most_sat = -INFINITY;
    bool any = false;
    for (Arm a : {kCloud, kEdge}) {
      const ArmStats& s = c.arm[a];
      const double bonus = std::sqrt(2 * std::log(std::max(c.t, 1)) / s.n);
      const double sat = static_cast<double>(s.satisfied) / s.n + bonus;
      if (sat > most_sat) most_sat = sat, most = a;
      if (sat < target_) continue;
      const double score = s.mean_cost() - explore_ * bonus * scale;
      if (score < best_score) best_score = score, best = a, any = true;
    }
    return any ? best : most;
  }

  double deadline_, target_, explore_, w_edge_, w_cloud_, w_radio_;
  std::map<std::string, ClassStats> classes_;
};

const bool registered = register_policy(
    {"perllm",
     "CS-UCB bandit: edge or cloud per request class, min weighted energy under a latency constraint (PerLLM)",
     {{"deadline_s", 1.0, 0.001, 3600, "processing-time constraint per request, seconds"},
      {"satisfaction", 0.9, 0, 1, "required share of requests meeting the deadline"},
      {"explore", 1.0, 0, 10, "weight of the UCB exploration bonus on the cost"},
      {"edge_weight", 1.0, 0, 1e4, "energy weight per edge busy second (1: device-seconds; busy watts: joules)"},
      {"cloud_weight", 1.0, 0, 1e4, "energy weight per cloud busy second"},
      {"radio_weight", 1.0, 0, 1e4, "energy weight per joule of the edge radio's transfers, promotion and tail (0 without a radio model)"}},
     [](const PolicyParams& p) { return std::make_unique<PerLlm>(p); }});

}  // namespace
}  // namespace msao
