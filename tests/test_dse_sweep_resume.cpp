// A sweep killed with SIGKILL at random moments and resumed gives the same
// table as an uninterrupted one (no row lost, none duplicated); a run that
// fails is recorded with its error and the sweep goes on. Runs the msao
// binary as a user would.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

namespace fs = std::filesystem;
using msao::test::run_msao;

namespace {

fs::path scratch(const std::string& name) {
  auto d = fs::temp_directory_path() / ("msao-dse-resume-" + std::to_string(getpid())) / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

using msao::test::slurp;

const char* kSweep =
    "set: [workload.requests=100]\n"
    "axes:\n"
    "  - key: policy.type\n"
    "    values: [cloud-only, edge-only]\n"
    "  - key: platform.edges.0.uplink.bandwidth\n"
    "    values: [10Mbps, 50Mbps, 200Mbps, 1000Mbps]\n";

fs::path write_sweep(const fs::path& dir, const std::string& body) {
  auto p = dir / "sweep.yaml";
  std::ofstream(p) << "base: " << MSAO_SOURCE_DIR << "/platforms/scenarios/paper.yaml\n" << body;
  return p;
}

// Starts `msao sweep` and SIGKILLs it after delay_us.
void start_and_kill(const fs::path& sweep, const fs::path& out, long delay_us) {
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl(MSAO_BINARY, MSAO_BINARY, "sweep", sweep.c_str(), "--out", out.c_str(), "--jobs", "2", "--resume", nullptr);
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
  kill(pid, SIGKILL);
  int st = 0;
  waitpid(pid, &st, 0);
}

}  // namespace

TEST_CASE("a sweep killed with SIGKILL and resumed matches an uninterrupted one") {
  auto dir = scratch("kill");
  auto sweep = write_sweep(dir, kSweep);
  auto r = run_msao("sweep " + sweep.string() + " --out " + (dir / "full").string() + " --jobs 2 -q");
  REQUIRE_MESSAGE(r.ok, r.out);
  REQUIRE(run_msao("sweep export " + (dir / "full").string() + " --csv " + (dir / "full.csv").string()).ok);

  std::random_device rd;  // the moment of each kill is random; the outcome must not depend on it
  std::mt19937 rng(rd());
  for (int k = 0; k < 4; ++k) start_and_kill(sweep, dir / "killed", std::uniform_int_distribution<long>(0, 60000)(rng));
  r = run_msao("sweep " + sweep.string() + " --out " + (dir / "killed").string() + " --jobs 2 --resume -q");
  REQUIRE_MESSAGE(r.ok, r.out);
  REQUIRE(run_msao("sweep export " + (dir / "killed").string() + " --csv " + (dir / "killed.csv").string()).ok);
  std::string full = slurp(dir / "full.csv");
  CHECK(std::count(full.begin(), full.end(), '\n') == 9);
  CHECK(full == slurp(dir / "killed.csv"));

  // Resuming a finished sweep runs nothing; rerunning without --resume is refused (exit 2).
  r = run_msao("sweep " + sweep.string() + " --out " + (dir / "killed").string() + " --resume -q");
  CHECK(r.ok);
  CHECK(r.out.find("0 ok, 0 failed, 8 already done") != std::string::npos);
  CHECK(run_msao("sweep " + sweep.string() + " --out " + (dir / "killed").string() + " -q").status == 2);
}

TEST_CASE("a failing run is recorded with its error and the sweep goes on") {
  auto dir = scratch("fail");
  auto sweep = write_sweep(dir,
                           "run_timeout: 1s\naxes:\n  - key: workload.requests\n    values: [20, 5000000]\n");
  auto r = run_msao("sweep " + sweep.string() + " --out " + (dir / "out").string() + " --jobs 2 -q");
  CHECK(r.status == 1);
  CHECK(r.out.find("1 ok, 1 failed") != std::string::npos);
  REQUIRE(run_msao("sweep export " + (dir / "out").string() + " --csv " + (dir / "out.csv").string()).ok);
  std::string csv = slurp(dir / "out.csv");
  CHECK(csv.find(",ok,") != std::string::npos);
  CHECK(csv.find(",failed,killed after 1 s") != std::string::npos);
  // Resume runs the failed run again (not the finished one) and still exits 1 as it fails again.
  r = run_msao("sweep " + sweep.string() + " --out " + (dir / "out").string() + " --jobs 2 --resume -q");
  CHECK(r.status == 1);
  CHECK(r.out.find("0 ok, 1 failed, 1 already done") != std::string::npos);
}

TEST_CASE("resuming after the base scenario changed is refused unless allowed") {
  auto dir = scratch("base");
  const fs::path base = dir / "base.yaml";
  std::ofstream(base) << slurp(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/quickstart.yaml");
  const fs::path sweep = dir / "sweep.yaml";
  std::ofstream(sweep) << "base: base.yaml\nset: [workload.requests=10]\naxes:\n  - key: policy.type\n    values: [cloud-only, edge-only]\n";
  const std::string out = (dir / "out").string();
  REQUIRE(run_msao("sweep " + sweep.string() + " --out " + out + " -q").ok);
  std::ofstream(base, std::ios::app) << "# changed\n";
  auto r = run_msao("sweep " + sweep.string() + " --out " + out + " --resume -q");
  CHECK(r.status == 2);
  CHECK(r.out.find(out + "/results.sqlite: key 'base_hash'") != std::string::npos);
  CHECK(r.out.find("--allow-base-change") != std::string::npos);
  r = run_msao("sweep " + sweep.string() + " --out " + out + " --resume --allow-base-change -q");
  CHECK(r.ok);
  CHECK(r.out.find("2 ok, 0 failed, 0 already done") != std::string::npos);
}

TEST_CASE("sweep export: a corrupt database exits 2; temporaries and device targets") {
  auto dir = scratch("export");
  auto sweep = write_sweep(dir, "set: [workload.requests=10]\naxes:\n  - key: policy.type\n    values: [cloud-only, edge-only]\n");
  const std::string out = (dir / "out").string(), db = out + "/results.sqlite";
  REQUIRE(run_msao("sweep " + sweep.string() + " --out " + out + " -q").ok);

  // A temporary left by a killed writer (its process is gone) is removed by the next export.
  pid_t dead = fork();
  if (dead == 0) _exit(0);
  waitpid(dead, nullptr, 0);
  const fs::path csv = dir / "t.csv", stale = dir / ("t.csv.tmp." + std::to_string(dead));
  std::ofstream(stale) << "half";
  REQUIRE(run_msao("sweep export " + out + " --csv " + csv.string()).ok);
  CHECK_FALSE(fs::exists(stale));
  for (const auto& e : fs::directory_iterator(dir)) CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
  const std::string good = slurp(csv);
  CHECK(std::count(good.begin(), good.end(), '\n') == 3);

  // A link to a device is written through, not replaced by a regular file.
  fs::create_symlink("/dev/null", dir / "null.csv");
  CHECK(run_msao("sweep export " + out + " --csv " + (dir / "null.csv").string()).ok);
  CHECK(fs::is_symlink(fs::symlink_status(dir / "null.csv")));
  CHECK(fs::is_character_file("/dev/null"));
  auto r = run_msao("sweep export " + out + " --csv /dev/stdout");
  CHECK(r.ok);
  CHECK(r.out.find(good) != std::string::npos);
  CHECK(fs::is_symlink(fs::symlink_status("/dev/stdout")));

  // Garbage over every page after the first (the runs table's included): exit 2, the old CSV kept.
  std::string bytes = slurp(db);
  REQUIRE(bytes.size() > 8192);
  for (size_t i = 4096; i < bytes.size(); ++i) bytes[i] = static_cast<char>(0xff);
  std::ofstream(db, std::ios::binary | std::ios::trunc) << bytes;
  r = run_msao("sweep export " + out + " --csv " + csv.string());
  CHECK(r.status == 2);
  CHECK(r.out.find(db) != std::string::npos);
  CHECK(slurp(csv) == good);
  // Resuming into it is exit 2 as well, before any run.
  r = run_msao("sweep " + sweep.string() + " --out " + out + " --resume -q");
  CHECK(r.status == 2);
  CHECK(r.out.find(db) != std::string::npos);
}

TEST_CASE("sweep command errors exit 2") {
  CHECK(run_msao("sweep /nonexistent.yaml").status == 2);
  CHECK(run_msao("sweep export /nonexistent-dir --csv /tmp/x.csv").status == 2);
}
