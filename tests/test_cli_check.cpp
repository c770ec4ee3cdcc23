// `msao check`: exit 0 on every bundled scenario, exit 2 with the
// usual one line on the bad inputs the scenario-error tests use, and the
// reworded messages: an override names its --set argument, a missing trace
// names the scenario and key, a misspelt key gets a suggestion.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

using msao::test::run_msao;
namespace fs = std::filesystem;

namespace {

const std::string kScenarios = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/";
const std::string kQuick = kScenarios + "quickstart.yaml";

fs::path scratch(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("msao-check-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// quickstart.yaml with `from` replaced by `to`, written to a scratch file.
std::string quickstart_with(const std::string& name, const std::string& from, const std::string& to) {
  std::string s = msao::test::slurp(kQuick);
  const auto p = s.find(from);
  REQUIRE(p != std::string::npos);
  const fs::path f = scratch(name) / "scenario.yaml";
  std::ofstream(f) << s.replace(p, from.size(), to);
  return f.string();
}

// Exit 2, one line starting "error: ", containing every piece.
std::string expect_exit2(const std::string& args, const std::vector<std::string>& pieces) {
  auto r = run_msao(args);
  INFO(args << " -> " << r.out);
  CHECK(r.status == 2);
  CHECK(r.out.rfind("error: ", 0) == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  for (const auto& p : pieces) CHECK(r.out.find(p) != std::string::npos);
  return r.out;
}

}  // namespace

TEST_CASE("check exits 0 on every bundled scenario and prints the resolved configuration") {
  int scenarios = 0;
  for (const auto& e : fs::directory_iterator(kScenarios)) {
    const std::string text = msao::test::slurp(e.path().string());
    if (text.find("\nplatform:") == std::string::npos) continue;  // sweep and tune files
    ++scenarios;
    auto r = run_msao("check " + e.path().string());
    INFO(e.path() << " -> " << r.out);
    CHECK(r.status == 0);
    CHECK(r.out.find(": ok (policy ") != std::string::npos);
    CHECK(r.out.find("workload:") != std::string::npos);
  }
  CHECK(scenarios >= 4);
  auto r = run_msao("check " + kQuick + " --set policy.type=msao --seed 7 2>/dev/null");
  CHECK(r.status == 0);
  CHECK(r.out.find("type: msao") != std::string::npos);
  CHECK(r.out.find("seed: 7") != std::string::npos);
}

TEST_CASE("check exits 2 on the bad inputs run refuses") {
  expect_exit2("check /nonexistent/scenario.yaml", {"/nonexistent/scenario.yaml", "no such file"});
  expect_exit2("check " + quickstart_with("malformed", "  count: 1", "  count: [1,"), {"malformed YAML"});
  expect_exit2("check " + quickstart_with("unknown", "  gpus: 1", "  gpus: 1\n    turbo: yes"),
               {"platform.cloud.turbo", "known keys"});
  expect_exit2("check " + quickstart_with("type", "gpus: 1", "gpus: many"), {"platform.cloud.gpus", "'many'"});
  expect_exit2("check " + quickstart_with("negbw", "bandwidth: 300Mbps", "bandwidth: -300Mbps"), {"-300Mbps"});
  expect_exit2("check " + kQuick + " --set policy.type=teleport", {"policy.type", "teleport", "cloud-only"});
  expect_exit2("check " + kQuick + " --set platform.cloud.mem_utilization=0.1", {"mem_utilization", "needs"});
  expect_exit2("check " + kQuick + " --seed -5", {"--seed", "-5"});
}

TEST_CASE("an override error names the --set argument, not a line of the scenario") {
  expect_exit2("check " + kQuick + " --set run.seed=x", {"error: --set run.seed=x: key 'run.seed'", "'x'"});
  expect_exit2("check " + kQuick + " --set 'workload.arrival={type: poisson, rate_rps: -1}'",
               {"error: --set workload.arrival={type: poisson, rate_rps: -1}: key 'workload.arrival.rate_rps'"});
  // A misspelt key given with --set: named, with the nearest known key.
  expect_exit2("check " + kQuick + " --set run.sed=3", {"error: --set run.sed=3", "'seed' (did you mean it?)"});
  // A misspelt key with an unmatched bracket (found by fuzz_set_overrides: it threw out_of_range, exit 1).
  expect_exit2("check " + kQuick + " --set 'workload.arriva[l={type: mmpp}'",
               {"error: --set workload.arriva[l={type: mmpp}", "'arrival' (did you mean it?)"});
}

TEST_CASE("a missing trace file names the scenario file and the key that refers to it") {
  const std::string f = quickstart_with("trace", "  source: generator\n  dataset: vqav2\n",
                                        "  source: trace\n  trace: no-such-trace.csv\n");
  expect_exit2("check " + f, {f + ":", "key 'workload.trace'", "no-such-trace.csv", "no such file"});
  expect_exit2("check " + kQuick + " --set platform.edges.0.uplink.trace=/no/such.csv",
               {"--set platform.edges.0.uplink.trace=/no/such.csv", "/no/such.csv", "no such file"});
}

TEST_CASE("an unknown hardware or model name, or a missing profile, is blamed on the scenario key naming it") {
  const std::string f = quickstart_with("hw", "hardware: a100-40gb", "hardware: a100-41gb");
  expect_exit2("check " + f, {f + ":", "key 'platform.cloud.hardware'", "unknown hardware 'a100-41gb'", "a100-40gb"});
  expect_exit2("check " + kQuick + " --set model.edge=qwen-nope", {"--set model.edge=qwen-nope", "key 'model.edge'", "qwen2-vl-2b"});
  expect_exit2("check " + kQuick + " --set model.cloud_profile=/no/profile.yaml",
               {"--set model.cloud_profile=/no/profile.yaml", "key 'model.cloud_profile'", "no such file"});
}

TEST_CASE("a misspelt section or key is reported as such, with the nearest known name") {
  expect_exit2("check " + quickstart_with("platfrom", "platform:", "platfrom:"),
               {"key 'platfrom'", "unknown key 'platfrom'", "'platform' (did you mean it?"});
  expect_exit2("check " + quickstart_with("gpu", "  gpus: 1", "  gpsu: 1"), {"key 'platform.cloud.gpsu'", "'gpus' (did you mean it?)"});
}

TEST_CASE("compare --out writes one folder per policy and compare.csv") {
  const fs::path d = scratch("compare");
  auto r = run_msao("compare " + kQuick + " --policies cloud-only,edge-only --set workload.requests=20 --jobs 2 --out " +
                    (d / "cmp").string());
  INFO(r.out);
  REQUIRE(r.status == 0);
  for (const std::string p : {"cloud-only", "edge-only"})
    for (const std::string f : {"requests.csv", "summary.json", "scenario.resolved.yaml"}) CHECK(fs::exists(d / "cmp" / p / f));
  const std::string csv = msao::test::slurp((d / "cmp" / "compare.csv").string());
  CHECK(csv.rfind("policy,completed,latency_ms_mean,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 3);
  CHECK(csv.find("\nedge-only,20,") != std::string::npos);
  // The per-policy run equals `msao run` of that policy.
  REQUIRE(run_msao("run " + kQuick + " --set workload.requests=20 --set policy.type=edge-only --out " +
                   (d / "run").string()).ok);
  CHECK(msao::test::slurp((d / "run/requests.csv").string()) ==
        msao::test::slurp((d / "cmp/edge-only/requests.csv").string()));
}
