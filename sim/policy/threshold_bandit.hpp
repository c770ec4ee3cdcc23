// ThresholdBandit: the online learner of policies/msao_adaptive.cpp.
// Discounted UCB (Garivier & Moulines, "On Upper-Confidence Bound Policies
// for Switching Bandit Problems", ALT 2011) run separately in each context
// bucket (a contextual bandit by partitioning the context: the bucket is
// log2 of the measured uplink bandwidth, log2 of the RTT estimate and log2
// of 1 + the cloud queue told at decision time). In bucket b after its observations,
// with discount g applied to every earlier one:
//   N_a = sum g^(age) over a's outcomes,   X_a = discounted mean reward of a,
//   n   = sum_a N_a,
//   choose argmax_a  X_a + explore * sqrt(2 ln max(n, e) / N_a)
// The first pulls of a bucket try every arm once, starting from `first`.
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

// The reward of one outcome, from the device's view only: the latency it
// measured (done - arrival) relative to `t_ref` (the planner's prediction
// for the request, so long and short answers weigh alike), minus
// `answer_penalty` when the answer is not one the cloud produced or
// verified (unverified edge tokens, an edge answer: what cloud
// verification reveals), and the worst reward for a request that failed or
// was rejected. The ground-truth `correct` flag is never read.
inline double device_reward(const RequestRecord& rec, double t_ref, double answer_penalty) {
  constexpr double kWorst = -8;
  if (rec.status != RequestStatus::Completed || !rec.failure.empty() || !(t_ref > 0)) return kWorst;
  double r = -rec.latency() / t_ref;
  if (rec.answered_by != "cloud" || rec.edge_only_tokens > 0) r -= answer_penalty;
  return std::max(kWorst, r);
}

class ThresholdBandit {
 public:
  ThresholdBandit(int arms, int first, double discount, double explore)
      : arms_(arms), first_(first), discount_(discount), explore_(explore) {}

  int choose(const BanditContext& c) {
    Bucket& b = buckets_[c];
    if (b.decided < arms_) return (first_ + b.decided++) % arms_;
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
    int decided = 0;
    std::array<Arm, 16> arm{};
  };
  int arms_, first_;
  double discount_, explore_;
  std::map<BanditContext, Bucket> buckets_;
};

}  // namespace msao
