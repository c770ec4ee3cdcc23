// Serving stacks as catalog entries (platforms/serving/): what each one
// changes, by hand. hf-eager: one request at a time and a host-bound floor
// of layers x 0.89 ms on every forward pass; vllm: today's model.
#include <doctest/doctest.h>

#include "sim/config/input_error.hpp"
#include "sim/cost/cost_model.hpp"
#include "sim/cost/serving.hpp"
#include "sim/scenario/scenario.hpp"

using namespace msao;

namespace {
const std::string kPaper = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml";
}

TEST_CASE("the serving catalog's entries, as their files state them") {
  const cost::ServingProfile hf = cost::load_serving("hf-eager"), vllm = cost::load_serving("vllm");
  CHECK_FALSE(hf.continuous_batching);
  CHECK(hf.layer_dispatch_s == doctest::Approx(0.89e-3));
  CHECK(hf.runtime_mem_bytes == doctest::Approx(300e6));
  CHECK(vllm.continuous_batching);
  CHECK(vllm.layer_dispatch_s == 0);
  CHECK(vllm.runtime_mem_bytes == doctest::Approx((0.33 + 0.21) * 1073741824.0));
}

TEST_CASE("an eager host makes every forward pass take at least layers x its per-layer time") {
  cost::CostModel m(cost::load_model("qwen2.5-vl-7b"), cost::load_hardware("a100-40gb"));
  const double gpu_step = m.decode_step(400).seconds, gpu_prefill = m.prefill(4000).seconds;
  m.set_layer_dispatch(0.89e-3);
  // 28 decoder layers: 24.92 ms, above the A100's 16 ms to read the weights.
  CHECK(gpu_step < 28 * 0.89e-3);
  CHECK(m.decode_step(400).seconds == doctest::Approx(28 * 0.89e-3));
  CHECK(m.decode_step(400).bound == "host");
  // A long prefill is the GPU's: the host keeps ahead of it.
  CHECK(gpu_prefill > 28 * 0.89e-3);
  CHECK(m.prefill(4000).seconds == doctest::Approx(gpu_prefill));
  // The encoder too: its 32 layers at least.
  ModalityInput img;
  img.present = true;
  img.width = 64;
  img.height = 64;
  img.frames = 1;
  CHECK(m.encoder(Modality::Image, img).seconds >= 32 * 0.89e-3 - 1e-12);
  // Tokens per second of batch-1 decoding: the Qwen2.5 benchmark's 40.38 for the 7B.
  CHECK(1.0 / m.decode_step(1).seconds == doctest::Approx(40.38).epsilon(0.01));
}

TEST_CASE("platform.serving: hf-eager serves one request at a time, unknown names are input errors") {
  CHECK(load_scenario(kPaper).cloud_max_batch == 64);
  CHECK(load_scenario(kPaper).serving.name == "vllm");
  const Scenario hf = load_scenario(kPaper, {"platform.serving=hf-eager"});
  CHECK(hf.serving.name == "hf-eager");
  CHECK(hf.cloud_max_batch == 1);
  CHECK_THROWS_AS(load_scenario(kPaper, {"platform.serving=tgi"}), InputError);
}
