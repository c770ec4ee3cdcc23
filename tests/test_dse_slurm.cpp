// The Slurm executor against a real one-node Slurm on localhost
// (scripts/slurm-local up, as root): the same table as the local executor;
// an array cancelled halfway, then --resume, gives that table again; a run
// that crashes is recorded failed and the sweep goes on. Where Slurm cannot
// start (not root, slurm-wlm missing), each test says so and skips. Each test
// holds a lease on the local Slurm for as long as it runs and leaves nothing
// behind, pass or fail: its background coordinator is killed, and the last
// test out stops the Slurm the tests started (scripts/slurm-local release).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/fork_run.hpp"
#include "tests/sweep_test_util.hpp"
#include "tests/workload_test_util.hpp"

namespace fs = std::filesystem;
using msao::test::run_msao;
using msao::test::slurp;

namespace {

// Output and exit status of a shell command.
std::pair<std::string, int> shell(const std::string& cmd) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  std::string out;
  char buf[512];
  for (size_t n; p && (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int st = p ? pclose(p) : -1;
  return {out, WIFEXITED(st) ? WEXITSTATUS(st) : -1};
}

// The local Slurm for one test: a lease on it (a flock the kernel
// drops if this process dies), `up` on creation, and on destruction, however
// the test ended, `release`: the last holder stops a Slurm that a lease
// started. The descriptor is close-on-exec, or the daemons `up` starts
// would inherit the lease and hold it forever.
class SlurmLease {
 public:
  // exclusive: no other test uses the local Slurm meanwhile (for a test that restarts it).
  explicit SlurmLease(bool exclusive = false) {
    fd_ = open("/run/slurm-local.users", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ >= 0) flock(fd_, exclusive ? LOCK_EX : LOCK_SH);
    const auto [out, rc] = shell("MSAO_SLURM_LEASE=1 " + script() + " up --cpus 2");
    if (rc == 3) unavailable_ = out;
    else if (rc != 0) error_ = "scripts/slurm-local up failed (exit status " + std::to_string(rc) + "): " + out;
  }
  ~SlurmLease() {
    if (fd_ < 0) return;
    flock(fd_, LOCK_UN);
    close(fd_);
    shell(script() + " release");
  }
  SlurmLease(const SlurmLease&) = delete;
  SlurmLease& operator=(const SlurmLease&) = delete;
  // "" when the local Slurm runs; otherwise why these tests skip.
  const std::string& unavailable() const { return unavailable_; }
  const std::string& error() const { return error_; }

 private:
  static std::string script() { return std::string(MSAO_SOURCE_DIR) + "/scripts/slurm-local"; }
  int fd_ = -1;
  std::string unavailable_, error_;
};

// Printed (not a doctest MESSAGE, which only -s shows) so ctest sees it and
// reports the test as skipped (SKIP_REGULAR_EXPRESSION in CMakeLists.txt).
#define SKIP_WITHOUT_SLURM(...)                                                                        \
  SlurmLease slurm_lease{__VA_ARGS__};                                                                 \
  if (!slurm_lease.error().empty()) FAIL(slurm_lease.error());                                        \
  if (const std::string& why = slurm_lease.unavailable(); !why.empty()) {                              \
    std::printf("SKIPPED: no local Slurm (%s); the Slurm executor is untested here\n", why.substr(0, why.find('\n')).c_str()); \
    return;                                                                                            \
  }

fs::path scratch(const std::string& name) { return msao::test::fresh_scratch("dse-slurm", name); }
fs::path write_sweep(const fs::path& dir, const std::string& body) { return msao::test::write_paper_sweep(dir, body); }

// 200 points: two policies x 100 uplink bandwidths, 20 requests each.
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

// `msao sweep --executor slurm` (20 array tasks) in the background. Killed
// (if still running) and reaped when the test ends, however it ends, and
// its array cancelled: a failed test must not leave a coordinator or tasks
// writing behind the next one.
class BackgroundSweep {
 public:
  BackgroundSweep(const fs::path& sweep, const fs::path& out) : out_(out) {
    pid_ = msao::test::start_msao({"sweep", sweep.string(), "--out", out.string(), "--executor", "slurm", "--array-size", "20", "-q"});
    REQUIRE(pid_ > 0);
  }
  ~BackgroundSweep() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    for (const auto& att : fs::directory_iterator(out_ / "slurm", ec)) {
      const std::string job = slurp((att.path() / "job").string());
      if (!job.empty()) shell("scancel " + job.substr(0, job.find('\n')));
    }
  }
  BackgroundSweep(const BackgroundSweep&) = delete;
  BackgroundSweep& operator=(const BackgroundSweep&) = delete;
  // Waits for it to end; its wait status.
  int wait() {
    int st = 0;
    waitpid(pid_, &st, 0);
    pid_ = -1;
    return st;
  }
  void kill_now() {
    kill(pid_, SIGKILL);
    wait();
  }

 private:
  fs::path out_;
  pid_t pid_ = -1;
};

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
  std::unique_ptr<BackgroundSweep> coordinator;
};
HalfwaySweep slurm_sweep_halfway(const std::string& name) {
  const fs::path dir = scratch(name), sweep = write_sweep(dir, k200), out = dir / "slurm";
  HalfwaySweep h{sweep, out, out / "slurm" / "attempt-1", local_table(dir, sweep), nullptr};
  h.coordinator = std::make_unique<BackgroundSweep>(sweep, out);
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
  const auto [sweep, out, att, local, coordinator] = slurm_sweep_halfway("cancel");
  const std::string job = slurp((att / "job").string());
  REQUIRE_FALSE(job.empty());
  REQUIRE(std::system(("scancel " + job).c_str()) == 0);
  const int st = coordinator->wait();
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
  // 5,000,000 requests run past the 5 s run timeout, the others well within it even on a loaded
  // machine: the pool kills that run's process.
  auto sweep = write_sweep(dir, "run_timeout: 5s\naxes:\n  - key: workload.requests\n    values: [20, 5000000, 30]\n");
  auto r = run_msao("sweep " + sweep.string() + " --out " + (dir / "out").string() + " --executor slurm --array-size 1 -q");
  CHECK(r.status == 1);
  CHECK(r.out.find("3 runs: 2 ok, 1 failed") != std::string::npos);
  const std::string csv = table(dir / "out");
  CHECK(csv.find(",failed,killed after 5 s") != std::string::npos);
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
  const auto [sweep, out, att, local, coordinator] = slurm_sweep_halfway("killed");
  coordinator->kill_now();
  // The array runs on without its coordinator; --resume cancels it and merges what it wrote.
  auto r = run_msao("sweep " + sweep.string() + " --out " + out.string() + " --executor slurm --resume -q");
  REQUIRE_MESSAGE(r.ok, r.out);
  CHECK(table(out) == local);
  const std::string plan2 = slurp((out / "slurm" / "attempt-2" / "plan.txt").string());
  CHECK(std::count(plan2.begin(), plan2.end(), '\n') - 4 <= 100);
  const std::string job = slurp((att / "job").string());
  CHECK(std::system(("scontrol -o show job " + job.substr(0, job.find('\n')) + " | grep -q CANCELLED").c_str()) == 0);
}

TEST_CASE("slurm-local up clears a controller left running without its pid files") {
  SKIP_WITHOUT_SLURM(true);  // it restarts Slurm: no other test may use it meanwhile
  // What a test or script killed at the wrong moment can leave: the daemons up, their pid files gone.
  fs::remove("/run/slurm-local/slurmctld.pid");
  fs::remove("/run/slurm-local/slurmd.pid");
  // Before, a second controller was started beside the first and never came up (Address already in use).
  // (Not a structured binding: clang cannot capture one in doctest's message lambda.)
  const std::pair<std::string, int> up = shell("MSAO_SLURM_LEASE=1 " + std::string(MSAO_SOURCE_DIR) + "/scripts/slurm-local up --cpus 2");
  REQUIRE_MESSAGE(up.second == 0, up.first);
  // One controller, the one the pid file names, and it runs the sweep.
  const std::string pid = slurp("/run/slurm-local/slurmctld.pid");
  CHECK(shell("ss -ltnpH 'sport = :6817' | grep -o 'pid=[0-9]*' | sort -u").first == "pid=" + pid);
  auto dir = scratch("stale");
  auto sweep = write_sweep(dir, "set: [workload.requests=5]\naxes:\n  - key: policy.type\n    values: [cloud-only, edge-only]\n");
  auto r = run_msao("sweep " + sweep.string() + " --out " + (dir / "out").string() + " --executor slurm -q");
  CHECK_MESSAGE(r.ok, r.out);
}
