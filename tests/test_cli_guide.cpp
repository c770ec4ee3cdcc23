// The command line as a new user meets it: --version and the version in
// summary.json, `msao list` alone, a bandwidth without a unit, a misspelt
// --set key blamed on that argument, cost --help's defaults, commands that
// write under out/, and tune's constraint columns.
#include <doctest/doctest.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/fork_run.hpp"

namespace fs = std::filesystem;
using msao::test::run_msao;

namespace {
const std::string kQuick = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/quickstart.yaml";

fs::path scratch(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("msao-guide-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}
}  // namespace

TEST_CASE("--version names the version and commit, and summary.json carries both") {
  auto v = run_msao("--version");
  CHECK(v.status == 0);
  std::smatch m;
  const std::string line = v.out.substr(0, v.out.find('\n'));
  REQUIRE(std::regex_match(line, m, std::regex(R"(msao (\d+\.\d+(\.\d+)?) \(commit (\S+)\))")));
  const fs::path d = scratch("version");
  REQUIRE(run_msao("run " + kQuick + " --set workload.requests=20 --quiet --out " + (d / "r").string()).ok);
  const YAML::Node s = YAML::LoadFile((d / "r" / "summary.json").string());
  CHECK(s["msao_version"].as<std::string>() == m[1].str());
  CHECK(s["git_commit"].as<std::string>() == m[3].str());
  CHECK(s["latency_ms"]["mean"].as<double>() > 0);
  fs::remove_all(d);
}

TEST_CASE("msao list alone names every list") {
  auto r = run_msao("list");
  CHECK(r.status == 0);
  for (const char* what : {"hardware", "models", "policies", "serving", "dispatchers"})
    CHECK(r.out.find(std::string("msao list ") + what) != std::string::npos);
}

TEST_CASE("a bandwidth without a unit exits 2 naming the units; the resolved file keeps units") {
  auto r = run_msao("check " + kQuick + " --set platform.edges.0.uplink.bandwidth=300");
  CHECK(r.status == 2);
  CHECK(r.out.find("--set platform.edges.0.uplink.bandwidth=300") != std::string::npos);
  CHECK(r.out.find("Mbps") != std::string::npos);
  CHECK(r.out.find("bare number") != std::string::npos);
  // A default bandwidth (the WAN's) is written with a unit, so the resolved file reads back.
  const fs::path d = scratch("resolved");
  REQUIRE(run_msao("run " + kQuick + " --set workload.requests=5 --quiet --out " + (d / "r").string()).ok);
  const std::string resolved = (d / "r" / "scenario.resolved.yaml").string();
  CHECK(YAML::LoadFile(resolved)["platform"]["cloud"]["wan"]["bandwidth"].as<std::string>().ends_with("Bps"));
  CHECK(run_msao("check " + resolved).status == 0);
  fs::remove_all(d);
}

TEST_CASE("a misspelt top-level --set key is blamed on that --set argument") {
  auto r = run_msao("check " + kQuick + " --set runn.seed=3");
  CHECK(r.status == 2);
  CHECK(r.out.rfind("error: --set runn.seed=3:", 0) == 0);
  CHECK(r.out.find("did you mean") != std::string::npos);
}

TEST_CASE("cost --help shows no default outside its range") {
  auto r = run_msao("cost --help");
  CHECK(r.status == 0);
  CHECK(r.out.find("=-1") == std::string::npos);
}

TEST_CASE("tune writes under out/ by default and shows each constraint beside its reference and bound") {
  const fs::path d = scratch("outdir");
  const std::string tune = (d / "t.yaml").string();
  {
    std::ofstream f(tune);
    f << "base: " << kQuick << "\n"
      << "set: [workload.requests=30, policy.type=cascade]\n"
      << "params:\n  - {key: policy.threshold, min: 0.0, max: 0.01}\n"
      << "objective: {metric: latency_ms_mean, goal: minimize}\n"
      << "constraints:\n  - {metric: accuracy, min_vs_reference: -1.0}\n"
      << "reference: {set: [policy.type=cloud-only]}\n"
      << "budget: 2\nmethod: random\n";
  }
  const std::string in_d = "cd " + d.string() + " && " + std::string(MSAO_BINARY);
  FILE* p = popen((in_d + " tune " + tune + " --jobs 2 2>&1").c_str(), "r");
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  CHECK(pclose(p) == 0);
  INFO(out);
  CHECK(fs::exists(d / "out" / "tune.json"));
  CHECK(out.find("accuracy=") != std::string::npos);
  CHECK(out.find("(ref ") != std::string::npos);
  CHECK(out.find("reference + bound") != std::string::npos);
  fs::remove_all(d);
}
