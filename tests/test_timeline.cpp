// The optional Chrome trace: valid trace-event JSON with a track per device
// and link, and bounded in size.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

TEST_CASE("msao run --timeline writes a bounded Chrome trace") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("msao-tl-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto r = msao::test::run_msao("run " + std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/quickstart.yaml --out " +
                                (dir / "out").string() + " --set policy.type=cloud-only --set workload.requests=50 --timeline " +
                                (dir / "tl.json").string());
  REQUIRE(r.ok);
  const std::string j = msao::test::slurp(dir / "tl.json");
  CHECK(j.rfind("{\"displayTimeUnit\"", 0) == 0);
  CHECK(j.find("\"traceEvents\"") != std::string::npos);
  for (const char* track : {"edge-0-up", "edge-0-down", "cloud-0"})
    CHECK(j.find(std::string("\"name\":\"") + track + "\"") != std::string::npos);
  // upload + serve + reply per request, each a complete ("X") event.
  size_t spans = 0;
  for (size_t p = 0; (p = j.find("\"ph\":\"X\"", p)) != std::string::npos; ++p) ++spans;
  CHECK(spans == 150);
  CHECK(j.substr(j.size() - 4) == "\n]}\n");
  fs::remove_all(dir);
}
