// Cloud dispatchers on a hand-built case where request count and KV memory
// disagree: GPU 0 holds one long-context request that leaves 101 units of
// KV free, GPU 1 one short request. A third short request (needing 109)
// sent by request count (least-loaded: 1 vs 1, lowest index) waits on GPU 0
// until the long one ends; Llumnix's freeness (free KV per running request:
// 101 vs 891) sends it to GPU 1, where it starts at the next iteration.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/engine_fixtures.hpp"
#include "tests/token_fixtures.hpp"
#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

using namespace msao;
using namespace msao::test;

namespace {

struct Third {
  double queued_s = 0;  // cloud_start - cloud_enqueue of the third request
  double peak_kv = 0;
  size_t completed = 0;
};

Third third_request(const std::string& dispatcher) {
  auto r = fork_run([&] {
    SimSetup s;
    s.platform = one_edge_platform(1e9, 1e-6);
    s.platform.cloud.gpus = 2;
    s.dispatcher = dispatcher;
    // 1 unit of KV per token, 1000 per GPU; 10 ms per decode step.
    s.cloud_cost = linear_cloud_cost(1e-5, 0.010);
    s.cloud_cost.kv_capacity_bytes = 1000;
    const int prefill[] = {800, 10, 10};  // KV needs: 899, 109, 109
    for (int i = 0; i < 3; ++i) s.requests.push_back(serving_request(i, 0.001 * i, prefill[i], 100));
    s.planner = serving_planner(100, 100);
    SimResult res = run_simulation(s);
    std::ostringstream os;
    os.precision(17);
    os << res.records[2].cloud_start - res.records[2].cloud_enqueue << " " << res.peak_kv_bytes_cloud << " "
       << completed_count(res);
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  Third t;
  std::istringstream is(r.out);
  is >> t.queued_s >> t.peak_kv >> t.completed;
  return t;
}

}  // namespace

TEST_CASE("llumnix dispatch follows free KV where least-loaded follows request counts") {
  const Third ll = third_request("least-loaded");
  const Third lx = third_request("llumnix");
  CHECK(ll.completed == 3);
  CHECK(lx.completed == 3);
  // Least-loaded: behind the long request's 100 decode steps (about 1 s).
  CHECK(ll.queued_s > 0.9);
  // Llumnix: admitted at GPU 1's next iteration boundary (one 10 ms step).
  CHECK(lx.queued_s <= 0.010 + 1e-6);
  CHECK(ll.peak_kv <= 1000);
  CHECK(lx.peak_kv <= 1000);
}

TEST_CASE("requests dispatched together go to different idle GPUs while their uploads are on the wire") {
  // Two requests at t = 0 on two edges, 6 ms uploads, 5 tokens each. Sent to
  // one GPU they would share its 5 iterations; spread, each GPU runs 5.
  for (const char* dispatcher : {"least-loaded", "llumnix", "round-robin"}) {
    CAPTURE(dispatcher);
    auto r = fork_run([&] {
      SimSetup s;
      s.platform = one_edge_platform(1e6, 0.005);
      s.platform.edge_groups[0].count = 2;
      s.platform.cloud.gpus = 2;
      s.dispatcher = dispatcher;
      s.cloud_cost = linear_cloud_cost(1e-4, 0.020);
      for (int i = 0; i < 2; ++i) s.requests.push_back(serving_request(i, 0, 10, 5, i));
      s.planner = serving_planner(1000, 100);
      return std::to_string(run_simulation(s).cloud_iterations);
    });
    REQUIRE_MESSAGE(r.ok, r.out);
    CHECK(r.out == "10");
  }
}

TEST_CASE("draft-verify rounds stay on the GPU that holds their prefilled context") {
  // Round-robin over 2 GPUs would alternate every job; a request's prefill
  // and its 2 verification passes must all be served by one GPU.
  const std::string path = std::filesystem::temp_directory_path() / ("msao-dv-" + std::to_string(getpid()) + ".json");
  auto r = fork_run([&] {
    SimSetup s;
    s.platform = one_edge_platform(1e6, 0.005);
    s.platform.cloud.gpus = 2;
    s.dispatcher = "round-robin";
    s.cloud_cost = linear_cloud_cost(1e-4, 0.020);
    s.timeline_path = path;
    Request q;
    q.output_tokens = 10;
    q.draft_acceptance = 1;  // every draft accepted: 10 tokens in 2 passes of 4 (+ the bonus each)
    s.requests = {q};
    s.planner = [](const Request&, const Observation&) {
      return token_plan(std::make_shared<ScriptedRule>(4, false), std::make_shared<FixedCosts>());
    };
    run_simulation(s);
    return std::string("ok");
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  const std::string json = slurp(path);
  std::filesystem::remove(path);
  // Every "serve" span's track id.
  std::set<std::string> tracks;
  int serves = 0;
  for (size_t at = json.find("\"name\":\"serve\""); at != std::string::npos; at = json.find("\"name\":\"serve\"", at + 1)) {
    const size_t tid = json.find("\"tid\":", at) + 6;
    tracks.insert(json.substr(tid, json.find(',', tid) - tid));
    ++serves;
  }
  CHECK(serves == 3);  // the context prefill and two verification passes
  // The token session's own spans: the context sent, two passes, the edge's context and drafts.
  auto count = [&](const std::string& name) {
    int n = 0;
    for (size_t at = json.find("\"name\":\"" + name + "\""); at != std::string::npos;
         at = json.find("\"name\":\"" + name + "\"", at + 1))
      ++n;
    return n;
  };
  CHECK(count("context") == 1);
  CHECK(count("verify") == 2);
  CHECK(count("edge-context") == 1);
  CHECK(count("draft") == 2);
  CHECK(tracks.size() == 1);
}
