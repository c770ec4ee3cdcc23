// The paper's figures are data (platforms/paper/msao.json): the bundled file
// loads with the figures the paper reports, and a broken copy is an input
// error naming the file and the key, never a silent default.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "sim/config/input_error.hpp"
#include "sim/dse/paper_figures.hpp"
#include "tests/workload_test_util.hpp"

namespace fs = std::filesystem;
using msao::InputError;
using msao::dse::load_paper_figures;

TEST_CASE("the bundled paper figures load with the values the paper reports") {
  const auto p = load_paper_figures();
  CHECK(p.at(p.accuracy_pct, "vqav2@200Mbps", "msao") == doctest::Approx(76.1));
  CHECK(p.at(p.accuracy_pct, "mmbench@400Mbps", "perllm") == doctest::Approx(69.9));
  CHECK(p.at(p.tokens_per_s, "vqav2@400Mbps", "msao") == doctest::Approx(128));
  CHECK(p.peak_memory_gb.at("cloud-only") == doctest::Approx(25.0));
  CHECK(p.reductions.size() == 5);
  CHECK(p.speculation_off_higher_pct == doctest::Approx(48));
  CHECK(p.mas_off_points_lost.at("mmbench@400Mbps") == doctest::Approx(7.6));
  CHECK(p.throughput_gain_lo == doctest::Approx(1.5));
  CHECK(p.throughput_gain_hi == doctest::Approx(2.3));
  CHECK_THROWS_AS(p.at(p.accuracy_pct, "vqav2@200Mbps", "no-such-method"), InputError);
}

TEST_CASE("a paper-figures file with a missing or mistyped key is an input error naming it") {
  const fs::path dir = fs::temp_directory_path() / ("msao-paper-figures-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string good = msao::test::slurp(fs::path(MSAO_SOURCE_DIR) / "platforms/paper/msao.json");
  struct Case {
    std::string from, to, key;
  };
  for (const Case& c : {Case{"\"speculation_off_latency_higher_pct\": 48", "\"speculation_off_latency_higher_pct\": \"many\"",
                             "ablations.speculation_off_latency_higher_pct"},
                        Case{"\"tokens_per_s\"", "\"tokens_per_second\"", "tokens_per_s"},
                        Case{"\"lo\": 1.5", "\"low\": 1.5", "throughput_gain_over_baselines"}}) {
    CAPTURE(c.key);
    std::string text = good;
    REQUIRE(text.find(c.from) != std::string::npos);
    text.replace(text.find(c.from), c.from.size(), c.to);
    const fs::path file = dir / "paper.json";
    std::ofstream(file) << text;
    try {
      load_paper_figures(file.string());
      FAIL("accepted a broken file");
    } catch (const InputError& e) {
      CHECK(e.file() == file.string());
      CHECK(e.key() == c.key);
    }
  }
  std::ofstream(dir / "bad.json") << "{ not json";
  CHECK_THROWS_AS(load_paper_figures((dir / "bad.json").string()), InputError);
  CHECK_THROWS_AS(load_paper_figures((dir / "absent.json").string()), InputError);
  fs::remove_all(dir);
}
