// ContextBandit: the online learner of policies/msao_adaptive.cpp (its arms
// are msao's placements: edge alone, race, token-level collaboration,
// pruned offload).
// Discounted UCB (Garivier & Moulines, "On Upper-Confidence Bound Policies
// for Switching Bandit Problems", ALT 2011) run separately in each context
// bucket (a contextual bandit by partitioning the context: the bucket is
// log2 of the measured uplink bandwidth, log2 of the RTT estimate and log2
// of 1 + the cloud queue told at decision time). In bucket b after its observations,
// with discount g applied to every earlier one:
//   N_a = sum g^(age) over a's outcomes,   X_a = discounted mean reward of a,
//   n   = sum_a N_a,
//   choose argmax_a  X_a + explore * sqrt(2 ln max(n, e) / N_a)
// The first pulls of a bucket try every arm once, starting from the arm
// the caller names (msao's own model-based choice for that request).
// Ties go to the lower arm index; nothing is random, so a run is
// deterministic. The reward uses only what the device observes of an
// outcome (device_reward below).
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <vector>

#include "sim/engine/observation.hpp"
#include "sim/metrics/request_record.hpp"

namespace msao {

// The context bucket of what the device observes now.
struct BanditContext {
  int bw = 0, rtt = 0, queue = 0;
  auto operator<=>(const BanditContext&) const = default;
};

inline int log2_floor(double x) { return x >= 1 ? static_cast<int>(std::floor(std::log2(x))) : 0; }

inline BanditContext bandit_context(const Observation& o) {
  return {log2_floor(o.bandwidth_est_Bps * 8 / 1e6), log2_floor(o.rtt_est_s * 1e3),
          log2_floor(1.0 + o.cloud_queue)};
}

// The reward of one outcome, from the device's view only: minus the
// latency it measured (done - arrival), plus `answer_penalty_s` seconds
// per unit of the edge model's own doubt (1 - `edge_confidence`) in an
// answer the cloud neither produced nor verified (unverified edge tokens,
// an edge answer: what cloud verification reveals; the device ran the edge
// model for any answer the edge gave, so it knows that confidence), all
// over `t_ref` (the planner's predicted latency of the request's cloud
// path, so that the outcomes of a slow and a fast context weigh alike
// against the exploration bonus); the worst reward for a request that
// failed or was rejected. The ground-truth `correct` flag is never read.
inline double device_reward(const RequestRecord& rec, double t_ref, double answer_penalty_s, double edge_confidence) {
  constexpr double kWorst = -8;
  if (rec.status != RequestStatus::Completed || rec.failure != Cause::None || !(t_ref > 0)) return kWorst;
  double cost = rec.latency();
  if (rec.answered_by != AnsweredBy::Cloud || rec.edge_only_tokens > 0)
    cost += answer_penalty_s * (1 - std::clamp(edge_confidence, 0.0, 1.0));
  return std::max(kWorst, -cost / t_ref);
}

class ContextBandit {
 public:
  ContextBandit(int arms, double discount, double explore) : arms_(arms), discount_(discount), explore_(explore) {}

  // `first`: the arm a new bucket tries first (then the others in turn).
  int choose(const BanditContext& c, int first = 0) {
    Bucket& b = buckets_[c];
    if (b.decided == 0) b.first = first;
    if (b.decided < arms_) return (b.first + b.decided++) % arms_;
    ++b.decided;
    double n = 0;
    for (const Arm& a : b.arm) n += a.n;
    const double log_n = std::log(std::max(n, std::exp(1.0)));
    int best = 0;
    double best_score = -INFINITY;
    for (int i = 0; i < arms_; ++i) {
      const Arm& a = b.arm[i];
      const double score = a.n > 0 ? a.sum / a.n + explore_ * std::sqrt(2 * log_n / a.n) : INFINITY;
      if (score > best_score) best_score = score, best = i;
    }
    return best;
  }

  void observe(const BanditContext& c, int arm, double reward) {
    Bucket& b = buckets_[c];
    for (Arm& a : b.arm) a.n *= discount_, a.sum *= discount_;
    b.arm[arm].n += 1;
    b.arm[arm].sum += reward;
  }

  int arms() const { return arms_; }

 private:
  struct Arm {
    double n = 0, sum = 0;
  };
  struct Bucket {
    int decided = 0, first = 0;
    std::array<Arm, 16> arm{};
  };
  int arms_;
  double discount_, explore_;
  std::map<BanditContext, Bucket> buckets_;
};

}  // namespace msao
