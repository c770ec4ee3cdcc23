// A disaggregated cloud (encode, prefill and decode pools joined by an
// interconnect): one request's path is hand-computed stage by stage, the
// bytes moved between pools are exactly the encoder output and the
// prompt's KV, whole runs under load keep the books (the invariant checker)
// for the pool layouts and policies, and bad pool descriptions exit 2.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

using namespace msao;
using namespace msao::test;

namespace {

constexpr double kEdgeBw = 1e9, kEdgeOneWay = 1e-6;  // the edge's access link
constexpr double kIcBw = 1e8, kIcLatency = 2e-4;     // GPU to GPU: one interconnect hop
constexpr double kEncodeS = 0.010, kPrefillPerToken = 50e-6, kStep = 0.020;
constexpr int kPrompt = 150, kVisual = 100, kOutput = 5;
constexpr double kKvPerToken = 100, kEmbeddingPerToken = 1000, kUpload = 1000, kReply = 100;

CloudPoolSpec pool(const char* name, unsigned stages, const CloudCost& cost) {
  CloudPoolSpec p;
  p.name = name;
  p.stages = stages;
  p.cost = cost;
  return p;
}

// One request (150 prompt positions, 100 of them from a 10 ms cloud-side
// encoder, answered in 5 tokens) on an encode, a prefill and a decode GPU,
// or on one monolithic GPU.
std::string one_request(bool disaggregated) {
  auto r = fork_run([disaggregated] {
    SimSetup s;
    s.platform = one_edge_platform(kEdgeBw, kEdgeOneWay);
    s.cloud_cost = linear_cloud_cost(kPrefillPerToken, kStep);
    s.cloud_cost.kv_bytes_per_token = kKvPerToken;
    if (disaggregated) {
      s.platform.cloud.gpus = 3;
      s.platform.cloud.interconnect.bandwidth_Bps = kIcBw;
      s.platform.cloud.interconnect.latency_s = kIcLatency;
      s.cloud_pools.embedding_bytes_per_token = kEmbeddingPerToken;
      s.cloud_pools.pools = {pool("encode", stage_bit(CloudStage::Encode), s.cloud_cost),
                             pool("prefill", stage_bit(CloudStage::Prefill), s.cloud_cost),
                             pool("decode", stage_bit(CloudStage::Decode), s.cloud_cost)};
    }
    s.requests = {serving_request(0, 0.0, kPrompt, kOutput)};
    const auto plain = serving_planner(kUpload, kReply);
    s.planner = [plain](const Request& q, const Observation& o) {
      ExecPlan p = plain(q, o);
      p.cloud.pre_s = kEncodeS;
      p.cloud.encoder_tokens = kVisual;
      return p;
    };
    SimResult res = run_simulation(s);
    const RequestRecord& rec = res.records.at(0);
    std::ostringstream os;
    os.precision(17);
    os << (rec.status == RequestStatus::Completed) << " " << rec.first_token << " " << rec.done << " "
       << res.embedding_bytes_between_pools << " " << res.kv_bytes_between_pools << " " << res.cloud_iterations;
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  return r.out;
}

}  // namespace

TEST_CASE("a request on encode, prefill and decode pools takes each stage and each move in turn") {
  bool ok;
  double first, done, embedding, kv;
  long long iterations;
  std::istringstream mono(one_request(false));
  mono >> ok >> first >> done >> embedding >> kv >> iterations;
  REQUIRE(ok);
  // Monolithic: upload, one iteration (encoder + prefill, the first token),
  // four decode steps, reply; nothing moves between GPUs.
  const double up = kEdgeOneWay + kUpload / kEdgeBw, down = kEdgeOneWay + kReply / kEdgeBw;
  const double prefill = kPrompt * kPrefillPerToken;
  CHECK(first == doctest::Approx(up + kEncodeS + prefill).epsilon(1e-9));
  CHECK(done == doctest::Approx(up + kEncodeS + prefill + (kOutput - 1) * kStep + down).epsilon(1e-9));
  CHECK(embedding == 0);
  CHECK(kv == 0);
  CHECK(iterations == kOutput);

  std::istringstream epd(one_request(true));
  epd >> ok >> first >> done >> embedding >> kv >> iterations;
  REQUIRE(ok);
  // The upload also crosses the encode GPU's link in (half the hop's
  // latency, its bandwidth the narrowest); the encoder output (100 x 1000 B)
  // and then the prompt's KV (150 x 100 B) each cross one hop; the decode
  // GPU samples nothing again and takes the four remaining steps; the reply
  // leaves through the decode GPU's link out.
  const double up_d = kEdgeOneWay + kIcLatency / 2 + kUpload / kIcBw;
  const double emb_move = kIcLatency + kVisual * kEmbeddingPerToken / kIcBw;
  const double kv_move = kIcLatency + kPrompt * kKvPerToken / kIcBw;
  const double down_d = kEdgeOneWay + kIcLatency / 2 + kReply / kIcBw;
  CHECK(first == doctest::Approx(up_d + kEncodeS + emb_move + prefill).epsilon(1e-9));
  CHECK(done == doctest::Approx(up_d + kEncodeS + emb_move + prefill + kv_move + (kOutput - 1) * kStep + down_d)
                    .epsilon(1e-9));
  CHECK(embedding == kVisual * kEmbeddingPerToken);
  CHECK(kv == kPrompt * kKvPerToken);
  // One encode, one prefill, four decode iterations.
  CHECK(iterations == 1 + 1 + (kOutput - 1));
}

namespace {

std::string pooled_scenario(const std::string& name, const std::string& pools, const std::string& policy,
                            const std::string& extra = "") {
  const std::string path = scratch_path("pools-" + name + "-" + policy + ".yaml");
  std::ostringstream y;
  y << "platform:\n"
       "  serving: vllm-v1\n"
       "  edges:\n"
       "    - {name: phone, count: 4, hardware: jetson-agx-orin-64gb, uplink: {bandwidth: 50Mbps, rtt: 30ms}}\n"
       "  cloud:\n"
       "    hardware: a100-40gb\n"
       "    gpus: 4\n"
       "    kv_cache: on-demand\n"
       "    mem_utilization: 0.6\n"
       "    pools: " << pools << "\n"
       "    interconnect: {bandwidth: 100Gbps, latency: 10us}\n"
    << extra
    << "model: {edge: qwen2-vl-2b, cloud: qwen2.5-vl-7b}\n"
       "workload:\n"
       "  dataset: visual-chat\n"
       "  requests: 1200\n"
       "  sessions: {turns: 5}\n"
       "  shared_prefix: {tokens: 200, groups: 2}\n"
       "  arrival: {type: closed, users_per_edge: 60, think_s: 0.2}\n"
       "policy: {type: " << policy << "}\n"
       "run: {seed: 5, check_invariants: true}\n";
  spit(path, y.str());
  return path;
}

double summary_number(const std::string& summary, const std::string& key) {
  const size_t at = summary.find("\"" + key + "\": ");
  REQUIRE_MESSAGE(at != std::string::npos, key);
  return std::stod(summary.substr(at + key.size() + 4));
}

}  // namespace

TEST_CASE("whole runs on pooled clouds keep their books, layout by layout and policy by policy") {
  const std::pair<const char*, const char*> layouts[] = {
      {"epd", "[{stages: [encode], gpus: 1}, {stages: [prefill], gpus: 1}, {stages: [decode], gpus: 2}]"},
      {"e-pd", "[{stages: [encode], gpus: 1}, {stages: [prefill, decode], gpus: 3}]"},
      {"ep-d", "[{stages: [encode, prefill], gpus: 2}, {stages: [decode], gpus: 2}]"},
  };
  for (const auto& layout : layouts)
    for (const std::string policy : {"cloud-only", "msao", "cascade-tokens"}) {
      const char* name = layout.first;
      const char* pools = layout.second;
      INFO(name << " " << policy);
      const std::string out = scratch_path(std::string("pools-out-") + name + "-" + policy);
      // 240 closed-loop users in conversations on a small KV (mem_utilization
      // 0.6 of 40 GB, paged, prefix caching on); the engine's invariant
      // checker runs on every iteration and at the end.
      const auto r = run_msao("run " + pooled_scenario(name, pools, policy) + " --quiet --out " + out);
      REQUIRE_MESSAGE(r.status == 0, r.out);
      const std::string summary = slurp(out + "/summary.json");
      CHECK(summary_number(summary, "completed") == 1200);
      const bool encode_apart = std::string(name) != "ep-d", decode_apart = std::string(name) != "e-pd";
      // cloud-only sends every request's image to the cloud's encoders and
      // decodes answers of several tokens: both moves happen.
      if (policy == "cloud-only") {
        CHECK((summary_number(summary, "embedding_bytes_between_pools") > 0) == encode_apart);
        CHECK((summary_number(summary, "kv_bytes_between_pools") > 0) == decode_apart);
      }
    }
}

TEST_CASE("the same pooled run twice gives the same bytes") {
  const std::string scen =
      pooled_scenario("det", "[{stages: [encode], gpus: 1}, {stages: [prefill, decode], gpus: 3}]", "msao");
  const std::string a = scratch_path("pools-det-a"), b = scratch_path("pools-det-b");
  REQUIRE(run_msao("run " + scen + " --quiet --out " + a).ok);
  REQUIRE(run_msao("run " + scen + " --quiet --out " + b).ok);
  CHECK(slurp(a + "/requests.csv") == slurp(b + "/requests.csv"));
  CHECK(slurp(a + "/iterations.csv") == slurp(b + "/iterations.csv"));
}

TEST_CASE("a bad pool description exits 2 naming its key before any simulation") {
  const std::string ok_pools = "[{stages: [encode], gpus: 1}, {stages: [prefill, decode], gpus: 3}]";
  const std::pair<std::string, std::string> cases[] = {
      {"--set 'platform.cloud.pools=[{stages: [encode], gpus: 1}, {stages: [prefill, decode], gpus: 2}]'",
       "platform.cloud.pools"},
      {"--set 'platform.cloud.pools=[{stages: [encode, decode], gpus: 2}, {stages: [prefill], gpus: 2}]'",
       "platform.cloud.pools"},
      {"--set 'platform.cloud.pools=[{stages: [encode], gpus: 1}, {stages: [prefill, encode], gpus: 3}]'",
       "stages"},
      {"--set 'platform.cloud.pools=[{stages: [encode], gpus: 1}, {stages: [prefil, decode], gpus: 3}]'", "stages"},
      {"--set 'platform.cloud.pools=[{stages: [encode, prefill, decode], gpus: 4}]'", "platform.cloud.pools"},
      {"--set 'platform.cloud.pools=[{stages: [encode], gpus: 1}, {stages: [prefill], gpus: 1}]'",
       "platform.cloud.pools"},
      {"--set platform.cloud.interconnect.bandwidth=fast", "platform.cloud.interconnect.bandwidth"},
  };
  for (const auto& one : cases) {
    const std::string& override_ = one.first;
    const std::string& key = one.second;
    INFO(override_);
    const auto r = run_msao("run " + pooled_scenario("bad", ok_pools, "cloud-only") + " --quiet --out " +
                            scratch_path("pools-bad") + " " + override_);
    CHECK(r.status == 2);
    CHECK(r.out.find(key) != std::string::npos);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') <= 1);
  }
  // An interconnect without pools, and pools without one.
  const std::string mono = scratch_path("pools-mono.yaml");
  spit(mono, std::string("platform:\n  edges: [{name: e, count: 1, hardware: jetson-agx-orin-64gb, uplink: {bandwidth: "
                         "50Mbps, rtt: 30ms}}]\n  cloud: {hardware: a100-40gb, gpus: 2, interconnect: {bandwidth: "
                         "100Gbps}}\nmodel: {edge: qwen2-vl-2b, cloud: qwen2.5-vl-7b}\nworkload: {dataset: vqav2, "
                         "requests: 5}\npolicy: {type: cloud-only}\n"));
  auto r = run_msao("run " + mono + " --quiet --out " + scratch_path("pools-bad2"));
  CHECK(r.status == 2);
  CHECK(r.out.find("platform.cloud.interconnect") != std::string::npos);
  r = run_msao("run " + pooled_scenario("noic", ok_pools, "cloud-only") + " --quiet --out " + scratch_path("pools-bad3") +
               " --set 'platform.cloud={hardware: a100-40gb, gpus: 4, pools: " + ok_pools + "}'");
  CHECK(r.status == 2);
  CHECK(r.out.find("platform.cloud.interconnect") != std::string::npos);
}

TEST_CASE("a pool on its own hardware and parallelism runs its replicas there and names their GPUs") {
  // Prefill on the cloud's A100s; decode on two H100 replicas of two GPUs
  // each (tensor parallel 2): replicas 0-1 encode and prefill on cloud-0
  // and cloud-1, replica 2 decodes on cloud-2..3, replica 3 on cloud-4..5.
  const std::string pools =
      "[{stages: [encode, prefill], gpus: 2}, {stages: [decode], gpus: 4, hardware: h100-sxm, tensor_parallel: 2}]";
  const std::string out = scratch_path("pools-hetero");
  const auto r = run_msao("run " + pooled_scenario("hetero", pools, "cloud-only") + " --quiet --out " + out +
                          " --set platform.cloud.gpus=6 --set platform.cloud.hardware=a100-80gb");
  REQUIRE_MESSAGE(r.status == 0, r.out);
  CHECK(summary_number(slurp(out + "/summary.json"), "completed") == 1200);
  std::istringstream rows(slurp(out + "/iterations.csv"));
  std::string row;
  std::getline(rows, row);  // header
  std::map<std::string, std::string> gpus_of;
  while (std::getline(rows, row)) {
    const size_t a = row.find(','), b = row.find(',', a + 1);
    gpus_of[row.substr(0, a)] = row.substr(a + 1, b - a - 1);
  }
  CHECK(gpus_of["0"] == "0");
  CHECK(gpus_of["1"] == "1");
  CHECK(gpus_of["2"] == "2-3");
  CHECK(gpus_of["3"] == "4-5");
  // An encoding pool cannot have hardware of its own: the planner prices encoders on the cloud's.
  const auto bad = run_msao(
      "run " + pooled_scenario("hetero-bad", pools, "cloud-only") + " --quiet --out " + scratch_path("pools-hetero-bad") +
      " --set platform.cloud.gpus=6 --set 'platform.cloud.pools=[{stages: [encode, prefill], gpus: 2, hardware: "
      "h100-sxm}, {stages: [decode], gpus: 4}]'");
  CHECK(bad.status == 2);
  CHECK(bad.out.find("hardware") != std::string::npos);
}
