// Catalogs: every entry loads; a missing field, a negative number or an
// unknown name is an InputError naming file and key, and `msao cost` exits 2
// on it; a model too large for the device is an InputError too.
#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "sim/config/input_error.hpp"
#include "sim/cost/catalog.hpp"
#include "sim/cost/cost_model.hpp"
#include "tests/test_cost_files.hpp"
#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

using namespace msao;
using namespace msao::cost;

namespace {
std::string catalog_text(const std::string& kind, const std::string& name) {
  return msao::test::slurp(std::string(MSAO_SOURCE_DIR) + "/platforms/" + kind + "/" + name + ".yaml");
}

// The catalog entry with the line `key: ...` replaced (or removed when empty).
std::string edited(const std::string& text, const std::string& key, const std::string& replacement) {
  return std::regex_replace(text, std::regex("(^|\n)" + key + ":[^\n]*"), replacement.empty() ? "$1" : "$1" + replacement);
}

template <class F>
InputError input_error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e;
  }
  FAIL("no InputError");
  return InputError("", 0, "", "", "");
}
}  // namespace

TEST_CASE("every catalog entry loads") {
  CHECK(list_hardware().size() >= 7);
  CHECK(list_models().size() >= 4);
  for (const auto& h : list_hardware()) CHECK(load_hardware(h).name == h);
  for (const auto& m : list_models()) CHECK(load_model(m).name == m);
}

TEST_CASE("in_catalog finds exactly the names list_catalog lists") {
  for (const std::string kind : {"hardware", "models", "radios", "serving"}) {
    const std::vector<std::string> names = list_catalog(kind);
    CHECK_FALSE(names.empty());
    for (const auto& n : names) CHECK(in_catalog(kind, n));
  }
  for (const std::string& bad : std::vector<std::string>{"", "rtx3090.yaml", "../hardware/rtx3090", "rtx3090/", std::string("rtx3090\0x", 9), ".",
                                "..", "RTX3090", "rtx309"})
    CHECK_FALSE(in_catalog("hardware", bad));
  CHECK_FALSE(in_catalog("no-such-kind", "rtx3090"));
}

TEST_CASE("hardware entry with a missing field names file and key") {
  const std::string path = test::write_temp_file("missing.yaml", edited(catalog_text("hardware", "rtx3090"), "eff_memory", ""));
  const InputError e = input_error_of([&] { load_hardware(path); });
  CHECK(e.file() == path);
  CHECK(e.key() == "eff_memory");
}

TEST_CASE("hardware entry with a negative number names file and key") {
  const std::string path = test::write_temp_file("negative.yaml", edited(catalog_text("hardware", "rtx3090"), "flops", "flops: -71e12"));
  const InputError e = input_error_of([&] { load_hardware(path); });
  CHECK(e.file() == path);
  CHECK(e.key() == "flops");
  CHECK(e.line() > 0);
}

TEST_CASE("model entry with a missing decoder field names file and key") {
  const std::string text = std::regex_replace(catalog_text("models", "llava-1.5-7b"), std::regex("\n  vocab:[^\n]*"), "");
  const std::string path = test::write_temp_file("model-missing.yaml", text);
  const InputError e = input_error_of([&] { load_model(path); });
  CHECK(e.file() == path);
  CHECK(e.key() == "decoder.vocab");
}

TEST_CASE("unknown catalog names are input errors listing the known names") {
  const InputError h = input_error_of([] { load_hardware("tpu-v9"); });
  CHECK(h.key() == "hardware");
  CHECK(std::string(h.what()).find("rtx3090") != std::string::npos);
  const InputError m = input_error_of([] { load_model("gpt-17"); });
  CHECK(m.key() == "models");
  CHECK(std::string(m.what()).find("qwen2-vl-2b") != std::string::npos);
}

TEST_CASE("a model that does not fit the device is an input error") {
  const CostModel cm(load_model("qwen2.5-vl-7b"), load_hardware("jetson-orin-nano-8gb"));
  const InputError e = input_error_of([&] { cm.check_fits(4096); });
  const std::string msg = e.what();
  CHECK(msg.find("qwen2.5-vl-7b") != std::string::npos);
  CHECK(msg.find("jetson-orin-nano-8gb") != std::string::npos);
  const CostModel small(load_model("qwen2-vl-2b"), load_hardware("jetson-orin-nano-8gb"));
  CHECK_NOTHROW(small.check_fits(4096));
}

TEST_CASE("msao cost exits 2 on a bad catalog and on a model that does not fit") {
  const std::string path = test::write_temp_file("bad-cli.yaml", edited(catalog_text("hardware", "rtx3090"), "mem_bw", "mem_bw: -5GBps"));
  const auto r = test::run_msao("cost llava-1.5-7b " + path);
  CHECK(r.status == 2);
  CHECK(r.out.find(path) != std::string::npos);
  CHECK(r.out.find("mem_bw") != std::string::npos);
  CHECK(test::run_msao("cost qwen2.5-vl-7b jetson-orin-nano-8gb").status == 2);
  CHECK(test::run_msao("cost llava-1.5-7b no-such-device").status == 2);
  const auto ok = test::run_msao("cost llava-1.5-7b a100-40gb --image 336x336 --json");
  CHECK(ok.status == 0);
  CHECK(ok.out.find("\"stage\":\"prefill\"") != std::string::npos);
  const auto list = test::run_msao("list hardware");
  CHECK(list.status == 0);
  CHECK(list.out.find("h100-sxm") != std::string::npos);
  CHECK(test::run_msao("list models").out.find("qwen2-audio-7b") != std::string::npos);
  CHECK(test::run_msao("list nonsense").status == 2);
}
