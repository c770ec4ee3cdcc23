// run_simulation: builds the SimGrid engine and platform, the edges' and
// cloud GPUs' state, and the actors that issue requests (one arrival actor
// feeding a pool of at most max_live_requests reused workers, or
// closed-loop users), runs the engine and collects the results. The request
// lifecycle itself is sim/engine/request_lifecycle.cpp.
#include "sim/engine/simulation.hpp"

#include <simgrid/plugins/energy.h>
#include <xbt/log.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "sim/engine/closed_loop.hpp"
#include "sim/engine/engine_config.hpp"
#include "sim/engine/radio_energy.hpp"
#include "sim/engine/request_lifecycle.hpp"
#include "sim/engine/simgrid_env_config.hpp"
#include "sim/engine/timeline.hpp"
#include "sim/engine/world.hpp"
#include "workloads/rng.hpp"

namespace sg4 = simgrid::s4u;

namespace msao {

namespace {

// Device failures (platform.faults): daemon actors that fail and repair
// cloud replicas and edge devices, from exponential draws per device or an
// explicit schedule.
template <typename Fail, typename Repair>
void start_failures(sg4::Host* host, double mtbf_s, double mttr_s, uint64_t seed, const std::string& stream, Fail fail,
                    Repair repair) {
  auto rng = std::make_shared<Rng>(seed, stream);
  sg4::Actor::create("faults", host, [=] {
    while (true) {
      sg4::this_actor::sleep_for(rng->exponential(mtbf_s));
      fail();
      sg4::this_actor::sleep_for(rng->exponential(mttr_s));
      repair();
    }
  })->daemonize();
}
template <typename Fail, typename Repair>
void start_failure_at(sg4::Host* host, const FaultSpec::Failure& x, Fail fail, Repair repair) {
  sg4::Actor::create("fault", host, [=] {
    sg4::this_actor::sleep_until(x.at_s);
    fail();
    sg4::this_actor::sleep_for(x.repair_s);
    repair();
  })->daemonize();
}

void start_faults(World& w) {
  const FaultSpec& f = w.setup->platform.faults;
  for (size_t i = 0; i < w.clouds.size() && f.gpu_mtbf_s > 0; ++i) {
    CloudServer* gpu = w.clouds[i].get();
    start_failures(gpu->host(), f.gpu_mtbf_s, f.gpu_mttr_s, f.seed, "gpu-failures-" + std::to_string(i),
                   [gpu] { gpu->fail(); }, [gpu] { gpu->repair(); });
  }
  for (const auto& x : f.gpu_failures) {
    CloudServer* gpu = w.clouds.at(x.gpu).get();
    start_failure_at(gpu->host(), x, [gpu] { gpu->fail(); }, [gpu] { gpu->repair(); });
  }
  for (size_t i = 0; i < w.edges.size() && f.edge_mtbf_s > 0; ++i) {
    EdgeState* e = &w.edges[i];
    start_failures(e->host, f.edge_mtbf_s, f.edge_mttr_s, f.seed, "edge-failures-" + std::to_string(i),
                   [e] { e->down = true; }, [e] { e->down = false; });
  }
  for (const auto& x : f.edge_failures) {
    EdgeState* e = &w.edges.at(x.gpu);
    start_failure_at(e->host, x, [e] { e->down = true; }, [e] { e->down = false; });
  }
}

// GPUs per model replica (platform.cloud.replica_gpus, at least one).
size_t replica_gpus(const SimSetup& setup) { return std::max(1, setup.platform.cloud.replica_gpus); }

// Runs the request in `slot` on an idle worker, or on a new one.
void hand_to_worker(World& w, RequestSlot& slot, sg4::Host* home) {
  ++w.live;
  if (!w.idle_workers.empty()) {
    std::shared_ptr<Worker> wk = w.idle_workers.back();
    w.idle_workers.pop_back();
    wk->slot = &slot;
    wk->go->release();
    return;
  }
  auto wk = std::make_shared<Worker>();
  wk->slot = &slot;
  sg4::Actor::create("req", home, [&w, wk] {
    while (true) {
      run_request(w, wk->slot->req, wk->slot->rec);
      w.slots->finish(*wk->slot);
      --w.live;
      if (w.arrival_held) {  // an arrival waits for this place
        w.arrival_held = false;
        w.room->release();
      }
      if (w.arrivals_done) return;
      w.idle_workers.push_back(wk);
      wk->go->acquire();
      if (wk->stop) return;
    }
  });
}

// Each edge's device state, from the platform just built.
void build_edges(World& w) {
  w.edges.resize(w.plat.edges.size());
  for (size_t i = 0; i < w.edges.size(); ++i) {
    auto& e = w.edges[i];
    e.host = w.plat.edges[i];
    e.nominal_bw_Bps = w.plat.edge_uplink_Bps[i];
    e.nominal_one_way_s = w.plat.edge_one_way_latency[i];
    // A device starts from the link figures its user measured and configured.
    e.bw_est_Bps = e.nominal_bw_Bps;
    e.rtt_est_s = 2 * e.nominal_one_way_s;
    if (i < w.setup->edge_kv_tokens.size()) e.sessions.set_capacity(w.setup->edge_kv_tokens[i]);
  }
}

// The dispatcher and one server per model replica: the dispatcher sees
// replicas, each running on its first GPU with the replica's other GPUs as
// peers. Each server's iterations go to the setup's sink and, when records
// are kept, to the result.
void build_clouds(World& w, SimResult& result) {
  const SimSetup& setup = *w.setup;
  auto dispatcher = [](const std::string& name) {
    const DispatcherInfo* disp = find_dispatcher(name);
    if (!disp) throw std::runtime_error("unknown dispatcher '" + name + "'");
    return disp->make();
  };
  w.dispatch = dispatcher(setup.dispatcher);
  size_t next_gpu = 0;
  // `replicas` servers of `per_replica` GPUs with `cost`, on the next unused GPUs.
  auto add_servers = [&](size_t replicas, size_t per_replica, const CloudCost& cost) {
    for (size_t r = 0; r < replicas && next_gpu + per_replica <= w.plat.clouds.size(); ++r, next_gpu += per_replica) {
      std::vector<sg4::Host*> peers(w.plat.clouds.begin() + next_gpu + 1,
                                    w.plat.clouds.begin() + next_gpu + per_replica);
      w.clouds.push_back(std::make_unique<CloudServer>(w.plat.clouds[next_gpu], cost, std::move(peers)));
      w.clouds.back()->set_invariant_check(w.check, static_cast<int>(w.clouds.size() - 1));
      w.clouds.back()->start();
    }
  };
  const size_t per_replica = replica_gpus(setup);
  if (!setup.cloud_pools.disaggregated()) add_servers(w.plat.clouds.size() / per_replica, per_replica, setup.cloud_cost);
  for (const CloudPoolSpec& spec : setup.cloud_pools.pools) {
    World::Pool pool{w.clouds.size(), 0, spec.stages, dispatcher(spec.dispatcher)};
    const size_t per = static_cast<size_t>(std::max(1, spec.replica_gpus));
    add_servers(static_cast<size_t>(spec.gpus) / per, per, spec.cost);
    pool.count = w.clouds.size() - pool.first;
    if (pool.count == 0) throw std::runtime_error("cloud pool '" + spec.name + "' has no replica");
    w.pools.push_back(std::move(pool));
  }
  if (setup.keep_records) result.cloud_iteration_log.resize(w.clouds.size());
  for (size_t i = 0; i < w.clouds.size(); ++i)
    w.clouds[i]->set_iteration_sink([&setup, &result, i](const IterationRecord& it) {
      if (setup.on_iteration) setup.on_iteration(static_cast<int>(i), it);
      if (setup.keep_records) result.cloud_iteration_log[i].push_back(it);
    });
}

// The requests' slots; each finished record goes, in request order, to the
// checker, the setup's sink and, when records are kept, the result.
void open_slots(World& w, SimResult& result) {
  w.slots = std::make_unique<RequestSlots>(
      [&w, &result](const RequestRecord& rec) {
        const SimSetup& setup = *w.setup;
        if (w.check) w.check->record(rec);
        if (setup.on_record) setup.on_record(rec);
        if (setup.keep_records) result.records.push_back(rec);
      },
      w.setup->held_in_memory);
}

// The open loop's arrivals: the next request to arrive, pulled from the
// source when the previous one arrived, and what went wrong reading it.
struct OpenArrivals {
  RequestSource* source = nullptr;
  Request next;
  bool pending = false;
  std::string error;
};

// One arrival actor hands each request, at its arrival time, to a worker.
void start_arrivals(World& w, OpenArrivals& a) {
  if (a.next.edge < 0 || a.next.edge >= static_cast<int>(w.edges.size()))
    throw std::runtime_error(bad_edge_error(a.next, w.edges.size()));
  sg4::Host* home = w.edges[a.next.edge].host;
  sg4::Actor::create("arrivals", home, [&w, &a, home] {
    while (a.pending) {
      double wait = a.next.arrival_s - now();
      if (wait > 0) sg4::this_actor::sleep_for(wait);
      const double t = a.next.arrival_s;
      // Every place taken: this request waits, still in the source's hands, until one ends.
      while (w.live >= std::max<size_t>(w.setup->max_live_requests, 1)) {
        w.arrival_held = w.ever_held = true;
        w.room->acquire();
      }
      RequestSlot& slot = w.slots->add(std::move(a.next));
      // Once places have run out, a request may start after its arrival: the record keeps the arrival.
      if (w.ever_held) slot.rec.arrival = t;
      a.pending = a.source->next(a.next);
      if (a.pending && (a.next.arrival_s < t || a.next.edge < 0 || a.next.edge >= static_cast<int>(w.edges.size()))) {
        // Not thrown here: an exception cannot leave an actor cleanly.
        a.error = "request " + std::to_string(a.next.id) + " arrives before its predecessor or names edge " +
                  std::to_string(a.next.edge) + " of " + std::to_string(w.edges.size());
        a.pending = false;
      }
      hand_to_worker(w, slot, home);
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

// Checks the requests given whole and starts the actors that issue them
// (a source is checked as it is read). Returns how many requests the
// workload held, arrived or not.
size_t start_requests(World& w, SimSetup& setup, OpenArrivals& arrivals) {
  const bool closed = setup.users_per_edge > 0;
  for (size_t i = 0; i < setup.requests.size(); ++i) {
    const Request& r = setup.requests[i];
    if (!closed && i > 0 && r.arrival_s < setup.requests[i - 1].arrival_s)
      throw std::runtime_error("requests must be sorted by arrival time: request " + std::to_string(r.id) +
                               " arrives before its predecessor");
    if (r.edge < 0 || r.edge >= static_cast<int>(w.edges.size()))
      throw std::runtime_error(bad_edge_error(r, w.edges.size()));
  }
  if (!setup.source) {
    if (closed) {
      setup.edges_with_requests.assign(w.edges.size(), false);
      for (const Request& r : setup.requests) setup.edges_with_requests[r.edge] = true;
    }
    setup.source = std::make_shared<VectorSource>(std::move(setup.requests));
  }
  const size_t offered = setup.source->size();
  if (closed) {
    if (setup.edges_with_requests.size() != w.edges.size())
      throw std::runtime_error("a closed loop on a request source needs SimSetup::edges_with_requests, one per edge");
    start_users(w, *setup.source, setup.edges_with_requests);
    return offered;
  }
  arrivals.source = setup.source.get();
  arrivals.pending = arrivals.source->next(arrivals.next);
  if (arrivals.pending) start_arrivals(w, arrivals);
  return offered;
}

// The engine's totals once it has stopped: energy, the cloud's work and memory.
void collect_totals(const World& w, SimResult& result) {
  result.sim_time_s = now();
  for (auto* h : w.plat.edges) result.energy_j_edge += sg_host_get_consumed_energy(h);
  // Iterations a server ran ahead that ended before the stop count.
  for (auto& c : w.clouds) c->catch_up();
  // The cloud's GPUs in platform order (replicas are consecutive runs of
  // them), each as its server counts it: iterations are timed waits, not
  // execs the energy plugin would see.
  for (auto& c : w.clouds)
    for (size_t g = 0; g < c->gpus(); ++g) result.energy_j_cloud += c->energy_j(g);
  for (auto& c : w.clouds) {
    result.cloud_busy_s += c->busy_s();
    result.cloud_flops += c->flops();
    result.peak_kv_bytes_cloud = std::max(result.peak_kv_bytes_cloud, c->peak_kv_bytes());
    result.cloud_peak_memory = cost::peak_of(result.cloud_peak_memory, c->peak_memory());
    result.cloud_iterations += c->iterations();
    result.cloud_preemptions += c->preemptions();
    result.prefix_lookup_tokens += c->prefix_lookup_tokens();
    result.prefix_hit_tokens += c->prefix_hit_tokens();
    result.encoder_lookups += c->encoder_lookups();
    result.encoder_hits += c->encoder_hits();
    result.gpu_failures += c->failures();
  }
  result.cloud_gpus = static_cast<int>(w.clouds.size());
  result.cloud_pools = static_cast<int>(w.pools.size());
  result.cloud_replica_gpus = static_cast<int>(replica_gpus(*w.setup));
}

// A run stopped at its horizon: the requests it holds, then those that
// never arrived, leave as they are (unfinished), in request order.
void pass_unfinished(World& w, const SimSetup& setup, OpenArrivals& a, double end_s) {
  if (setup.users_per_edge > 0) return pass_unstarted(w);
  w.slots->flush_started();
  w.slots->drain();
  size_t idx = w.slots->end();
  if (a.pending)
    for (bool more = true; more; more = a.source->next(a.next), ++idx) {
      // A request that arrived and waited for a place, never started: its arrival is known.
      if (w.ever_held && a.next.arrival_s <= end_s) {
        RequestRecord rec = initial_record(a.next);
        rec.arrival = a.next.arrival_s;
        w.slots->pass(idx, std::move(rec));
      } else {
        w.slots->pass(idx, a.next);
      }
    }
  w.slots->drain();
}

// How far the run's buffers filled (SimResult's peaks).
void collect_peaks(const World& w, SimResult& result) {
  if (w.closed) {
    result.peak_read_ahead = w.closed->feed.queued().peak();
    result.peak_read_ahead_in_memory = w.closed->feed.queued().peak_in_memory();
  }
  result.peak_started = w.slots->peak_started();
  result.peak_waiting_records = w.slots->order().peak_waiting();
  result.peak_records_in_memory = w.slots->order().peak_in_memory();
}

}  // namespace

SimResult run_simulation(SimSetup setup) {
  // With MSAO_SIMGRID_CONFIG's items (the sanitizer build's thread contexts).
  const std::unique_ptr<sg4::Engine> engine_owner = create_engine();
  sg4::Engine& engine = *engine_owner;
  configure_engine();
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
  std::unique_ptr<InvariantCheck> check;
  if (setup.check_invariants) {
    check = std::make_unique<InvariantCheck>();
    w.check = check.get();
  }
  // Observers, on the engine's signals.
  std::unique_ptr<Timeline> timeline;
  if (!setup.timeline_path.empty()) {
    timeline = std::make_unique<Timeline>(setup.timeline_max_events);
    timeline->connect(w.signals);
  }
  RadioEnergy radio(setup.platform);
  radio.connect(w.signals);
  w.plat = build_platform(setup.platform);
  build_edges(w);
  build_clouds(w, result);
  start_faults(w);
  open_slots(w, result);
  OpenArrivals arrivals;
  const size_t offered = start_requests(w, setup, arrivals);

  if (setup.horizon_s > 0) {
    engine.run_until(setup.horizon_s);
    // Actors still blocked at the horizon make SimGrid warn at process exit
    // ("Process called exit when leaving"): expected here, so silenced.
    xbt_log_control_set("ker_engine.thresh:error");
  } else {
    engine.run();
  }
  if (!arrivals.error.empty()) throw std::runtime_error(arrivals.error);
  if (w.closed && !w.closed->feed.error().empty()) throw std::runtime_error(w.closed->feed.error());
  if (deadlock)
    throw std::runtime_error("SimGrid detected a deadlock at t=" + std::to_string(now()) +
                             " s: some request waits for an event that can never happen");

  collect_totals(w, result);
  radio.add_totals(result, result.sim_time_s);
  pass_unfinished(w, setup, arrivals, result.sim_time_s);
  collect_peaks(w, result);
  if (check) {
    for (const auto& c : w.clouds) c->check_books_at_end(check->unfinished() > 0);
    check->finish_run(result, offered);
  }
  if (timeline) timeline->write(setup.timeline_path);
  if (sg4::Engine::get_instance()->get_actor_count() == 0) delete world;
  return result;
}

}  // namespace msao
