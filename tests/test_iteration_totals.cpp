// batch_iteration_totals (what the batching server asks every iteration,
// from remembered per-token and per-sequence parts) gives batch_iteration's
// seconds, flops and bytes bit for bit: on random mixes of prefill chunks
// and decode steps, for models split by tensor and pipeline parallelism,
// under CUDA graphs and an eager host, on GPUs with and without a GEMM table.
#include <doctest/doctest.h>

#include <random>

#include "sim/cost/cost_model.hpp"
#include "sim/cost/serving.hpp"

using namespace msao;
using namespace msao::cost;

TEST_CASE("batch_iteration_totals equals batch_iteration exactly") {
  struct Case {
    const char *model, *hardware, *serving;
    Parallelism par;
  };
  const Case cases[] = {{"llama-2-70b", "a100-80gb", "vllm", {2, 1}},
                        {"llama-2-7b", "a100-80gb", "hf-eager", {1, 1}},
                        {"qwen2.5-vl-7b", "a100-40gb", "vllm", {1, 2}},
                        {"llama-3-70b", "h100-sxm", "vllm", {4, 2}},
                        {"qwen2.5-0.5b", "rtx3090", "vllm", {1, 1}}};
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> count(0, 40), tokens(0, 700), context(0, 4000), coin(0, 1);
  int checked = 0;
  for (const Case& c : cases) {
    CostModel m(load_model(c.model), load_hardware(c.hardware), {}, c.par);
    m.set_host_dispatch(load_serving(c.serving).host);
    for (int i = 0; i < 3000; ++i) {
      std::vector<PrefillChunk> pre;
      std::vector<int> dec;
      const int np = coin(rng) ? count(rng) % 4 : 0, nd = count(rng);
      for (int k = 0; k < np; ++k) pre.push_back({tokens(rng), context(rng), coin(rng) == 1});
      for (int k = 0; k < nd; ++k) dec.push_back(context(rng));
      const StageCost want = m.batch_iteration(pre, dec);
      // Twice: computed, then from what the first call remembered.
      for (int pass = 0; pass < 2; ++pass) {
        const IterationTotals got = m.batch_iteration_totals(pre, dec);
        CHECK(got.seconds == want.seconds);
        CHECK(got.flops == want.flops);
        CHECK(got.bytes == want.bytes);
      }
      ++checked;
    }
  }
  CHECK(checked == 15000);
}
