// A speculation workload shared by the leak test and bench_speculation: n
// requests one second apart, each racing a confident 0.3 s edge answer
// against a cloud branch that would take seconds, so every branch is
// cancelled: even requests during a 1 s upload (at 1 MB/s), odd ones while
// the cloud decodes 250 tokens (20 ms per step).
#pragma once
#include "tests/engine_fixtures.hpp"

namespace msao::test {

inline SimSetup cancelled_races(int n) {
  SimSetup s;
  s.platform = one_edge_platform(1e6, 0.005);
  s.cloud_cost = linear_cloud_cost(1e-4, 0.020);
  s.requests.resize(n);
  for (int i = 0; i < n; ++i) {
    s.requests[i].id = i;
    s.requests[i].arrival_s = i;
    s.requests[i].output_tokens = 250;
  }
  s.planner = [](const Request& q, const Observation&) {
    ExecPlan p;
    p.phases = scheme::kRace;
    p.edge_answer_s = 0.3;
    p.edge_confident = true;
    p.edge_answer_correct = true;
    p.upload_bytes = q.id % 2 == 0 ? 1e6 : 1e3;
    p.cloud.prefill_tokens = 10;
    p.cloud.decode_tokens = 250;
    p.reply_bytes = 1e3;
    return p;
  };
  return s;
}

}  // namespace msao::test
