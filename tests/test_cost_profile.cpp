// Profiled stage tables: measured points come back exactly, interpolation is
// piecewise linear, extrapolation follows the roofline (positive, monotone,
// bounded), and a calibration section replaces the device's effective rates.
#include <doctest/doctest.h>

#include "sim/config/input_error.hpp"
#include "sim/cost/cost_model.hpp"
#include "tests/test_cost_files.hpp"

using namespace msao;
using namespace msao::cost;

namespace {
const char* kProfile = R"(hardware: rtx3090
model: qwen2-vl-2b
stages:
  prefill:
    - {batch: 1, tokens: 128, seconds: 0.010}
    - {batch: 1, tokens: 512, seconds: 0.030}
    - {batch: 1, tokens: 2048, seconds: 0.100}
    - {batch: 4, tokens: 512, seconds: 0.090}
  decode:
    - {batch: 1, context: 256, seconds: 0.0080}
    - {batch: 1, context: 4096, seconds: 0.0095}
)";
}  // namespace

TEST_CASE("profile reproduces measured points and interpolates linearly") {
  const CostModel cm(load_model("qwen2-vl-2b"), load_hardware("rtx3090"), test::write_temp_file("p1.yaml", kProfile));
  CHECK(cm.prefill(128).seconds == doctest::Approx(0.010));
  CHECK(cm.prefill(512).seconds == doctest::Approx(0.030));
  CHECK(cm.prefill(2048).seconds == doctest::Approx(0.100));
  CHECK(cm.prefill(512, 4).seconds == doctest::Approx(0.090));
  CHECK(cm.decode_step(256).seconds == doctest::Approx(0.0080));
  CHECK(cm.decode_step(4096).seconds == doctest::Approx(0.0095));
  CHECK(cm.prefill(320).seconds == doctest::Approx(0.020));  // halfway between 128 and 512
  CHECK(cm.prefill(512, 2).seconds == doctest::Approx(0.050));  // a third of the way from batch 1 to 4
  CHECK(cm.prefill(512).bound == "profile");
  // Stages without a table keep the roofline.
  const CostModel plain(load_model("qwen2-vl-2b"), load_hardware("rtx3090"));
  CHECK(cm.projector(Modality::Image, 256).seconds == doctest::Approx(plain.projector(Modality::Image, 256).seconds));
}

TEST_CASE("profile extrapolates monotonically without going negative or exploding") {
  const CostModel cm(load_model("qwen2-vl-2b"), load_hardware("rtx3090"), test::write_temp_file("p2.yaml", kProfile));
  const CostModel plain(load_model("qwen2-vl-2b"), load_hardware("rtx3090"));
  double prev = 0;
  for (int t = 1; t <= 32768; t = t * 5 / 4 + 1) {
    const double s = cm.prefill(t).seconds;
    CHECK(s > 0);
    CHECK(s >= prev);
    prev = s;
  }
  // Beyond the range it grows like the roofline scaled by the last point's ratio.
  const double ratio = 0.100 / plain.prefill(2048).seconds;
  CHECK(cm.prefill(16384).seconds == doctest::Approx(ratio * plain.prefill(16384).seconds));
  prev = 0;
  for (int c = 0; c <= 65536; c += 512) {
    const double s = cm.decode_step(c).seconds;
    CHECK(s > 0);
    CHECK(s >= prev);
    prev = s;
  }
  prev = 0;
  for (int b = 1; b <= 64; ++b) {
    const double s = cm.prefill(512, b).seconds;
    CHECK(s >= prev);
    prev = s;
  }
}

TEST_CASE("profile calibration replaces the effective rates") {
  const std::string path = test::write_temp_file("p3.yaml", R"(calibration:
  hardware: rtx3090
  mem_bw_Bps: 5.0e11
  flops: 4.0e13
  launch_overhead_s: 0
  mas_s_per_token: 1.5e-7
)");
  const CostModel cm(load_model("qwen2-vl-2b"), load_hardware("rtx3090"), path);
  CHECK(cm.rates().bw == doctest::Approx(5.0e11));
  CHECK(cm.rates().flops == doctest::Approx(4.0e13));
  CHECK(cm.mas_s_per_token().value() == doctest::Approx(1.5e-7));
  CHECK(cm.mas_s_per_token().value() == doctest::Approx(1.5e-7).scale(0));  // relative, not within 1e-5 of anything
  const StageCost d = cm.decode_step(1000);
  CHECK(d.seconds == doctest::Approx(d.bytes / 5.0e11));
  CHECK_THROWS_AS(CostModel(load_model("qwen2-vl-2b"), load_hardware("a100-40gb"), path), InputError);
}

TEST_CASE("example profile in the repository loads") {
  const CostModel cm(load_model("llava-1.5-7b"), load_hardware("rtx3090"),
                     std::string(MSAO_SOURCE_DIR) + "/traces/profiles/llava-1.5-7b-rtx3090.yaml");
  CHECK(cm.decode_step(618).seconds == doctest::Approx(0.0187));
  CHECK(cm.decode_step(2000).seconds > 0.0187);
}

TEST_CASE("profile with a bad row is an input error naming the key") {
  const std::string path = test::write_temp_file("p4.yaml", "stages:\n  decode:\n    - {batch: 1, context: 10, seconds: -1}\n");
  try {
    CostModel(load_model("qwen2-vl-2b"), load_hardware("rtx3090"), path);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.file() == path);
    CHECK(e.key() == "stages.decode[0].seconds");
  }
}
