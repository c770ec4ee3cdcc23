#include "sim/engine/request_lifecycle.hpp"

#include <cmath>
#include <memory>
#include <optional>

#include "sim/engine/lifecycle_steps.hpp"
#include "sim/engine/phase_run.hpp"
#include "sim/engine/token_session.hpp"

namespace sg4 = simgrid::s4u;

namespace msao {

void PhaseRun::run() {
  for (const Phase ph : p_.phases)
    if (!(this->*phase_info(ph).step)()) return;
  // The sequence ran out: the last answer is the request's.
  finish_with(edge_answered_ && !cloud_answered_);
}

bool PhaseRun::edge_pre() {
  e_.take_accel();
  holds_accel_ = true;
  rec_.edge_start = now();
  edge_exec(w_, e_, rec_, p_.edge_pre_s, "edge-pre");
  rec_.edge_pre_end = now();
  return true;
}

bool PhaseRun::edge_answer() {
  edge_first_token_ = answer_on_edge(w_, e_, rec_, p_);
  holds_accel_ = false;
  edge_answered_ = true;
  return true;
}

bool PhaseRun::stop_if_confident() {
  if (!p_.edge_confident) return true;
  rec_.first_token = edge_first_token_;
  rec_.spec_outcome = SpecOutcome::EdgeAccepted;
  complete(w_, req_, rec_, true, p_);
  return false;
}

bool PhaseRun::race_edge() {
  // The accelerator passes to the edge answer, which frees it when it ends.
  race_.confident = p_.edge_confident;
  start_edge_work(e_, race_, p_.edge_answer_s, "edge-answer", p_.edge_answer_flops);
  holds_accel_ = false;
  racing_ = true;
  return true;
}

bool PhaseRun::tokens() {
  run_token_session(w_, req_, rec_, p_, holds_accel_);
  return false;
}

bool PhaseRun::cloud() {
  if (holds_accel_) e_.release_accel(), holds_accel_ = false;
  const CloudEnd end = cloud_with_retries();
  if (racing_) return race_ended(end);
  if (end == CloudEnd::Failed) return fall_back();
  if (end == CloudEnd::Rejected && edge_answered_) {
    // The cloud cannot serve it: the edge's answer is returned instead.
    rec_.first_token = edge_first_token_;
    fall_back_to_edge(w_, req_, rec_, p_);
    return false;
  }
  if (end == CloudEnd::Answered) rec_.first_token = rec_.cloud_first_token;
  rec_.spec_outcome = edge_answered_ ? SpecOutcome::Escalated : SpecOutcome::None;
  cloud_answered_ = true;
  return true;
}

CloudEnd PhaseRun::cloud_with_retries() {
  const FaultSpec& f = w_.setup->platform.faults;
  for (int attempt = 0;; ++attempt) {
    const CloudEnd end = cloud_path(w_, e_, p_, p_.cloud, p_.upload_bytes, p_.reply_bytes, rec_,
                                    std::make_shared<CloudTicket>(), racing_ ? &race_ : nullptr);
    if (end != CloudEnd::Failed) return end;
    note_cloud_failure(e_);
    // A race falls back to its edge answer, already running, rather than retry.
    if (racing_ || attempt >= f.retries) return end;
    ++rec_.retries;
    const double backoff = f.backoff_s * std::ldexp(1.0, attempt);
    sg4::this_actor::sleep_for(backoff);
  }
}

bool PhaseRun::fall_back() {
  ExecPlan fallback = p_;
  rec_.spec_outcome = SpecOutcome::Fallback;
  if (edge_answered_) {
    rec_.first_token = edge_first_token_;
  } else if (p_.fallback_edge_s > 0) {
    e_.take_accel();
    const double t0 = now();
    edge_exec(w_, e_, rec_, p_.fallback_edge_s, "edge-fallback");
    e_.release_accel();
    rec_.edge_answer_end = now();
    rec_.first_token = t0 + p_.fallback_edge_ttft_s;
    fallback.edge_answer_correct = p_.fallback_correct;
  } else {
    rec_.status = RequestStatus::Failed;
    rec_.reason = rec_.failure;
    rec_.spec_outcome = SpecOutcome::None;
    complete(w_, req_, rec_, false, p_);
    return false;
  }
  rec_.status = RequestStatus::Completed;
  complete(w_, req_, rec_, true, fallback);
  return false;
}

bool PhaseRun::race_ended(CloudEnd end) {
  racing_ = false;
  if (end == CloudEnd::EdgeWon) {
    rec_.first_token = race_.t0 + p_.edge_ttft_s;
    rec_.spec_outcome = SpecOutcome::EdgeAccepted;
    complete(w_, req_, rec_, true, p_);
    return false;
  }
  if (end == CloudEnd::Rejected || end == CloudEnd::Failed) {
    // The edge's answer, already running, is returned instead.
    if (race_.exec) {
      race_.exec->wait();
      edge_answer_ended(w_, e_, rec_, race_);
    }
    rec_.first_token = race_.t0 + p_.edge_ttft_s;
    if (end == CloudEnd::Failed) {
      rec_.spec_outcome = SpecOutcome::Fallback;
      rec_.status = RequestStatus::Completed;
      complete(w_, req_, rec_, true, p_);
    } else {
      fall_back_to_edge(w_, req_, rec_, p_);
    }
    return false;
  }
  // The cloud's answer came first: the edge run still in progress is abandoned.
  if (race_.exec) abandon_edge_answer(w_, e_, rec_, race_);
  rec_.first_token = rec_.cloud_first_token;
  rec_.spec_outcome = SpecOutcome::CloudUsed;
  cloud_answered_ = true;
  return true;
}

void PhaseRun::finish_with(bool edge_answer) {
  if (holds_accel_) e_.release_accel(), holds_accel_ = false;
  if (edge_answer) {
    rec_.first_token = edge_first_token_;
    rec_.spec_outcome = SpecOutcome::None;
  }
  complete(w_, req_, rec_, edge_answer, p_);
}

void run_request(World& w, const Request& req, RequestRecord& rec) {
  EdgeState& e = w.edges[req.edge];
  // A request that waited for a free place (SimSetup::max_live_requests) arrived earlier: its time is kept.
  if (std::isnan(rec.arrival)) rec.arrival = now();
  if (e.down) {
    // The device has failed: nothing runs for this request.
    rec.status = RequestStatus::Failed;
    rec.failure = rec.reason = Cause::EdgeDown;
    rec.decision = rec.mode = "none";
    rec.spec_outcome = SpecOutcome::None;
    rec.answered_by = AnsweredBy::None;
    rec.done = now();
    if (w.setup->on_complete) w.setup->on_complete(req, rec);
    return;
  }
  // A conversation's turn: what of it the device's model still holds.
  const EdgeSessions::Context held = req.session != 0 ? e.sessions.find(req.session) : EdgeSessions::Context{};
  // (A copy only for such a turn: most requests are planned as they are.)
  std::optional<Request> turn;
  if (held.tokens > 0) {
    turn = req;
    turn->edge_context_tokens = held.tokens;
    turn->edge_context_visual = held.visual;
  }
  const Request& r = turn ? *turn : req;
  const ExecPlan p = w.setup->planner(r, observe(w, e, r));
  rec.decision = p.decision;
  rec.mode = scheme_name(p.phases);
  rec.edge_flops = p.edge_flops;
  rec.edge_mem = p.edge_mem;
  rec.edge_cached_tokens = p.edge_cached_tokens;
  PhaseRun(w, r, rec, p).run();
  // The edge model ran this turn's prompt: its KV now holds it, and its
  // own answer too (a cloud answer differs from what the edge computed).
  if (r.session != 0 && p.edge_prompt_tokens > 0 && rec.status == RequestStatus::Completed)
    e.sessions.remember(r.session, {p.edge_prompt_tokens + (rec.answered_by == AnsweredBy::Edge ? r.output_tokens - 1 : 0),
                                    p.edge_visual_tokens});
}

}  // namespace msao
