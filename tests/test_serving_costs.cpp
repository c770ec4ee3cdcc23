// Serving stacks as they run and shape-aware operators, by hand: a decode
// step CUDA graphs replay pays one launch; a batching server's host time
// per iteration follows its table by batch size, serial with the GPU; a
// linear layer's efficiency follows the hardware's table by its token
// count M (log-interpolated, held beyond the ends); the KV-cache write
// moves the new tokens' keys and values; bad tables exit 2.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/config/input_error.hpp"
#include "sim/cost/cost_model.hpp"
#include "sim/cost/serving.hpp"
#include "tests/fork_run.hpp"
#include "tests/test_cost_files.hpp"
#include "tests/tiny_model.hpp"

using namespace msao;
using namespace msao::cost;

namespace {

// 1 TFLOP/s, 100 GB/s at efficiency 1, 1 us a launch; `extra` appends keys.
std::string tiny_hw(const std::string& extra = "") {
  return "name: tiny-gpu\nflops: 1e12\nmem_bw: 100GBps\nmem: 1GB\nidle_w: 0\nbusy_w: 0\neff_compute: 1\n"
         "eff_memory: 1\nlaunch: 1us\n" + extra;
}

CostModel tiny(const std::string& hw) {
  return CostModel(load_model(test::tiny_model_path()),
                   load_hardware(test::write_temp_file("tiny-gpu.yaml", hw)));
}

HostDispatch graphs_up_to(int batch) {
  HostDispatch d;
  d.cuda_graph_max_batch = batch;
  return d;
}

}  // namespace

TEST_CASE("a decode step replayed as a CUDA graph pays one launch, not one per kernel") {
  CostModel m = tiny(tiny_hw());
  const double eager = m.decode_step(100, 4).seconds;
  // Launches of a decode iteration over 2 layers: norm 2, qkv 3, rotary 1,
  // kv_write 1, attention 1, o_proj 1, residual 2, ffn 3, activation 1 a
  // layer (15 x 2 = 30), then LM head and sampling: 32 at 1 us.
  m.set_host_dispatch(graphs_up_to(4));
  CHECK(m.decode_step(100, 4).seconds == doctest::Approx(eager - 32e-6 + 1e-6).epsilon(1e-9));
  // A larger batch than the graphs captured, or a prefill chunk, runs eagerly.
  CHECK(m.decode_step(100, 5).seconds > m.decode_step(100, 4).seconds + 30e-6);
  CHECK_FALSE(m.graphed({{16, 0, true}}, {100}));
  CHECK(m.graphed({}, {100, 100}));
}

TEST_CASE("the batching server's host time per iteration follows its table by batch size, serial with the GPU") {
  CostModel m = tiny(tiny_hw());
  const double gpu1 = m.decode_step(10, 1).seconds, gpu8 = m.decode_step(10, 8).seconds,
               gpu200 = m.decode_step(10, 200).seconds;
  HostDispatch d;
  d.iteration_overhead.points = {{1, 2e-3}, {128, 8e-3}};
  d.iteration_overhead.extend_above = true;
  m.set_host_dispatch(d);
  CHECK(m.decode_step(10, 1).seconds == doctest::Approx(gpu1 + 2e-3).epsilon(1e-12));
  CHECK(m.decode_step(10, 8).seconds == doctest::Approx(gpu8 + 2e-3 + 7 * 6e-3 / 127).epsilon(1e-12));
  // Beyond the last point the last slope continues.
  CHECK(m.decode_step(10, 200).seconds == doctest::Approx(gpu200 + 8e-3 + 72 * 6e-3 / 127).epsilon(1e-12));
  // A host half as fast doubles it.
  Hardware slow = m.hardware();
  slow.host_speed = 0.5;
  CostModel s(m.model(), slow);
  s.set_host_dispatch(d);
  CHECK(s.decode_step(10, 1).seconds == doctest::Approx(gpu1 + 4e-3).epsilon(1e-12));
}

TEST_CASE("the catalog's vllm stack: CUDA graphs up to batch 256 and host time from its cited figures") {
  const ServingProfile v = load_serving("vllm"), hf = load_serving("hf-eager");
  CHECK(v.host.cuda_graph_max_batch == 256);
  CHECK(hf.host.cuda_graph_max_batch == 0);
  CHECK(hf.host.iteration_overhead.empty());
  CHECK(v.host.iteration_overhead(1) == doctest::Approx(3.04e-3));
  // Vidur's per-sequence slope: (6.22 - 1.17) ms / 120 sequences.
  CHECK((v.host.iteration_overhead(128) - v.host.iteration_overhead(8)) / 120 ==
        doctest::Approx((6.22e-3 - 1.17e-3) / 120).epsilon(0.01));
}

TEST_CASE("a linear layer's efficiency follows the hardware's table by its token count") {
  // Memory-bound at 0.5 of peak up to 16 tokens, 0.25 at 64; compute 0.5 then 1.
  const CostModel m = tiny(tiny_hw("gemm:\n  - {tokens: 1, memory: 0.5, compute: 0.5}\n"
                                   "  - {tokens: 16, memory: 0.5, compute: 0.5}\n"
                                   "  - {tokens: 64, memory: 0.25, compute: 1.0}\n"));
  auto ffn = [&](double tokens) {
    OpWork w{Op::Ffn, 1e6, 1e6, 0};
    w.gemm_tokens = tokens;
    return m.op_rates(w);
  };
  CHECK(ffn(1).second == doctest::Approx(50e9));
  CHECK(ffn(16).first == doctest::Approx(0.5e12));
  // Halfway between 16 and 64 in log2: 32 tokens.
  CHECK(ffn(32).second == doctest::Approx(0.375 * 100e9));
  CHECK(ffn(32).first == doctest::Approx(0.75e12));
  CHECK(ffn(4096).second == doctest::Approx(25e9));  // held beyond the last row
  // Not a linear layer: the device's rates.
  OpWork attn{Op::AttentionDecode, 1e6, 1e6, 0};
  CHECK(m.op_rates(attn).second == doctest::Approx(100e9));
}

TEST_CASE("the A100 and H100 GEMM tables reproduce Vidur's profiled Llama-2-7B linear-layer times") {
  // qkv + o + gate/up + down of one Llama-2-7B layer (TP 1): 404.8 MB of
  // weights; microsoft/vidur data/profiling/compute/{a100,h100}/.../mlp.csv.
  const ModelSpec llama = load_model("llama-2-7b");
  struct Point {
    const char* hw;
    int tokens;
    double us;
  };
  const Point points[] = {{"a100-80gb", 1, 266},    {"a100-80gb", 64, 278},   {"a100-80gb", 128, 351.5},
                          {"a100-80gb", 512, 953},  {"a100-80gb", 4096, 7398.5}, {"h100-sxm", 1, 156},
                          {"h100-sxm", 128, 180},   {"h100-sxm", 1024, 565}};
  for (const Point& p : points) {
    CAPTURE(p.hw);
    CAPTURE(p.tokens);
    ModelSpec one = llama;
    one.decoder.layers = 1;
    const CostModel m(one, load_hardware(p.hw));
    double us = 0;
    for (const StageCost& op : m.iteration_breakdown({{p.tokens, 0, false}}, {}))
      if (op.stage == "qkv" || op.stage == "o_proj" || op.stage == "ffn")
        us += (op.seconds - (op.stage == "qkv" || op.stage == "ffn" ? 3 : 1) * m.hardware().launch_s) * 1e6;
    CHECK(us == doctest::Approx(p.us).epsilon(0.05));
  }
}

TEST_CASE("the KV-cache write reads the new tokens' keys and values and writes them to the cache") {
  const CostModel m = tiny(tiny_hw());
  // 2 layers x (K and V) x 2 KV heads of 16 x 2 bytes = 256 bytes a token, read and written.
  for (const StageCost& op : m.iteration_breakdown({{10, 0, true}}, {5, 7}))
    if (op.stage == "kv_write") CHECK(op.bytes == doctest::Approx(2 * 12 * 256.0));
}

TEST_CASE("bad serving and GEMM tables exit 2 naming file, key and what was expected") {
  const std::string bad_gemm = test::write_temp_file(
      "bad-gemm.yaml", tiny_hw("gemm:\n  - {tokens: 16, memory: 0.5, compute: 0.5}\n  - {tokens: 8, memory: 0.5, compute: 0.5}\n"));
  auto r = test::run_msao("cost llama-2-7b " + bad_gemm + " --decode-batch 1");
  CHECK(r.status == 2);
  CHECK(r.out.find("gemm[1].tokens") != std::string::npos);
  CHECK(r.out.find("increasing") != std::string::npos);
  const std::string over = test::write_temp_file("over-gemm.yaml", tiny_hw("gemm:\n  - {tokens: 1, memory: 1.5, compute: 0.5}\n"));
  CHECK_THROWS_AS(load_hardware(over), InputError);
  const std::string bad_stack = test::write_temp_file(
      "bad-stack.yaml", "name: s\nbatching: continuous\nlayer_dispatch: 0\ncuda_context: 1MB\ncpu_overhead:\n"
                        "  - {batch: 1, tme: 1ms}\n");
  try {
    load_serving(bad_stack);
    FAIL("accepted a misspelt key");
  } catch (const InputError& e) {
    CHECK(e.file() == bad_stack);
    CHECK(e.line() == 6);
    CHECK(std::string(e.what()).find("tme") != std::string::npos);
  }
}

TEST_CASE("the GEMM table's lookup by whole token count gives the interpolated values exactly") {
  const GemmEfficiency& g = load_hardware("h100-sxm").gemm;
  REQUIRE_FALSE(g.empty());
  for (int m : {1, 2, 3, 17, 100, 128, 129, 1000, 4095, 4096, 4097, 20000}) {
    CAPTURE(m);
    CHECK(g.at(m).first == g.memory(m));
    CHECK(g.at(m).second == g.compute(m));
  }
}
