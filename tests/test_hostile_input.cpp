// The hostile-input audit (issue 15, "Every bad input exits 2"): each input
// that used to hang, crash with exit 1, eat memory or be silently accepted
// is a small real file here, run through the msao binary as a user would:
// exit 2, one line naming the file/key/line, before any simulation work.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "sim/dse/sweep_spec.hpp"
#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"
#include "workloads/serving_trace.hpp"

namespace fs = std::filesystem;
using msao::test::input_error_of;
using msao::test::run_msao;
using msao::test::slurp;
using msao::test::spit;

namespace {

const std::string kSrc = MSAO_SOURCE_DIR;
const std::string kQuick = kSrc + "/platforms/scenarios/quickstart.yaml";

fs::path scratch(const std::string& name) {
  auto d = fs::temp_directory_path() / ("msao-hostile-" + std::to_string(getpid())) / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// Exit 2 with one "error:" line that contains every one of `needles`.
void expect_exit2(const std::string& args, std::initializer_list<std::string> needles) {
  auto r = run_msao(args);
  INFO(args, "\n", r.out);
  CHECK(r.status == 2);
  CHECK(r.out.rfind("error: ", 0) == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  for (const auto& n : needles) CHECK(r.out.find(n) != std::string::npos);
}

// quickstart.yaml with its `workload:` section replaced by `workload`.
std::string quickstart_with_workload(const std::string& workload) {
  std::string s = slurp(kQuick);
  const auto a = s.find("workload:\n"), b = s.find("policy:\n");
  REQUIRE(a != std::string::npos);
  return s.substr(0, a) + workload + s.substr(b);
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto p = s.find(from);
  REQUIRE(p != std::string::npos);
  return s.replace(p, from.size(), to);
}

const std::string kNetHead = "# msao-network-trace v1\n";
const std::string kServingHead = "request_id,arrived_at,num_prefill_tokens,num_decode_tokens\n";

}  // namespace

TEST_CASE("a directory where a YAML file is expected exits 2 naming it") {
  auto d = scratch("dirs");
  const std::string dir = (d / "adir").string();
  fs::create_directories(dir);
  const std::string out = " --out " + (d / "out").string();
  expect_exit2("run " + dir + out, {dir, "a directory"});
  expect_exit2("run " + kQuick + " --set platform.cloud.hardware=" + dir + out, {dir, "a directory"});
  expect_exit2("run " + kQuick + " --set model.cloud_profile=" + dir + out, {dir, "a directory"});
  expect_exit2("sweep " + dir + " --out " + (d / "sw").string(), {dir, "a directory"});
  expect_exit2("tune " + dir, {dir, "a directory"});
}

TEST_CASE("YAML that is ambiguous exits 2: non-scalar, duplicate keys and sections, several documents") {
  auto d = scratch("yaml");
  const std::string y = (d / "s.yaml").string(), out = " --out " + (d / "out").string();
  spit(y, "[a]: 1\n");
  expect_exit2("run " + y + out, {y + ":1", "a list used as a key"});
  spit(y, replace(slurp(kQuick), "    gpus: 1\n", "    gpus: 1\n    gpus: 4\n"));
  expect_exit2("run " + y + out, {"platform.cloud.gpus", "second time"});
  spit(y, slurp(kQuick) + "run:\n  seed: 7\n");
  expect_exit2("run " + y + out, {y + ":", "'run'", "second time"});
  spit(y, slurp(kQuick) + "---\nrun: {seed: 7}\n");
  expect_exit2("run " + y + out, {y + ":", "2 YAML documents"});
  expect_exit2("run " + kQuick + " --set 'run={[a]: 1}'" + out, {"--set", "a list used as a key"});
  expect_exit2("run " + kQuick + " --set 'run={seed: 1, seed: 2}'" + out, {"--set", "run.seed", "second time"});
}

TEST_CASE("a --set list index too large for any integer exits 2") {
  auto d = scratch("setidx");
  expect_exit2("run " + kQuick + " --set platform.edges.99999999999999999999999.count=2 --out " + (d / "out").string(),
               {"platform.edges.99999999999999999999999.count", "list index"});
}
