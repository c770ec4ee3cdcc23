// Token-level collaboration, executed. Two lanes run in the request's one
// actor:
//  - the edge lane: the edge model's context and its drafts, async execs on
//    the accelerator the session holds from start to its last draft (a
//    batch-1 edge model serves one generation at a time);
//  - the cloud lane: one cloud interaction at a time (cloud_path: upload, a
//    job in the GPU's continuous batching, reply), whose waits also watch
//    the edge lane, so a draft ends (and the next queued one starts) while
//    a verification pass or the context upload is in flight.
// Token accounting (docs/speculation.md): a verification pass of k drafted
// tokens accepts the longest agreeing prefix a (workloads/draft_tokens.hpp)
// and emits the cloud's token after it (a correction, or the bonus token
// when all k agree), so a round yields a+1 tokens. Pipelined, the edge
// drafts round k+1 from its own continuation while round k is verified: if
// round k is fully accepted and the edge's token at the bonus position
// agrees with the cloud's bonus token, the rest of the speculative draft
// stands; otherwise it is discarded (cancelled if still running) and
// drafting resumes after the cloud's token.
// When the rule's cloud_leads is set the cloud generates the answer from
// the start and the edge's drafts only shorten it (run_lead below).
#include "sim/engine/token_session.hpp"

#include <algorithm>
#include <cmath>

#include "sim/engine/lifecycle_steps.hpp"
#include "sim/engine/token_program.hpp"
#include "workloads/draft_tokens.hpp"

namespace sg4 = simgrid::s4u;

namespace msao {
namespace {

class Session {
 public:
  Session(World& w, const Request& req, RequestRecord& rec, const ExecPlan& p, bool holds_accel)
      : w_(w), e_(w.edges[req.edge]), req_(req), rec_(rec), p_(p), rule_(*p.tokens.rule), cost_(*p.tokens.costs),
        ticket_(std::make_shared<CloudTicket>()), holds_accel_(holds_accel) {
    lane_.frees_accel = false;
    st_.output_tokens = req.output_tokens;
  }

  void run() {
    if (rule_.cloud_leads) {
      run_lead();
      return;
    }
    const int k0 = window();
    const EdgeWork ctx = cost_.edge_context();
    if (k0 == 0) {
      // Straight to the cloud: the edge has nothing to draft.
      release_edge();
      handoff();
      return;
    }
    if (!holds_accel_) e_.take_accel(), holds_accel_ = true;
    rec_.edge_flops += ctx.flops;
    const EdgeWork d0 = draft_cost(k0);
    start_edge_work(e_, lane_, ctx.seconds, "edge-context");
    lane_.queued_s = d0.seconds;
    lane_.queued_label = "draft";
    pending_ = k0;
    if (rule_.context_upfront) {
      // Sent without waiting for its prefill: the first pass's message
      // travels while the GPU prefills, and queues behind it.
      const CloudWork c = cost_.cloud_context();
      if (!cloud(c, "context", false)) return;
      st_.inputs_on_cloud = true;
      st_.cloud_kv_tokens = c.job.context_tokens + c.job.prefill_tokens;
    }
    while (st_.step < st_.output_tokens) {
      finish_edge_lane();  // the pending draft is done
      const int k = pending_;
      pending_ = 0;
      describe_draft(k);
      refresh();
      switch (rule_.after_draft(st_)) {
        case AfterDraft::Commit:
          commit(k);
          if (!next_draft()) return;
          break;
        case AfterDraft::Handoff:
          release_edge();
          handoff(rule_.handoff_sends_lead ? std::min(st_.confident_lead, k) : 0);
          return;
        case AfterDraft::Verify:
          if (!verify(k)) return;
          break;
      }
    }
    finish();
  }

 private:
  int window() {
    refresh();
    return draft_length(st_.step, rule_.window(st_));
  }
  // The rule's window from `from`, clamped to the answer's end and cut
  // after the first token below the rule's stop_below confidence.
  int draft_length(int from, int k) const {
    k = std::clamp(k, 0, st_.output_tokens - from);
    for (int i = 0; i < k; ++i)
      if (draft_token(req_, from + i).confidence < rule_.stop_below) return i + 1;
    return k;
  }
  EdgeWork draft_cost(int k) {
    const EdgeWork d = cost_.draft(st_.step, k);
    rec_.edge_flops += d.flops;
    rec_.draft_tokens += k;
    return d;
  }
  // The observation now; the per-token draft time only when the step
  // moved (a cost-model call, asked twice per round otherwise).
  void refresh() {
    st_.obs = observe(w_, e_, req_, ticket_.get());
    if (priced_step_ != st_.step) {
      priced_step_ = st_.step;
      st_.draft_s_per_token = cost_.draft(std::max(1, st_.step), 1).seconds;
    }
  }

  // The lane's last exec ends (the accelerator is exclusive, so it ends at its start + seconds).
  void finish_edge_lane() {
    while (lane_.exec) {
      lane_.exec->wait();
      edge_answer_ended(w_, e_, rec_, lane_);
    }
  }
  void release_edge() {
    finish_edge_lane();
    if (!holds_accel_) return;
    holds_accel_ = false;
    if (lane_.ended_at >= 0) rec_.edge_answer_end = lane_.ended_at;
    e_.release_accel();
  }

  void describe_draft(int k) {
    st_.drafted = k;
    double sum = 0, lo = 1;
    int lead = 0;
    for (int i = 0; i < k; ++i) {
      const double c = draft_token(req_, st_.step + i).confidence;
      sum += c;
      lo = std::min(lo, c);
      if (lead == i && c >= rule_.stop_below) ++lead;
    }
    st_.draft_confidence = sum / k;
    st_.min_confidence = lo;
    st_.confident_lead = lead;
  }
  void tokens_final(int n) {
    st_.step += n;
    st_.drafted = 0;
    if (n > 0 && std::isnan(rec_.first_token)) rec_.first_token = now();
  }

  // Starts the next draft, or hands off when the rule drafts nothing more.
  // Returns false once the request has ended.
  bool next_draft() {
    if (st_.step >= st_.output_tokens) return true;
    const int k = window();
    if (k == 0) {
      release_edge();
      handoff();
      return false;
    }
    start_edge_work(e_, lane_, draft_cost(k).seconds, "draft");
    pending_ = k;
    return true;
  }

  void commit(int k) {
    // Unverified edge tokens: the answer keeps the edge model's errors if any disagrees with the cloud's.
    if (accepted_prefix(req_, st_.step, k) < k) edge_diverged_ = true;
    rec_.edge_only_tokens += k;
    tokens_final(k);
  }

  bool verify(int k) {
    const CloudWork v = cost_.verify(st_, k);
    // Pipelined: draft the next round meanwhile, as if all k were accepted.
    int spec = 0;
    if (rule_.pipelined && st_.step + k < st_.output_tokens) {
      RoundState ahead = st_;
      ahead.step += k;
      ahead.drafted = 0;
      spec = draft_length(ahead.step, rule_.window(ahead));
      if (spec > 0) {
        const EdgeWork d = cost_.draft(ahead.step, spec);
        rec_.edge_flops += d.flops;
        rec_.draft_tokens += spec;
        start_edge_work(e_, lane_, d.seconds, "draft", d.flops);
      }
    }
    const double sent = now();
    if (!cloud(v, "verify")) return false;
    st_.last_verify_s = now() - sent;
    const int a = accepted_prefix(req_, st_.step, k);
    ++st_.rounds;
    ++rec_.rounds;
    st_.last_verified = k;
    rec_.verified_tokens += k;
    st_.last_accepted = a;
    st_.inputs_on_cloud = true;
    st_.cloud_kv_tokens = v.job.context_tokens + v.job.prefill_tokens - k + a;
    rec_.accepted_tokens += a;
    const int emitted = std::min(a + 1, st_.output_tokens - st_.step);
    rec_.corrected_tokens += emitted - a;
    tokens_final(emitted);
    // A fully accepted round's bonus token sits where the speculative draft
    // began: if the edge's token there agrees, the rest of that draft stands.
    if (spec > 0 && a == k && draft_token(req_, st_.step - 1).agrees) {
      pending_ = spec - 1;
      if (pending_ > 0) return true;
      finish_edge_lane();
      return next_draft();
    }
    // Otherwise the speculative tail is discarded, cancelled if still running.
    if (spec > 0 && lane_.exec) abandon_edge_answer(w_, e_, rec_, lane_);
    return next_draft();
  }

  // The cloud takes the generation over at the current step and finishes
  // it, first verifying the `lead` drafted tokens sent along: it keeps
  // their agreeing prefix and generates everything after it.
  void handoff(int lead = 0) {
    const int accepted = lead > 0 ? accepted_prefix(req_, st_.step, lead) : 0;
    const int generated = st_.output_tokens - st_.step - accepted;
    const CloudWork h = cost_.handoff(st_, lead, accepted);
    rec_.handoff_step = st_.step + accepted;
    rec_.handoff_bytes = h.up_bytes;
    const int step0 = st_.step;
    if (!cloud(h, "handoff")) return;
    rec_.verified_tokens += lead;
    rec_.accepted_tokens += accepted;
    rec_.cloud_tokens += generated;
    st_.step = st_.output_tokens;
    if (std::isnan(rec_.first_token)) rec_.first_token = step0 == 0 ? rec_.cloud_first_token : now();
    finish();
  }

  // The cloud leads. The context job generates the whole answer; a helper
  // actor waits for it and carries the final reply down the moment it ends
  // (so that neither an edge lane in mid-draft nor a draft on its way up
  // delays it). This actor runs the edge: its context, then serial rounds
  // of draft, send, compare on arrival (a multi-token step when the draft
  // reaches past the cloud's position), reply; each draft starts from the
  // final position the last reply told.
  struct Lead {
    simgrid::s4u::SemaphorePtr wake = simgrid::s4u::Semaphore::create(0);  // an offer settled, or the final reply came
    bool over = false;       // the helper is done: the final reply arrived, or the cloud failed or rejected the job
    bool abandoned = false;  // the session gave the cloud up (its own exchange failed): the helper must not touch it
    CloudEnd end = CloudEnd::Answered;
    double at = -1;  // when the helper was done
    int heard = 0;   // the position the edge knew final when the final reply left
  };

  void run_lead() {
    auto lead = std::make_shared<Lead>();
    if (!holds_accel_) e_.take_accel(), holds_accel_ = true;
    const EdgeWork ctx = cost_.edge_context();
    rec_.edge_flops += ctx.flops;
    start_edge_work(e_, lane_, ctx.seconds, "edge-context");
    queue_lead_draft();
    ticket_->offer_settled = lead->wake;
    if (!cloud(cost_.cloud_generation(st_.output_tokens), "generate", false)) return;
    st_.inputs_on_cloud = true;
    await_generation(lead);
    while (!lead->over) {
      if (pending_ == 0) {
        // Nothing more to draft: the final reply ends the request.
        lead->wake->acquire();
        continue;
      }
      if (!finish_lead_draft(*lead)) break;
      if (!lead_round(*lead)) return;
    }
    if (lead->end != CloudEnd::Answered) {
      if (lead->end == CloudEnd::Failed) note_cloud_failure(e_);
      finish_on_edge();  // from what the edge has heard, its pending draft kept
      return;
    }
    if (lane_.exec) abandon_edge_answer(w_, e_, rec_, lane_);  // a draft the answer made moot
    pending_ = 0;
    heard(st_.output_tokens);
    // The cloud's first token, as for an offload (the edge's replies only
    // tell it where to draft from).
    rec_.first_token = rec_.cloud_first_token;
    done_at_ = lead->at;
    finish();
  }

  // Queues (or starts, if the lane is idle) a draft from the final position.
  void queue_lead_draft() {
    const int k = window();
    if (k == 0) return;
    const EdgeWork d = draft_cost(k);
    pending_ = k;
    if (lane_.exec) {
      lane_.queued_s = d.seconds;
      lane_.queued_label = "draft";
    } else {
      start_edge_work(e_, lane_, d.seconds, "draft");
    }
  }

  // Waits for the pending draft (the lane's work ends at its start + seconds);
  // false when the final reply came first.
  bool finish_lead_draft(Lead& lead) {
    while (lane_.exec && !lead.over) {
      const double left = lane_.t0 + lane_.seconds - now();
      if (left > 0 && !lead.wake->acquire_timeout(left)) continue;  // woken: look again
      lane_.exec->wait();
      edge_answer_ended(w_, e_, rec_, lane_);
    }
    return !lead.over;
  }

  // The helper: waits for the generation (until the fault timeout), then
  // carries the rest of the answer down.
  void await_generation(const std::shared_ptr<Lead>& lead) {
    const double timeout = w_.setup->platform.faults.timeout_s;
    const double deadline = timeout > 0 ? now() + timeout : kNoDeadline;
    World* w = &w_;
    EdgeState* e = &e_;
    RequestRecord* rec = &rec_;
    const int n = st_.output_tokens;
    // The costs outlive the session: a helper left waiting on an abandoned job never runs again.
    std::shared_ptr<const TokenCosts> costs = p_.tokens.costs;
    simgrid::s4u::Actor::create("lead-reply", e_.host, [w, e, rec, n, costs, deadline, lead, ticket = ticket_] {
      const bool served = deadline < kNoDeadline ? !ticket->done->acquire_timeout(std::max(0.0, deadline - now()))
                                                 : (ticket->done->acquire(), true);
      if (lead->abandoned) return;
      ticket->in_flight = false;
      if (!served) {
        CloudServer::cancel(ticket);
        note_timeout(*rec);
        lead->end = CloudEnd::Failed;
      } else {
        lead->end = record_job(*w, *rec, ticket);
        if (lead->end == CloudEnd::Answered)
          lead->end = cloud_reply(*w, *e, *rec, ticket, costs->reply_bytes(n - lead->heard), nullptr, deadline);
      }
      lead->at = now();
      lead->over = true;
      lead->wake->release();
    })->daemonize();
  }

  // One round: the finished draft goes up, is compared with the cloud's
  // tokens on arrival and (past the cloud's position) offered as a
  // multi-token step; the reply brings the edge the new final position and
  // the next draft starts. Returns false once the request has ended.
  bool lead_round(Lead& lead) {
    const int from = st_.step, k = pending_;
    CloudServer& gpu = *w_.clouds[ticket_->gpu];
    if (!lead_transfer(lead, cost_.draft_bytes(k), true, gpu)) return false;
    pending_ = 0;
    if (lead.over || ticket_->finished) return true;  // the final reply is, or soon will be, on its way
    rec_.verified_tokens += k;
    const int g = CloudServer::next_position(*ticket_);
    bool agrees = true;
    for (int i = from; i < std::min(from + k, g) && agrees; ++i) agrees = draft_token(req_, i).agrees;
    if (agrees && from + k > g) {
      const int offered = from + k - g, a = accepted_prefix(req_, g, offered);
      CloudServer::offer_drafts(ticket_, g, offered, a);
      while (ticket_->offer == CloudTicket::Offer::Pending && !lead.over) lead.wake->acquire();
      if (ticket_->offer == CloudTicket::Offer::Applied) {
        ++rec_.rounds;
        ++st_.rounds;
        const int kept = std::min(a, st_.output_tokens - g);
        step_accepted_ += kept;
        step_corrected_ += g + kept < st_.output_tokens ? 1 : 0;
      }
      if (lead.over || ticket_->finished) return true;
    }
    const int to = ticket_->generated;
    lead.heard = to;  // what the final reply will not need to carry
    if (!lead_transfer(lead, cost_.reply_bytes(to - st_.step), false, gpu)) return false;
    if (!lead.over) heard(to);
    queue_lead_draft();
    return true;
  }

  // A draft up or a reply down. False (the request has ended on the edge)
  // when it failed before the final reply came: the cloud is given up.
  bool lead_transfer(Lead& lead, double bytes, bool up, CloudServer& gpu) {
    const double t0 = now();
    const TransferEnd end = up ? transfer(w_, e_, e_.host, gpu.host(), bytes, true, rec_, nullptr)
                               : transfer(w_, e_, gpu.host(), e_.host, bytes, false, rec_, nullptr);
    w_.signals.activity_end({ActivityPlace::Collab, e_.host, up ? "draft up" : "reply", rec_.id, t0, now()});
    if (end == TransferEnd::Done || lead.over) return true;
    lead.abandoned = true;
    CloudServer::cancel(ticket_);
    ticket_->in_flight = false;
    note_cloud_failure(e_);
    finish_on_edge();
    return false;
  }

  // The edge learns the answer up to `to`: drafts the cloud accepted in a
  // multi-token step, the cloud's own token in it, and what it decoded alone.
  void heard(int to) {
    const int n = to - st_.step;
    if (n <= 0) return;
    rec_.accepted_tokens += step_accepted_;
    rec_.corrected_tokens += step_corrected_;
    rec_.cloud_tokens += n - step_accepted_ - step_corrected_;
    step_accepted_ = step_corrected_ = 0;
    tokens_final(n);
  }

  // One cloud interaction on the request's ticket (one GPU holds its
  // context). Returns false when the cloud rejected it: the request then
  // ends with the edge finishing the answer alone.
  bool cloud(const CloudWork& c, const char* what, bool await_job = true) {
    const double t0 = now();
    const CloudEnd end = cloud_path(w_, e_, p_, c.job, c.up_bytes, c.down_bytes, rec_, ticket_, &lane_, await_job);
    w_.signals.activity_end({ActivityPlace::Collab, e_.host, what, rec_.id, t0, now()});
    if (end == CloudEnd::Answered) return true;
    if (end == CloudEnd::Failed) note_cloud_failure(e_);
    finish_on_edge();
    return false;
  }

  // The cloud cannot serve this request: the edge drafts the rest unverified.
  void finish_on_edge() {
    // In progress again, not rejected: the edge finishes the answer, and a
    // run ending before it does leaves the request unfinished (complete()
    // marks it completed).
    rec_.status = RequestStatus::Unfinished;
    if (!holds_accel_) e_.take_accel(), holds_accel_ = true;
    finish_edge_lane();
    if (pending_ > 0) commit(pending_), pending_ = 0;
    const int left = st_.output_tokens - st_.step;
    if (left > 0) {
      start_edge_work(e_, lane_, draft_cost(left).seconds, "draft");
      finish_edge_lane();
      commit(left);
    }
    // A fault (link down, lost job, timeout) or a rejection.
    rec_.spec_outcome = rec_.failure == Cause::None ? SpecOutcome::EdgeFallback : SpecOutcome::Fallback;
    end(true);
  }

  void finish() {
    if (rec_.handoff_step >= 0)
      rec_.spec_outcome = SpecOutcome::Handoff;
    else if (rec_.edge_only_tokens == st_.output_tokens)
      rec_.spec_outcome = SpecOutcome::EdgeOnly;
    else if (rec_.edge_only_tokens > 0)
      rec_.spec_outcome = SpecOutcome::Mixed;
    else
      rec_.spec_outcome = SpecOutcome::Verified;
    end(false);
  }

  void end(bool fallback) {
    release_edge();
    drop_cloud_job(rec_, ticket_);  // a context prefill nothing came to use
    const int n = st_.output_tokens;
    AnsweredBy source = rec_.edge_only_tokens == n   ? AnsweredBy::Edge
                        : rec_.edge_only_tokens == 0 ? AnsweredBy::Cloud
                                                     : AnsweredBy::Mixed;
    if (fallback && rec_.edge_only_tokens < n) source = AnsweredBy::Mixed;
    // Cloud-verified or cloud-generated tokens carry the cloud model's
    // answer unless an unverified edge token disagreed with it.
    complete(w_, req_, rec_, edge_diverged_, p_, source, done_at_);
  }

  World& w_;
  EdgeState& e_;
  const Request& req_;
  RequestRecord& rec_;
  const ExecPlan& p_;
  TokenRule& rule_;
  const TokenCosts& cost_;
  CloudTicketPtr ticket_;
  bool holds_accel_;
  EdgeLane lane_;
  RoundState st_;
  int pending_ = 0;  // tokens of the draft on (or done on) the edge lane, not yet decided
  int priced_step_ = -1;  // the step st_.draft_s_per_token was priced at
  bool edge_diverged_ = false;
  int step_accepted_ = 0, step_corrected_ = 0;  // the cloud leads: multi-token steps' tokens the edge has not heard yet
  double done_at_ = -1;                          // when the answer arrived, if the session learns it later
};

}  // namespace

void run_token_session(World& w, const Request& req, RequestRecord& rec, const ExecPlan& p, bool holds_accel) {
  Session(w, req, rec, p, holds_accel).run();
}

}  // namespace msao
