// recserve: RecServe's sliding-window quantile threshold (Wu et al.,
// "Recursive Offloading for LLM Serving in Multi-tier Networks", arXiv
// 2505.16502), on this simulator's two tiers (the edge model, then the
// cloud model). Prior art for msao-adaptive: a threshold that
// follows the recent confidence distribution instead of one tuned offline.
// Rule, per edge device: the edge model answers first; the device keeps
// the confidences of its last `window` answers in a FIFO queue, and the
// threshold is their `quantile`-quantile with linear interpolation between
// order statistics (sorted queue c_0..c_{n-1}, position p = quantile*(n-1):
// c_floor(p) + (p - floor(p)) * (c_ceil(p) - c_floor(p))). An answer whose
// confidence is below the threshold is offloaded to the cloud (raw inputs
// uploaded, the cloud's answer used); otherwise the edge answer stands.
// Its confidence then joins the queue, dropping the oldest. So `quantile`
// is the long-run fraction offloaded whatever the confidence scale. With
// an empty queue (the device's first request) the request is offloaded.
// Deterministic; memory is `window` numbers per edge.
#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <vector>

#include "sim/policy/policy.hpp"

namespace msao {
namespace {

class RecServe final : public Policy {
 public:
  explicit RecServe(const PolicyParams& p)
      : window_(static_cast<size_t>(std::lround(p.at("window")))), quantile_(p.at("quantile")) {}

  Plan decide(const PolicyInput& in) override {
    std::deque<double>& q = recent_[in.obs.edge];
    const double threshold = q.empty() ? INFINITY : interpolated_quantile(q, quantile_);
    const double c = in.request.edge_confidence;
    q.push_back(c);
    if (q.size() > window_) q.pop_front();
    Plan p;
    p.placement = Placement::Cloud;
    p.spec = Speculation::Cascade;
    // The engine escalates an edge answer whose confidence is below this.
    p.confidence_threshold = std::isfinite(threshold) ? threshold : 2.0;
    p.label = c >= p.confidence_threshold ? "recserve:edge" : "recserve:escalate";
    return p;
  }

  static double interpolated_quantile(const std::deque<double>& q, double a) {
    std::vector<double> v(q.begin(), q.end());
    std::sort(v.begin(), v.end());
    const double pos = a * static_cast<double>(v.size() - 1);
    const size_t lo = static_cast<size_t>(std::floor(pos)), hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
  }

 private:
  size_t window_;
  double quantile_;
  std::map<int, std::deque<double>> recent_;  // per edge device
};

const bool registered = register_policy(
    {"recserve",
     "Edge model first; offload when its confidence is below the quantile of the device's recent confidences "
     "(RecServe's sliding-window threshold)",
     {{"window", 100, 1, 100000, "confidences kept per edge device (the sliding window)", ParamKind::Integer},
      {"quantile", 0.5, 0, 1, "the threshold is this quantile of the window: about this fraction is offloaded"}},
     [](const PolicyParams& p) { return std::make_unique<RecServe>(p); }});

}  // namespace
}  // namespace msao
