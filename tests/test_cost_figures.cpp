// Cost-model figures against independent hand computations (from the
// published architecture numbers, written out here without the library's
// helpers), roofline regimes on the A100, and monotonicity of stage times.
#include <doctest/doctest.h>

#include "sim/cost/cost_model.hpp"

using namespace msao;
using namespace msao::cost;

namespace {
CostModel model_on(const std::string& m, const std::string& h) { return CostModel(load_model(m), load_hardware(h)); }

ModalityInput image(int w, int h) {
  ModalityInput in;
  in.present = true;
  in.width = w;
  in.height = h;
  in.frames = 1;
  return in;
}
}  // namespace

TEST_CASE("llava-1.5-7b prefill flops for 618 tokens match a hand computation") {
  const CostModel cm = model_on("llava-1.5-7b", "a100-40gb");
  // 576 image tokens + 42 text tokens.
  CHECK(cm.encoder_tokens(Modality::Image, image(640, 480)) == 576);
  const double n = 618, d = 4096, layers = 32;
  const double non_embedding_params = 6.48e9;  // COST-ANCHORS.md: Vicuna-7B decoder
  const double hand = 2 * non_embedding_params * n        // every matrix, every token
                      + 4 * d * (n * (n + 1) / 2) * layers  // QK^T and AV over causal pairs
                      + 2 * d * 32000;                      // logits of the last token
  const double got = cm.prefill(618).flops;
  CHECK(got == doctest::Approx(hand).epsilon(0.03));
}

TEST_CASE("llava-1.5-7b decode step bytes at context 618 match a hand computation") {
  const CostModel cm = model_on("llava-1.5-7b", "a100-40gb");
  const double weights = (6.48e9 + 32000.0 * 4096) * 2;  // non-embedding + LM head, fp16
  const double kv = 618 * 2.0 * 32 * 4096 * 2;            // K and V, 32 layers, 4096 wide, fp16
  CHECK(cm.decode_step(618).bytes == doctest::Approx(weights + kv).epsilon(0.03));
}

TEST_CASE("llava-1.5-7b clip encoder and projector flops match COST-ANCHORS") {
  const CostModel cm = model_on("llava-1.5-7b", "a100-40gb");
  CHECK(cm.encoder(Modality::Image, image(640, 480)).flops == doctest::Approx(0.37e12).epsilon(0.03));
  CHECK(cm.projector(Modality::Image, 576).flops == doctest::Approx(0.024e12).epsilon(0.03));
}

TEST_CASE("qwen2-vl-2b vision encoder flops for a 448x448 image match a hand computation") {
  const CostModel cm = model_on("qwen2-vl-2b", "rtx3090");
  // 448/14 = 32 patches a side; 2x2 merge -> 256 decoder tokens.
  CHECK(cm.encoder_tokens(Modality::Image, image(448, 448)) == 256);
  // 640x480 -> smart_resize to 644x476 -> 46x34 patches -> 23x17 = 391 tokens.
  CHECK(cm.encoder_tokens(Modality::Image, image(640, 480)) == 391);
  const double n = 1024, w = 1280, f = 5120, layers = 32;
  const double hand = layers * (2 * n * (4 * w * w + 2 * w * f) + 4 * w * n * n);
  CHECK(cm.encoder(Modality::Image, image(448, 448)).flops == doctest::Approx(hand).epsilon(0.03));
}

TEST_CASE("qwen2-vl video merges two frames and qwen2-audio makes 25 tokens a second") {
  const CostModel vl = model_on("qwen2-vl-2b", "rtx3090");
  ModalityInput v = image(448, 448);
  v.frames = 8;
  CHECK(vl.encoder_tokens(Modality::Video, v) == 4 * 256);
  const CostModel au = model_on("qwen2-audio-7b", "a100-80gb");
  ModalityInput a;
  a.present = true;
  a.seconds = 10;
  CHECK(au.encoder_tokens(Modality::Audio, a) == 250);
  CHECK(au.encoder_positions(Modality::Audio, a) == 500);
}

TEST_CASE("decode is bandwidth bound and prefill compute bound on the a100") {
  for (const char* m : {"llava-1.5-7b", "qwen2.5-vl-7b"}) {
    const CostModel cm = model_on(m, "a100-40gb");
    CHECK(cm.prefill(618).bound == "compute");
    CHECK(cm.decode_step(618).bound == "memory");
    CHECK(cm.decode_step(618, 8).bound == "memory");
  }
}

TEST_CASE("stage time is monotone in tokens batch and context") {
  const CostModel cm = model_on("qwen2.5-vl-7b", "a100-40gb");
  double prev = 0;
  for (int t = 1; t <= 8192; t += 97) {
    const double s = cm.prefill(t).seconds;
    CHECK(s >= prev);
    prev = s;
  }
  prev = 0;
  for (int b = 1; b <= 128; ++b) {
    const double s = cm.decode_step(1024, b).seconds;
    CHECK(s >= prev);
    prev = s;
  }
  prev = 0;
  for (int c = 0; c <= 65536; c += 1024) {
    const double s = cm.decode_step(c, 4).seconds;
    CHECK(s >= prev);
    prev = s;
  }
  prev = 0;
  for (int side = 28; side <= 2000; side += 56) {
    const double s = cm.encoder(Modality::Image, image(side, side)).seconds;
    CHECK(s >= prev);
    prev = s;
  }
  CHECK(cm.encoder(Modality::Image, image(896, 896), 0.5).seconds <
        cm.encoder(Modality::Image, image(896, 896)).seconds);
}

TEST_CASE("batch iteration of uniform requests equals prefill and decode step") {
  const CostModel cm = model_on("qwen2-vl-2b", "rtx3090");
  CHECK(cm.batch_iteration({{300}, {300}}, {}).flops == doctest::Approx(cm.prefill(300, 2).flops));
  CHECK(cm.batch_iteration({}, {500, 500, 500}).seconds == doctest::Approx(cm.decode_step(500, 3).seconds));
  const StageCost mixed = cm.batch_iteration({{200}}, {500, 700});
  CHECK(mixed.seconds > cm.decode_step(700, 2).seconds);
  CHECK(mixed.flops > cm.prefill(200).flops);
}

TEST_CASE("a prefill split into chunks over its cached context costs the FLOPs of the whole prefill") {
  const CostModel cm = model_on("qwen2.5-vl-7b", "a100-40gb");
  // 1000 tokens as 256 + 256 + 256 + 232: each chunk attends to the KV the
  // earlier ones left; only the last runs the LM head.
  std::vector<StageCost> parts;
  for (int done = 0; done < 1000; done += 256) {
    const int k = std::min(256, 1000 - done);
    parts.push_back(cm.batch_iteration({{k, done, done + k == 1000}}, {}));
  }
  double flops = 0, seconds = 0;
  for (const auto& p : parts) {
    flops += p.flops;
    seconds += p.seconds;
  }
  CHECK(flops == doctest::Approx(cm.prefill(1000).flops).epsilon(1e-12));
  // Later chunks read more cached KV and attend over more of it.
  CHECK(parts[3].flops / 232 > parts[0].flops / 256 - 1e-9);
  CHECK(cm.batch_iteration({{256, 744}}, {}).seconds > cm.batch_iteration({{256, 0}}, {}).seconds);
  // Chunking costs time (weights read once per chunk), never saves it.
  CHECK(seconds >= cm.prefill(1000).seconds);
}

TEST_CASE("roofline adds launch overhead to the larger of compute and memory time") {
  Hardware h;
  h.flops = 100e12;
  h.mem_bw = 1e12;
  h.eff_compute = 0.5;
  h.eff_memory = 0.5;
  h.launch_s = 1e-5;
  CHECK(roofline_seconds(h, 100e12, 0, 0) == doctest::Approx(2.0));
  CHECK(roofline_seconds(h, 0, 1e12, 10) == doctest::Approx(2.0 + 1e-4));
  CHECK(roofline_seconds(h, 50e12, 2e12, 0) == doctest::Approx(4.0));
}
