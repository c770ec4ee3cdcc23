#include "sim/engine/lifecycle_steps.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace sg4 = simgrid::s4u;

namespace msao {

Observation observe(World& w, const EdgeState& e, const Request& req, const CloudTicket* own) {
  Observation obs;
  obs.now = now();
  obs.edge = req.edge;
  obs.bandwidth_est_Bps = e.bw_est_Bps;
  obs.rtt_est_s = e.rtt_est_s;
  obs.edge_queue = e.queue;
  obs.cloud_queue = w.cloud_queue_seen(own);
  obs.cloud_failures = e.cloud_failures;
  obs.last_cloud_failure_s = e.last_cloud_failure_s;
  obs.last_cloud_success_s = e.last_cloud_success_s;
  obs.session_edge_tokens = req.edge_context_tokens;
  obs.truth.uplink_Bps = e.nominal_bw_Bps;
  obs.truth.one_way_latency_s = e.nominal_one_way_s;
  obs.truth.cloud_load = w.min_cloud_load();
  return obs;
}

void edge_exec(World& w, EdgeState& e, RequestRecord& rec, double seconds, const char* what) {
  if (seconds <= 0) return;
  double t0 = now();
  sg4::this_actor::exec_init(seconds * kHostSpeed)->set_host(e.host)->wait();
  e.busy_s += seconds;
  rec.edge_busy_s += seconds;
  w.signals.activity_end({ActivityPlace::Device, e.host, what, rec.id, t0, now()});
}

void edge_exec_queued(World& w, EdgeState& e, RequestRecord& rec, double seconds, const char* what) {
  e.take_accel();
  edge_exec(w, e, rec, seconds, what);
  e.release_accel();
}

double answer_on_edge(World& w, EdgeState& e, RequestRecord& rec, const ExecPlan& p) {
  const double t0 = now();
  edge_exec(w, e, rec, p.edge_answer_s, "edge-answer");
  rec.edge_answer_end = now();
  e.release_accel();
  return t0 + p.edge_ttft_s;
}

namespace {
TransferEnd failed(RequestRecord& rec, Cause why) {
  rec.failure = why;
  if (why == Cause::Timeout) ++rec.timeouts;
  return TransferEnd::Failed;
}
}  // namespace

namespace {
// An upload of `bytes` took `dt`: the edge's bandwidth estimate moves
// towards its goodput, net of the one-way latency the device believes in.
void note_goodput(const World& w, EdgeState& e, double bytes, double dt) {
  double net = dt - e.rtt_est_s / 2;
  if (net > 1e-9) {
    double a = w.setup->bw_ewma_alpha;
    e.bw_est_Bps = (1 - a) * e.bw_est_Bps + a * (bytes / net);
  }
}
}  // namespace

TransferEnd transfer(World& w, EdgeState& e, sg4::Host* from, sg4::Host* to, double bytes, bool up, RequestRecord& rec,
                     EdgeLane* race, double deadline) {
  if (bytes <= 0) return TransferEnd::Done;
  // Observers may hold the data back (an idle radio promotes first, which a
  // race does not interrupt); every way out below tells them how much moved.
  TransferEvent xfer{rec.edge, rec, up, now()};
  w.signals.transfer_start(xfer);
  if (xfer.data_start > now()) sg4::this_actor::sleep_until(xfer.data_start);
  const auto transfer_ended = [&](double moved) {
    xfer.t_end = now();
    xfer.moved = moved;
    w.signals.transfer_end(xfer);
  };
  const auto moved_before_stop = [](const sg4::CommPtr& c, double total) {
    try {
      return std::max(0.0, total - c->get_remaining());
    } catch (const simgrid::Exception&) {
      return 0.0;
    }
  };
  const auto span = [&](const char* label, double t0) {
    w.signals.activity_end({up ? ActivityPlace::Uplink : ActivityPlace::Downlink, e.host, label, rec.id, t0, now()});
  };
  double t0 = now();
  const auto& extra = up ? w.plat.edge_up_extra_latency[rec.edge] : w.plat.edge_down_extra_latency[rec.edge];
  if (extra) {
    const WaitEnd slept = sleep_racing(w, e, rec, race, extra(t0), deadline);
    if (slept != WaitEnd::Done) transfer_ended(0);
    if (slept == WaitEnd::EdgeWon) return TransferEnd::EdgeWon;
    if (slept == WaitEnd::TimedOut) return failed(rec, Cause::Timeout);
  }
  (up ? w.result->uplink_bytes_sent : w.result->downlink_bytes_sent) += bytes;
  sg4::CommPtr comm = sg4::Comm::sendto_async(from, to, static_cast<uint64_t>(std::llround(bytes)));
  WaitEnd end;
  try {
    end = wait_racing(w, e, rec, race, comm, deadline);
  } catch (const simgrid::NetworkFailureException&) {
    // A link of the route is down (platform.faults): the bytes are lost.
    transfer_ended(moved_before_stop(comm, bytes));
    (up ? w.result->uplink_bytes_cancelled : w.result->downlink_bytes_cancelled) += bytes;
    span(up ? "upload (link down)" : "reply (link down)", t0);
    return failed(rec, Cause::LinkDown);
  }
  if (end != WaitEnd::Done) {
    transfer_ended(moved_before_stop(comm, bytes));
    comm->cancel();
    (up ? w.result->uplink_bytes_cancelled : w.result->downlink_bytes_cancelled) += bytes;
    span(up ? "upload (cancelled)" : "reply (cancelled)", t0);
    return end == WaitEnd::EdgeWon ? TransferEnd::EdgeWon : failed(rec, Cause::Timeout);
  }
  double dt = now() - t0;
  transfer_ended(bytes);
  (up ? w.result->uplink_bytes : w.result->downlink_bytes) += bytes;
  (up ? rec.uplink_bytes : rec.downlink_bytes) += bytes;
  if (up) note_goodput(w, e, bytes, dt);
  span(up ? "upload" : "reply", t0);
  return TransferEnd::Done;
}

CloudEnd record_job(World& w, RequestRecord& rec, const CloudTicketPtr& ticket) {
  CloudServer& gpu = *w.clouds[ticket->gpu];
  // (-1: the job never started, or emitted no token, before it ended.)
  if (std::isnan(rec.cloud_start) && ticket->t_start >= 0) rec.cloud_start = ticket->t_start;
  if (std::isnan(rec.cloud_first_token) && ticket->t_first_token >= 0) rec.cloud_first_token = ticket->t_first_token;
  rec.cloud_end = ticket->t_end;
  rec.cloud_busy_s += ticket->busy_s;
  rec.cloud_flops += ticket->flops;
  ticket->busy_s = ticket->flops = 0;
  rec.cached_tokens += ticket->cached_tokens;
  rec.encoder_hit = rec.encoder_hit || ticket->encoder_hit;
  if (ticket->t_start >= 0) {
    if (w.check) w.check->activity("serve", rec.id, ticket->t_start, ticket->t_end);
    w.signals.activity_end({ActivityPlace::Device, gpu.host(), "serve", rec.id, ticket->t_start, ticket->t_end});
  }
  if (ticket->lost) {
    // The GPU failed under it (or was down): a fault, not a rejection.
    rec.failure = ticket->reason;
    rec.lost_on_failure = rec.lost_on_failure || ticket->reason == Cause::GpuFailure;
    ticket->lost = ticket->rejected = false;
    return CloudEnd::Failed;
  }
  if (ticket->rejected) {
    rec.status = RequestStatus::Rejected;
    rec.reason = ticket->reason;
    return CloudEnd::Rejected;
  }
  return CloudEnd::Answered;
}

void note_timeout(RequestRecord& rec) { failed(rec, Cause::Timeout); }

CloudEnd settle_job(World& w, EdgeState& e, RequestRecord& rec, EdgeLane* race, const CloudTicketPtr& ticket,
                    double deadline) {
  ticket->in_flight = false;
  const WaitEnd waited = await_ticket(w, e, rec, race, ticket, deadline);
  if (waited != WaitEnd::Done) {
    CloudServer::cancel(ticket);
    if (waited == WaitEnd::EdgeWon) return CloudEnd::EdgeWon;
    failed(rec, Cause::Timeout);
    return CloudEnd::Failed;
  }
  return record_job(w, rec, ticket);
}

int choose_gpu(World& w, const World::Pool* pool) {
  const size_t first = pool ? pool->first : 0, n = pool ? pool->count : w.clouds.size();
  const size_t pick = pool ? pool->dispatch(pool->servers(w)) : w.dispatch(w.clouds);
  for (size_t k = 0; k < n; ++k)
    if (!w.clouds[first + (pick + k) % n]->failed()) return static_cast<int>(first + (pick + k) % n);
  return static_cast<int>(first + pick);
}

void note_cloud_failure(EdgeState& e) {
  ++e.cloud_failures;
  e.last_cloud_failure_s = now();
}

void drop_cloud_job(RequestRecord& rec, const CloudTicketPtr& ticket) {
  if (!ticket->in_flight) return;
  ticket->in_flight = false;
  CloudServer::cancel(ticket);
  rec.cloud_busy_s += ticket->busy_s;
  rec.cloud_flops += ticket->flops;
  ticket->busy_s = ticket->flops = 0;
}

CloudEnd upload_job(World& w, EdgeState& e, CloudServer& gpu, const CloudJob& job, double up_bytes,
                    RequestRecord& rec, EdgeLane* race, double deadline) {
  gpu.dispatched(job);
  if (std::isnan(rec.upload_start)) rec.upload_start = now();
  const TransferEnd uploaded = transfer(w, e, e.host, gpu.host(), up_bytes, true, rec, race, deadline);
  gpu.arrived(job);
  if (uploaded != TransferEnd::Done) return uploaded == TransferEnd::EdgeWon ? CloudEnd::EdgeWon : CloudEnd::Failed;
  rec.upload_end = now();
  return CloudEnd::Answered;
}

CloudEnd cloud_path(World& w, EdgeState& e, const ExecPlan& p, const CloudJob& job, double up_bytes, double down_bytes,
                    RequestRecord& rec, const CloudTicketPtr& ticket, EdgeLane* race, bool await_job) {
  // A disaggregated cloud runs a fresh job stage by stage, pool by pool.
  if (!w.pools.empty() && ticket->gpu < 0 && await_job && job.context_tokens == 0 && !job.first_token_ready &&
      job.prefill_tokens > 0)
    return staged_cloud_path(w, e, p, job, up_bytes, down_bytes, rec, ticket, race);
  // Dispatched once per ticket: a draft-verify round goes to the GPU that
  // holds its prefilled context (of a disaggregated cloud, in its decode
  // pool, which serves a token session whole).
  if (ticket->gpu < 0) ticket->gpu = choose_gpu(w, w.pools.empty() ? nullptr : &w.pool_for(CloudStage::Decode));
  ticket->request = rec.id;
  CloudServer& gpu = *w.clouds[ticket->gpu];
  const double timeout = w.setup->platform.faults.timeout_s;
  const double deadline = timeout > 0 ? now() + timeout : kNoDeadline;
  if (const CloudEnd up = upload_job(w, e, gpu, job, up_bytes, rec, race, deadline); up != CloudEnd::Answered) return up;
  if (ticket->in_flight) {
    // The job sent before this one is still on the GPU: this one queues behind it.
    const CloudEnd before = settle_job(w, e, rec, race, ticket, deadline);
    if (before != CloudEnd::Answered) return before;
  }
  if (std::isnan(rec.cloud_enqueue)) rec.cloud_enqueue = now();
  gpu.submit(ticket, job);
  if (!await_job) {
    ticket->in_flight = true;
    return CloudEnd::Answered;
  }
  if (const CloudEnd end = settle_job(w, e, rec, race, ticket, deadline); end != CloudEnd::Answered) return end;
  if (const CloudEnd end = cloud_reply(w, e, rec, ticket, down_bytes, race, deadline); end != CloudEnd::Answered)
    return end;
  if (p.edge_post_s > 0 && &job == &p.cloud) {
    // A split that decodes on the edge: the edge finishes after the reply.
    edge_exec_queued(w, e, rec, p.edge_post_s, "edge-post");
  }
  return CloudEnd::Answered;
}

CloudEnd cloud_reply(World& w, EdgeState& e, RequestRecord& rec, const CloudTicketPtr& ticket, double down_bytes,
                     EdgeLane* race, double deadline) {
  const TransferEnd replied =
      transfer(w, e, w.clouds[ticket->gpu]->host(), e.host, down_bytes, false, rec, race, deadline);
  if (replied != TransferEnd::Done) return replied == TransferEnd::EdgeWon ? CloudEnd::EdgeWon : CloudEnd::Failed;
  rec.reply_end = now();
  e.cloud_failures = 0;
  e.last_cloud_success_s = now();
  return CloudEnd::Answered;
}

void complete(World& w, const Request& req, RequestRecord& rec, bool edge_answer, const ExecPlan& p,
              AnsweredBy answered_by, double done_at) {
  // Dynamic energy attributed to the request (idle energy stays in the
  // per-side totals of the energy plugin): device seconds x (busy - idle) W.
  rec.energy_j = rec.edge_busy_s * w.plat.edge_dynamic_w[rec.edge] +
                 rec.cloud_busy_s * (w.setup->platform.cloud.busy_w - w.setup->platform.cloud.idle_w);
  rec.done = done_at >= 0 ? done_at : now();
  // A first token placed at start + time-to-first-token can land an ulp past
  // the clock at the end when it is the answer's only token.
  if (rec.first_token > rec.done) rec.first_token = rec.done;
  if (rec.status == RequestStatus::Rejected || rec.status == RequestStatus::Failed) {
    rec.answered_by = AnsweredBy::None;
  } else {
    rec.status = RequestStatus::Completed;
    const bool one_side = answered_by == AnsweredBy::Unset;
    rec.answered_by = !one_side ? answered_by : edge_answer ? AnsweredBy::Edge : AnsweredBy::Cloud;
    if (one_side) {
      // One side produced the whole answer (token sessions count their own).
      (edge_answer ? rec.edge_only_tokens : rec.cloud_tokens) = rec.output_tokens;
    }
    rec.correct = edge_answer ? p.edge_answer_correct : p.cloud_answer_correct;
  }
  if (w.setup->on_complete) w.setup->on_complete(req, rec);
}

void fall_back_to_edge(World& w, const Request& req, RequestRecord& rec, const ExecPlan& p) {
  rec.status = RequestStatus::Completed;
  rec.spec_outcome = SpecOutcome::EdgeFallback;
  complete(w, req, rec, true, p);
}

}  // namespace msao
