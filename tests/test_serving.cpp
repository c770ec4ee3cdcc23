// Serving realism: continuous batching against the cost model, KV-cache
// admission, conservation of requests and bytes, idle energy.
#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <sstream>

#include "sim/cost/hardware.hpp"
#include "sim/cost/model_spec.hpp"
#include "sim/run/cloud_cost.hpp"
#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"

using namespace msao;

namespace {

cost::CostModel a100_7b() { return cost::CostModel(cost::load_model("qwen2.5-vl-7b"), cost::load_hardware("a100-40gb")); }

// n requests arrive (every arrival_gap s from t=0) and are offloaded with a
// tiny upload; returns the simulation's result.
SimResult offload_burst(int n, int prefill, int out_tokens, CloudCost cc, double arrival_gap = 0) {
  SimSetup s;
  s.platform = test::one_edge_platform(1e12, 0);
  s.cloud_cost = std::move(cc);
  for (int i = 0; i < n; ++i) {
    Request q;
    q.id = static_cast<uint64_t>(i);
    q.arrival_s = i * arrival_gap;
    q.output_tokens = out_tokens;
    q.prompt_tokens = prefill;
    s.requests.push_back(q);
  }
  s.planner = test::serving_planner(1, 1);
  return run_simulation(s);
}

std::string fmt(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

}  // namespace

TEST_CASE("a lone cloud request sees no batching penalty") {
  auto r = test::fork_run([] {
    auto res = offload_burst(1, 600, 20, make_cloud_cost(a100_7b(), 0.9, 64));
    return fmt(res.records[0].latency());
  });
  REQUIRE(r.ok);
  auto m = a100_7b();
  double expect = m.prefill(600).seconds;
  for (int i = 1; i < 20; ++i) expect += m.decode_step(600 + i - 1, 1).seconds;
  CHECK(std::stod(r.out) == doctest::Approx(expect).epsilon(1e-6));
}

TEST_CASE("saturated cloud throughput rises with batch size as memory-bound decode predicts") {
  const int n = 64, prefill = 16, out = 200;
  std::vector<double> thr;
  for (int batch : {1, 8, 32}) {
    auto r = test::fork_run([&] {
      auto res = offload_burst(n, prefill, out, make_cloud_cost(a100_7b(), 0.9, batch));
      return fmt(n * out / res.sim_time_s);
    });
    REQUIRE(r.ok);
    thr.push_back(std::stod(r.out));
  }
  CHECK(thr[1] > thr[0]);
  CHECK(thr[2] > thr[1]);
  // Memory-bound decode reads the weights once per step whatever the batch:
  // tokens/s scales with the batch by the ratio of step times.
  auto m = a100_7b();
  const int ctx = prefill + out / 2;
  const double pred8 = 8 * m.decode_step(ctx, 1).seconds / m.decode_step(ctx, 8).seconds;
  CHECK(thr[1] / thr[0] == doctest::Approx(pred8).epsilon(0.15));
}

TEST_CASE("kv memory never exceeds capacity and a too-large request is rejected with a reason") {
  auto r = test::fork_run([] {
    CloudCost cc = make_cloud_cost(a100_7b(), 0.9, 64);
    cc.kv_capacity_bytes = 1000 * cc.kv_bytes_per_token;  // room for about 3 requests of 300 tokens
    auto res = offload_burst(20, 200, 100, cc);
    std::ostringstream os;
    os.precision(17);
    int completed = 0;
    for (auto& rec : res.records) completed += rec.status == RequestStatus::Completed;
    os << res.peak_kv_bytes_cloud / cc.kv_bytes_per_token << " " << completed;
    return os.str();
  });
  REQUIRE(r.ok);
  std::istringstream is(r.out);
  double peak_tokens;
  int completed;
  is >> peak_tokens >> completed;
  CHECK(peak_tokens <= 1000);
  CHECK(peak_tokens >= 299 * 3);  // it did batch up to the budget
  CHECK(completed == 20);

  // Requests larger than the whole cache are rejected with a reason, not lost.
  auto big = test::fork_run([] {
    CloudCost cc = make_cloud_cost(a100_7b(), 0.9, 64);
    cc.kv_capacity_bytes = 100 * cc.kv_bytes_per_token;
    auto res = offload_burst(2, 200, 10, cc);
    return std::string(status_name(res.records[0].status)) + "|" + name(res.records[0].reason) + "|" +
           std::to_string(res.records.size());
  });
  REQUIRE(big.ok);
  CHECK(big.out.rfind("rejected|kv-cache", 0) == 0);
  CHECK(big.out.substr(big.out.rfind('|') + 1) == "2");
}

TEST_CASE("conservation of requests and bytes with cancelled speculation") {
  auto r = test::fork_run([] {
    SimSetup s;
    s.platform = test::one_edge_platform(2e6, 0.01);
    s.cloud_cost = make_cloud_cost(a100_7b(), 0.9, 16);
    for (int i = 0; i < 400; ++i) {
      Request q;
      q.id = static_cast<uint64_t>(1000 + i);
      q.arrival_s = 0.05 * i;
      q.output_tokens = 5 + i % 7;
      q.prompt_tokens = 50;
      q.edge_confidence = (i % 3) / 2.0;  // 0, 0.5, 1
      s.requests.push_back(q);
    }
    s.planner = [](const Request& q, const Observation&) {
      ExecPlan p;
      p.phases = scheme::kRace;
      p.edge_answer_s = 0.03;
      p.upload_bytes = 200000;
      p.cloud.prefill_tokens = q.prompt_tokens;
      p.cloud.decode_tokens = q.output_tokens;
      p.reply_bytes = 300;
      p.edge_confident = q.edge_confidence >= 0.5;
      return p;
    };
    auto res = run_simulation(s);
    std::set<uint64_t> ids;
    int completed = 0, edge = 0;
    double up = 0, down = 0;
    for (auto& rec : res.records) {
      ids.insert(rec.id);
      completed += rec.status == RequestStatus::Completed;
      edge += rec.answered_by == AnsweredBy::Edge;
      up += rec.uplink_bytes;
      down += rec.downlink_bytes;
    }
    std::ostringstream os;
    os.precision(17);
    os << ids.size() << " " << completed << " " << edge << " " << res.uplink_bytes_sent << " " << res.uplink_bytes << " "
       << res.uplink_bytes_cancelled << " " << res.downlink_bytes_sent << " " << res.downlink_bytes << " "
       << res.downlink_bytes_cancelled << " " << up << " " << down;
    return os.str();
  });
  REQUIRE(r.ok);
  std::istringstream is(r.out);
  size_t ids;
  int completed, edge;
  double up_sent, up_recv, up_cancel, down_sent, down_recv, down_cancel, up_rec, down_rec;
  is >> ids >> completed >> edge >> up_sent >> up_recv >> up_cancel >> down_sent >> down_recv >> down_cancel >> up_rec >> down_rec;
  CHECK(ids == 400);
  CHECK(completed == 400);
  CHECK(edge > 0);
  CHECK(edge < 400);
  CHECK(up_cancel > 0);  // some uploads were killed with their losing branch
  CHECK(up_sent == doctest::Approx(up_recv + up_cancel));
  CHECK(down_sent == doctest::Approx(down_recv + down_cancel));
  CHECK(up_rec == doctest::Approx(up_recv));
  CHECK(down_rec == doctest::Approx(down_recv));
}

TEST_CASE("an idle run's energy equals idle power times time for every host") {
  auto r = test::fork_run([] {
    SimSetup s;
    s.platform = test::one_edge_platform(1e6, 0.01, 30, 350, 60, 400);
    s.platform.cloud.gpus = 2;
    s.cloud_cost = test::linear_cloud_cost(1e-4, 0.01);
    Request q;
    q.arrival_s = 1e6;  // never arrives before the horizon
    s.requests = {q};
    s.horizon_s = 100;
    s.planner = [](const Request&, const Observation&) { return ExecPlan{}; };
    auto res = run_simulation(s);
    return fmt(res.energy_j_edge) + " " + fmt(res.energy_j_cloud) + " " + fmt(res.sim_time_s) + " " +
           status_name(res.records[0].status);
  });
  REQUIRE(r.ok);
  std::istringstream is(r.out);
  double e_edge, e_cloud, t;
  std::string status;
  is >> e_edge >> e_cloud >> t >> status;
  CHECK(t == doctest::Approx(100));
  CHECK(e_edge == doctest::Approx(30 * 100));
  CHECK(e_cloud == doctest::Approx(2 * 60 * 100));
  CHECK(status == "unfinished");
}
