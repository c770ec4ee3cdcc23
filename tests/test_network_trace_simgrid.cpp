// A transfer over a SimGrid link driven by a network trace takes the time
// the trace implies, computed here by hand (piecewise-constant bandwidth,
// latency RTT/2 first). CM02 with cross-traffic off is the model under which
// a lone transfer takes exactly latency + bytes/bandwidth (SIMGRID-NOTES.md);
// profiles are set before seal(). Each simulation runs in a forked child.
#include <doctest/doctest.h>
#include <simgrid/kernel/ProfileBuilder.hpp>
#include <simgrid/s4u.hpp>

#include <cmath>
#include <string>

#include "tests/fork_run.hpp"
#include "workloads/network_trace.hpp"

using namespace msao;
namespace sg4 = simgrid::s4u;

namespace {

// Simulated completion time of one transfer of `bytes` sent at `start_s`
// over a single link that follows `tr`: bandwidth profile, constant latency
// latency_floor_s, and the send delayed by extra_latency_s at send time (the
// way traces/README.md says to drive SimGrid with a varying RTT).
double simulate(const NetworkTrace& tr, double bytes, double start_s) {
  auto r = test::fork_run([&]() -> std::string {
    int argc = 1;
    char name[] = "net-trace-test";
    char* argv[] = {name, nullptr};
    sg4::Engine e(&argc, argv);
    sg4::Engine::set_config("network/model:CM02");
    sg4::Engine::set_config("network/crosstraffic:0");
    // Without this a transfer is capped at the bandwidth in force when it
    // started (TCP window bound), so later increases in the trace are lost.
    sg4::Engine::set_config("network/TCP-gamma:0");
    bool deadlock = false;
    sg4::Engine::on_deadlock_cb([&deadlock] { deadlock = true; });
    auto* zone = sg4::create_full_zone("zone");
    auto* a = zone->create_host("edge", 1e9)->seal();
    auto* b = zone->create_host("cloud", 1e9)->seal();
    auto* link = zone->create_link("uplink", tr.bandwidth_Bps[0])->set_latency(latency_floor_s(tr));
    namespace prof = simgrid::kernel::profile;
    link->set_bandwidth_profile(
        prof::ProfileBuilder::from_string("uplink-bw", simgrid_bandwidth_profile(tr), simgrid_profile_periodicity(tr)));
    link->seal();
    zone->add_route(a->get_netpoint(), b->get_netpoint(), nullptr, nullptr, {sg4::LinkInRoute(link)}, true);
    zone->seal();
    double done = -1;
    sg4::Actor::create("sender", a, [&tr, bytes, start_s] {
      sg4::this_actor::sleep_until(start_s);
      sg4::this_actor::sleep_for(extra_latency_s(tr, start_s));
      sg4::Mailbox::by_name("up")->put(new int(1), static_cast<uint64_t>(bytes));
    });
    sg4::Actor::create("receiver", b, [&done] {
      auto payload = sg4::Mailbox::by_name("up")->get_unique<int>();
      done = sg4::Engine::get_clock();
    });
    e.run();
    if (deadlock) return "deadlock";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", done);
    return buf;
  });
  INFO(r.out);
  REQUIRE(r.ok);
  REQUIRE(r.out.find_first_not_of("0123456789.e+-") == std::string::npos);
  return std::stod(r.out);
}

// Hand computation: latency (at the start time) first, then bytes drain at
// the piecewise-constant bandwidth of the trace.
double by_hand(const NetworkTrace& tr, double bytes, double start_s) {
  double t = start_s + sample_at(tr, start_s).rtt_s / 2, left = bytes;
  for (;;) {
    const double bw = sample_at(tr, t).bandwidth_Bps;
    // Next change point after t.
    double base = tr.period_s > 0 ? std::floor(t / tr.period_s) * tr.period_s : 0, next = INFINITY;
    for (double ts : tr.t_s)
      if (base + ts > t + 1e-12) { next = base + ts; break; }
    if (tr.period_s > 0 && !std::isfinite(next)) next = base + tr.period_s;
    if (left <= bw * (next - t)) return t + left / bw;
    left -= bw * (next - t);
    t = next;
  }
}

NetworkTrace trace(std::vector<double> t, std::vector<double> bw, double rtt, double period) {
  NetworkTrace tr;
  tr.t_s = t;
  tr.bandwidth_Bps = bw;
  tr.rtt_s.assign(t.size(), rtt);
  tr.period_s = period;
  return tr;
}

}  // namespace

TEST_CASE("transfer over a stepped bandwidth trace takes the hand-computed time") {
  // 1 MB/s until 2 s, 4 MB/s until 5 s, then 0.5 MB/s; RTT 20 ms.
  // 5 MB from t=0: latency 0.01 s, 1.99 MB by t=2, remaining 3.01 MB at 4 MB/s -> 2.7525 s.
  auto tr = trace({0, 2, 5}, {1e6, 4e6, 0.5e6}, 0.020, 0);
  CHECK(by_hand(tr, 5e6, 0) == doctest::Approx(2.7525).epsilon(1e-12));
  CHECK(simulate(tr, 5e6, 0) == doctest::Approx(2.7525).epsilon(1e-9));
  // Into the last (held) segment: 10 MB -> 1.99 + 12 = 13.99 MB by 5 s... 10 MB done at 2 + 8.01/4 = 4.0025 s.
  CHECK(simulate(tr, 10e6, 0) == doctest::Approx(4.0025).epsilon(1e-9));
  CHECK(simulate(tr, 20e6, 0) == doctest::Approx(by_hand(tr, 20e6, 0)).epsilon(1e-9));
}

TEST_CASE("looping trace repeats with the period of the trace") {
  // 1 MB/s on [0,1), 3 MB/s on [1,2), repeating every 2 s; no latency.
  // (A zero latency would make SimGrid cap the transfer at the bandwidth in
  // force when it started, so the test uses RTT 2 ms: latency 1 ms.)
  auto tr = trace({0, 1}, {1e6, 3e6}, 0.002, 2);
  // 6 MB from 0: 0.999 MB by t=1, 3.999 by 2, 4.999 by 3, last 1.001 MB at 3 MB/s.
  CHECK(by_hand(tr, 6e6, 0) == doctest::Approx(3.0 + 1.001 / 3.0));
  CHECK(simulate(tr, 6e6, 0) == doctest::Approx(3.0 + 1.001 / 3.0).epsilon(1e-9));
  // 6 MB from 4.5 (second loop, 1 MB/s): 0.499 MB by 5, 3.499 by 6, 4.499 by 7,
  // last 1.501 MB at 3 MB/s -> 7.50033 s.
  CHECK(by_hand(tr, 6e6, 4.5) == doctest::Approx(7.0 + 1.501 / 3.0));
  CHECK(simulate(tr, 6e6, 4.5) == doctest::Approx(7.0 + 1.501 / 3.0).epsilon(1e-9));
}

TEST_CASE("bundled traces drive a link as the trace implies") {
  const std::string dir = std::string(MSAO_SOURCE_DIR) + "/traces/network/";
  // Paper setting: 150 kB at 200 Mbit/s and 20 ms RTT -> 0.01 + 150e3 / 25e6 = 0.016 s.
  auto st = load_network_trace(dir + "static-200mbps-20ms.csv");
  CHECK(simulate(st, 150e3, 0) == doctest::Approx(0.016).epsilon(1e-9));
  // Uploads across the outage trace (varying bandwidth and RTT, looping every 600 s).
  auto out = load_network_trace(dir + "4g-outages.csv");
  CHECK(simulate(out, 100e6, 0) == doctest::Approx(by_hand(out, 100e6, 0)).epsilon(1e-9));
  CHECK(simulate(out, 30e6, 590.5) == doctest::Approx(by_hand(out, 30e6, 590.5)).epsilon(1e-9));
}
