// Prefix and encoder caches inside the engine: a request whose prompt
// starts with a prefix an earlier request computed prefills only the rest
// (hand-computed times), conversations reuse their history turn after turn,
// and under KV pressure (paged KV, preemptions, evictions) every KV byte
// stays with exactly one holder for whole runs (the invariant checker).
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

using namespace msao;
using namespace msao::test;

namespace {

// Two requests of a 150-token prompt starting with the same 100-token
// system prompt, 10 s apart, each answered in 5 tokens: prefill 50 us a
// token, 20 ms a decode step, KV blocks of 16 tokens.
std::string two_shared_prompts(int block_tokens) {
  auto r = fork_run([block_tokens] {
    SimSetup s;
    s.platform = one_edge_platform(1e9, 1e-6);
    s.cloud_cost = linear_cloud_cost(50e-6, 0.020);
    s.cloud_cost.prefix_block_tokens = block_tokens;
    s.requests = {serving_request(0, 0.0, 150, 5), serving_request(1, 10.0, 150, 5)};
    const auto plain = serving_planner(100, 100);
    s.planner = [plain](const Request& q, const Observation& o) {
      ExecPlan p = plain(q, o);
      p.cloud.reuse.group = 1;
      p.cloud.reuse.group_tokens = 100;
      return p;
    };
    SimResult res = run_simulation(s);
    std::ostringstream os;
    os.precision(17);
    for (const auto& rec : res.records)
      os << rec.cached_tokens << " " << (rec.cloud_first_token - rec.cloud_start) << " ";
    os << res.prefix_lookup_tokens << " " << res.prefix_hit_tokens;
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  return r.out;
}

}  // namespace

TEST_CASE("a prompt whose system prompt is cached prefills only the rest") {
  std::istringstream on(two_shared_prompts(16));
  int cached0, cached1;
  double prefill0, prefill1;
  long long looked, hit;
  on >> cached0 >> prefill0 >> cached1 >> prefill1 >> looked >> hit;
  CHECK(cached0 == 0);
  // floor(100 / 16) = 6 whole blocks of the system prompt: 96 tokens.
  CHECK(cached1 == 96);
  CHECK(prefill0 == doctest::Approx(150 * 50e-6).epsilon(1e-9));
  CHECK(prefill1 == doctest::Approx((150 - 96) * 50e-6).epsilon(1e-9));
  CHECK(looked == 300);
  CHECK(hit == 96);
  // Off (block size 0): both prefill everything.
  std::istringstream off(two_shared_prompts(0));
  off >> cached0 >> prefill0 >> cached1 >> prefill1 >> looked >> hit;
  CHECK(cached1 == 0);
  CHECK(prefill1 == doctest::Approx(150 * 50e-6).epsilon(1e-9));
  CHECK(looked == 0);
}

namespace {

// A visual-chat scenario: closed-loop users in 10-turn conversations about
// one image each, on a cloud whose KV holds only a few conversations
// (mem_utilization just above the weights), paged KV.
std::string chat_scenario(bool caching, const std::string& policy) {
  const std::string path = scratch_path("chat-" + policy + (caching ? "-on" : "-off") + ".yaml");
  std::ostringstream y;
  y << "platform:\n"
       "  edges:\n"
       "    - {name: phone, count: 3, hardware: jetson-agx-orin-64gb, uplink: {bandwidth: 20Mbps, rtt: 40ms}}\n"
       "  cloud:\n"
       "    hardware: a100-40gb\n"
       "    gpus: 1\n"
       "    kv_cache: on-demand\n"
       "    mem_utilization: 0.6\n"
       "    prefix_caching: " << (caching ? "true" : "false") << "\n"
       "model: {edge: qwen2-vl-2b, cloud: qwen2.5-vl-7b}\n"
       "workload:\n"
       "  dataset: visual-chat\n"
       "  requests: 3000\n"
       "  sessions: {turns: 10}\n"
       "  shared_prefix: {tokens: 200, groups: 2}\n"
       "  arrival: {type: closed, users_per_edge: 100, think_s: 0.2}\n"
       "policy: {type: " << policy << "}\n"
       "run: {seed: 3, check_invariants: true}\n";
  spit(path, y.str());
  return path;
}

}  // namespace

TEST_CASE("conversations under KV pressure keep every KV byte with one holder, policy by policy") {
  for (const std::string policy : {"cloud-only", "msao", "cascade-tokens"}) {
    INFO(policy);
    const std::string scenario = chat_scenario(true, policy);
    const std::string out = scratch_path("out-" + policy);
    // The engine's invariant checker runs on every iteration and at the end
    // (a broken rule fails the run with its message).
    const auto r = run_msao("run " + scenario + " --quiet --out " + out);
    REQUIRE_MESSAGE(r.status == 0, r.out);
    const std::string summary = slurp(out + "/summary.json");
    CHECK(summary.find("\"completed\": 3000") != std::string::npos);
    // 300 conversations of up to ~1,600 tokens each do not fit the KV
    // (about 150,000 tokens): the cache evicts, and hits stay well below
    // the 80-90% that ten turns of resent history would give.
    const size_t at = summary.find("\"prefix_hit_rate\": ");
    REQUIRE(at != std::string::npos);
    const double rate = std::stod(summary.substr(at + 19));
    CHECK(rate > 0.1);
    CHECK(rate < 0.6);
  }
}

namespace {

// Mean TTFT of platforms/scenarios/prefix-caching-llama13b.yaml at `rate`
// requests/s with the prefix cache on or off.
double llama13b_mean_ttft(int rate, bool on) {
  const std::string out = scratch_path("llama13b-" + std::to_string(rate) + (on ? "-on" : "-off"));
  const auto r = run_msao("run platforms/scenarios/prefix-caching-llama13b.yaml --quiet --out " + out +
                          " --set workload.arrival.rate_rps=" + std::to_string(rate) +
                          " --set platform.cloud.prefix_caching=" + (on ? "true" : "false"));
  REQUIRE_MESSAGE(r.status == 0, r.out);
  const std::string summary = slurp(out + "/summary.json");
  const size_t at = summary.find("\"ttft_ms\"");
  REQUIRE(at != std::string::npos);
  return std::stod(summary.substr(summary.find("\"mean\": ", at) + 8));
}

}  // namespace

TEST_CASE("prefix caching cuts TTFT as vLLM's published measurement did, below saturation") {
  // vLLM pull request 1983 on GitHub (Llama-2-13B, one A100-80GB, 200-token
  // shared prefix): mean TTFT with the cache over without, 0.29 / 0.45 s at
  // 10 requests/s and 0.39 / 1.02 s at 15. The ratio of two means, each
  // within the simulator's ~10-15% serving error, is held to 0.15; above 15
  // requests/s the measured server (about 14 requests/s without the cache)
  // saturates where the simulated one does not, so the ratio is not compared
  // there (docs/results/prefix-caching.md).
  const std::pair<int, double> measured[] = {{10, 0.29 / 0.45}, {15, 0.39 / 1.02}};
  for (const auto& point : measured) {
    const int rate = point.first;
    const double ratio = point.second;
    INFO(rate << " requests/s");
    const double on = llama13b_mean_ttft(rate, true), off = llama13b_mean_ttft(rate, false);
    CHECK(on < off);
    CHECK(std::abs(on / off - ratio) <= 0.15);
  }
}
