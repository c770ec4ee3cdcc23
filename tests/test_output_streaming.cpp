// Streamed outputs (what `msao run` writes as the run goes: a reorder
// buffer for requests.csv, per-replica spools for iterations.csv, the
// summary accumulated from the stream) are byte-identical to the in-memory
// path (every record and iteration kept, files written at the end) on
// every bundled scenario, cut to a few hundred requests, and on a closed
// loop and a run stopped at its horizon (unfinished requests, and requests
// that never arrived, still get their rows).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <regex>

#include "sim/metrics/outputs.hpp"
#include "sim/run/run_outputs.hpp"
#include "sim/run/run_to_dir.hpp"
#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

namespace fs = std::filesystem;
using namespace msao;

namespace {

bool is_scenario(const fs::path& p) { return p.extension() == ".yaml" && !YAML::LoadFile(p.string())["base"]; }

std::string without_wall_time(const std::string& json) {
  return std::regex_replace(json, std::regex("\"wall_time_s\": [^,]*,"), "");
}

// Runs `scenario` with `sets` both ways, in forked children, into two
// folders, and checks every file; returns the streamed requests.csv.
std::string check_both_ways(const std::string& scenario, const std::vector<std::string>& sets, const fs::path& base) {
  const std::string streamed = (base / "streamed").string(), in_memory = (base / "in-memory").string();
  fs::remove_all(base);
  const auto a = test::fork_run([&] {
    run_to_dir(streamed, load_scenario(scenario, sets));
    return std::string("ok");
  });
  REQUIRE_MESSAGE(a.ok, a.out);
  const auto b = test::fork_run([&] {
    const Scenario sc = load_scenario(scenario, sets);
    const RunOutput out = run_scenario(sc);  // keep_records: the in-memory sink
    write_outputs(in_memory, sc, out);
    return std::to_string(out.sim.records.size());
  });
  REQUIRE_MESSAGE(b.ok, b.out);
  CHECK(std::stoul(b.out) > 0);
  for (const char* f : {"requests.csv", "iterations.csv", "scenario.resolved.yaml"}) {
    CAPTURE(f);
    const std::string x = test::slurp(streamed + "/" + f);
    CHECK(!x.empty());
    CHECK(x == test::slurp(in_memory + "/" + f));
  }
  CHECK(without_wall_time(test::slurp(streamed + "/summary.json")) ==
        without_wall_time(test::slurp(in_memory + "/summary.json")));
  // Nothing but the four outputs: no temporary or spool file left behind.
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(streamed)) ++files;
  CHECK(files == 4);
  return test::slurp(streamed + "/requests.csv");
}

}  // namespace

TEST_CASE("streamed and in-memory outputs are byte-identical on every bundled scenario") {
  const fs::path base = fs::temp_directory_path() / ("msao-stream-" + std::to_string(::getpid()));
  int scenarios = 0;
  for (const auto& e : fs::directory_iterator(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios")) {
    if (!is_scenario(e.path())) continue;
    ++scenarios;
    CAPTURE(e.path().filename().string());
    check_both_ways(e.path().string(), {"workload.requests=300"}, base);
  }
  CHECK(scenarios >= 5);
  fs::remove_all(base);
}

TEST_CASE("streamed outputs match in-memory ones for a closed loop and a run cut at its horizon") {
  const fs::path base = fs::temp_directory_path() / ("msao-stream-h-" + std::to_string(::getpid()));
  const std::string paper = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml";
  const std::string outage = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/outage.yaml";
  check_both_ways(paper, {"workload.requests=300", "workload.arrival={type: closed, users_per_edge: 4, think_s: 1}"}, base);
  // 400 requests at 2/s arrive over about 200 s: a 60 s horizon leaves most unarrived.
  for (const auto& scenario : {paper, outage}) {
    const std::string csv = check_both_ways(scenario, {"workload.requests=400", "run.horizon=60s"}, base);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 401);
    CHECK(csv.find(",unfinished,") != std::string::npos);
  }
  fs::remove_all(base);
}
