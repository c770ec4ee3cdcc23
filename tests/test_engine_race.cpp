// The speculative race against hand computation: whichever usable answer
// ends first ends the request; a confident edge answer cancels the cloud
// work in flight, and a cloud answer ending first abandons the edge run and
// frees the edge accelerator for the next request at that instant.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"

using namespace msao;
using namespace msao::test;

namespace {

// 1 MB/s access link, 5 ms one way; cloud: 1e-4 s per prefill token, 20 ms per decode step.
constexpr double kBw = 1e6, kLat = 0.005, kPerToken = 1e-4, kStep = 0.020;

// A speculative plan of `mode` with an edge answer of `edge_s`: a 1000-byte
// upload, a cloud job of 10 prefill and 5 decode tokens, a 100-byte reply.
ExecPlan speculative_plan(const Phases& mode, double edge_s, bool confident) {
  ExecPlan p;
  p.phases = mode;
  p.edge_answer_s = edge_s;
  p.edge_confident = confident;
  p.upload_bytes = 1000;
  p.cloud.prefill_tokens = 10;
  p.cloud.decode_tokens = 5;
  p.reply_bytes = 100;
  return p;
}

struct Row {
  double latency = 0, edge_start = 0, edge_busy = 0, edge_answer_end = 0, cloud_end = 0, up_cancelled = 0,
         down_cancelled = 0, down_sent = 0, down_received = 0;
  std::string outcome, answered_by;
};

// Request 0 races (edge answer of `edge_s`, `confident` or not; a cloud job
// of 10 prefill tokens and 5 decode tokens after a 1000-byte upload, 100-byte
// reply); request 1, 10 ms later on the same edge, answers on the edge in 0.1 s.
std::vector<Row> race_then_edge(double edge_s, bool confident) {
  auto r = fork_run([&] {
    SimSetup s;
    s.platform = one_edge_platform(kBw, kLat);
    s.cloud_cost = linear_cloud_cost(kPerToken, kStep);
    s.requests.resize(2);
    for (int i = 0; i < 2; ++i) {
      s.requests[i].id = i;
      s.requests[i].arrival_s = 1.0 + 0.010 * i;
      s.requests[i].output_tokens = 5;
    }
    s.planner = [&](const Request& q, const Observation&) {
      ExecPlan p;
      if (q.id == 1) {
        p.phases = scheme::kEdge;
        p.edge_answer_s = 0.1;
        return p;
      }
      return speculative_plan(scheme::kRace, edge_s, confident);
    };
    SimResult res = run_simulation(s);
    std::ostringstream os;
    os.precision(17);
    for (const auto& rec : res.records)
      os << rec.latency() << " " << rec.edge_start << " " << rec.edge_busy_s << " " << rec.edge_answer_end << " "
         << rec.cloud_end << " " << res.uplink_bytes_cancelled << " " << res.downlink_bytes_cancelled << " "
         << res.downlink_bytes_sent << " " << res.downlink_bytes << " " << name(rec.spec_outcome) << " " << name(rec.answered_by)
         << "\n";
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  std::istringstream is(r.out);
  std::vector<Row> rows(2);
  auto num = [&is] { return read_number(is); };
  for (auto& w : rows) {
    w.latency = num();
    w.edge_start = num();
    w.edge_busy = num();
    w.edge_answer_end = num();
    w.cloud_end = num();
    w.up_cancelled = num();
    w.down_cancelled = num();
    w.down_sent = num();
    w.down_received = num();
    is >> w.outcome >> w.answered_by;
  }
  return rows;
}

// Upload, prefill (first token), 4 more decode steps, reply.
const double kCloudPath = (kLat + 1000 / kBw) + 10 * kPerToken + 4 * kStep + (kLat + 100 / kBw);

}  // namespace

TEST_CASE("a cloud answer ending first ends the race and frees the edge accelerator at that instant") {
  const auto rows = race_then_edge(2.0, true);
  CHECK(rows[0].outcome == "cloud-used");
  CHECK(rows[0].answered_by == "cloud");
  CHECK(rows[0].latency == doctest::Approx(kCloudPath).epsilon(1e-6));
  // The abandoned edge run held the accelerator only until the reply.
  CHECK(rows[0].edge_busy == doctest::Approx(kCloudPath).epsilon(1e-6));
  CHECK(std::isnan(rows[0].edge_answer_end));
  // The next request started on the edge when the race ended.
  CHECK(rows[1].edge_start == doctest::Approx(1.0 + kCloudPath).epsilon(1e-9));
  CHECK(rows[1].latency == doctest::Approx(1.0 + kCloudPath - 1.010 + 0.1).epsilon(1e-6));
}

TEST_CASE("an edge answer that is not confident frees the edge but the request waits for the cloud") {
  const auto rows = race_then_edge(0.05, false);
  CHECK(rows[0].outcome == "cloud-used");
  CHECK(rows[0].latency == doctest::Approx(kCloudPath).epsilon(1e-6));
  CHECK(rows[0].edge_busy == doctest::Approx(0.05).epsilon(1e-9));
  CHECK(rows[0].edge_answer_end == doctest::Approx(1.05).epsilon(1e-9));
  CHECK(rows[1].edge_start == doctest::Approx(1.05).epsilon(1e-9));
}

TEST_CASE("a confident edge answer ending first cancels the upload on the wire") {
  // The edge answers in 3 ms; the 1000-byte upload needs 6 ms.
  const auto rows = race_then_edge(0.003, true);
  CHECK(rows[0].outcome == "edge-accepted");
  CHECK(rows[0].answered_by == "edge");
  CHECK(rows[0].latency == doctest::Approx(0.003).epsilon(1e-9));
  CHECK(rows[0].up_cancelled == 1000);
  CHECK(std::isnan(rows[0].cloud_end));
  CHECK(rows[1].edge_start == doctest::Approx(1.010).epsilon(1e-9));
}

TEST_CASE("a confident edge answer ending while the GPU works cancels the job") {
  // The upload lands at 6 ms; the edge answers at 40 ms, mid-decode.
  const auto rows = race_then_edge(0.040, true);
  CHECK(rows[0].outcome == "edge-accepted");
  CHECK(rows[0].latency == doctest::Approx(0.040).epsilon(1e-9));
  CHECK(rows[0].up_cancelled == 0);
  CHECK(std::isnan(rows[0].cloud_end));
  CHECK(rows[1].edge_start == doctest::Approx(1.040).epsilon(1e-9));
}

TEST_CASE("a confident edge answer ending during the reply cancels the reply on the wire") {
  // The cloud ends at 6 + 1 + 80 = 87 ms; the reply would land at 92.1 ms; the edge answers at 90 ms.
  const auto rows = race_then_edge(0.090, true);
  CHECK(rows[0].outcome == "edge-accepted");
  CHECK(rows[0].latency == doctest::Approx(0.090).epsilon(1e-9));
  CHECK(rows[0].cloud_end == doctest::Approx(1.0 + (kLat + 1000 / kBw) + 10 * kPerToken + 4 * kStep).epsilon(1e-9));
  CHECK(rows[0].down_cancelled == 100);
  CHECK(rows[0].down_sent == rows[0].down_received + rows[0].down_cancelled);
}

TEST_CASE("a race or cascade whose cloud job is rejected returns the edge answer with the reason") {
  for (const Phases& mode : {scheme::kRace, scheme::kCascade}) {
    CAPTURE(scheme_name(mode));
    auto r = fork_run([mode] {
      SimSetup s;
      s.platform = one_edge_platform(kBw, kLat);
      s.cloud_cost = linear_cloud_cost(kPerToken, kStep);
      // The job needs (10 prefill + 4 more decode) tokens x 10 bytes = 140 > 100: rejected.
      s.cloud_cost.kv_capacity_bytes = 100;
      s.cloud_cost.kv_bytes_per_token = 10;
      Request q;
      q.output_tokens = 5;
      s.requests = {q};
      s.planner = [mode](const Request&, const Observation&) {
        ExecPlan p = speculative_plan(mode, 0.050, false);
        p.edge_ttft_s = 0.020;
        p.edge_answer_correct = true;
        return p;
      };
      SimResult res = run_simulation(s);
      const RequestRecord& rec = res.records[0];
      std::ostringstream os;
      os.precision(17);
      os << status_name(rec.status) << " " << name(rec.answered_by) << " " << name(rec.spec_outcome) << " " << rec.correct << " "
         << rec.latency() << " " << rec.ttft() << " " << (rec.reason != Cause::None);
      return os.str();
    });
    REQUIRE_MESSAGE(r.ok, r.out);
    std::istringstream is(r.out);
    std::string status, by, outcome;
    bool correct = false, has_reason = false;
    double latency = 0, ttft = 0;
    is >> status >> by >> outcome >> correct >> latency >> ttft >> has_reason;
    CHECK(status == "completed");
    CHECK(by == "edge");
    CHECK(outcome == "edge-fallback");
    CHECK(correct);
    CHECK(has_reason);
    // The race's upload (6 ms) and rejection end before its 50 ms edge answer;
    // the cascade runs its edge answer first, then uploads and is rejected.
    const double expect = mode == scheme::kRace ? 0.050 : 0.050 + kLat + 1000 / kBw;
    CHECK(latency == doctest::Approx(expect).epsilon(1e-6));
    CHECK(ttft == doctest::Approx(0.020).epsilon(1e-6));
  }
}
