#include "sim/engine/request_lifecycle.hpp"

#include <cmath>
#include <memory>

#include "sim/engine/edge_race.hpp"

namespace sg4 = simgrid::s4u;

namespace msao {

namespace {

// Runs `seconds` of work on the edge accelerator (already held).
void edge_exec(World& w, EdgeState& e, RequestRecord& rec, double seconds, const char* what) {
  if (seconds <= 0) return;
  double t0 = now();
  sg4::this_actor::exec_init(seconds * kHostSpeed)->set_host(e.host)->wait();
  e.busy_s += seconds;
  rec.edge_busy_s += seconds;
  if (w.timeline) w.timeline->span(e.host->get_name(), what, rec.id, t0, now());
}

// Queues for the edge accelerator, runs `seconds` on it and frees it.
void edge_exec_queued(World& w, EdgeState& e, RequestRecord& rec, double seconds, const char* what) {
  e.take_accel();
  edge_exec(w, e, rec, seconds, what);
  e.release_accel();
}

// The edge model's whole answer on the held accelerator, which it then
// frees. Returns when the answer's first token was out.
double answer_on_edge(World& w, EdgeState& e, RequestRecord& rec, const ExecPlan& p) {
  const double t0 = now();
  edge_exec(w, e, rec, p.edge_answer_s, "edge-answer");
  rec.edge_answer_end = now();
  e.release_accel();
  return t0 + p.edge_ttft_s;
}

// A transfer (with the link trace's extra delay first). Returns false if a
// race's edge answer won meanwhile: the transfer is then cancelled and its
// bytes counted as cancelled, so sent = received + cancelled. Updates the
// edge's bandwidth estimate on uploads.
bool transfer(World& w, EdgeState& e, sg4::Host* from, sg4::Host* to, double bytes, bool up, RequestRecord& rec,
              EdgeRace* race) {
  if (bytes <= 0) return true;
  double t0 = now();
  const auto& extra = up ? w.plat.edge_up_extra_latency[rec.edge] : w.plat.edge_down_extra_latency[rec.edge];
  if (extra && !sleep_racing(w, e, rec, race, extra(t0))) return false;
  (up ? w.result->uplink_bytes_sent : w.result->downlink_bytes_sent) += bytes;
  sg4::CommPtr comm = sg4::Comm::sendto_async(from, to, static_cast<uint64_t>(std::llround(bytes)));
  const auto track = [&] { return up ? e.host->get_name() + "-up" : e.host->get_name() + "-down"; };
  if (!wait_racing(w, e, rec, race, comm)) {
    comm->cancel();
    (up ? w.result->uplink_bytes_cancelled : w.result->downlink_bytes_cancelled) += bytes;
    if (w.timeline) w.timeline->span(track(), up ? "upload (cancelled)" : "reply (cancelled)", rec.id, t0, now());
    return false;
  }
  double dt = now() - t0;
  (up ? w.result->uplink_bytes : w.result->downlink_bytes) += bytes;
  (up ? rec.uplink_bytes : rec.downlink_bytes) += bytes;
  if (up) {
    // Goodput net of the one-way latency the device believes in.
    double net = dt - e.rtt_est_s / 2;
    if (net > 1e-9) {
      double a = w.setup->bw_ewma_alpha;
      e.bw_est_Bps = (1 - a) * e.bw_est_Bps + a * (bytes / net);
    }
  }
  if (w.timeline) w.timeline->span(track(), up ? "upload" : "reply", rec.id, t0, now());
  return true;
}

enum class CloudEnd { Answered, Rejected, EdgeWon };

// Upload, cloud job, reply. Fills the record's cloud timestamps. With a
// race, stops (cancelling what is in flight) when the edge answer wins.
CloudEnd cloud_path(World& w, EdgeState& e, const ExecPlan& p, const CloudJob& job, double up_bytes, double down_bytes,
                    RequestRecord& rec, const CloudTicketPtr& ticket, EdgeRace* race = nullptr) {
  // Dispatched once per ticket: a draft-verify round goes to the GPU that
  // holds its prefilled context.
  if (ticket->gpu < 0) ticket->gpu = static_cast<int>(w.dispatch(w.clouds));
  CloudServer& gpu = *w.clouds[ticket->gpu];
  gpu.dispatched(job);
  if (std::isnan(rec.upload_start)) rec.upload_start = now();
  const bool uploaded = transfer(w, e, e.host, gpu.host(), up_bytes, true, rec, race);
  gpu.arrived(job);
  if (!uploaded) return CloudEnd::EdgeWon;
  rec.upload_end = now();
  if (std::isnan(rec.cloud_enqueue)) rec.cloud_enqueue = now();
  gpu.submit(ticket, job);
  if (!await_ticket(w, e, rec, race, ticket)) {
    CloudServer::cancel(ticket);
    return CloudEnd::EdgeWon;
  }
  if (std::isnan(rec.cloud_start)) rec.cloud_start = ticket->t_start;
  if (std::isnan(rec.cloud_first_token)) rec.cloud_first_token = ticket->t_first_token;
  rec.cloud_end = ticket->t_end;
  rec.cloud_busy_s += ticket->busy_s;
  rec.cloud_flops += ticket->flops;
  ticket->busy_s = ticket->flops = 0;
  if (w.timeline && ticket->t_start >= 0) w.timeline->span(gpu.host()->get_name(), "serve", rec.id, ticket->t_start, ticket->t_end);
  if (ticket->rejected) {
    rec.status = RequestStatus::Rejected;
    rec.reason = ticket->reason;
    return CloudEnd::Rejected;
  }
  int reported = gpu.load();
  if (!transfer(w, e, gpu.host(), e.host, down_bytes, false, rec, race)) return CloudEnd::EdgeWon;
  rec.reply_end = now();
  e.cloud_queue_reported = reported;
  if (p.edge_post_s > 0 && &job == &p.cloud) {
    // A split that decodes on the edge: the edge finishes after the reply.
    edge_exec_queued(w, e, rec, p.edge_post_s, "edge-post");
  }
  return CloudEnd::Answered;
}

void complete(World& w, const Request& req, RequestRecord& rec, bool edge_answer, const ExecPlan& p) {
  // Dynamic energy attributed to the request (idle energy stays in the
  // per-side totals of the energy plugin): device seconds x (busy - idle) W.
  rec.energy_j = rec.edge_busy_s * w.plat.edge_dynamic_w[rec.edge] +
                 rec.cloud_busy_s * (w.setup->platform.cloud.busy_w - w.setup->platform.cloud.idle_w);
  rec.done = now();
  if (rec.status == RequestStatus::Rejected) {
    rec.answered_by = "none";
  } else {
    rec.status = RequestStatus::Completed;
    rec.answered_by = edge_answer ? "edge" : "cloud";
    rec.correct = edge_answer ? p.edge_answer_correct : p.cloud_answer_correct;
  }
  if (w.setup->on_complete) w.setup->on_complete(req, rec);
}

// The cloud rejected a request whose edge answer exists (race, cascade):
// that answer is returned; the rejection's reason stays in the record.
void fall_back_to_edge(World& w, const Request& req, RequestRecord& rec, const ExecPlan& p) {
  rec.status = RequestStatus::Completed;
  rec.spec_outcome = "edge-fallback";
  complete(w, req, rec, true, p);
}

}  // namespace

void run_request(World& w, const Request& req, RequestRecord& rec) {
  EdgeState& e = w.edges[req.edge];
  rec.arrival = now();
  Observation obs;
  obs.now = now();
  obs.edge = req.edge;
  obs.bandwidth_est_Bps = e.bw_est_Bps;
  obs.rtt_est_s = e.rtt_est_s;
  obs.edge_queue = e.queue;
  obs.cloud_queue_reported = e.cloud_queue_reported;
  obs.truth.uplink_Bps = e.nominal_bw_Bps;
  obs.truth.one_way_latency_s = e.nominal_one_way_s;
  obs.truth.cloud_load = w.min_cloud_load();
  const ExecPlan p = w.setup->planner(req, obs);
  rec.decision = p.decision;
  rec.mode = exec_mode_name(p.mode);
  rec.edge_flops = p.edge_flops;
  rec.edge_mem_bytes = p.edge_mem_bytes;

  e.take_accel();
  rec.edge_start = now();
  edge_exec(w, e, rec, p.edge_pre_s, "edge-pre");
  rec.edge_pre_end = now();
  // The cloud GPU's handle on this request's job(s), made when it is sent.
  auto ticket = [] { return std::make_shared<CloudTicket>(); };

  switch (p.mode) {
    case ExecMode::EdgeOnly: {
      rec.first_token = answer_on_edge(w, e, rec, p);
      rec.spec_outcome = "none";
      complete(w, req, rec, true, p);
      return;
    }
    case ExecMode::Offload: {
      e.release_accel();
      bool ok = cloud_path(w, e, p, p.cloud, p.upload_bytes, p.reply_bytes, rec, ticket()) == CloudEnd::Answered;
      if (ok) rec.first_token = rec.cloud_first_token;
      rec.spec_outcome = "none";
      complete(w, req, rec, false, p);
      return;
    }
    case ExecMode::Cascade: {
      const double edge_first_token = answer_on_edge(w, e, rec, p);
      if (p.edge_confident) {
        rec.first_token = edge_first_token;
        rec.spec_outcome = "edge-accepted";
        complete(w, req, rec, true, p);
        return;
      }
      if (cloud_path(w, e, p, p.cloud, p.upload_bytes, p.reply_bytes, rec, ticket()) == CloudEnd::Rejected) {
        rec.first_token = edge_first_token;
        fall_back_to_edge(w, req, rec, p);
        return;
      }
      rec.first_token = rec.cloud_first_token;
      rec.spec_outcome = "escalated";
      complete(w, req, rec, false, p);
      return;
    }
    case ExecMode::Race: {
      // The edge answers (async exec) while this actor uploads and waits
      // for the cloud; a confident edge answer ending first cancels what the
      // cloud path has in flight (transfer or GPU job).
      EdgeRace race;
      race.t0 = now();
      race.seconds = p.edge_answer_s;
      race.confident = p.edge_confident;
      race.exec = sg4::this_actor::exec_init(p.edge_answer_s * kHostSpeed)->set_host(e.host)->start();
      const CloudEnd end = cloud_path(w, e, p, p.cloud, p.upload_bytes, p.reply_bytes, rec, ticket(), &race);
      if (end == CloudEnd::EdgeWon) {
        rec.first_token = race.t0 + p.edge_ttft_s;
        rec.spec_outcome = "edge-accepted";
        complete(w, req, rec, true, p);
        return;
      }
      if (end == CloudEnd::Rejected) {
        // The cloud cannot serve it: the edge's answer is returned instead.
        if (race.exec) {
          race.exec->wait();
          edge_answer_ended(w, e, rec, race);
        }
        rec.first_token = race.t0 + p.edge_ttft_s;
        fall_back_to_edge(w, req, rec, p);
        return;
      }
      if (race.exec) abandon_edge_answer(w, e, rec, race);
      rec.first_token = rec.cloud_first_token;
      rec.spec_outcome = "cloud-used";
      complete(w, req, rec, false, p);
      return;
    }
    case ExecMode::DraftVerify: {
      e.release_accel();
      // The cloud prefills the (pruned) multimodal context once.
      const CloudTicketPtr t = ticket();
      bool ok = cloud_path(w, e, p, p.cloud, p.upload_bytes, p.verify_down_bytes, rec, t) == CloudEnd::Answered;
      if (ok) rec.first_token = rec.cloud_first_token;
      for (int r = 0; ok && r < p.rounds; ++r) {
        edge_exec_queued(w, e, rec, p.draft_round_s, "draft");
        CloudJob v = p.verify;
        v.context_tokens += r * (p.verify.prefill_tokens);
        ok = cloud_path(w, e, p, v, p.verify_up_bytes, p.verify_down_bytes, rec, t) == CloudEnd::Answered;
      }
      rec.spec_outcome = "verified";
      complete(w, req, rec, false, p);
      return;
    }
  }
}

}  // namespace msao
