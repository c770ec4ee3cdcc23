#include "sim/dse/slurm_executor.hpp"

#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <map>

#include "sim/dse/hash.hpp"
#include "sim/dse/progress.hpp"
#include "sim/dse/slurm_array.hpp"
#include "sim/dse/slurm_queue.hpp"

namespace msao::dse {
namespace fs = std::filesystem;
namespace {

using Wanted = std::map<std::string, size_t>;  // hash -> index of a run still without a result

std::vector<fs::path> attempts(const fs::path& root) {
  std::vector<fs::path> a;
  for (int n = 1; fs::exists(root / ("attempt-" + std::to_string(n))); ++n) a.push_back(root / ("attempt-" + std::to_string(n)));
  return a;
}

// Earlier attempts: a coordinator killed, or an array cancelled. Their
// arrays stop (no task may still write while this one runs); with resume,
// their complete ok rows count (failed ones run again, as locally).
void settle_earlier(const fs::path& root, bool resume, Wanted& wanted, const RunList& runs, PreparedSweep& s) {
  for (const auto& a : attempts(root)) {
    const std::string job = array_job(a.string());
    if (!job.empty()) cancel_job(job, (a / "task.sh").string());
    if (!resume) continue;
    for (const auto& rec : arrived_rows(a.string())) {
      auto it = wanted.find(rec.hash);
      if (it == wanted.end() || !rec.ok) continue;
      record_run(s, runs[it->second], true, rec.payload);
      wanted.erase(it);
    }
  }
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

}  // namespace

SweepStats run_sweep_slurm(const SweepPlan& plan, const std::string& out_dir, bool resume, bool progress,
                           bool allow_base_change, const SlurmOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = cpu_seconds();
  PreparedSweep s = prepare_sweep(plan, out_dir, resume, allow_base_change);
  SweepStats& st = s.stats;
  const fs::path root = fs::absolute(out_dir) / "slurm";
  Wanted wanted;
  for (size_t i : s.todo) wanted[hex64(plan.runs.hash(i))] = i;
  settle_earlier(root, resume, wanted, plan.runs, s);

  Progress bar(st.total, progress);
  auto done = [&] { return st.skipped + st.ok + st.failed; };
  bar.update(done(), st.failed);
  std::vector<size_t> todo;
  std::vector<ArrayRun> runs;
  for (size_t i : s.todo)
    if (wanted.count(hex64(plan.runs.hash(i)))) {
      RunPoint p = plan.runs[i];
      todo.push_back(i);
      runs.push_back({p.hash, std::move(p.overrides)});
    }
  if (!runs.empty()) {
    ArrayCallbacks cb;
    cb.on_row = [&](size_t i, bool ok, const std::string& payload) { record_run(s, plan.runs[todo[i]], ok, payload); };
    cb.on_poll = [&](const std::string& job, const QueueState& q) {
      bar.set_note("slurm job " + job + ": " + std::to_string(q.running) + " running, " + std::to_string(q.pending) + " pending");
      bar.update(done(), st.failed);
    };
    const fs::path att = root / ("attempt-" + std::to_string(attempts(root).size() + 1));
    run_array(plan.base, plan.run_timeout_s, runs, att.string(), o, cb);
  }
  bar.finish(done(), st.failed);
  st.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  st.coordinator_cpu_s = cpu_seconds() - cpu0;
  return st;
}

}  // namespace msao::dse
