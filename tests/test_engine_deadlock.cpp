// A SimGrid deadlock must fail the run loudly, not end it quietly with
// status 0 (SimGrid only logs "Deadlock detected" and returns).
#include <doctest/doctest.h>

#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"

using namespace msao;

TEST_CASE("a deadlocked simulation fails with a clear message and non-zero status") {
  auto r = test::fork_run([] {
    SimSetup s;
    s.platform = test::one_edge_platform(1e6, 0.01);
    s.cloud_cost = test::linear_cloud_cost(1e-4, 0.01);
    s.cloud_cost.max_batch = 0;  // the GPU never admits anything: the request waits forever
    Request q;
    q.output_tokens = 4;
    s.requests = {q};
    s.planner = [](const Request&, const Observation&) {
      ExecPlan p;
      p.phases = scheme::kOffload;
      p.upload_bytes = 1000;
      p.cloud.prefill_tokens = 10;
      p.cloud.decode_tokens = 4;
      p.reply_bytes = 10;
      return p;
    };
    run_simulation(s);
    return std::string("finished");
  });
  CHECK_FALSE(r.ok);
  CHECK(r.status != 0);
  CHECK(r.out.find("deadlock") != std::string::npos);
}
