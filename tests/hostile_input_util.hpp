// Helpers of the hostile-input tests (tests/test_hostile_input*.cpp): a
// scratch folder per test, and the project's standard for bad input
// checked on the msao binary's output.
#pragma once
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <string>

#include "tests/fork_run.hpp"

namespace msao::test {

// An empty folder for one test, under the system's temporary folder.
inline std::filesystem::path scratch(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("msao-hostile-" + std::to_string(getpid())) / name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

// Exit 2 with one "error:" line that contains every one of `needles`;
// returns that output.
inline std::string expect_exit2(const std::string& args, std::initializer_list<std::string> needles) {
  auto r = run_msao(args);
  INFO(args.substr(0, 300), "\n", r.out.substr(0, 2000));
  CHECK(r.status == 2);
  CHECK(r.out.rfind("error: ", 0) == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  for (const auto& n : needles) CHECK(r.out.find(n) != std::string::npos);
  return r.out;
}

// s with the first `from` replaced by `to`, which must be there.
inline std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto p = s.find(from);
  REQUIRE(p != std::string::npos);
  return s.replace(p, from.size(), to);
}

}  // namespace msao::test
