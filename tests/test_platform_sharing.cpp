// Links are shared through SimGrid's flow model: two edges of a group that
// share a cell upload at the same time and split its bandwidth.
#include <doctest/doctest.h>

#include <sstream>

#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"

using namespace msao;

TEST_CASE("two edges sharing a cell split its bandwidth max-min fairly") {
  // Own access links 100 MB/s, shared cell 1 MB/s with 5 ms one-way latency.
  auto r = test::fork_run([] {
    SimSetup s;
    s.platform = test::one_edge_platform(100e6, 0.0);
    auto& g = s.platform.edge_groups[0];
    g.count = 2;
    g.uplink.latency_s = 1e-9;
    g.shared_cell = true;
    g.cell_uplink.bandwidth_Bps = 1e6;
    g.cell_uplink.latency_s = 0.005;
    g.cell_downlink = g.cell_uplink;
    s.cloud_cost = test::linear_cloud_cost(0, 0);
    for (int e = 0; e < 2; ++e) {
      Request q;
      q.id = static_cast<uint64_t>(e);
      q.edge = e;
      q.output_tokens = 1;
      s.requests.push_back(q);
    }
    s.planner = test::offload_planner(1e6);
    auto res = run_simulation(s);
    std::ostringstream os;
    os.precision(17);
    os << res.records[0].upload_end << " " << res.records[1].upload_end;
    return os.str();
  });
  REQUIRE(r.ok);
  std::istringstream is(r.out);
  double a, b;
  is >> a >> b;
  // Both 1 MB uploads share the 1 MB/s cell: each finishes after 2 s plus latencies.
  const double expect = 0.005 + 1e-9 + 2.0;
  CHECK(a == doctest::Approx(expect).epsilon(1e-6));
  CHECK(b == doctest::Approx(expect).epsilon(1e-6));
}
