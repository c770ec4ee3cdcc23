// The Slurm executor against a real one-node Slurm on localhost
// (scripts/slurm-local up, as root): the same table as the local executor;
// an array cancelled halfway, then --resume, gives that table again; a run
// that crashes is recorded failed and the sweep goes on. Where Slurm cannot
// start (not root, slurm-wlm missing), each test says so and skips.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

namespace fs = std::filesystem;
using msao::test::run_msao;
using msao::test::slurp;

namespace {

// "" when the local Slurm runs; otherwise why these tests skip.
std::string slurm_unavailable() {
  const std::string cmd = std::string(MSAO_SOURCE_DIR) + "/scripts/slurm-local up --cpus 2 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[512];
  for (size_t n; p && (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int st = p ? pclose(p) : -1;
  const int rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  if (rc == 3) return out;
  if (rc != 0) FAIL("scripts/slurm-local up failed (exit status " << rc << "): " << out);
  return "";
}

// Printed (not a doctest MESSAGE, which only -s shows) so ctest sees it and
// reports the test as skipped (SKIP_REGULAR_EXPRESSION in CMakeLists.txt).
#define SKIP_WITHOUT_SLURM()                                                                           \
  if (const std::string why = slurm_unavailable(); !why.empty()) {                                     \
    std::printf("SKIPPED: no local Slurm (%s); the Slurm executor is untested here\n", why.substr(0, why.find('\n')).c_str()); \
    return;                                                                                            \
  }

fs::path scratch(const std::string& name) {
  auto d = fs::temp_directory_path() / ("msao-dse-slurm-" + std::to_string(getpid())) / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// 200 points: two policies x 100 uplink bandwidths, 20 requests each.
fs::path write_sweep(const fs::path& dir, const std::string& body) {
  auto p = dir / "sweep.yaml";
  std::ofstream(p) << "base: " << MSAO_SOURCE_DIR << "/platforms/scenarios/paper.yaml\n" << body;
  return p;
}
const char* k200 =
    "set: [workload.requests=20]\n"
    "axes:\n"
    "  - key: policy.type\n"
    "    values: [cloud-only, edge-only]\n"
    "  - key: platform.edges.0.uplink.bandwidth\n"
    "    range: {min: 10, max: 1000, steps: 100, scale: log, unit: Mbps}\n";

std::string table(const fs::path& out) {
  const fs::path csv = out.string() + ".csv";
  auto r = run_msao("sweep export " + out.string() + " --csv " + csv.string());
  REQUIRE_MESSAGE(r.ok, r.out);
  return slurp(csv.string());
}

std::string local_table(const fs::path& dir, const fs::path& sweep) {
  auto r = run_msao("sweep " + sweep.string() + " --out " + (dir / "local").string() + " --jobs 2 -q");
  REQUIRE_MESSAGE(r.ok, r.out);
  return table(dir / "local");
}

size_t arrived_rows(const fs::path& rows_dir) {
  size_t n = 0;
  std::error_code ec;
  for (const auto& f : fs::directory_iterator(rows_dir, ec)) {
    const std::string t = slurp(f.path().string());
    for (size_t at = 0; (at = t.find("\nR ", at)) != std::string::npos; ++at) ++n;
    n += t.rfind("R ", 0) == 0;
  }
  return n;
}

// Starts `msao sweep --executor slurm` (20 array tasks) in the background; returns its pid.
pid_t start_slurm_sweep(const fs::path& sweep, const fs::path& out) {
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl(MSAO_BINARY, MSAO_BINARY, "sweep", sweep.c_str(), "--out", out.c_str(), "--executor", "slurm", "--array-size", "20",
          "-q", nullptr);
    _exit(127);
  }
  return pid;
}

// Waits until the array's tasks have written n rows (at most 2 minutes).
void wait_for_rows(const fs::path& att, size_t n) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (arrived_rows(att / "rows") < n && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

// The 200-point sweep's local table, and the same sweep through Slurm
// started in the background and waited for until half its rows arrived.
struct HalfwaySweep {
  fs::path sweep, out, att;  // att: the first submission's folder
  std::string local;
  pid_t pid;
};
HalfwaySweep slurm_sweep_halfway(const std::string& name) {
  const fs::path dir = scratch(name), sweep = write_sweep(dir, k200), out = dir / "slurm";
  HalfwaySweep h{sweep, out, out / "slurm" / "attempt-1", local_table(dir, sweep), 0};
  h.pid = start_slurm_sweep(sweep, out);
  wait_for_rows(h.att, 100);
  return h;
}

}  // namespace

TEST_CASE("slurm: a 200-point sweep through the local Slurm gives the local executor's table") {
  SKIP_WITHOUT_SLURM();
  auto dir = scratch("same");
  auto sweep = write_sweep(dir, k200);
  const std::string local = local_table(dir, sweep);
  CHECK(std::count(local.begin(), local.end(), '\n') == 201);
  auto r = run_msao("sweep " + sweep.string() + " --out " + (dir / "slurm").string() + " --executor slurm --array-size 8 -q");
  REQUIRE_MESSAGE(r.ok, r.out);
  CHECK(r.out.find("200 runs: 200 ok, 0 failed") != std::string::npos);
  CHECK(table(dir / "slurm") == local);
  // Resuming a finished sweep submits nothing.
  r = run_msao("sweep " + sweep.string() + " --out " + (dir / "slurm").string() + " --executor slurm --resume -q");
  CHECK(r.ok);
  CHECK(r.out.find("0 ok, 0 failed, 200 already done") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "slurm" / "slurm" / "attempt-2"));
}

TEST_CASE("slurm: scancel of the array halfway, then --resume, gives the same table") {
  SKIP_WITHOUT_SLURM();
  const auto [sweep, out, att, local, pid] = slurm_sweep_halfway("cancel");
  const std::string job = slurp((att / "job").string());
  REQUIRE_FALSE(job.empty());
  REQUIRE(std::system(("scancel " + job).c_str()) == 0);
  int st = 0;
  waitpid(pid, &st, 0);
  REQUIRE(WIFEXITED(st));
  // Half the runs were still to come: those of cancelled tasks are recorded failed, with Slurm's word.
  CHECK(WEXITSTATUS(st) == 1);
  const std::string cancelled = table(out);
  CHECK(cancelled.find(",failed,Slurm task " + job.substr(0, job.find('\n')) + "_") != std::string::npos);
  CHECK_MESSAGE(cancelled.find("CANCELLED") != std::string::npos, cancelled.substr(cancelled.find(",failed,")).substr(0, 400));
  CHECK(cancelled != local);
  auto r = run_msao("sweep " + sweep.string() + " --out " + out.string() + " --executor slurm --resume -q");
  REQUIRE_MESSAGE(r.ok, r.out);
  CHECK(table(out) == local);
  // Only the runs without an ok row went again: fewer than all 200.
  const std::string plan2 = slurp((out / "slurm" / "attempt-2" / "plan.txt").string());
  CHECK(std::count(plan2.begin(), plan2.end(), '\n') - 4 < 200);
}

TEST_CASE("slurm: a run that crashes is recorded failed and the sweep goes on") {
  SKIP_WITHOUT_SLURM();
  auto dir = scratch("crash");
  // 5,000,000 requests run past the 1 s run timeout: the pool kills that run's process.
  auto sweep = write_sweep(dir, "run_timeout: 1s\naxes:\n  - key: workload.requests\n    values: [20, 5000000, 30]\n");
  auto r = run_msao("sweep " + sweep.string() + " --out " + (dir / "out").string() + " --executor slurm --array-size 1 -q");
  CHECK(r.status == 1);
  CHECK(r.out.find("3 runs: 2 ok, 1 failed") != std::string::npos);
  const std::string csv = table(dir / "out");
  CHECK(csv.find(",failed,killed after 1 s") != std::string::npos);
}

TEST_CASE("slurm: tune in batches through Slurm evaluates the same initial design as locally") {
  SKIP_WITHOUT_SLURM();
  auto dir = scratch("tune");
  const fs::path tune = dir / "tune.yaml";
  std::ofstream(tune) << "base: " << MSAO_SOURCE_DIR << "/platforms/scenarios/paper.yaml\n"
                      << "set: [policy.type=msao, workload.requests=20]\n"
                         "params:\n  - {key: policy.confidence, min: 0.3, max: 1.0}\n"
                         "objective: {metric: latency_ms_mean, goal: minimize}\nbudget: 6\ninitial: 6\nseed: 1\n";
  // All 6 evaluations are the Latin-hypercube design: the same points, one by one or as 2 arrays of 3.
  auto r = run_msao("tune " + tune.string() + " --out " + (dir / "local.json").string());
  REQUIRE_MESSAGE(r.ok, r.out);
  r = run_msao("tune " + tune.string() + " --out " + (dir / "slurm.json").string() + " --executor slurm --batch 3");
  REQUIRE_MESSAGE(r.ok, r.out);
  CHECK(slurp((dir / "slurm.json").string()) == slurp((dir / "local.json").string()));
  CHECK(fs::exists(dir / "slurm.json.slurm" / "batch-2" / "job"));
  CHECK_FALSE(fs::exists(dir / "slurm.json.slurm" / "batch-3"));
}

TEST_CASE("slurm options without --executor slurm, or a partition Slurm refuses, are bad input: exit 2, one line") {
  auto dir = scratch("bad");
  auto sweep = write_sweep(dir, "set: [workload.requests=5]\naxes:\n  - key: policy.type\n    values: [cloud-only]\n");
  auto r = run_msao("sweep " + sweep.string() + " --out " + (dir / "a").string() + " --partition gpu -q");
  CHECK(r.status == 2);
  CHECK(r.out.find("--partition with --executor local") != std::string::npos);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  SKIP_WITHOUT_SLURM();
  r = run_msao("sweep " + sweep.string() + " --out " + (dir / "b").string() + " --executor slurm --partition no-such-partition -q");
  CHECK(r.status == 2);
  CHECK(r.out.find("sbatch refused the job array") != std::string::npos);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
}

TEST_CASE("slurm: a coordinator killed halfway leaves rows that --resume merges, submitting only the rest") {
  SKIP_WITHOUT_SLURM();
  const auto [sweep, out, att, local, pid] = slurm_sweep_halfway("killed");
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  // The array runs on without its coordinator; --resume cancels it and merges what it wrote.
  auto r = run_msao("sweep " + sweep.string() + " --out " + out.string() + " --executor slurm --resume -q");
  REQUIRE_MESSAGE(r.ok, r.out);
  CHECK(table(out) == local);
  const std::string plan2 = slurp((out / "slurm" / "attempt-2" / "plan.txt").string());
  CHECK(std::count(plan2.begin(), plan2.end(), '\n') - 4 <= 100);
  const std::string job = slurp((att / "job").string());
  CHECK(std::system(("scontrol -o show job " + job.substr(0, job.find('\n')) + " | grep -q CANCELLED").c_str()) == 0);
}
