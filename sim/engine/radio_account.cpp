#include "sim/engine/radio_account.hpp"

#include <algorithm>

namespace msao {

RadioAccount::Begin RadioAccount::begin(double t) {
  advance(t);
  Begin b;
  const bool idle = in_flight_ == 0 && t >= tail_end() && t >= promoted_until_;
  if (idle) {
    promoted_until_ = t + spec_->promotion_s;
    b.promotion_j = spec_->promotion_w * spec_->promotion_s;
    charged_j_ += b.promotion_j;
  }
  b.data_start = std::max(t, promoted_until_);
  ++in_flight_;
  data_starts_.push_back(b.data_start);
  return b;
}

double RadioAccount::end(double data_start, double t, double bytes, bool up) {
  advance(t);
  if (auto it = std::find(data_starts_.begin(), data_starts_.end(), data_start); it != data_starts_.end())
    data_starts_.erase(it);
  --in_flight_;
  // Radio time from the earliest data start still in flight (this one's
  // included) is active; what the previous ends already covered is not
  // this transfer's, except that a prepaid tail became active time.
  double first = data_start;
  for (double s : data_starts_) first = std::min(first, s);
  const double covered = last_end_, prepaid_until = tail_end();
  const double from = std::max(first, covered);
  const double beta = spec_->active_w, pt = spec_->tail_w;
  const double alpha_j = alpha_energy_j(up ? spec_->uplink_mw_per_mbps : spec_->downlink_mw_per_mbps, bytes);
  double j = alpha_j;
  if (from < t) {
    j += (beta - pt) * std::max(0.0, std::min(t, prepaid_until) - from);
    j += beta * std::max(0.0, t - std::max(from, prepaid_until));
  }
  // The tail now ends at t + tail_s; the part before prepaid_until was paid.
  j += pt * (t + spec_->tail_s - std::max(prepaid_until, t));
  last_end_ = std::max(last_end_, t);
  state_.active_j += alpha_j;
  charged_j_ += j;
  return j;
}

void RadioAccount::advance(double t) {
  if (t <= last_t_) return;
  const double a = last_t_;
  if (in_flight_ > 0) {
    const double promoting_until = std::min(t, std::max(a, promoted_until_));
    state_.promotion_j += spec_->promotion_w * (promoting_until - a);
    state_.active_j += spec_->active_w * (t - promoting_until);
  } else {
    const double tail_until = std::min(t, std::max(a, tail_end()));
    state_.tail_j += spec_->tail_w * (tail_until - a);
    state_.idle_j += spec_->idle_w * (t - tail_until);
  }
  last_t_ = t;
}

RadioAccount::ByState RadioAccount::energy_by_state(double t_end) const {
  RadioAccount at_end = *this;
  at_end.advance(t_end);
  ByState s = at_end.state_;
  // The last tail is counted in full, as it was charged.
  if (in_flight_ == 0 && at_end.tail_end() > at_end.last_t_) s.tail_j += spec_->tail_w * (at_end.tail_end() - at_end.last_t_);
  return s;
}

}  // namespace msao
