// Per-operator costing: the operators' work adds up to the single roofline's
// (so with one efficiency and no launches the two agree), a lone request
// under tensor parallelism 2 takes the hand-computed sum of its sharded
// operators and all-reduces, and a profile's operator figures apply to a
// mixed (chunked-prefill + decode) iteration.
#include <doctest/doctest.h>

#include <sstream>

#include "sim/cost/cost_model.hpp"
#include "sim/cost/serving.hpp"
#include "sim/run/cloud_cost.hpp"
#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"
#include "tests/test_cost_files.hpp"
#include "tests/tiny_model.hpp"

using namespace msao;
using namespace msao::cost;

namespace {

std::string tiny_hw(const std::string& flops, const std::string& bw, const std::string& launch) {
  return "name: tiny-gpu\nflops: " + flops + "\nmem_bw: " + bw + "\nmem: 1GB\nidle_w: 0\nbusy_w: 0\neff_compute: 1\n"
         "eff_memory: 1\nlaunch: " + launch + "\ninterconnect: {name: test-link, bandwidth: 10GBps, latency: 2us}\n";
}

CostModel tiny(const std::string& hw, Parallelism par = {}, std::optional<std::string> profile = {}) {
  return CostModel(load_model(test::tiny_model_path()),
                   load_hardware(test::write_temp_file("tiny-gpu.yaml", hw)), profile, par);
}

const std::vector<PrefillChunk> kChunks{{100, 0, true}, {50, 200, false}};
const std::vector<int> kDecodes{300, 40};

}  // namespace

TEST_CASE("per-operator sums reduce to the single roofline with one efficiency and no launches") {
  // Today's whole-iteration work (docs/cost-model.md): T = 100 + 50 + 2
  // tokens, S = 3 sampled sequences, attention pairs = 100*101/2 +
  // (50*200 + 50*51/2) + 301 + 41.
  const double L = 2, h = 64, V = 1000, P = 2 * h * h + 2 * h * 32 + 3 * h * 128, T = 152, S = 3;
  const double pairs = 5050 + 10000 + 1275 + 301 + 41;
  const double flops = 2 * T * L * P + 4 * h * L * pairs + 2 * S * h * V;
  const double kvpt = 2 * L * 32 * 2;
  const double act = 2 * (T * L * (2 * (h + h) + 2 * (h + 32) + 3 * (h + 128)) + S * (h + V));
  const double single_bytes = (L * P + h * V) * 2 + kvpt * (100 + 250 + 301 + 41) + act;
  // The operators the single roofline left out move activations only, and
  // the KV-cache write reads and writes each new token's keys and values.
  const double elementwise = 2 * T * L * (2 * 2 * h + 2 * (h + 32) + 2 * 3 * h + 3 * 128) + 2 * S * V + 2 * T * kvpt;

  // Compute-bound device (1 GFLOP/s, 1 PB/s): both are FLOPs / rate.
  const CostModel fast_mem = tiny(tiny_hw("1e9", "1e15Bps", "0us"));
  const StageCost a = fast_mem.batch_iteration(kChunks, kDecodes);
  CHECK(a.flops == doctest::Approx(flops).epsilon(1e-12));
  CHECK(a.seconds == doctest::Approx(roofline_seconds(fast_mem.rates(), flops, single_bytes, 0)).epsilon(1e-5));
  // Bandwidth-bound device (1 EFLOP/s, 1 MB/s): both are bytes / rate, plus the elementwise traffic.
  const CostModel fast_alu = tiny(tiny_hw("1e18", "1MBps", "0us"));
  const StageCost b = fast_alu.batch_iteration(kChunks, kDecodes);
  CHECK(b.bytes == doctest::Approx(single_bytes + elementwise).epsilon(1e-12));
  CHECK(b.seconds ==
        doctest::Approx(roofline_seconds(fast_alu.rates(), flops, single_bytes, 0) + elementwise / 1e6).epsilon(1e-9));
}

TEST_CASE("tensor parallelism 2: a prefill is the hand-computed sum of sharded operators and all-reduces") {
  // 1 TFLOP/s, 100 GB/s, 1 us a launch, link 10 GB/s + 2 us. Per GPU: q 32,
  // KV 16 wide, FFN 64; 100 tokens, one sampled sequence. Seconds (us):
  // norm 1.024+4, qkv 1.6384+6, rotary 0.384+2, attention 1.2928+2,
  // o_proj 0.8192+2, residual 1.536+4, ffn 4.9152+6, activation 0.768+2,
  // all-reduce 4 x 2 + 51200 B / 10 GB/s + 4, lm_head 0.65128+1, sampling 0.02+1,
  // kv_write 0.256+2 (100 tokens x 128 B of keys and values, read and written).
  const CostModel m = tiny(tiny_hw("1e12", "100GBps", "1us"), {2, 1});
  CHECK(m.prefill(100).seconds == doctest::Approx(62.42488e-6).epsilon(1e-9));
  bool has_all_reduce = false;
  for (const StageCost& op : m.iteration_breakdown({{100, 0, true}}, {}))
    if (op.stage == "all_reduce") {
      has_all_reduce = true;
      CHECK(op.seconds == doctest::Approx(17.12e-6).epsilon(1e-9));
    }
  CHECK(has_all_reduce);
  // A decode step at context c: 45.52888 us + 1.28 ns per cached token read (KV-bound attention).
  CHECK(m.decode_step(100).seconds == doctest::Approx(45.65816e-6).epsilon(1e-9));
  // Without tensor parallelism there is no all-reduce.
  for (const StageCost& op : tiny(tiny_hw("1e12", "100GBps", "1us")).iteration_breakdown({{100, 0, true}}, {}))
    CHECK(op.stage != "all_reduce");
}

TEST_CASE("a lone request on a TP 2 replica takes the hand-computed sum, on both GPUs") {
  auto r = test::fork_run([] {
    SimSetup s;
    s.platform = test::one_edge_platform(1e12, 0, 0, 0, 10, 110);
    s.platform.cloud.gpus = 2;
    s.platform.cloud.replica_gpus = 2;
    s.cloud_cost = make_cloud_cost(tiny(tiny_hw("1e12", "100GBps", "1us"), {2, 1}), 0.9, 8);
    Request q;
    q.prompt_tokens = 100;
    q.output_tokens = 3;
    s.requests.push_back(q);
    s.planner = test::serving_planner(1, 1);
    const SimResult res = run_simulation(s);
    std::ostringstream os;
    os.precision(17);
    os << res.records[0].latency() << " " << res.cloud_busy_s << " " << res.cloud_gpus << " " << res.energy_j_cloud;
    return os.str();
  });
  REQUIRE(r.ok);
  std::istringstream is(r.out);
  double latency = 0, busy = 0, energy = 0;
  int replicas = 0;
  is >> latency >> busy >> replicas >> energy;
  // Prefill (emits the first token), then decode steps at contexts 100 and 101.
  const double expect = 62.42488e-6 + 45.65816e-6 + 45.65944e-6;
  CHECK(latency == doctest::Approx(expect).epsilon(1e-6));
  CHECK(busy == doctest::Approx(expect).epsilon(1e-6));
  CHECK(replicas == 1);  // the dispatcher sees one replica of two GPUs
  // Both GPUs are busy for the iterations: idle 10 W over the run for each, plus 100 W busy each.
  CHECK(energy >= 2 * 100 * expect * (1 - 1e-6));
}

TEST_CASE("a profile's operator efficiencies apply to a mixed iteration") {
  const std::string hw = tiny_hw("1e12", "100GBps", "1us");
  const std::string prof = test::write_temp_file("ops-profile.yaml", "hardware: tiny-gpu\noperators:\n  ffn: {compute: 0.5}\n");
  const CostModel plain = tiny(hw), measured = tiny(hw, {}, prof);
  // One 100-token chunk and one decode at context 100: T = 101 tokens. The
  // FFN is compute-bound: 2*101*2*3*64*128 = 9928704 FLOPs, 9.928704 us at
  // 1 TFLOP/s, twice that at the profile's efficiency 0.5.
  const std::vector<PrefillChunk> chunk{{100, 0, true}};
  const double delta = measured.batch_iteration(chunk, {100}).seconds - plain.batch_iteration(chunk, {100}).seconds;
  CHECK(delta == doctest::Approx(9.928704e-6).epsilon(1e-9));
}

TEST_CASE("msao cost breaks a mixed iteration down by operator, rows summing to the total") {
  auto r = test::run_msao("cost llama-2-70b a100-80gb --tensor-parallel 2 --prefill-chunk 512 --decode-batch 24 "
                          "--context 1500 --json");
  REQUIRE(r.status == 0);
  CostModel m(load_model("llama-2-70b"), load_hardware("a100-80gb"), {}, {2, 1});
  m.set_host_dispatch(load_serving("vllm").host);  // msao cost's default stack
  const std::vector<int> decodes(24, 1500);
  const auto ops = m.iteration_breakdown({{512, 0, true}}, decodes);
  double sum = 0;
  for (const auto& op : ops) {
    sum += op.seconds;
    CHECK(r.out.find("\"operator\":\"" + op.stage + "\"") != std::string::npos);
  }
  CHECK(ops.size() == 14);  // every operator but the pipeline send, then the vllm stack's host time
  CHECK(sum == doctest::Approx(m.batch_iteration({{512, 0, true}}, decodes).seconds).epsilon(1e-12));
  // Without an interconnect in the catalog entry, tensor parallelism is bad input.
  CHECK(test::run_msao("cost llama-2-7b rtx3090 --tensor-parallel 2 --prefill-chunk 8").status == 2);
}

TEST_CASE("text-only catalog entries load without encoders and match their published parameter counts") {
  // Parameters (billions) on each model card: weights are 2 bytes each in fp16.
  const std::vector<std::pair<const char*, double>> cards{
      {"llama-2-7b", 6.74},  {"llama-2-13b", 13.02}, {"llama-2-70b", 68.98}, {"llama-3-8b", 8.03},
      {"llama-3-70b", 70.55}, {"qwen2.5-7b", 7.61},  {"qwen2.5-72b", 72.7}, {"qwen2.5-0.5b", 0.494}};
  for (const auto& card : cards) {
    const char* name = card.first;  // not a structured binding: clang 14 refuses one in CAPTURE
    const double billions = card.second;
    CAPTURE(name);
    const CostModel m(load_model(name), load_hardware("a100-80gb"));
    for (int i = 0; i < kNumModalities; ++i) CHECK_FALSE(m.model().accepts(static_cast<Modality>(i)));
    CHECK(m.weight_bytes() / 2 / 1e9 == doctest::Approx(billions).epsilon(0.01));
  }
}

TEST_CASE("a profile naming an operator that has no rate of its own exits 2") {
  // all_reduce is timed by the interconnect, not by an efficiency.
  const std::string prof = test::write_temp_file("bad-ops.yaml", "operators:\n  all_reduce: {compute: 0.5}\n");
  auto r = test::run_msao("cost qwen2-vl-2b rtx3090 --profile " + prof);
  CHECK(r.status == 2);
  CHECK(r.out.find("operators.all_reduce") != std::string::npos);
}
