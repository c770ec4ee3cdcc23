// Benchmark (not a test) behind the engine's worker pool (docs/engine.md):
// does a long-lived SimGrid actor that cancels its own transfers and execs,
// and whose waits time out, slow down or grow as it goes? One actor runs N
// iterations of what a racing request does: start a transfer and an exec,
// wait for either, cancel the transfer; run and cancel a long exec; wait on
// an exec with a timeout and on a semaphore with a timeout. Prints time per
// iteration and peak RSS for each N, each N in its own process. Flat columns
// mean nothing piles up in the actor.
//
//   build/bench_longlived_cancel [--iterations 10000,100000,400000]
#include <simgrid/kernel/routing/NetPoint.hpp>
#include <simgrid/s4u.hpp>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>

#include "sim/engine/engine_config.hpp"
#include "sim/engine/platform_spec.hpp"
#include "sim/util/fork_call.hpp"

namespace sg4 = simgrid::s4u;

namespace {

std::string run(int n) {
  int argc = 1;
  char arg0[] = "bench";
  char* argv[] = {arg0, nullptr};
  sg4::Engine engine(&argc, argv);
  msao::configure_engine();  // the simulator's stacks, network model and malloc settings
  auto* zone = sg4::create_star_zone("z");
  // configure_engine turns on the energy plugin, which wants host wattages.
  auto* a = zone->create_host("a", 1e9)->set_property("wattage_per_state", "0:0:0")->seal();
  auto* b = zone->create_host("b", 1e9)->set_property("wattage_per_state", "0:0:0")->seal();
  auto* link = zone->create_link("l", 1e6)->set_latency(0.01)->seal();
  zone->add_route(a->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(link)}, true);
  zone->add_route(b->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(link)}, true);
  zone->seal();
  const auto t0 = std::chrono::steady_clock::now();
  sg4::Actor::create("long-lived", a, [n, a, b] {
    for (int i = 0; i < n; ++i) {
      auto comm = sg4::Comm::sendto_async(a, b, 100000);
      auto exec = sg4::this_actor::exec_async(1e6);
      sg4::Activity::wait_any({exec, comm});
      comm->cancel();
      auto longer = sg4::this_actor::exec_async(1e9);
      sg4::this_actor::sleep_for(1e-4);
      longer->cancel();
      auto timed = sg4::this_actor::exec_async(1e6);
      sg4::Activity::wait_any_for({timed}, 1e-4);
      sg4::Semaphore::create(0)->acquire_timeout(1e-4);
      timed->wait();
      sg4::this_actor::sleep_for(0.01);
    }
  });
  engine.run();
  const double us = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / n * 1e6;
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  char line[128];
  std::snprintf(line, sizeof line, "%-12d %14.2f %10.0f\n", n, us, u.ru_maxrss / 1024.0);
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Long-lived actor cancelling its own activities: time and memory per iteration"};
  std::vector<int> ns{10000, 100000, 400000};
  app.add_option("--iterations", ns, "Iteration counts")->delimiter(',');
  CLI11_PARSE(app, argc, argv);
  std::printf("%-12s %14s %10s\n", "iterations", "us/iteration", "RSS MB");
  for (int n : ns) {
    const msao::ForkResult r = msao::fork_call([n] { return run(n); });
    std::fputs(r.ok ? r.out.c_str() : ("failed: " + r.out + "\n").c_str(), stdout);
  }
  return 0;
}
