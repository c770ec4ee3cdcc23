// --help shows each option's default and accepted values: the
// options a new user asked about, on trace gen, trace net-gen, list, sweep
// and reproduce.
#include <doctest/doctest.h>

#include "tests/fork_run.hpp"

using msao::test::run_msao;

TEST_CASE("--help shows defaults and accepted values") {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"trace gen", {"{vqav2,mmbench,video-qa,coco-caption,detail-description,mm-vet,video-caption,visual-chat}=vqav2", "--n UINT", "=1000", "--seed UINT:SEED=1", "--edges INT", "=1"}},
      {"trace net-gen", {"--duration-s", "=600", "--rtt-ms", "=20", "static, wifi, 4g, 5g or outage"}},
      {"list", {"dispatchers", "hardware", "models", "policies"}},
      {"sweep", {"-o,--out TEXT=out/sweep"}},
      {"reproduce", {"-o,--out TEXT=out/reproduce"}},
      {"tune", {"-o,--out TEXT=out/tune.json", "-j,--jobs", "-q,--quiet"}},
      {"run", {"--out TEXT=out/run", "--quiet"}},
  };
  for (const auto& c : cases) {
    // Not a structured binding: clang 14 (the sanitizer build) refuses one inside doctest's INFO capture.
    const std::string& cmd = c.first;
    const std::vector<std::string>& pieces = c.second;
    auto r = run_msao(cmd + " --help");
    INFO(cmd << " --help:\n" << r.out);
    CHECK(r.status == 0);
    for (const auto& p : pieces) CHECK(r.out.find(p) != std::string::npos);
    CHECK(r.out.find("=[]") == std::string::npos);  // an empty list's default says nothing
  }
}
