// Results are never mixed or torn: resuming a sweep whose runs changed at
// their point numbers is refused, as is a second sweep into a folder whose
// sweep still runs, and a `msao run --out DIR` killed while rewriting DIR
// leaves the previous run whole. Runs the msao binary as a user would.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include "tests/fork_run.hpp"
#include "tests/sweep_test_util.hpp"
#include "tests/workload_test_util.hpp"

namespace fs = std::filesystem;
using msao::test::run_msao;
using msao::test::slurp;

namespace {

fs::path scratch(const std::string& name) { return msao::test::fresh_scratch("sweep-safety", name); }
fs::path write_sweep(const fs::path& dir, const std::string& body) { return msao::test::write_paper_sweep(dir, body); }

size_t lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

// The msao binary in the background (tests/fork_run.hpp).
pid_t start_msao(const std::vector<std::string>& args) {
  const pid_t pid = msao::test::start_msao(args);
  REQUIRE(pid > 0);
  return pid;
}

// Waits (at most 2 minutes) until `ready` holds or the process `pid` ended; true if `ready` held.
bool wait_until(pid_t pid, const std::function<bool()>& ready) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    if (waitpid(pid, nullptr, WNOHANG) == pid) return ready();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void kill_and_reap(pid_t pid) {
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

std::map<std::string, std::string> folder(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) files[e.path().filename().string()] = slurp(e.path().string());
  return files;
}

}  // namespace

TEST_CASE("resuming a sweep whose axis values changed is refused: exit 2, one line; new points may be added") {
  auto dir = scratch("axes");
  const std::string out = (dir / "out").string();
  const std::string head = "set: [workload.requests=10]\naxes:\n  - key: policy.type\n    values: [cloud-only, edge-only]\n";
  auto sweep = write_sweep(dir, head + "  - key: platform.edges.0.uplink.bandwidth\n    values: [10Mbps, 50Mbps]\n");
  REQUIRE(run_msao("sweep " + sweep.string() + " --out " + out + " -q").ok);
  REQUIRE(run_msao("sweep export " + out + " --csv " + (dir / "before.csv").string()).ok);

  // 50Mbps becomes 100Mbps: point 1 (and 3) would hold two bandwidths, 100Mbps's rows would be filed under old points.
  write_sweep(dir, head + "  - key: platform.edges.0.uplink.bandwidth\n    values: [10Mbps, 100Mbps]\n");
  auto r = run_msao("sweep " + sweep.string() + " --out " + out + " --resume -q");
  CHECK(r.status == 2);
  CHECK(lines(r.out) == 1);
  CHECK_MESSAGE(r.out.find(sweep.string() + ": key 'platform.edges.0.uplink.bandwidth': found point 1 (replica 0)") != std::string::npos, r.out);
  CHECK(r.out.find("'platform.edges.0.uplink.bandwidth=50Mbps' where the sweep now has 'platform.edges.0.uplink.bandwidth=100Mbps'") !=
        std::string::npos);
  // Nothing ran and nothing changed.
  REQUIRE(run_msao("sweep export " + out + " --csv " + (dir / "after.csv").string()).ok);
  CHECK(slurp(dir / "after.csv") == slurp(dir / "before.csv"));

  // The values in another order move every run to another point: refused too.
  write_sweep(dir, head + "  - key: platform.edges.0.uplink.bandwidth\n    values: [50Mbps, 10Mbps]\n");
  CHECK(run_msao("sweep " + sweep.string() + " --out " + out + " --resume -q").status == 2);
  // Fewer values leave rows of points the sweep no longer has.
  write_sweep(dir, "set: [workload.requests=10]\naxes:\n  - key: policy.type\n    values: [cloud-only]\n"
                   "  - key: platform.edges.0.uplink.bandwidth\n    values: [10Mbps, 50Mbps]\n");
  r = run_msao("sweep " + sweep.string() + " --out " + out + " --resume -q");
  CHECK(r.status == 2);
  CHECK(r.out.find("a run the sweep no longer has") != std::string::npos);
  // Another seed changes every run's run.seed.
  write_sweep(dir, "seed: 7\n" + head + "  - key: platform.edges.0.uplink.bandwidth\n    values: [10Mbps, 50Mbps]\n");
  r = run_msao("sweep " + sweep.string() + " --out " + out + " --resume -q");
  CHECK(r.status == 2);
  CHECK(r.out.find("key 'run.seed'") != std::string::npos);

  // A value appended to the outermost axis keeps every old point where it was: its new points run.
  write_sweep(dir, "set: [workload.requests=10]\naxes:\n  - key: policy.type\n    values: [cloud-only, edge-only, msao]\n"
                   "  - key: platform.edges.0.uplink.bandwidth\n    values: [10Mbps, 50Mbps]\n");
  r = run_msao("sweep " + sweep.string() + " --out " + out + " --resume -q");
  CHECK_MESSAGE(r.ok, r.out);
  CHECK(r.out.find("6 runs: 2 ok, 0 failed, 4 already done") != std::string::npos);
  REQUIRE(run_msao("sweep export " + out + " --csv " + (dir / "grown.csv").string()).ok);
  const std::string grown = slurp(dir / "grown.csv");
  CHECK(lines(grown) == 7);
  CHECK(grown.find(slurp(dir / "before.csv").substr(slurp(dir / "before.csv").find('\n') + 1)) != std::string::npos);
  // So does a second replica of every point (replica 0 keeps its seed).
  write_sweep(dir, "replicas: 2\nset: [workload.requests=10]\naxes:\n  - key: policy.type\n    values: [cloud-only, edge-only, msao]\n"
                   "  - key: platform.edges.0.uplink.bandwidth\n    values: [10Mbps, 50Mbps]\n");
  r = run_msao("sweep " + sweep.string() + " --out " + out + " --resume -q");
  CHECK_MESSAGE(r.ok, r.out);
  CHECK(r.out.find("12 runs: 6 ok, 0 failed, 6 already done") != std::string::npos);
}

TEST_CASE("a second sweep into the folder of a sweep still running is refused: exit 2, one line") {
  auto dir = scratch("lock");
  // The second point runs long (5M requests): the first sweep is still busy with it when the second starts.
  const std::string axes = "axes:\n  - key: workload.requests\n    values: [10, 5000000]\n";
  auto sweep = write_sweep(dir, "run_timeout: 10min\n" + axes);
  const std::string out = (dir / "out").string();
  const pid_t first = start_msao({"sweep", sweep.string(), "--out", out, "--jobs", "1", "-q"});
  // Its table exists once it is under way (and its first run recorded).
  REQUIRE(wait_until(first, [&] { return run_msao("sweep export " + out + " --csv " + (dir / "t.csv").string()).ok &&
                                         lines(slurp(dir / "t.csv")) == 2; }));
  auto r = run_msao("sweep " + sweep.string() + " --out " + out + " --resume -q");
  const bool first_still_ran = waitpid(first, nullptr, WNOHANG) == 0;
  kill_and_reap(first);
  REQUIRE(first_still_ran);  // else the refusal proves nothing (the long run must outlast the second start)
  CHECK(r.status == 2);
  CHECK(lines(r.out) == 1);
  CHECK_MESSAGE(r.out.find(out + ": key '--out': found a sweep already running in this folder (process " + std::to_string(first)) !=
                    std::string::npos,
                r.out);
  // The lock dies with its process, however it ends: a resume now runs the unfinished run (killed after 1 s).
  write_sweep(dir, "run_timeout: 1s\n" + axes);  // the runs are the same: run_timeout is not part of them
  r = run_msao("sweep " + sweep.string() + " --out " + out + " --resume -q");
  CHECK(r.status == 1);
  CHECK_MESSAGE(r.out.find("2 runs: 0 ok, 1 failed, 1 already done") != std::string::npos, r.out);
}

TEST_CASE("msao run --out DIR killed while rewriting DIR leaves the previous run whole; a finished one replaces it") {
  auto dir = scratch("run");
  const fs::path out = dir / "q";
  const std::string scenario = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/quickstart.yaml";
  REQUIRE(run_msao("run " + scenario + " --out " + out.string() + " -q --set workload.requests=50").ok);
  std::ofstream(out / "notes.txt") << "the user's own file\n";
  const auto before = folder(out);
  REQUIRE(before.count("summary.json"));
  REQUIRE(before.size() == 5);

  // A long rerun, killed once it has started on DIR: by then the old code had removed summary.json.
  const pid_t pid = start_msao({"run", scenario, "--out", out.string(), "-q", "--set", "workload.requests=3000000"});
  auto started = [&] {
    if (!fs::exists(out / "summary.json")) return true;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().filename().string().rfind(".q.partial-", 0) == 0) return true;
    return false;
  };
  const bool caught = wait_until(pid, started);
  const bool still_ran = waitpid(pid, nullptr, WNOHANG) == 0;
  kill_and_reap(pid);
  REQUIRE(caught);
  REQUIRE(still_ran);
  CHECK(folder(out) == before);

  // The next run clears what the killed one left and replaces the run whole; the user's file stays.
  REQUIRE(run_msao("run " + scenario + " --out " + out.string() + " -q --set workload.requests=60").ok);
  const auto after = folder(out);
  CHECK(after.size() == 5);
  CHECK(after.at("notes.txt") == before.at("notes.txt"));
  CHECK(after.at("summary.json") != before.at("summary.json"));
  CHECK(lines(after.at("requests.csv")) == 61);
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  CHECK(names == std::vector<std::string>{"q"});
}
