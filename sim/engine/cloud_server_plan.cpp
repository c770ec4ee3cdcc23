// CloudServer's iterations run ahead: one SimGrid wait for a run of
// iterations instead of one each. Between two events that change its batch
// (a job submitted, cancelled, offered drafts or finished, a preemption, an
// admission, a failure) the batch's iterations are known in advance: each
// decode step adds a token to its request's context, each prefill chunk
// takes its share of the token budget in admission order, and the cost
// model gives each iteration's duration. The server plans those iterations
// (compose_ahead() and apply_ahead() follow compose() and apply() for the
// jobs they cover), waits once until the last one ends, and commits each
// with the clock values the per-iteration loop would have had, checking
// that each batch is the one planned.
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
// Bounds on plan_limit_ (iterations planned at once).
constexpr size_t kMinPlanned = 4, kMaxPlanned = 512;
}  // namespace

uint64_t CloudServer::shape_of(const std::vector<cost::PrefillChunk>& prefill, const std::vector<int>& contexts) {
  // FNV-1a over the prefill chunks, the number of decode steps and the sum
  // of their contexts (each step adds one: a wrong request or step shows).
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](uint64_t v) { h = (h ^ v) * 1099511628211ULL; };
  mix(prefill.size());
  for (const auto& p : prefill) {
    mix(static_cast<uint64_t>(p.tokens));
    mix(static_cast<uint64_t>(p.cached));
    mix(p.samples ? 1 : 0);
  }
  long long sum = 0;
  for (int c : contexts) sum += c;
  mix(contexts.size());
  mix(static_cast<uint64_t>(sum));
  return h;
}

bool CloudServer::compose_ahead() {
  // As compose(): decodes take one token each of the budget, prefills in
  // admission order share the rest.
  ahead_prefill_.clear();
  ahead_contexts_.clear();
  long budget = cost_.token_budget > 0 ? cost_.token_budget - ahead_steps_ : std::numeric_limits<long>::max();
  for (Ahead& a : ahead_) {
    a.chunk = -2;
    if (a.prefilled) {
      ahead_contexts_.push_back(a.context + a.prompt + a.generated - 1);
      a.chunk = -1;
      continue;
    }
    const int left = a.prompt + a.recompute - a.prefill_done;
    if (left > 0 && budget <= 0) continue;
    if (!a.started) return false;  // its encoders, caches and start time: left to the loop
    const int k = static_cast<int>(std::min<long>(left, budget));
    budget -= k;
    ahead_prefill_.push_back({k, a.context + a.prefill_done, a.prefill_done + k >= a.prompt + a.recompute});
    a.chunk = k;
  }
  return true;
}

bool CloudServer::apply_ahead(double& kv) {
  // As apply() for jobs with no encoder, no drafts offered and no prefix
  // cache to feed.
  bool ends = false;
  for (Ahead& a : ahead_) {
    if (a.chunk == -2) continue;
    if (a.chunk == -1) {
      ++a.generated;
      if (cost_.kv_on_demand) kv += 1 * cost_.kv_bytes_per_token;
    } else {
      a.prefill_done += a.chunk;
      if (a.prefill_done >= a.prompt + a.recompute) {
        a.prefilled = true;
        ++ahead_steps_;
        if (a.recompute > 0) {
          ++a.generated;
          a.recompute = 0;
        } else if (a.decode > 0) {
          a.generated = 1;
        }
      }
    }
    ends = ends || (a.prefilled && a.generated >= a.decode);
  }
  return ends;
}

bool CloudServer::plan_ahead(double now) {
  // Jobs with no drafts offered, no cloud-side encoder of their own and no
  // prefix cache to feed; the plan stops before one's first chunk (compose_ahead()).
  if (failed_ || it_.batch.empty()) return false;
  ahead_.clear();
  ahead_steps_ = 0;
  size_t member = 0;
  for (const CloudTicketPtr& t : running_) {
    if (t->cancelled || t->offer == CloudTicket::Offer::Pending || t->job.encode_only || (t->reuses && !t->prefilled))
      return false;
    Ahead a;
    a.context = t->job.context_tokens;
    a.prompt = t->job.prefill_tokens;
    a.recompute = t->recompute;
    a.prefill_done = t->prefill_done;
    a.generated = t->generated;
    a.decode = t->job.decode_tokens;
    a.prefilled = t->prefilled;
    a.started = t->t_start >= 0;
    ahead_steps_ += a.prefilled ? 1 : 0;
    // The iteration that has begun: what it does for this job.
    const bool in_batch = member < it_.batch.size() && it_.batch[member] == t.get();
    a.chunk = in_batch ? it_.chunk[member++] : -2;
    ahead_.push_back(a);
  }
  double kv = kv_used_;
  if (apply_ahead(kv)) return false;  // a job ends in the first iteration: nothing to run ahead
  // A waiting job the next boundaries would try to admit: its admission
  // must keep failing on KV (without a prefix cache, whose lookups are not
  // free of effects).
  const double bytes = cost_.kv_bytes_per_token, cap = cost_.kv_capacity_bytes;
  const CloudTicket* head = nullptr;
  if (!waiting_.empty() && static_cast<int>(running_.size()) < cost_.max_batch) {
    head = waiting_.front().get();
    if (prefix_ || head->cancelled || kv_need(head->job) > cap) return false;
  }
  const double first = wait_for(it_secs_);
  double end = now + first;
  if (first < precision_s_ || !(end <= 2 * now)) return false;
  plan_.clear();
  plan_pos_ = 0;
  plan_lost_ = plan_cut_ = false;
  plan_.push_back({now, end, it_cost_, shape_of(it_.prefill, it_.contexts)});
  while (plan_.size() < plan_limit_) {
    // The boundary before the next iteration: admit() and
    // make_room_for_decodes() must leave the batch as it is.
    const long steps = ahead_steps_;
    if (head && kv + admission_room(admission_need(*head), steps, false) - cap <= 0) break;
    if (cost_.kv_on_demand && kv + steps * bytes - cap > 0) break;
    if (!compose_ahead()) break;
    const IterationCost c = cost_.iteration(ahead_prefill_, ahead_contexts_);
    const double w = wait_for(c.seconds + 0.0);
    const double e = end + w;
    if (w < precision_s_ || !(e <= 2 * now)) break;
    plan_.push_back({end, e, c, shape_of(ahead_prefill_, ahead_contexts_)});
    end = e;
    if (apply_ahead(kv)) break;  // a job ends: the last iteration planned
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
  // Cut: the next plan goes twice as far as this one got; run to its bound:
  // twice as far as that.
  if (plan_cut_)
    plan_limit_ = std::max(kMinPlanned, 2 * plan_.size());
  else if (plan_.size() == plan_limit_)
    plan_limit_ = std::min(kMaxPlanned, 2 * plan_limit_);
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
    // (Its boundary admits, preempts and drops nothing: the plan saw to it.)
    begin_iteration(p.start, &p.cost);
    if (shape_of(it_.prefill, it_.contexts) != p.shape)
      throw std::logic_error("CloudServer: an iteration planned ahead differs from the batch it runs");
    energy_.start(p.start);
    iteration_end_ = p.end;
  }
}

bool CloudServer::cut_plan() {
  if (plan_.empty()) return false;
  catch_up();
  if (plan_pos_ + 1 >= plan_.size()) return false;  // nothing planned past the iteration in progress
  plan_.resize(plan_pos_ + 1);
  plan_cut_ = true;
  return true;
}

}  // namespace msao
