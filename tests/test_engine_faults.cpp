// Faults against hand computation: a link outage met with retries and
// backoff, a GPU failure that loses the job it runs, timeouts, fallback to
// the edge, and conservation of requests on the bundled outage scenario.
// Every simulation runs in a forked child.
#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include "sim/run/run_scenario.hpp"
#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"

using namespace msao;
using namespace msao::test;

namespace {

constexpr double kBw = 1e6, kLat = 0.010;

struct Outcome {
  double latency = 0;
  int retries = 0, timeouts = 0, lost = 0;
  std::string status, failure, outcome, by;
};

// One request at `at`, offloaded: 1000 B up, a 1-token prefill then
// `decode` steps of 20 ms, 100 B back; `fallback_s` of edge work if the
// cloud fails (0: none).
Outcome run_one(const FaultSpec& f, double at, int decode, double fallback_s) {
  auto r = fork_run([&] {
    SimSetup s;
    s.platform = one_edge_platform(kBw, kLat);
    s.platform.faults = f;
    s.cloud_cost = linear_cloud_cost(1e-4, 0.020);
    Request q;
    q.arrival_s = at;
    s.requests = {q};
    s.planner = [&](const Request& rq, const Observation& o) {
      ExecPlan p = offload_planner(1000, 100)(rq, o);
      p.cloud.decode_tokens = decode;
      p.fallback_edge_s = fallback_s;
      return p;
    };
    const auto res = run_simulation(s);
    const RequestRecord& x = res.records[0];
    std::ostringstream os;
    os.precision(17);
    os << x.latency() << " " << x.retries << " " << x.timeouts << " " << x.lost_on_failure << " "
       << status_name(x.status) << " " << (x.failure == Cause::None ? "-" : name(x.failure)) << " "
       << name(x.spec_outcome) << " " << name(x.answered_by);
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  std::istringstream is(r.out);
  Outcome o;
  is >> o.latency >> o.retries >> o.timeouts >> o.lost >> o.status >> o.failure >> o.outcome >> o.by;
  return o;
}

}  // namespace

TEST_CASE("a request sent during a link outage is retried with backoff and succeeds when the link is back") {
  // Down 0.5-1.5 s every 10 s. Sent at 1.0 and 1.2 (after 0.2 s), both fail
  // at once; the third try, after 0.4 s more, goes at 1.6.
  FaultSpec f;
  f.access_outage = {10, 1, 0.5};
  f.retries = 3;
  f.backoff_s = 0.2;
  const Outcome o = run_one(f, 1.0, 1, 0);
  const double attempt = kLat + 1000 / kBw + 1e-4 + kLat + 100 / kBw;
  CHECK(o.status == "completed");
  CHECK(o.retries == 2);
  CHECK(o.failure == "link-down");
  CHECK(o.latency == doctest::Approx(0.6 + attempt).epsilon(1e-9));
}

TEST_CASE("without retries or a fallback a request that meets an outage fails, with its reason") {
  FaultSpec f;
  f.access_outage = {10, 1, 0.5};
  const Outcome o = run_one(f, 1.0, 1, 0);
  CHECK(o.status == "failed");
  CHECK(o.by == "none");
  CHECK(o.failure == "link-down");
}

TEST_CASE("a GPU failure loses the job on it and the request falls back to the edge") {
  // The job decodes for 2 s; the GPU fails at 0.5 s; the edge then answers in 50 ms.
  FaultSpec f;
  f.gpu_failures = {{0, 0.5, 10}};
  const Outcome o = run_one(f, 0.0, 100, 0.050);
  CHECK(o.status == "completed");
  CHECK(o.lost == 1);
  CHECK(o.failure == "gpu-failure");
  CHECK(o.outcome == "fallback");
  CHECK(o.by == "edge");
  CHECK(o.latency == doctest::Approx(0.5 + 0.050).epsilon(1e-9));
}

TEST_CASE("a cloud interaction times out, is retried once after its backoff, and then falls back") {
  FaultSpec f;
  f.timeout_s = 0.1;
  f.retries = 1;
  f.backoff_s = 0.05;
  const Outcome o = run_one(f, 0.0, 100, 0.050);
  CHECK(o.timeouts == 2);
  CHECK(o.retries == 1);
  CHECK(o.failure == "timeout");
  CHECK(o.outcome == "fallback");
  CHECK(o.latency == doctest::Approx(0.1 + 0.05 + 0.1 + 0.050).epsilon(1e-9));
}

TEST_CASE("on the outage scenario every policy accounts for every request exactly once") {
  size_t retried_seen = 0;  // the faults must actually have bitten somewhere
  for (const auto& info : all_policies()) {
    CAPTURE(info.name);
    auto r = fork_run([&] {
      const RunOutput out =
          run_scenario(load_scenario(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/outage.yaml",
                                     {"policy.type=" + info.name, "workload.requests=1500"}));
      std::set<uint64_t> ids;
      size_t fallback = 0, bad = 0;
      for (const auto& x : out.sim.records) {
        ids.insert(x.id);
        fallback += x.spec_outcome == SpecOutcome::Fallback;
        bad += x.status == RequestStatus::Unfinished;
        bad += x.status == RequestStatus::Failed && x.answered_by != AnsweredBy::None;
      }
      const Summary& s = out.summary;
      std::ostringstream os;
      os << ids.size() << " " << out.sim.records.size() << " " << s.completed + s.rejected + s.unfinished + s.failed << " "
         << bad << " " << (fallback == s.fallback) << " " << s.retried;
      return os.str();
    });
    REQUIRE_MESSAGE(r.ok, r.out);
    std::istringstream is(r.out);
    size_t ids = 0, records = 0, statuses = 0, bad = 1, fallback_ok = 0, retried = 0;
    is >> ids >> records >> statuses >> bad >> fallback_ok >> retried;
    CHECK(ids == 1500);
    CHECK(records == 1500);
    CHECK(statuses == 1500);
    CHECK(bad == 0);
    CHECK(fallback_ok == 1);
    retried_seen += retried;
  }
  CHECK(retried_seen > 0);
}

TEST_CASE("bad fault settings exit 2 naming the key") {
  const std::string sc = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/outage.yaml";
  auto r = run_msao("run " + sc + " --out /tmp/msao-faults-bad --set 'platform.faults.access_outage={every: 10s, duration: 8s, offset: 5s}'");
  CHECK(r.status == 2);
  CHECK(r.out.find("platform.faults.access_outage.duration") != std::string::npos);
  r = run_msao("run " + sc + " --out /tmp/msao-faults-bad --set platform.faults.retries=-1");
  CHECK(r.status == 2);
  CHECK(r.out.find("platform.faults.retries") != std::string::npos);
  r = run_msao("run " + sc + " --out /tmp/msao-faults-bad --set platform.faults.typo=1");
  CHECK(r.status == 2);
  CHECK(r.out.find("typo") != std::string::npos);
}

TEST_CASE("a request that arrives at a failed edge device fails at once, and one after its repair runs") {
  auto r = fork_run([&] {
    SimSetup s;
    s.platform = one_edge_platform(kBw, kLat);
    s.platform.faults.edge_failures = {{0, 1.0, 2.0}};  // edge 0 down from 1 s to 3 s
    s.cloud_cost = linear_cloud_cost(1e-4, 0.020);
    s.requests = {serving_request(0, 0.5, 1, 1), serving_request(1, 2.0, 1, 1), serving_request(2, 3.5, 1, 1)};
    s.planner = offload_planner(1000, 100);
    const auto res = run_simulation(s);
    std::string out;
    for (const auto& x : res.records) out += std::string(status_name(x.status)) + ":" + name(x.failure) + " ";
    return out;
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  CHECK(r.out == "completed: failed:edge-down completed: ");
}
