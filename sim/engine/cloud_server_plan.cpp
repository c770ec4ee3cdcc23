// CloudServer's iterations run ahead: one SimGrid wait for a run of
// iterations instead of one each. Between two events that change its batch
// (a job submitted, cancelled, offered drafts or finished, a preemption, an
// admission, a failure) a batch of plain decode steps is known in advance:
// every request takes one step per iteration, its context one token longer
// each time, and the cost model gives each iteration's duration. The server
// plans those iterations, waits once until the last one ends, and commits
// each with the clock values the per-iteration loop would have had.
//
// The clock is exact, not approximated: a timed wait of w started at s ends
// at the date s + w (SimGrid's lazy CPU model keeps that date, and each
// step of its clock adds date - now to now). While s >= date / 2 that
// subtraction is exact (Sterbenz), so the clock lands on the date itself
// whatever events come between; the plan keeps to dates below twice its
// start, and dates each iteration as the loop would: previous end + wait.
//
// Whoever looks at the server or its tickets between two iterations first
// commits the ones that have ended (catch_up()); whoever changes its batch
// (submit, cancel, offer_drafts, fail) also cuts the plan after the
// iteration in progress and wakes the server, which then waits only for
// that one and carries on as the per-iteration loop would.
#include "sim/engine/cloud_server.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace sg4 = simgrid::s4u;

namespace msao {

namespace {
// A bound on the iterations planned at once: a plan cut short by an event
// wastes the cost-model calls of the iterations it had planned past it.
constexpr size_t kMaxPlanned = 512;
}  // namespace

bool CloudServer::plan_ahead(double now) {
  // Only plain decode steps of every running request: no prefill, no
  // drafts offered, no cloud-side encoder.
  const size_t n = it_.batch.size();
  if (failed_ || n == 0 || n != running_.size() || it_.contexts.size() != n || !it_.prefill.empty() || it_.pre_s != 0)
    return false;
  // The first request to finish ends the plan (its iteration is the last).
  long left = std::numeric_limits<long>::max();
  for (const CloudTicket* t : it_.batch) {
    if (t->cancelled || t->offer == CloudTicket::Offer::Pending || t->job.encode_only) return false;
    left = std::min<long>(left, t->job.decode_tokens - t->generated);
  }
  if (left < 2) return false;
  // A waiting job the next boundaries would try to admit: its admission
  // must keep failing on KV (without a prefix cache, whose lookups are not
  // free of effects), as the growing KV of the plan's decodes ensures.
  const double bytes = cost_.kv_bytes_per_token, cap = cost_.kv_capacity_bytes;
  const long steps = static_cast<long>(n);
  bool admits = false;
  double room = 0;
  if (!waiting_.empty() && static_cast<int>(running_.size()) < cost_.max_batch) {
    const CloudTicket& head = *waiting_.front();
    if (prefix_ || head.cancelled || kv_need(head.job) > cap) return false;
    room = admission_kv(head.job, head.recompute) - head.cached_tokens * bytes;
    if (cost_.kv_on_demand) room += steps * bytes + kKvWatermark * cap;
    admits = true;
  }
  const double first = wait_for(it_secs_);
  double end = now + first;
  if (first < precision_s_ || !(end <= 2 * now)) return false;
  plan_.clear();
  plan_pos_ = 0;
  plan_lost_ = false;
  plan_.push_back({now, end, it_cost_});
  plan_contexts_ = it_.contexts;
  ahead_contexts_ = it_.contexts;
  double kv = kv_used_;
  for (long k = 2; k <= left && plan_.size() < kMaxPlanned; ++k) {
    // The boundary before iteration k: the KV the decodes before it kept
    // (added as apply() adds it), then admit() and make_room_for_decodes().
    if (cost_.kv_on_demand)
      for (size_t i = 0; i < n; ++i) kv += 1 * bytes;
    if (admits && kv + room - cap <= 0) break;
    if (cost_.kv_on_demand && kv + steps * bytes - cap > 0) break;
    for (int& c : ahead_contexts_) ++c;
    const IterationCost c = cost_.iteration(no_prefill_, ahead_contexts_);
    const double w = wait_for(c.seconds + 0.0);
    const double e = end + w;
    if (w < precision_s_ || !(e <= 2 * now)) break;
    plan_.push_back({end, e, c});
    end = e;
  }
  if (plan_.size() >= 2) return true;
  plan_.clear();
  return false;
}

void CloudServer::run_plan() {
  in_iteration_ = true;
  iteration_end_ = plan_.front().end;
  energy_.start(plan_.front().start);
  while (plan_pos_ < plan_.size()) {
    if (plan_lost_) {
      // The replica failed during the iteration in progress (fail()).
      in_iteration_ = false;
      energy_.stop(sg4::Engine::get_clock());
      break;
    }
    const double now = sg4::Engine::get_clock();
    while (!interrupt_->would_block()) interrupt_->acquire();  // a release no wait took
    interrupt_->acquire_timeout(plan_.back().end - now);       // woken early: the plan was cut
    catch_up();
  }
  end_plan();
}

void CloudServer::end_plan() {
  plan_.clear();
  plan_pos_ = 0;
  plan_lost_ = false;
}

void CloudServer::catch_up() {
  const double now = sg4::Engine::get_clock();
  while (plan_pos_ < plan_.size() && plan_[plan_pos_].end <= now && !plan_lost_) {
    const double end = plan_[plan_pos_].end;
    energy_.stop(end);
    if (++plan_pos_ == plan_.size()) in_iteration_ = false;
    end_iteration(end);
    if (plan_pos_ == plan_.size()) break;
    // The next iteration starts as the loop would start it: after the
    // boundary, at the end of the one before.
    const Planned& p = plan_[plan_pos_];
    at_boundary(p.start);
    begin_iteration(p.start, &p.cost);
    const size_t n = plan_contexts_.size();
    bool same = it_.batch.size() == n && it_.contexts.size() == n && it_.prefill.empty();
    for (size_t i = 0; same && i < n; ++i) same = it_.contexts[i] == plan_contexts_[i] + static_cast<int>(plan_pos_);
    if (!same) throw std::logic_error("CloudServer: an iteration planned ahead differs from the batch it runs");
    energy_.start(p.start);
    iteration_end_ = p.end;
  }
}

bool CloudServer::cut_plan() {
  if (plan_.empty()) return false;
  catch_up();
  if (plan_pos_ + 1 >= plan_.size()) return false;  // nothing planned past the iteration in progress
  plan_.resize(plan_pos_ + 1);
  return true;
}

}  // namespace msao
