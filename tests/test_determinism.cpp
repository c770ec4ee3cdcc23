// Same scenario and seed twice: byte-identical requests.csv, summary.json
// (wall_time_s aside) and resolved config.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

namespace fs = std::filesystem;

namespace {
using msao::test::slurp;
}  // namespace

TEST_CASE("the same scenario and seed give byte-identical outputs") {
  const std::string scen = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/quickstart.yaml";
  fs::path base = fs::temp_directory_path() / ("msao-det-" + std::to_string(::getpid()));
  fs::remove_all(base);
  for (const char* policy : {"edge-only", "cloud-only"}) {
    std::string a = (base / (std::string(policy) + "-a")).string(), b = (base / (std::string(policy) + "-b")).string();
    const std::string args = " --seed 7 --set workload.requests=300 --set policy.type=" + std::string(policy);
    REQUIRE(msao::test::run_msao("run " + scen + " --out " + a + args).ok);
    REQUIRE(msao::test::run_msao("run " + scen + " --out " + b + args).ok);
    CHECK(slurp(a + "/requests.csv") == slurp(b + "/requests.csv"));
    CHECK(slurp(a + "/scenario.resolved.yaml") == slurp(b + "/scenario.resolved.yaml"));
    const std::regex wall("\"wall_time_s\": [^,]*,");
    std::string sa = std::regex_replace(slurp(a + "/summary.json"), wall, ""), sb = std::regex_replace(slurp(b + "/summary.json"), wall, "");
    CHECK(sa == sb);
    CHECK(sa.find("\"requests\": 300") != std::string::npos);
  }
  fs::remove_all(base);
}
