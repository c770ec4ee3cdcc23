// Scratch files for the cost-model tests: catalog and profile variants are
// written to a per-process temporary directory and read back by path.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace msao::test {

inline std::string write_temp_file(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / ("msao-cost-tests-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace msao::test
