#include "sim/engine/request_lifecycle.hpp"

#include <cmath>
#include <memory>

#include "sim/engine/lifecycle_steps.hpp"
#include "sim/engine/token_session.hpp"

namespace sg4 = simgrid::s4u;

namespace msao {

namespace {

// A request's run through its phases: what has happened so far decides
// what a cloud phase's end means (a race's loser, a cascade's escalation
// with an edge answer to fall back on, or a plain offload).
class PhaseRun {
 public:
  PhaseRun(World& w, const Request& req, RequestRecord& rec, const ExecPlan& p)
      : w_(w), e_(w.edges[req.edge]), req_(req), rec_(rec), p_(p) {}

  void run() {
    const Phases& phases = p_.phases.empty() ? phases_of(p_.mode) : p_.phases;
    for (const Phase ph : phases)
      if (!step(ph)) return;
    // The sequence ran out: the last answer is the request's.
    finish_with(edge_answered_ && !cloud_answered_);
  }

 private:
  // Runs one phase; false when the request has ended.
  bool step(Phase ph) {
    switch (ph) {
      case Phase::EdgePre:
        e_.take_accel();
        holds_accel_ = true;
        rec_.edge_start = now();
        edge_exec(w_, e_, rec_, p_.edge_pre_s, "edge-pre");
        rec_.edge_pre_end = now();
        return true;
      case Phase::EdgeAnswer:
        edge_first_token_ = answer_on_edge(w_, e_, rec_, p_);
        holds_accel_ = false;
        edge_answered_ = true;
        return true;
      case Phase::StopIfConfident:
        if (!p_.edge_confident) return true;
        rec_.first_token = edge_first_token_;
        rec_.spec_outcome = SpecOutcome::EdgeAccepted;
        complete(w_, req_, rec_, true, p_);
        return false;
      case Phase::RaceEdge:
        // The accelerator passes to the edge answer, which frees it when it ends.
        race_.confident = p_.edge_confident;
        start_edge_work(e_, race_, p_.edge_answer_s, "edge-answer", p_.edge_answer_flops);
        holds_accel_ = false;
        racing_ = true;
        return true;
      case Phase::Cloud:
        return cloud();
      case Phase::Tokens:
        run_token_session(w_, req_, rec_, p_, holds_accel_);
        return false;
    }
    return true;
  }

  bool cloud() {
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

  // The cloud round trip; after a failure (platform.faults) it is tried
  // again, after backoff_s x 2^i, up to `retries` more times, on a fresh
  // ticket (the dispatcher avoids failed GPUs).
  CloudEnd cloud_with_retries() {
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

  // The cloud could not be reached: an edge answer already there is
  // returned; otherwise the edge model answers now if the plan has a
  // fallback; otherwise the request fails.
  bool fall_back() {
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

  bool race_ended(CloudEnd end) {
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

  void finish_with(bool edge_answer) {
    if (holds_accel_) e_.release_accel(), holds_accel_ = false;
    if (edge_answer) {
      rec_.first_token = edge_first_token_;
      rec_.spec_outcome = SpecOutcome::None;
    }
    complete(w_, req_, rec_, edge_answer, p_);
  }

  World& w_;
  EdgeState& e_;
  const Request& req_;
  RequestRecord& rec_;
  const ExecPlan& p_;
  EdgeLane race_;
  bool holds_accel_ = false, racing_ = false, edge_answered_ = false, cloud_answered_ = false;
  double edge_first_token_ = RequestRecord::kNone;
};

}  // namespace

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
  const ExecPlan p = w.setup->planner(req, observe(w, e, req));
  rec.decision = p.decision;
  rec.mode = exec_mode_name(p.mode);
  rec.edge_flops = p.edge_flops;
  rec.edge_mem = p.edge_mem;
  PhaseRun(w, req, rec, p).run();
}

}  // namespace msao
