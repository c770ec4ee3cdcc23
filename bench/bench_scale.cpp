// Scale benchmark (not a test): simulates the quickstart workload at several
// request counts and edge counts, then a bare S4U program that replays the
// same activities on the same platform and arrivals without the simulator's
// logic: per request an actor, its edge execs on a FIFO accelerator, upload,
// one cloud exec, reply, and for a race the cloud part in a child actor
// killed when a confident edge answer wins, all taken from the plans the
// simulator's policy chose. Prints wall time,
// simulated requests per second, peak RSS and the ratio to the bare program.
// Each simulation runs in its own forked process (one SimGrid engine per process).
//
//   build/bench_scale [--requests 100000,1000000] [--edges 1,100,10000]
//                     [--policy cloud-only] [--rate 7] [--scenario FILE]
//                     [--no-bare] [--out DIR] [--set KEY=VALUE ...]
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "sim/cost/hardware.hpp"
#include "sim/cost/model_spec.hpp"
#include "sim/engine/engine_config.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/util/fork_call.hpp"
#include "sim/run/run_scenario.hpp"
#include "sim/run/run_to_dir.hpp"
#include "workloads/workload_config.hpp"

namespace sg4 = simgrid::s4u;
using namespace msao;

namespace {

struct Measure {
  double wall_s = 0;
  double rss_mb = 0;
  size_t completed = 0;
};

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

std::vector<std::string> overrides(size_t n, int edges, double total_rate, const std::string& policy) {
  return {"workload.requests=" + std::to_string(n),
          "platform.edges=[{name: edge, count: " + std::to_string(edges) +
              ", hardware: rtx3090, uplink: {bandwidth: 300Mbps, rtt: 20ms}}]",
          "workload.arrival.rate_rps=" + std::to_string(total_rate / edges), "policy.type=" + policy};
}

// What the bare program replays of one request: the activities the
// simulator's plan asked for, in concrete seconds and bytes.
struct Step {
  Phases phases;
  bool confident = false;
  int rounds = 0;
  double edge_pre_s = 0, edge_answer_s = 0, edge_post_s = 0, draft_s = 0;
  double up = 0, down = 0, cloud_s = 0;
  double verify_up = 0, verify_down = 0, verify_s = 0;
};

// The simulator's run, timed whole as `msao run` does it (cost models,
// workload generation, planning, simulation, summary), records not kept;
// with `out`, the outputs streamed into that folder as `msao run` writes them.
Measure simulator(const Scenario& sc, const std::string& out) {
  auto t0 = std::chrono::steady_clock::now();
  RunOptions opt;
  opt.keep_records = false;
  RunOutput run = out.empty() ? run_scenario(sc, opt) : run_to_dir(out, sc);
  Measure m;
  m.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  m.completed = run.summary.completed;
  m.rss_mb = peak_rss_mb();
  return m;
}

// An untimed second run of the simulator that records, per request, the
// activities its policy's plan asked for (the same plans: runs are deterministic).
std::vector<Step> replay_steps(const Scenario& sc) {
  cost::CostModel cloud(cost::load_model(sc.cloud_model), sc.cloud_hardware);
  cost::CostModel edge(cost::load_model(sc.edge_model), sc.edge_hardware[0]);
  Planner planner(edge, cloud, edge, sc.protocol);
  // Cloud work as one batch-1 service time.
  auto service_s = [&](const CloudJob& j) { return planner.cloud_batch1_s(j); };
  std::vector<Step> steps(sc.workload.requests);
  RunOptions opt;
  opt.on_plan = [&](const Request& r, const ExecPlan& e) {
    if (r.id >= steps.size()) throw std::runtime_error("bench_scale replays workloads whose request ids are 0..n-1");
    Step& s = steps[r.id];
    s.phases = e.phases;
    s.confident = e.edge_confident;
    s.edge_pre_s = e.edge_pre_s;
    s.edge_answer_s = e.edge_answer_s;
    s.edge_post_s = e.edge_post_s;
    s.up = e.upload_bytes;
    s.down = e.reply_bytes;
    s.cloud_s = service_s(e.cloud);
  };
  const RunOutput out = run_scenario(sc, opt);
  // A token-level session's activities depend on what happened round by
  // round: replay the same number of cloud interactions (context, verify
  // passes, hand-off) and edge drafts, with the request's recorded totals
  // of bytes and device seconds shared evenly among them.
  for (const RequestRecord& rec : out.sim.records) {
    Step& s = steps[rec.id];
    if (!s.phases.contains(Phase::Tokens)) continue;
    const int calls = 1 + rec.rounds + (rec.handoff_step >= 0 ? 1 : 0);
    s.rounds = calls - 1;
    s.up = s.verify_up = rec.uplink_bytes / calls;
    s.down = s.verify_down = rec.downlink_bytes / calls;
    s.cloud_s = s.verify_s = rec.cloud_busy_s / calls;
    s.draft_s = std::max(0.0, rec.edge_busy_s - s.edge_pre_s) / std::max(1, s.rounds);
  }
  return steps;
}

// The same arrivals and the same activities as the simulator's run, with
// none of its logic: a per-request actor takes its edge's accelerator (a
// FIFO semaphore) for the plan's edge seconds, sends the plan's bytes, runs
// its cloud work as one plain exec on a cloud host, and takes the reply; a
// race runs the cloud part in a child actor, killed when a confident edge
// answer wins. Timed from engine start.
Measure bare(const Scenario& sc, const std::vector<Step>& steps) {
  std::vector<Request> reqs = materialize_workload(sc.workload, sc.seed, sc.platform.num_edges());
  auto t0 = std::chrono::steady_clock::now();
  int argc = 1;
  char arg0[] = "bare";
  char* argv[] = {arg0, nullptr};
  sg4::Engine engine(&argc, argv);
  configure_engine();
  BuiltPlatform plat = build_platform(sc.platform);
  size_t done = 0;
  std::vector<sg4::SemaphorePtr> accel;
  for (size_t e = 0; e < plat.edges.size(); ++e) accel.push_back(sg4::Semaphore::create(1));
  auto exec = [](double s) {
    if (s > 0) sg4::this_actor::execute(s * kHostSpeed);
  };
  auto send = [](sg4::Host* from, sg4::Host* to, double bytes) {
    if (bytes > 0) sg4::Comm::sendto(from, to, static_cast<uint64_t>(std::llround(bytes)));
  };
  auto on_edge = [&](size_t edge, double s) {
    if (s <= 0) return;
    accel[edge]->acquire();
    exec(s);
    accel[edge]->release();
  };
  // Upload, cloud exec, reply (and draft/verify rounds).
  auto cloud_part = [&](size_t i, sg4::Host* me, size_t edge) {
    const Step& s = steps[i];
    sg4::Host* gpu = plat.clouds[i % plat.clouds.size()];
    send(me, gpu, s.up);
    sg4::this_actor::exec_init(s.cloud_s * kHostSpeed)->set_host(gpu)->wait();
    send(gpu, me, s.down);
    for (int r = 0; r < s.rounds; ++r) {
      on_edge(edge, s.draft_s);
      send(me, gpu, s.verify_up);
      sg4::this_actor::exec_init(s.verify_s * kHostSpeed)->set_host(gpu)->wait();
      send(gpu, me, s.verify_down);
    }
    on_edge(edge, s.edge_post_s);
  };
  // A race: the cloud part in a child actor while the edge answers on the
  // held accelerator; a confident edge answer ending first kills the child.
  auto race = [&](size_t i, sg4::Host* me, size_t edge) {
    const Step& s = steps[reqs[i].id];
    auto finished = std::make_shared<bool>(false);
    sg4::SemaphorePtr joined = sg4::Semaphore::create(0);
    sg4::ActorPtr child = sg4::Actor::create("branch", me, [&, i, me, edge, finished, joined] {
      cloud_part(reqs[i].id, me, edge);
      *finished = true;
      joined->release();
    });
    exec(s.edge_answer_s);
    accel[edge]->release();
    if (s.confident && !*finished)
      child->kill();
    else if (!*finished)
      joined->acquire();
  };
  // The plan's phases, each as its plain activities.
  auto request = [&](size_t i) {
    const Step& s = steps[reqs[i].id];
    const size_t edge = reqs[i].edge;
    sg4::Host* me = sg4::this_actor::get_host();
    bool held = false, racing = false, stopped = false;
    for (const Phase ph : s.phases) {
      if (stopped) break;
      switch (ph) {
        case Phase::EdgePre:
          accel[edge]->acquire();
          held = true;
          exec(s.edge_pre_s);
          break;
        case Phase::EdgeAnswer:
          exec(s.edge_answer_s);
          accel[edge]->release();
          held = false;
          break;
        case Phase::StopIfConfident: stopped = s.confident; break;
        case Phase::RaceEdge: racing = true; break;
        case Phase::Cloud:
        case Phase::Tokens:
          if (racing) {
            race(i, me, edge);
            held = racing = false;
            break;
          }
          if (held) accel[edge]->release();
          held = false;
          cloud_part(reqs[i].id, me, edge);
          break;
      }
    }
    if (held) accel[edge]->release();
    ++done;
  };
  // One arrival actor, as the simulator; a short-lived actor per request.
  sg4::Actor::create("arrivals", plat.edges[reqs.front().edge], [&] {
    for (size_t i = 0; i < reqs.size(); ++i) {
      double wait = reqs[i].arrival_s - sg4::Engine::get_clock();
      if (wait > 0) sg4::this_actor::sleep_for(wait);
      sg4::Actor::create("req", plat.edges[reqs[i].edge], [&request, i] { request(i); });
    }
  });
  engine.run();
  Measure m;
  m.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  m.completed = done;
  m.rss_mb = peak_rss_mb();
  return m;
}

// Runs f in a forked child (one SimGrid engine per process). Its payload
// is a Measure, then (with `steps`) the replay steps.
Measure in_child(const std::function<std::string()>& f, std::vector<Step>* steps = nullptr) {
  ForkResult r = fork_call(f);
  Measure m;
  if (!r.ok || r.out.size() < sizeof m || (r.out.size() - sizeof m) % sizeof(Step) != 0) {
    std::fprintf(stderr, "run failed (status %d): %s\n", r.status, r.out.c_str());
    return m;
  }
  std::memcpy(&m, r.out.data(), sizeof m);
  if (steps) {
    steps->resize((r.out.size() - sizeof m) / sizeof(Step));
    std::memcpy(steps->data(), r.out.data() + sizeof m, steps->size() * sizeof(Step));
  }
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"MSAO-Sim scale benchmark"};
  std::vector<size_t> ns{100000, 1000000};
  std::vector<int> edges{1, 100, 10000};
  std::string policy = "cloud-only", scenario = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/quickstart.yaml";
  double rate = 7;
  app.add_option("--requests", ns, "Request counts")->delimiter(',');
  app.add_option("--edges", edges, "Edge counts")->delimiter(',');
  app.add_option("--policy", policy, "Policy");
  app.add_option("--rate", rate, "Total arrival rate, requests/s (7 keeps one A100 about half busy)");
  app.add_option("--scenario", scenario, "Base scenario");
  bool no_bare = false;
  std::string out;
  app.add_flag("--no-bare", no_bare, "Skip the bare replay (it holds every request's steps in memory)");
  app.add_option("--out", out, "Stream the simulator's outputs into this folder (timed), as msao run does");
  std::vector<std::string> sets;
  app.add_option("--set", sets, "Override a scenario key, as msao run --set (repeatable; e.g. platform.serving=vllm-v1)");
  CLI11_PARSE(app, argc, argv);
  std::printf("%-9s %-7s %-12s %10s %12s %9s | %10s %12s %9s | %6s\n", "requests", "edges", "policy", "sim wall s",
              "sim req/s", "RSS MB", "bare wall", "bare req/s", "RSS MB", "ratio");
  for (size_t n : ns)
    for (int e : edges) {
      std::vector<std::string> keys = overrides(n, e, rate, policy);
      keys.insert(keys.end(), sets.begin(), sets.end());
      Scenario sc = load_scenario(scenario, keys);
      Measure s = in_child([&] {
        Measure m = simulator(sc, out);
        return std::string(reinterpret_cast<const char*>(&m), sizeof m);
      });
      if (no_bare) {
        std::printf("%-9zu %-7d %-12s %10.2f %12.0f %9.0f |\n", n, e, policy.c_str(), s.wall_s, s.completed / s.wall_s,
                    s.rss_mb);
        std::fflush(stdout);
        continue;
      }
      std::vector<Step> steps;
      in_child([&] {
        Measure none;
        std::vector<Step> st = replay_steps(sc);
        std::string bytes(reinterpret_cast<const char*>(&none), sizeof none);
        bytes.append(reinterpret_cast<const char*>(st.data()), st.size() * sizeof(Step));
        return bytes;
      }, &steps);
      Measure b = in_child([&] {
        Measure m = bare(sc, steps);
        return std::string(reinterpret_cast<const char*>(&m), sizeof m);
      });
      std::printf("%-9zu %-7d %-12s %10.2f %12.0f %9.0f | %10.2f %12.0f %9.0f | %6.2f\n", n, e, policy.c_str(), s.wall_s,
                  s.completed / s.wall_s, s.rss_mb, b.wall_s, b.completed / b.wall_s, b.rss_mb, s.wall_s / b.wall_s);
      std::fflush(stdout);
    }
  return 0;
}
