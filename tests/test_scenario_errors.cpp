// Bad input exits 2 with one line naming the file, the key (and line where
// YAML gives one), what was found and what was expected; no output
// directory is left looking complete (no summary.json).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

using msao::test::run_msao;
namespace fs = std::filesystem;

namespace {

std::string quickstart() {
  return msao::test::slurp(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/quickstart.yaml");
}

struct Case {
  fs::path dir, yaml, out;
};

Case write_case(const std::string& name, const std::string& text) {
  Case c;
  c.dir = fs::temp_directory_path() / ("msao-err-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(c.dir);
  fs::create_directories(c.dir);
  c.yaml = c.dir / "scenario.yaml";
  c.out = c.dir / "out";
  std::ofstream(c.yaml) << text;
  return c;
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto p = s.find(from);
  REQUIRE(p != std::string::npos);
  return s.replace(p, from.size(), to);
}

// Runs msao on the case and checks the common contract; returns the message.
std::string expect_input_error(const Case& c, const std::string& extra = "") {
  auto r = run_msao("run " + c.yaml.string() + " --out " + c.out.string() + " " + extra);
  CHECK(r.status == 2);
  CHECK_FALSE(fs::exists(c.out / "summary.json"));
  // One line, starting with "error:".
  CHECK(r.out.rfind("error: ", 0) == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  return r.out;
}

}  // namespace

TEST_CASE("a missing scenario file exits 2 naming the file") {
  auto r = run_msao("run /nonexistent/scenario.yaml --out /tmp/msao-never");
  CHECK(r.status == 2);
  CHECK(r.out.find("/nonexistent/scenario.yaml") != std::string::npos);
  CHECK(r.out.find("no such file") != std::string::npos);
}

TEST_CASE("an output that cannot be written exits 2 naming it") {
  // /proc refuses new folders, even to root: the run and the trace writer both say so.
  auto r = run_msao("run " + std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/quickstart.yaml --out /proc/msao-nope");
  CHECK(r.status == 2);
  CHECK(r.out.find("/proc/msao-nope") != std::string::npos);
  r = run_msao("trace gen --dataset vqav2 --n 3 -o /proc/msao-nope/t.csv");
  CHECK(r.status == 2);
  CHECK(r.out.find("/proc/msao-nope") != std::string::npos);
}

TEST_CASE("malformed YAML exits 2 with file and line") {
  auto c = write_case("malformed", replace(quickstart(), "  count: 1", "  count: [1,"));
  auto msg = expect_input_error(c);
  CHECK(msg.find(c.yaml.string() + ":") != std::string::npos);
  CHECK(msg.find("malformed YAML") != std::string::npos);
}

TEST_CASE("an unknown key exits 2 naming the key and its line") {
  auto c = write_case("unknown", replace(quickstart(), "  gpus: 1", "  gpus: 1\n    turbo: yes"));
  auto msg = expect_input_error(c);
  CHECK(msg.find("platform.cloud.turbo") != std::string::npos);
  CHECK(msg.find(c.yaml.string() + ":") != std::string::npos);
  CHECK(msg.find("known keys") != std::string::npos);
}

TEST_CASE("a wrong type exits 2 naming what was found and expected") {
  auto c = write_case("type", replace(quickstart(), "gpus: 1", "gpus: many"));
  auto msg = expect_input_error(c);
  CHECK(msg.find("platform.cloud.gpus") != std::string::npos);
  CHECK(msg.find("'many'") != std::string::npos);
  CHECK(msg.find("integer") != std::string::npos);
}

TEST_CASE("a negative bandwidth exits 2") {
  auto c = write_case("negbw", replace(quickstart(), "bandwidth: 300Mbps", "bandwidth: -300Mbps"));
  auto msg = expect_input_error(c);
  CHECK(msg.find("uplink.bandwidth") != std::string::npos);
  CHECK(msg.find("-300Mbps") != std::string::npos);
}

TEST_CASE("an unknown policy exits 2 and lists the valid names") {
  auto c = write_case("policy", quickstart());
  auto msg = expect_input_error(c, "--set policy.type=teleport");
  CHECK(msg.find("policy.type") != std::string::npos);
  CHECK(msg.find("teleport") != std::string::npos);
  CHECK(msg.find("edge-only") != std::string::npos);
  CHECK(msg.find("cloud-only") != std::string::npos);
}
