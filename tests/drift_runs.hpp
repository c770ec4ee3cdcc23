// Test helper for the online-adaptation policies: run a policy
// twice on a bundled drifting scenario through the msao binary, check the
// two runs are byte-identical and that the summary conserves the rows'
// requests and uplink bytes, and hand back the rows for the policy's own
// checks.
#pragma once
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

namespace msao::test {

inline const char* const kDriftScenarios[] = {"drift-5g-collapse", "drift-day-night", "drift-wifi-contention"};

// requests.csv as one map per row, by column name.
inline std::vector<std::map<std::string, std::string>> read_csv(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> head;
  for (std::istringstream h(line); std::getline(h, line, ',');) head.push_back(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    std::map<std::string, std::string> row;
    std::istringstream f(line);
    for (const std::string& k : head) std::getline(f, row[k], ',');
    rows.push_back(std::move(row));
  }
  return rows;
}

// `policy` on platforms/scenarios/<scenario>.yaml with n requests, twice:
// the runs must agree byte for byte, every request must complete, and the
// summary's completed count and uplink bytes must be the rows' own.
inline std::vector<std::map<std::string, std::string>> drift_rows_checked(const std::string& scenario,
                                                                          const std::string& policy, int n) {
  namespace fs = std::filesystem;
  const std::string scen = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/" + scenario + ".yaml";
  const fs::path base = fs::temp_directory_path() / ("msao-drift-" + policy + "-" + std::to_string(::getpid()));
  fs::remove_all(base);
  const std::string args = " --set workload.requests=" + std::to_string(n) + " --set policy.type=" + policy;
  const std::string a = (base / "a").string(), b = (base / "b").string();
  REQUIRE(run_msao("run " + scen + " --out " + a + args).ok);
  REQUIRE(run_msao("run " + scen + " --out " + b + args).ok);
  const std::string csv = slurp(a + "/requests.csv");
  CHECK(csv == slurp(b + "/requests.csv"));
  auto rows = read_csv(csv);
  REQUIRE(rows.size() == static_cast<size_t>(n));
  double up = 0;
  for (const auto& r : rows) {
    CHECK(r.at("status") == "completed");
    up += std::stod(r.at("uplink_bytes"));
  }
  const std::string summary = slurp(a + "/summary.json");
  CHECK(summary.find("\"completed\": " + std::to_string(n)) != std::string::npos);
  const auto at = summary.find("\"uplink_bytes\":");
  REQUIRE(at != std::string::npos);
  CHECK(std::stod(summary.substr(at + 15)) == doctest::Approx(up).epsilon(1e-6));
  fs::remove_all(base);
  return rows;
}

}  // namespace msao::test
