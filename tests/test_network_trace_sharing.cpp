// Every link that follows one network trace shares its parsed rows and one
// SimGrid bandwidth profile: a group of edges on a trace of many rows costs
// the memory of the trace once, not once per edge (a 1,000,000-row trace on
// 15 edges used to run out of 4 GB), and each link still follows the trace
// on its own, through its loops.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"
#include "tests/streamed_peak.hpp"
#include "tests/workload_test_util.hpp"
#include "workloads/network_model.hpp"

using namespace msao;
using namespace msao::test;

TEST_CASE("edges sharing a looping trace each transfer at the trace's bandwidth, loop after loop") {
  // 1 MB/s on [0,1), 3 MB/s on [1,2), repeating every 2 s; RTT 2 ms (latency 1 ms).
  auto tr = std::make_shared<NetworkTrace>();
  tr->t_s = {0, 1};
  tr->bandwidth_Bps = {1e6, 3e6};
  tr->rtt_s = {0.002, 0.002};
  tr->period_s = 2;
  // 6 MB from each edge, alone on its own uplink: edge 0 at t=0, edge 1 at
  // 4.5 s (third round), edge 2 at 20 s (eleventh round). By hand
  // (as tests/test_network_trace_simgrid.cpp): 0.001 s of latency, then the
  // bytes drain at the bandwidth in force.
  const double expected[] = {3.0 + 1.001 / 3.0, 7.0 + 1.501 / 3.0, 23.0 + 1.001 / 3.0};
  auto r = fork_run([&] {
    SimSetup s;
    s.platform = one_edge_platform(1e6, 0.001);
    EdgeGroupSpec& g = s.platform.edge_groups[0];
    g.count = 3;
    g.uplink.bandwidth_Bps = 1e6;
    g.uplink.bandwidth_trace = tr;
    s.cloud_cost = linear_cloud_cost(1e-9, 1e-9);
    for (int e = 0; e < 3; ++e) s.requests.push_back(serving_request(e, e == 0 ? 0 : e == 1 ? 4.5 : 20, 1, 1, e));
    s.planner = offload_planner(6e6);
    const SimResult res = run_simulation(s);
    std::ostringstream os;
    os.precision(17);
    for (const auto& rec : res.records) os << rec.upload_end << "\n";
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  std::istringstream in(r.out);
  for (double want : expected) CHECK(read_number(in) == doctest::Approx(want).epsilon(1e-9));
}

namespace {

// Peak RSS (KiB) of fleet.yaml (200 requests) with its first group of
// `edges` edges on the network trace at `trace`.
long fleet_peak_kib(int edges, const std::string& trace) {
  return streamed_peak_kib(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/fleet.yaml",
                           {"platform.edges.0.count=" + std::to_string(edges), "platform.edges.0.uplink.trace=" + trace,
                            "workload.requests=200"},
                           200, scratch_path("fleet-" + std::to_string(edges)));
}

}  // namespace

TEST_CASE("a group of edges on a trace of 200k rows peaks at the memory of one edge on it") {
  const std::string trace = scratch_path("4g-200k.csv");
  write_network_trace(trace, generate_network_trace(link_model("4g"), 2000, 0.01, 1), {"test"});
  const long one = fleet_peak_kib(1, trace);
  const long fifteen = fleet_peak_kib(15, trace);
  MESSAGE("peak RSS: 1 edge " << one / 1024 << " MiB, 15 edges " << fifteen / 1024 << " MiB");
#ifndef MSAO_SANITIZE
  // Each edge used to add its own profile text and parsed copy: about 56 MB per edge at 200,000 rows.
  CHECK(fifteen <= one + (one >> 3));
#endif
  std::filesystem::remove(trace);
}

// fleet.yaml's 5G group follows one 600-row trace: each edge used to parse
// its own copy (about 100 KB an edge), so 99,980 edges ran out of 4 GB.
TEST_CASE("fleet.yaml's memory grows by a few KB per edge on a shared trace") {
  const long small = fleet_peak_kib(2000, std::string(MSAO_SOURCE_DIR) + "/traces/network/5g.csv");
  const long large = fleet_peak_kib(20000, std::string(MSAO_SOURCE_DIR) + "/traces/network/5g.csv");
  MESSAGE("peak RSS: 2,000 edges " << small / 1024 << " MiB, 20,000 edges " << large / 1024 << " MiB: "
                                   << (large - small) / 18 << " bytes per edge");
#ifndef MSAO_SANITIZE
  CHECK(large - small <= 18000 * 10);  // KiB: at most 10 KiB per edge (100,000 edges: under 1 GiB)
#endif
}
