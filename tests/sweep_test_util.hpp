// Helpers for the tests that run `msao sweep` as a user would: a fresh
// scratch folder per test case and a sweep file on the paper scenario.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace msao::test {

// TMP/msao-<prefix>-<pid>/<name>, emptied.
inline std::filesystem::path fresh_scratch(const std::string& prefix, const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("msao-" + prefix + "-" + std::to_string(getpid())) / name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

// DIR/sweep.yaml (rewritten): base platforms/scenarios/paper.yaml, then `body`.
inline std::filesystem::path write_paper_sweep(const std::filesystem::path& dir, const std::string& body) {
  auto p = dir / "sweep.yaml";
  std::ofstream(p, std::ios::trunc) << "base: " << MSAO_SOURCE_DIR << "/platforms/scenarios/paper.yaml\n" << body;
  return p;
}

}  // namespace msao::test
