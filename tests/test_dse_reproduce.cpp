// End-to-end at a reduced size: `msao reproduce paper --requests 50` runs
// every registered paper policy and writes a report with the paper's
// figures; `msao tune` runs, stores its history and respects its budget.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

namespace fs = std::filesystem;
using msao::test::run_msao;

namespace {
using msao::test::slurp;
fs::path scratch(const std::string& name) {
  auto d = fs::temp_directory_path() / ("msao-dse-repro-" + std::to_string(getpid())) / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}
}  // namespace

TEST_CASE("reproduce paper runs end to end at a reduced size") {
  auto dir = scratch("paper");
  auto r = run_msao("reproduce paper --requests 50 --jobs 2 --no-plots --out " + dir.string());
  REQUIRE_MESSAGE(r.ok, r.out);
  std::string md = slurp(dir / "report.md");
  for (const char* s : {"## Accuracy", "VQAv2 @ 200 Mbit/s", "MMBench @ 400 Mbit/s", "## Throughput", "mean latency",
                        "total FLOPs", "Peak GPU memory", "| vqav2 | 200Mbps | cloud-only |", "| mmbench | 400Mbps | edge-only |"})
    CHECK_MESSAGE(md.find(s) != std::string::npos, s);
  // Same inputs, same report, byte for byte.
  auto dir2 = scratch("paper2");
  REQUIRE(run_msao("reproduce paper --requests 50 --jobs 1 --no-plots --out " + dir2.string()).ok);
  CHECK(slurp(dir2 / "report.md") == md);
}

TEST_CASE("tune runs simulations and stores best parameters and history") {
  auto dir = scratch("tune");
  std::ofstream(dir / "t.yaml") << "base: " << MSAO_SOURCE_DIR << "/platforms/scenarios/paper.yaml\n"
                                << "set: [policy.type=cloud-only, workload.requests=50]\n"
                                << "params:\n  - {key: platform.edges.0.uplink.bandwidth, min: 10, max: 1000, scale: log, unit: Mbps}\n"
                                << "objective: {metric: latency_ms_mean}\n"
                                << "constraints:\n  - {metric: accuracy, min_vs_reference: -0.005}\n"
                                << "reference: {set: [policy.type=cloud-only]}\nbudget: 6\n";
  auto r = run_msao("tune " + (dir / "t.yaml").string() + " --out " + (dir / "t.json").string());
  REQUIRE_MESSAGE(r.ok, r.out);
  std::string j = slurp(dir / "t.json");
  CHECK(j.find("\"best\": {\"eval\"") != std::string::npos);
  CHECK(std::count(j.begin(), j.end(), '\n') > 6);
  // The budget of 6 is respected: history entries 0-5 and no 6th.
  CHECK(j.find("{\"eval\": 5,") != std::string::npos);
  CHECK(j.find("{\"eval\": 6,") == std::string::npos);
  CHECK(r.out.find("best (eval") != std::string::npos);
  std::ofstream(dir / "bad.yaml") << "base: " << MSAO_SOURCE_DIR << "/platforms/scenarios/paper.yaml\n"
                                  << "params:\n  - {key: policy.x, min: 0, max: 1}\nobjective: {metric: latency}\n";
  auto bad = run_msao("tune " + (dir / "bad.yaml").string());
  CHECK(bad.status == 2);
  CHECK(bad.out.find("objective.metric") != std::string::npos);
}
