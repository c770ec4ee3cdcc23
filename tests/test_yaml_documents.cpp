// Regression (found by fuzz/fuzz_scenario): a ',' outside any [..] or {..}
// made yaml-cpp 0.7's LoadAll loop forever, allocating as it went, so `msao
// run` on such a file hung. Every YAML input now goes through
// check_single_document, which walks at most two documents.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "sim/config/yaml_documents.hpp"
#include "sim/config/yaml_section.hpp"
#include "tests/fork_run.hpp"

using namespace msao;

TEST_CASE("a stray comma in a YAML input is an input error naming its line, not a hang") {
  for (const auto& c : std::vector<std::pair<std::string, int>>{
           {", a\n", 1}, {",\n", 1}, {"# comment\n , b\n", 2}, {"\"x\" ,\n", 1}}) {
    const std::string& text = c.first;  // not a structured binding: clang 14 cannot capture one
    const int line = c.second;
    CAPTURE(text);
    try {
      check_single_document(text, "f.yaml");
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(e.line() == line);
      CHECK(std::string(e.what()).find("','") != std::string::npos);
    }
  }
}

TEST_CASE("check_single_document accepts one document and refuses a second") {
  CHECK_NOTHROW(check_single_document("", "f.yaml"));
  CHECK_NOTHROW(check_single_document("a: [1, 2]\nb: {c: 3, d: 4}\n", "f.yaml"));
  CHECK_NOTHROW(check_single_document("---\na: 1\n...\n", "f.yaml"));
  for (const char* two : {"a: 1\n---\nb: 2\n", "a: 1\n---\n,\n"}) {
    CAPTURE(two);
    try {
      check_single_document(two, "f.yaml");
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(e.line() == 2);
      CHECK(std::string(e.what()).find("second YAML document") != std::string::npos);
    }
  }
}

TEST_CASE("msao run on a scenario with a stray comma exits 2 at once") {
  const auto dir = std::filesystem::temp_directory_path() / ("msao-yamldoc-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "s.yaml") << ", platform:\n";
  const auto r = test::run_msao("run " + (dir / "s.yaml").string() + " --out " + (dir / "out").string());
  CHECK(r.status == kInputErrorExit);
  CHECK(r.out.find("s.yaml:1") != std::string::npos);
  std::filesystem::remove_all(dir);
}
