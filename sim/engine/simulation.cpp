// The request lifecycle on SimGrid. Each request is one short-lived actor on
// its edge host (short-lived actors keep cancelled activities from piling
// up in a long-lived actor's list: SIMGRID-NOTES). A speculative request
// runs its edge answer as an async exec beside its own cloud path, which it
// cancels when a confident edge answer ends first.
#include "sim/engine/simulation.hpp"

#include <simgrid/plugins/energy.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

#include "sim/engine/dispatcher.hpp"
#include "sim/engine/edge_state.hpp"
#include "sim/engine/timeline.hpp"

namespace sg4 = simgrid::s4u;

namespace msao {

namespace {

// Open-loop requests run in a pool of reused worker actors: an arrival goes
// to an idle worker, or to a new one. A worker's own host does not matter
// (execs name their edge host, transfers both ends), so the pool is shared
// by all edges and holds as many workers as requests were ever in flight
// at once, not one per edge (10,000 edges: 320 MB of stacks). Reusing
// actors spares, per request, a context, a stack to clear and an exit that
// SimGrid unwinds through an exception (msao: 50k -> 57k requests/s). A
// long-lived actor that cancels transfers and execs, or whose waits time
// out, was checked on SimGrid 3.32 to keep flat time and memory over 400k
// such requests, so workers that raced are reused too.
struct Worker {
  sg4::SemaphorePtr go = sg4::Semaphore::create(0);
  size_t idx = 0;  // the request it runs next
  bool stop = false;
};

struct World {
  SimSetup* setup = nullptr;
  BuiltPlatform plat;
  std::vector<EdgeState> edges;
  std::vector<std::shared_ptr<Worker>> idle_workers;
  bool arrivals_done = false;  // every open-loop request has been handed out
  std::vector<std::unique_ptr<CloudServer>> clouds;
  SimResult* result = nullptr;
  Timeline* timeline = nullptr;

  Dispatcher dispatch;

  // Ground truth for the oracle: the smallest load any GPU has now.
  int min_cloud_load() const {
    int m = clouds.front()->load();
    for (const auto& c : clouds) m = std::min(m, c->load());
    return m;
  }
};

double now() { return sg4::Engine::get_clock(); }

// Runs `seconds` of work on the edge accelerator (already held).
void edge_exec(World& w, EdgeState& e, RequestRecord& rec, double seconds, const char* what) {
  if (seconds <= 0) return;
  double t0 = now();
  sg4::this_actor::exec_init(seconds * kHostSpeed)->set_host(e.host)->wait();
  e.busy_s += seconds;
  rec.edge_busy_s += seconds;
  if (w.timeline) w.timeline->span(e.host->get_name(), what, rec.id, t0, now());
}

// A race's edge answer: an async exec on the (held) edge accelerator while
// the request's own actor drives the cloud path, so a race costs no second
// actor (a context, a stack, and an exit that unwinds through an exception).
// Every wait of the cloud path also watches `exec`; the edge accelerator is
// exclusive (FIFO semaphore), so the exec ends at t0 + seconds.
struct EdgeRace {
  sg4::ExecPtr exec;  // null once the edge answer has ended (or was abandoned)
  double t0 = 0, seconds = 0;
  bool confident = false;
  bool won = false;  // the edge answered confidently while the cloud was still working
};

// The edge answer ends: free the accelerator, and note whether it wins.
void edge_answer_ended(World& w, EdgeState& e, RequestRecord& rec, EdgeRace& r) {
  r.exec = nullptr;
  e.busy_s += r.seconds;
  rec.edge_busy_s += r.seconds;
  rec.edge_answer_end = now();
  if (w.timeline) w.timeline->span(e.host->get_name(), "edge-answer", rec.id, r.t0, now());
  e.accel->release();
  --e.queue;
  r.won = r.confident;
}

// The cloud answered first: its answer is the request's, so the edge run
// still in progress is abandoned (its device time so far is accounted).
void abandon_edge_answer(World& w, EdgeState& e, RequestRecord& rec, EdgeRace& r) {
  r.exec->cancel();
  r.exec = nullptr;
  const double used = now() - r.t0;
  e.busy_s += used;
  rec.edge_busy_s += used;
  if (w.timeline) w.timeline->span(e.host->get_name(), "edge-answer (abandoned)", rec.id, r.t0, now());
  e.accel->release();
  --e.queue;
}

// Waits for `a` while a race's edge answer may end first. Returns false if
// the edge answered confidently first; `a` is then still running.
bool wait_racing(World& w, EdgeState& e, RequestRecord& rec, EdgeRace* r, const sg4::ActivityPtr& a) {
  if (r && r->exec) {
    if (sg4::Activity::wait_any({r->exec, a}) != 0) return true;
    edge_answer_ended(w, e, rec, *r);
    if (r->won) return false;
  }
  a->wait();
  return true;
}

// Sleeps `d` seconds while a race's edge answer may end first. Returns false
// if the edge answered confidently first.
bool sleep_racing(World& w, EdgeState& e, RequestRecord& rec, EdgeRace* r, double d) {
  if (d <= 0) return true;
  const double t0 = now();
  if (r && r->exec) {
    if (sg4::Activity::wait_any_for({r->exec}, d) < 0) return true;  // slept d
    edge_answer_ended(w, e, rec, *r);
    if (r->won) return false;
    d -= now() - t0;
  }
  if (d > 0) sg4::this_actor::sleep_for(d);
  return true;
}

// Waits for the cloud GPU to finish (or reject) a ticket while a race's edge
// answer may end first. Returns false if the edge answered confidently first.
bool await_ticket(World& w, EdgeState& e, RequestRecord& rec, EdgeRace* r, const CloudTicketPtr& ticket) {
  if (r && r->exec) {
    const double left = r->t0 + r->seconds - now();
    if (left > 0 && !ticket->done->acquire_timeout(left)) return true;  // the GPU was first
    r->exec->wait();  // ends now (exclusive accelerator), give or take rounding
    edge_answer_ended(w, e, rec, *r);
    if (r->won) return false;
  }
  ticket->done->acquire();
  return true;
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
  if (!wait_racing(w, e, rec, race, comm)) {
    comm->cancel();
    (up ? w.result->uplink_bytes_cancelled : w.result->downlink_bytes_cancelled) += bytes;
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
  if (w.timeline) w.timeline->span(up ? e.host->get_name() + "-up" : e.host->get_name() + "-down", up ? "upload" : "reply", rec.id, t0, now());
  return true;
}

enum class CloudEnd { Answered, Rejected, EdgeWon };

// Upload, cloud job, reply. Fills the record's cloud timestamps. With a
// race, stops (cancelling what is in flight) when the edge answer wins.
CloudEnd cloud_path(World& w, EdgeState& e, const ExecPlan& p, const CloudJob& job, double up_bytes, double down_bytes,
                    RequestRecord& rec, const CloudTicketPtr& ticket, EdgeRace* race = nullptr) {
  CloudServer& gpu = *w.clouds[w.dispatch(w.clouds)];
  if (std::isnan(rec.upload_start)) rec.upload_start = now();
  if (!transfer(w, e, e.host, gpu.host(), up_bytes, true, rec, race)) return CloudEnd::EdgeWon;
  rec.upload_end = now();
  ticket->job = job;
  ticket->finished = false;
  ticket->prefilled = false;
  ticket->generated = 0;
  ticket->t_start = -1;
  if (std::isnan(rec.cloud_enqueue)) rec.cloud_enqueue = now();
  gpu.submit(ticket);
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
    ++e.queue;
    e.accel->acquire();
    edge_exec(w, e, rec, p.edge_post_s, "edge-post");
    e.accel->release();
    --e.queue;
  }
  return CloudEnd::Answered;
}

void complete(World& w, const Request& req, RequestRecord& rec, bool edge_answer, const ExecPlan& p) {
  // Dynamic energy attributed to the request (idle energy stays in the
  // per-side totals of the energy plugin): device seconds x (busy - idle) W.
  rec.energy_j = rec.edge_busy_s * w.plat.edge_dynamic_w[rec.edge] +
                 rec.cloud_busy_s * (w.setup->platform.cloud.busy_w - w.setup->platform.cloud.idle_w);
  if (rec.status == RequestStatus::Rejected) {
    rec.done = now();
    rec.answered_by = "none";
  } else {
    rec.status = RequestStatus::Completed;
    rec.done = now();
    rec.answered_by = edge_answer ? "edge" : "cloud";
    rec.correct = edge_answer ? p.edge_answer_correct : p.cloud_answer_correct;
  }
  if (w.setup->on_complete) w.setup->on_complete(req, rec);
}

// Runs one request in the calling actor.
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

  ++e.queue;
  e.accel->acquire();
  rec.edge_start = now();
  edge_exec(w, e, rec, p.edge_pre_s, "edge-pre");
  rec.edge_pre_end = now();
  // The cloud GPU's handle on this request's job(s), made when it is sent.
  auto ticket = [] { return std::make_shared<CloudTicket>(); };

  switch (p.mode) {
    case ExecMode::EdgeOnly: {
      double t0 = now();
      edge_exec(w, e, rec, p.edge_answer_s, "edge-answer");
      rec.edge_answer_end = now();
      rec.first_token = t0 + p.edge_ttft_s;
      e.accel->release();
      --e.queue;
      rec.spec_outcome = "none";
      complete(w, req, rec, true, p);
      return;
    }
    case ExecMode::Offload: {
      e.accel->release();
      --e.queue;
      bool ok = cloud_path(w, e, p, p.cloud, p.upload_bytes, p.reply_bytes, rec, ticket()) == CloudEnd::Answered;
      if (ok) rec.first_token = rec.cloud_first_token;
      rec.spec_outcome = "none";
      complete(w, req, rec, false, p);
      return;
    }
    case ExecMode::Cascade: {
      double t0 = now();
      edge_exec(w, e, rec, p.edge_answer_s, "edge-answer");
      rec.edge_answer_end = now();
      e.accel->release();
      --e.queue;
      if (p.edge_confident) {
        rec.first_token = t0 + p.edge_ttft_s;
        rec.spec_outcome = "edge-accepted";
        complete(w, req, rec, true, p);
        return;
      }
      bool ok = cloud_path(w, e, p, p.cloud, p.upload_bytes, p.reply_bytes, rec, ticket()) == CloudEnd::Answered;
      if (ok) rec.first_token = rec.cloud_first_token;
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
      if (race.exec) {
        if (end == CloudEnd::Answered) {
          abandon_edge_answer(w, e, rec, race);
        } else {
          // Rejected: the request still ends when its edge run does.
          race.exec->wait();
          edge_answer_ended(w, e, rec, race);
        }
      }
      if (end == CloudEnd::Answered) rec.first_token = rec.cloud_first_token;
      rec.spec_outcome = "cloud-used";
      complete(w, req, rec, false, p);
      return;
    }
    case ExecMode::DraftVerify: {
      e.accel->release();
      --e.queue;
      // The cloud prefills the (pruned) multimodal context once.
      const CloudTicketPtr t = ticket();
      bool ok = cloud_path(w, e, p, p.cloud, p.upload_bytes, p.verify_down_bytes, rec, t) == CloudEnd::Answered;
      if (ok) rec.first_token = rec.cloud_first_token;
      for (int r = 0; ok && r < p.rounds; ++r) {
        ++e.queue;
        e.accel->acquire();
        edge_exec(w, e, rec, p.draft_round_s, "draft");
        e.accel->release();
        --e.queue;
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

}  // namespace

SimResult run_simulation(SimSetup setup) {
  int argc = 1;
  char arg0[] = "msao";
  char* argv[] = {arg0, nullptr};
  sg4::Engine engine(&argc, argv);
  configure_engine(engine);
  bool deadlock = false;
  sg4::Engine::on_deadlock_cb([&deadlock] { deadlock = true; });

  SimResult result;
  // A run stopped at its horizon leaves actors blocked on the world's
  // semaphores, which SimGrid refuses to destroy; such a world is left to
  // the process's exit (one simulation per process).
  auto* world = new World;
  World& w = *world;
  w.setup = &setup;
  w.result = &result;
  std::unique_ptr<Timeline> timeline;
  if (!setup.timeline_path.empty()) {
    timeline = std::make_unique<Timeline>(setup.timeline_max_events);
    w.timeline = timeline.get();
  }
  w.plat = build_platform(setup.platform);
  w.edges.resize(w.plat.edges.size());
  for (size_t i = 0; i < w.edges.size(); ++i) {
    auto& e = w.edges[i];
    e.host = w.plat.edges[i];
    e.nominal_bw_Bps = w.plat.edge_uplink_Bps[i];
    e.nominal_one_way_s = w.plat.edge_one_way_latency[i];
    // A device starts from the link figures its user measured and configured.
    e.bw_est_Bps = e.nominal_bw_Bps;
    e.rtt_est_s = 2 * e.nominal_one_way_s;
  }
  const DispatcherInfo* disp = find_dispatcher(setup.dispatcher);
  if (!disp) throw std::runtime_error("unknown dispatcher '" + setup.dispatcher + "'");
  w.dispatch = disp->make();
  for (auto* h : w.plat.clouds) {
    w.clouds.push_back(std::make_unique<CloudServer>(h, setup.cloud_cost));
    w.clouds.back()->start();
  }

  const size_t n = setup.requests.size();
  result.records.resize(n);
  std::vector<std::vector<size_t>> per_edge(w.edges.size());  // closed loop: each edge's requests in order
  for (size_t i = 0; i < n; ++i) {
    const Request& r = setup.requests[i];
    if (i > 0 && r.arrival_s < setup.requests[i - 1].arrival_s)
      throw std::runtime_error("requests must be sorted by arrival time: request " + std::to_string(r.id) +
                               " arrives before its predecessor");
    if (r.edge < 0 || r.edge >= static_cast<int>(w.edges.size()))
      throw std::runtime_error("request " + std::to_string(r.id) + " names edge " + std::to_string(r.edge) +
                               " but the platform has " + std::to_string(w.edges.size()));
    auto& rec = result.records[i];
    rec.id = r.id;
    rec.edge = r.edge;
    rec.dataset = r.dataset;
    rec.category = r.category;
    rec.prompt_tokens = r.prompt_tokens;
    rec.output_tokens = r.output_tokens;
    per_edge[r.edge].push_back(i);
  }
  for (size_t ei = 0; ei < per_edge.size() && setup.users_per_edge > 0; ++ei) {
    if (per_edge[ei].empty()) continue;
    // Closed loop: the edge's users share its request list in order.
    auto list = std::make_shared<std::vector<size_t>>(std::move(per_edge[ei]));
    auto cursor = std::make_shared<size_t>(0);
    for (int u = 0; u < setup.users_per_edge; ++u) {
      auto think = setup.make_think(static_cast<int>(ei), u);
      sg4::Actor::create("user", w.edges[ei].host, [&w, &setup, &result, list, cursor, think] {
        while (true) {
          sg4::this_actor::sleep_for(think());
          if (*cursor >= list->size()) return;
          size_t idx = (*list)[(*cursor)++];
          run_request(w, setup.requests[idx], result.records[idx]);
        }
      });
    }
  }
  if (setup.users_per_edge == 0 && n > 0) {
    // Open loop: one arrival actor hands each request, at its arrival time,
    // to a worker (requests are sorted by arrival).
    sg4::Host* home = w.edges[setup.requests[0].edge].host;
    sg4::Actor::create("arrivals", home, [&w, &setup, &result, home] {
      for (size_t idx = 0; idx < setup.requests.size(); ++idx) {
        double wait = setup.requests[idx].arrival_s - now();
        if (wait > 0) sg4::this_actor::sleep_for(wait);
        if (!w.idle_workers.empty()) {
          std::shared_ptr<Worker> wk = w.idle_workers.back();
          w.idle_workers.pop_back();
          wk->idx = idx;
          wk->go->release();
          continue;
        }
        auto wk = std::make_shared<Worker>();
        wk->idx = idx;
        sg4::Actor::create("req", home, [&w, &setup, &result, wk] {
          while (true) {
            run_request(w, setup.requests[wk->idx], result.records[wk->idx]);
            if (w.arrivals_done) return;
            w.idle_workers.push_back(wk);
            wk->go->acquire();
            if (wk->stop) return;
          }
        });
      }
      // No more requests: idle workers end, busy ones end after their request.
      w.arrivals_done = true;
      for (auto& wk : w.idle_workers) {
        wk->stop = true;
        wk->go->release();
      }
      w.idle_workers.clear();
    });
  }

  if (setup.horizon_s > 0)
    engine.run_until(setup.horizon_s);
  else
    engine.run();
  if (deadlock)
    throw std::runtime_error("SimGrid detected a deadlock at t=" + std::to_string(now()) +
                             " s: some request waits for an event that can never happen");

  result.sim_time_s = now();
  for (auto* h : w.plat.edges) result.energy_j_edge += sg_host_get_consumed_energy(h);
  for (auto* h : w.plat.clouds) result.energy_j_cloud += sg_host_get_consumed_energy(h);
  for (auto& c : w.clouds) {
    result.cloud_busy_s += c->busy_s();
    result.cloud_flops += c->flops();
    result.peak_kv_bytes_cloud = std::max(result.peak_kv_bytes_cloud, c->peak_kv_bytes());
    result.cloud_iterations += c->iterations();
  }
  result.cloud_gpus = static_cast<int>(w.clouds.size());
  if (timeline) timeline->write(setup.timeline_path);
  if (sg4::Engine::get_instance()->get_actor_count() == 0) delete world;
  return result;
}

}  // namespace msao
