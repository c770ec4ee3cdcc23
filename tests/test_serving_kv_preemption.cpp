// On-demand (paged) KV with recompute preemption, against KV reserved on
// admission. Two requests of a 100-token prompt and 600 tokens out on a GPU
// with KV for 1000 tokens: reserved, each needs 699, so the second waits for
// the first to finish (about 6 s of 10 ms steps). On demand, both start at
// once; when their growing KV would overflow, the second (the most recently
// admitted) is preempted, waits for room, re-prefills its prompt and the
// tokens it had made, and still finishes well before it would have
// reserved. Memory never exceeds the capacity either way.
#include <doctest/doctest.h>

#include <sstream>

#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"

using namespace msao;
using namespace msao::test;

namespace {

struct Run {
  double b_first_token = 0, b_end = 0, a_end = 0, peak_kv = 0;
  long long preemptions = 0;
  size_t completed = 0;
};

Run two_long_answers(bool on_demand) {
  auto r = fork_run([on_demand] {
    SimSetup s;
    s.platform = one_edge_platform(1e9, 1e-6);
    s.cloud_cost = linear_cloud_cost(1e-4, 0.010);
    s.cloud_cost.kv_capacity_bytes = 1000;  // 1 byte per token
    s.cloud_cost.kv_on_demand = on_demand;
    for (int i = 0; i < 2; ++i) s.requests.push_back(serving_request(i, 0.001 * i, 100, 600));
    s.planner = serving_planner(100, 100);
    SimResult res = run_simulation(s);
    std::ostringstream os;
    os.precision(17);
    os << res.records[1].cloud_first_token << " " << res.records[1].cloud_end << " " << res.records[0].cloud_end << " "
       << res.peak_kv_bytes_cloud << " " << res.cloud_preemptions << " " << completed_count(res);
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  Run out;
  std::istringstream is(r.out);
  is >> out.b_first_token >> out.b_end >> out.a_end >> out.peak_kv >> out.preemptions >> out.completed;
  return out;
}

}  // namespace

TEST_CASE("on-demand KV starts a second long answer at once and preempts it instead of queueing it") {
  const Run reserved = two_long_answers(false);
  const Run paged = two_long_answers(true);
  CHECK(reserved.completed == 2);
  CHECK(paged.completed == 2);
  CHECK(reserved.preemptions == 0);
  CHECK(paged.preemptions == 1);
  CHECK(reserved.peak_kv <= 1000);
  CHECK(paged.peak_kv <= 1000);
  // Reserved: the second starts after the first's 600 tokens.
  CHECK(reserved.b_first_token >= reserved.a_end);
  // Paged: it starts within its first iterations, and ends sooner.
  CHECK(paged.b_first_token < 0.05);
  CHECK(paged.b_end < reserved.b_end - 1.0);
  // The first request is slowed (it shares iterations) but never preempted:
  // 100 + 599 tokens always fit.
  CHECK(paged.a_end >= reserved.a_end);
}
