// Serving stacks as catalog entries (platforms/serving/): what each one
// changes, by hand. hf-eager: one request at a time and a host-bound floor
// on every forward pass (per decoder layer, per encoder block, per pass of a
// vision-language model), scaled by the host's speed; vllm: no host floor.
// The published single-user decode rates are checked within 10%.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/config/input_error.hpp"
#include "sim/cost/cost_model.hpp"
#include "sim/cost/serving.hpp"
#include "sim/scenario/scenario.hpp"

using namespace msao;

namespace {
const std::string kPaper = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml";
// An eager host: 0.89 ms a decoder layer, 0.62 ms a vision block, 2.06 ms a
// vision-language pass; no graphs, no per-iteration overhead.
cost::HostDispatch eager_host() {
  cost::HostDispatch d;
  d.decoder_layer_s = 0.89e-3;
  d.encoder_layer_s = 0.62e-3;
  d.multimodal_step_s = 2.06e-3;
  return d;
}
}

TEST_CASE("the serving catalog's entries, as their files state them") {
  const cost::ServingProfile hf = cost::load_serving("hf-eager"), vllm = cost::load_serving("vllm");
  CHECK_FALSE(hf.continuous_batching);
  CHECK(hf.host.decoder_layer_s == doctest::Approx(0.89e-3));
  CHECK(hf.host.encoder_layer_s == doctest::Approx(0.62e-3));
  CHECK(hf.host.multimodal_step_s == doctest::Approx(2.06e-3));
  CHECK(hf.runtime_mem_bytes == doctest::Approx(300e6));
  CHECK(vllm.continuous_batching);
  CHECK(vllm.host.decoder_layer_s == 0);
  CHECK(vllm.host.encoder_layer_s == 0);
  CHECK(vllm.host.multimodal_step_s == 0);
  CHECK(vllm.runtime_mem_bytes == doctest::Approx((0.33 + 0.21) * 1073741824.0));
}

TEST_CASE("an eager host makes every forward pass take at least its layers' host time") {
  cost::CostModel m(cost::load_model("qwen2.5-vl-7b"), cost::load_hardware("a100-40gb"));
  const double gpu_step = m.decode_step(400).seconds, gpu_prefill = m.prefill(4000).seconds;
  m.set_host_dispatch(eager_host());
  // 28 decoder layers and the vision-language pass: 26.98 ms, above the
  // A100's 16 ms to read the weights.
  const double host = 28 * 0.89e-3 + 2.06e-3;
  CHECK(gpu_step < host);
  CHECK(m.decode_step(400).seconds == doctest::Approx(host));
  CHECK(m.decode_step(400).bound == "host");
  // A long prefill is the GPU's: the host keeps ahead of it.
  CHECK(gpu_prefill > host);
  CHECK(m.prefill(4000).seconds == doctest::Approx(gpu_prefill));
  // A small image's encoder: its 32 blocks at the encoder figure.
  ModalityInput img;
  img.present = true;
  img.width = 64;
  img.height = 64;
  img.frames = 1;
  CHECK(m.encoder(Modality::Image, img).seconds == doctest::Approx(32 * 0.62e-3));
  CHECK(m.encoder(Modality::Image, img).bound == "host");
}

TEST_CASE("the host time belongs to the host: a slower host stretches it, a text model has no vision-language pass") {
  cost::Hardware slow = cost::load_hardware("a100-80gb");
  slow.host_speed = 0.5;
  cost::CostModel m(cost::load_model("qwen2-vl-2b"), slow);
  m.set_host_dispatch(eager_host());
  CHECK(m.decode_step(1).seconds == doctest::Approx((28 * 0.89e-3 + 2.06e-3) / 0.5));
  cost::CostModel text(cost::load_model("qwen2.5-7b"), cost::load_hardware("a100-80gb"));
  text.set_host_dispatch(eager_host());
  CHECK(text.decode_step(1).seconds == doctest::Approx(28 * 0.89e-3));
  // The catalog's Jetson hosts are slower than the reference server, the others as fast.
  CHECK(cost::load_hardware("jetson-agx-orin-64gb").host_speed < 1);
  CHECK(cost::load_hardware("rtx3090").host_speed == 1);
}

TEST_CASE("the catalog reproduces the published single-user decode rates within 10%") {
  // Batch-1 tokens/s on an A100 80GB: Qwen2-VL's speed table (transformers)
  // and the Qwen2.5 speed benchmark (transformers 4.46, vLLM 0.6.3).
  // Qwen2.5-VL-7B stands in for Qwen2-VL-7B: the same 28-layer, 3584-wide
  // decoder.
  struct Case {
    const char *model, *serving;
    double published;
  };
  const Case cases[] = {{"qwen2-vl-2b", "hf-eager", 35.29},    {"qwen2.5-vl-7b", "hf-eager", 39.02},
                        {"qwen2.5-0.5b", "hf-eager", 47.40},   {"qwen2.5-7b", "hf-eager", 40.38},
                        {"qwen2.5-7b", "vllm", 84.28}};
  for (const Case& c : cases) {
    CAPTURE(c.model);
    CAPTURE(c.serving);
    cost::CostModel m(cost::load_model(c.model), cost::load_hardware("a100-80gb"));
    m.set_host_dispatch(cost::load_serving(c.serving).host);
    const double tok_s = 1.0 / m.decode_step(1).seconds;
    CAPTURE(tok_s);
    CHECK(std::fabs(tok_s / c.published - 1) <= 0.10);
  }
}

TEST_CASE("platform.serving: hf-eager serves one request at a time, unknown names are input errors") {
  CHECK(load_scenario(kPaper).cloud_max_batch == 64);
  CHECK(load_scenario(kPaper).serving.name == "vllm");
  const Scenario hf = load_scenario(kPaper, {"platform.serving=hf-eager"});
  CHECK(hf.serving.name == "hf-eager");
  CHECK(hf.cloud_max_batch == 1);
  CHECK_THROWS_AS(load_scenario(kPaper, {"platform.serving=tgi"}), InputError);
}
