// Scale benchmark (not a test): simulates the quickstart workload at several
// request counts and edge counts, and a bare S4U program that performs the
// same activities (per-request actor, upload, cloud exec, reply) on the same
// platform and arrivals without the simulator's logic. Prints wall time,
// simulated requests per second, peak RSS and the ratio to the bare program.
// Each simulation runs in its own forked process (one SimGrid engine per process).
//
//   build/bench_scale [--requests 100000,1000000] [--edges 1,100,10000]
//                     [--policy cloud-only] [--rate 7] [--scenario FILE]
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "sim/cost/hardware.hpp"
#include "sim/cost/model_spec.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/run/fork_call.hpp"
#include "sim/run/run_scenario.hpp"
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

Measure simulator(const Scenario& sc) {
  auto t0 = std::chrono::steady_clock::now();
  RunOutput out = run_scenario(sc);
  Measure m;
  m.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  m.completed = out.summary.completed;
  m.rss_mb = peak_rss_mb();
  return m;
}

// The same arrivals and transfer sizes, a plain exec per request on the
// cloud host for its batch-1 service time; timed from engine start.
Measure bare(const Scenario& sc) {
  std::vector<Request> reqs = materialize_workload(sc.workload, sc.seed, sc.platform.num_edges());
  cost::CostModel cloud(cost::load_model(sc.cloud_model), cost::load_hardware(sc.cloud_hardware));
  cost::CostModel edge(cost::load_model(sc.edge_model), cost::load_hardware(sc.edge_groups[0].hardware));
  Planner planner(edge, cloud, cost::CostModel(cost::load_model(sc.cloud_model), cost::load_hardware(sc.edge_groups[0].hardware)), sc.protocol);
  Plan p;
  p.placement = Placement::Cloud;
  std::vector<double> up(reqs.size()), down(reqs.size()), cloud_s(reqs.size());
  for (size_t i = 0; i < reqs.size(); ++i) {
    ExecPlan e = planner.plan(reqs[i], p);
    up[i] = e.upload_bytes;
    down[i] = e.reply_bytes;
    cloud_s[i] = planner.predict_latency(e, 1e18, 0, 0);
  }
  auto t0 = std::chrono::steady_clock::now();
  int argc = 1;
  char arg0[] = "bare";
  char* argv[] = {arg0, nullptr};
  sg4::Engine engine(&argc, argv);
  configure_engine(engine);
  BuiltPlatform plat = build_platform(sc.platform);
  size_t done = 0;
  std::vector<std::vector<size_t>> per_edge(plat.edges.size());
  for (size_t i = 0; i < reqs.size(); ++i) per_edge[reqs[i].edge].push_back(i);
  sg4::Host* cloud_host = plat.clouds[0];
  for (size_t e = 0; e < per_edge.size(); ++e) {
    if (per_edge[e].empty()) continue;
    sg4::Actor::create("arrivals", plat.edges[e], [&, list = std::move(per_edge[e])] {
      for (size_t i : list) {
        double wait = reqs[i].arrival_s - sg4::Engine::get_clock();
        if (wait > 0) sg4::this_actor::sleep_for(wait);
        sg4::Actor::create("req", sg4::this_actor::get_host(), [&, i] {
          sg4::Host* me = sg4::this_actor::get_host();
          sg4::Comm::sendto(me, cloud_host, static_cast<uint64_t>(up[i]));
          sg4::this_actor::exec_init(cloud_s[i] * kHostSpeed)->set_host(cloud_host)->wait();
          sg4::Comm::sendto(cloud_host, me, static_cast<uint64_t>(down[i]));
          ++done;
        });
      }
    });
  }
  engine.run();
  Measure m;
  m.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  m.completed = done;
  m.rss_mb = peak_rss_mb();
  return m;
}

Measure in_child(const std::function<Measure()>& f) {
  ForkResult r = fork_call([&] {
    Measure m = f();
    return std::string(reinterpret_cast<const char*>(&m), sizeof m);
  });
  Measure m;
  if (r.ok && r.out.size() == sizeof m)
    std::memcpy(&m, r.out.data(), sizeof m);
  else
    std::fprintf(stderr, "run failed (status %d): %s\n", r.status, r.out.c_str());
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
  CLI11_PARSE(app, argc, argv);
  std::printf("%-9s %-7s %-12s %10s %12s %9s | %10s %12s %9s | %6s\n", "requests", "edges", "policy", "sim wall s",
              "sim req/s", "RSS MB", "bare wall", "bare req/s", "RSS MB", "ratio");
  for (size_t n : ns)
    for (int e : edges) {
      Scenario sc = load_scenario(scenario, overrides(n, e, rate, policy));
      Measure s = in_child([&] { return simulator(sc); });
      Measure b = in_child([&] { return bare(sc); });
      std::printf("%-9zu %-7d %-12s %10.2f %12.0f %9.0f | %10.2f %12.0f %9.0f | %6.2f\n", n, e, policy.c_str(), s.wall_s,
                  s.completed / s.wall_s, s.rss_mb, b.wall_s, b.completed / b.wall_s, b.rss_mb, s.wall_s / b.wall_s);
      std::fflush(stdout);
    }
  return 0;
}
