// The data-centre WAN (and a group's shared cell) can follow a network
// trace like any access link: its bandwidth profile drives SimGrid's link,
// and its RTT above the trace's floor delays every send over it, added to
// the other links' delays on the route. Hand-computed: a fast access link
// (1 GB/s, no latency) behind a traced link at 2 MB/s whose RTT steps from
// 20 ms to 100 ms at t = 1 s.
#include <doctest/doctest.h>

#include <sstream>

#include "sim/scenario/scenario.hpp"
#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

using namespace msao;
using namespace msao::test;

namespace {

std::string step_trace() {
  const std::string trace = scratch_path("rtt-step.csv");
  spit(trace,
       "# msao-network-trace v1\n"
       "period_s,0\n"
       "t_s,bandwidth_mbps,rtt_ms\n"
       "0,16,20\n"
       "1,16,100\n");
  return trace;
}

const char* kFastUplink = "platform.edges.0.uplink={bandwidth: 8Gbps, rtt: 0ms}";

Scenario paper_with_wan_trace() {
  return load_scenario(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml",
                       {kFastUplink, "platform.cloud.wan={trace: " + step_trace() + "}"});
}

Scenario paper_with_cell_trace() {
  return load_scenario(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml",
                       {kFastUplink, "platform.edges.0.cell={uplink: {trace: " + step_trace() + "}}"});
}

// Upload times of two 1 MB offloads sent at 0.5 s and 2 s on `platform`.
std::pair<double, double> upload_times(const PlatformSpec& platform) {
  auto r = fork_run([&] {
    SimSetup s;
    s.platform = platform;
    s.cloud_cost = linear_cloud_cost(0, 0);
    for (int i = 0; i < 2; ++i) {
      Request q;
      q.id = static_cast<uint64_t>(i);
      q.arrival_s = i == 0 ? 0.5 : 2.0;
      q.output_tokens = 1;
      s.requests.push_back(q);
    }
    s.planner = offload_planner(1e6, 100);
    SimResult res = run_simulation(s);
    std::ostringstream os;
    os.precision(17);
    for (const auto& rec : res.records) os << rec.upload_end - rec.upload_start << " ";
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  std::istringstream is(r.out);
  std::pair<double, double> t;
  is >> t.first >> t.second;
  return t;
}

}  // namespace

TEST_CASE("a WAN trace sets the WAN's bandwidth, latency floor and per-send delay") {
  const Scenario sc = paper_with_wan_trace();
  const LinkSpec& wan = sc.platform.cloud.wan_in;
  CHECK(wan.bandwidth_Bps == doctest::Approx(2e6));
  CHECK(wan.latency_s == doctest::Approx(0.010));
  REQUIRE(wan.extra_latency);
  CHECK(wan.extra_latency(0.5) == doctest::Approx(0.0));
  CHECK(wan.extra_latency(2.0) == doctest::Approx(0.040));
  CHECK(sc.platform.cloud.wan_out.bandwidth_Bps == doctest::Approx(2e6));
}

TEST_CASE("uploads through a traced WAN or cell take the hand-computed time") {
  for (const Scenario& sc : {paper_with_wan_trace(), paper_with_cell_trace()}) {
    const auto [first, second] = upload_times(sc.platform);
    // Latency floor 10 ms, then 1 MB at the 2 MB/s bottleneck.
    CHECK(first == doctest::Approx(0.010 + 0.5).epsilon(1e-9));
    // Sent at 2 s: the RTT is 100 ms, 80 ms above the floor, so 40 ms more one way.
    CHECK(second == doctest::Approx(0.040 + 0.010 + 0.5).epsilon(1e-9));
  }
}
