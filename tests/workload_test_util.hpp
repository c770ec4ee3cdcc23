// Helpers for the workload tests: a scratch folder per test process and
// whole-file read/write, so each test states only what it checks.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/config/input_error.hpp"

namespace msao::test {

inline std::string scratch_path(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("msao-wl-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void spit(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// A CSV line without its last n fields.
inline std::string drop_last_fields(std::string line, size_t n) {
  for (size_t i = 0; i < n; ++i) line.erase(line.rfind(','));
  return line;
}

// Message of the InputError that f() throws, "" if it throws none.
template <class F>
std::string input_error_of(F&& f) {
  try {
    f();
  } catch (const msao::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace msao::test
