// oracle: an upper bound. Per request it asks every other registered policy
// (default parameters; perllm is left out, its two arms are edge-only's and
// cloud-only's plans) for its plan, resolves each with the planner, and
// picks the best in hindsight from ground truth: first a plan whose answer
// is correct (the request's correctness flags as the planner resolves them
// into ExecPlan edge_answer_correct / cloud_answer_correct, for the source
// that will answer), then the lowest latency predicted from the true link
// (Observation::truth: nominal bandwidth, one-way latency, cloud load).
// Ties keep the first candidate in registry (name) order.
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "sim/policy/planner.hpp"
#include "sim/policy/policy.hpp"

namespace msao {
namespace {

struct Candidate {
  std::string name;
  std::unique_ptr<Policy> policy;
};

class Oracle final : public Policy {
 public:
  Oracle() {
    for (const auto& info : all_policies()) {
      if (info.name == "oracle" || info.name == "perllm") continue;
      PolicyParams defaults;
      for (const auto& ps : info.params) defaults[ps.name] = ps.dflt;
      candidates_.push_back({info.name, info.make(defaults)});
      // A policy with several collaboration modes offers each of them.
      if (defaults.count("collab") && defaults["collab"] != 0) {
        defaults["collab"] = 0;
        candidates_.push_back({info.name + "(collab=0)", info.make(defaults)});
      }
    }
  }

  Plan decide(const PolicyInput& in) override {
    Observation truth = in.obs;
    truth.bandwidth_est_Bps = in.obs.truth.uplink_Bps;
    truth.rtt_est_s = 2 * in.obs.truth.one_way_latency_s;
    truth.cloud_queue = in.obs.truth.cloud_load;
    Plan best;
    ExecPlan best_e;
    bool best_correct = false;
    double best_t = std::numeric_limits<double>::infinity();
    std::string best_name;
    for (auto& c : candidates_) {
      // Candidates that plan their own Plan hand it back, so nothing is planned twice.
      std::optional<ExecPlan> planned;
      Plan p = c.policy->decide(PolicyInput{in.request, truth, in.planner, &planned});
      ExecPlan e = planned ? std::move(*planned) : in.planner.plan(in.request, p);
      // Its latency from the true link, and whose answer it returns: the
      // edge's when it answers alone, or when a confident edge answer wins a
      // race or passes a cascade (the phase table's, sim/engine/phase.hpp).
      const Prediction pred = in.planner.predict(e, e.phases, truth);
      const double t = pred.seconds;
      const bool ok = pred.answer == AnswerSide::Edge ? e.edge_answer_correct : e.cloud_answer_correct;
      if ((ok && !best_correct) || (ok == best_correct && t < best_t)) {
        best = std::move(p);
        best_e = std::move(e);
        best_correct = ok;
        best_t = t;
        best_name = c.name;
      }
    }
    best.label = "oracle:" + best_name;
    if (in.planned && !best_name.empty()) {
      best_e.decision = best.label;  // the only field the label sets
      *in.planned = std::move(best_e);
    }
    return best;
  }

 private:
  std::vector<Candidate> candidates_;
};

const bool registered = register_policy(
    {"oracle", "Upper bound: per request the best other policy's plan in hindsight (correct first, then fastest)", {},
     [](const PolicyParams&) { return std::make_unique<Oracle>(); }});

}  // namespace
}  // namespace msao
