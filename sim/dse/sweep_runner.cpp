#include "sim/dse/sweep_runner.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <string_view>

#include "sim/config/input_error.hpp"
#include "sim/dse/check_overrides.hpp"
#include "sim/dse/hash.hpp"
#include "sim/util/proc_pool.hpp"
#include "sim/dse/progress.hpp"
#include "sim/dse/results_db.hpp"
#include "sim/dse/run_metrics.hpp"
#include "sim/dse/slurm_executor.hpp"
#include "sim/dse/sweep_lock.hpp"
#include "sim/util/atomic_file.hpp"
#include "sim/scenario/scenario.hpp"

namespace msao::dse {

SweepPlan plan_from_spec(const SweepSpec& spec) {
  SweepPlan p;
  p.base = spec.base;
  for (const auto& a : spec.axes) p.axes.push_back(a.key);
  p.runs = RunList(spec);
  p.run_timeout_s = spec.run_timeout_s;
  p.source = spec.file;
  return p;
}

void validate_plan(const SweepPlan& plan) {
  // Load-checking every run of a large random sweep would cost seconds; a new
  // value is what can be wrong, so check runs that bring one, up to 64.
  // Only the checked runs are built; the walk stops at the 64th check.
  std::vector<std::set<std::string_view>> seen(plan.axes.size());
  size_t checks = 0;
  for (size_t i = 0; i < plan.runs.size() && checks < 64; ++i) {
    bool fresh = checks == 0;
    for (size_t k = 0; k < plan.axes.size(); ++k) fresh |= seen[k].insert(plan.runs.axis_value(i, k)).second;
    if (fresh) {
      check_overrides(plan.source, plan.base, plan.runs[i].overrides);
      ++checks;
    }
  }
}

namespace {

std::vector<std::string> split_overrides(const std::string& joined) {
  std::vector<std::string> out;
  for (size_t at = 0; at <= joined.size();) {
    const size_t end = std::min(joined.find("; ", at), joined.size());
    out.push_back(joined.substr(at, end - at));
    at = end + 2;
  }
  return out;
}

// The rows already in the folder must be the runs this plan has at their
// point and replica. A sweep file whose axes (values or order), set, seed or
// replicas changed since would otherwise file new configurations under the
// old point numbers: two configurations at one point in the export, others
// missing. Refused as a changed base scenario is.
void check_recorded_runs(ResultsDb& db, const SweepPlan& plan, const std::string& db_path) {
  db.for_each_run([&](const ResultsDb::RecordedRun& r) {
    const size_t i = plan.runs.index_of(r.point, r.replica);
    const bool have = i < plan.runs.size();
    if (have && hex64(plan.runs.hash(i)) == r.hash) return;
    std::vector<std::string> now;
    if (have) now = plan.runs[i].overrides;
    std::string joined;
    for (const auto& o : now) joined += (joined.empty() ? "" : "; ") + o;
    if (have && joined == r.overrides) return;  // the same run on another version of the base (--allow-base-change)
    const std::string run = "point " + std::to_string(r.point) + " (replica " + std::to_string(r.replica) + ") of " + db_path;
    if (!have)
      throw InputError(plan.source, 0, "axes", run + ", a run the sweep no longer has",
                       "the axes, seed and replicas that folder's runs were made with, or another --out directory");
    // Name the first override that differs (an axis value, a set, the seed).
    const std::vector<std::string> was = split_overrides(r.overrides);
    size_t k = 0;
    while (k < was.size() && k < now.size() && was[k] == now[k]) ++k;
    const std::string old_o = k < was.size() ? was[k] : "", new_o = k < now.size() ? now[k] : "";
    const std::string& named = old_o.empty() ? new_o : old_o;
    throw InputError(plan.source, 0, named.substr(0, named.find('=')),
                     run + " made with '" + old_o + "' where the sweep now has '" + new_o + "'",
                     "the axes, set, seed and replicas that folder's runs were made with, or another --out directory");
  });
}

}  // namespace

PreparedSweep prepare_sweep(const SweepPlan& plan, const std::string& out_dir, bool resume, bool allow_base_change) {
  const std::string db_path = (std::filesystem::path(out_dir) / "results.sqlite").string();
  PreparedSweep s;
  s.lock = lock_sweep_dir(out_dir);  // before anything is read: a second sweep here is refused
  s.db = std::make_unique<ResultsDb>(db_path, plan.axes);
  ResultsDb& db = *s.db;
  const size_t recorded = db.recorded_runs();
  if (!resume && recorded)
    throw InputError(out_dir, 0, "--out", "a directory whose results.sqlite already holds " + std::to_string(recorded) + " runs",
                     "--resume to continue that sweep, or an empty --out directory");
  // Rows of another version of the base scenario would mix with the new ones.
  const std::string base_hash = hex64(fnv1a64(file_text(plan.base)));
  const std::string stored_hash = db.meta("base_hash");
  if (recorded && !stored_hash.empty() && stored_hash != base_hash && !allow_base_change)
    throw InputError(db_path, 0, "base_hash",
                     "results of another version of the base scenario " + plan.base + " (hash " + stored_hash + ", now " + base_hash + ")",
                     "the unchanged base file to resume, another --out directory, or --allow-base-change to add runs of the new one");
  check_recorded_runs(db, plan, db_path);
  const std::set<std::string> done = db.finished_hashes();
  db.set_meta("base_hash", base_hash);
  db.set_meta("base", plan.base);
  db.set_meta("source", plan.source);
  std::string axes;
  for (const auto& a : plan.axes) axes += (axes.empty() ? "" : "\n") + a;
  db.set_meta("axes", axes);

  s.stats.total = plan.runs.size();
  // A run is skipped if it finished earlier (ok; failed runs are retried),
  // or if an earlier run has its configuration (a sample drawn twice): the
  // runs sorted by (hash, index) put each repeat right after its first.
  std::vector<std::pair<uint64_t, size_t>> by_hash;
  by_hash.reserve(plan.runs.size());
  for (size_t i = 0; i < plan.runs.size(); ++i) by_hash.emplace_back(plan.runs.hash(i), i);
  std::sort(by_hash.begin(), by_hash.end());
  std::vector<bool> skip(plan.runs.size(), false);
  for (size_t j = 0; j < by_hash.size(); ++j)
    skip[by_hash[j].second] = (j > 0 && by_hash[j - 1].first == by_hash[j].first) || done.count(hex64(by_hash[j].first));
  by_hash = {};
  for (size_t i = 0; i < plan.runs.size(); ++i) {
    if (skip[i]) {
      ++s.stats.skipped;
      continue;
    }
    s.todo.push_back(i);
  }
  return s;
}

void record_run(PreparedSweep& s, const RunPoint& p, bool ok, const std::string& payload) {
  RunMetrics m;
  std::string error;
  if (ok) {
    try {
      m = decode(payload);
    } catch (const std::exception& e) {
      ok = false;
      error = e.what();
    }
  } else {
    error = payload;
  }
  s.db->record(p, ok ? "ok" : "failed", error, m);
  ++(ok ? s.stats.ok : s.stats.failed);
}

SweepStats run_sweep(const SweepPlan& plan, const std::string& out_dir, int jobs, bool resume, bool progress,
                     bool allow_base_change, const ExecutorOptions& executor) {
  if (executor.kind == "slurm") return run_sweep_slurm(plan, out_dir, resume, progress, allow_base_change, executor.slurm);
  auto t0 = std::chrono::steady_clock::now();
  PreparedSweep s = prepare_sweep(plan, out_dir, resume, allow_base_change);
  SweepStats& st = s.stats;
  Progress bar(st.total, progress);
  bar.update(st.skipped, 0);
  run_parallel(
      s.todo.size(), jobs, plan.run_timeout_s,
      [&](size_t i) { return encode(run_point(plan.base, plan.runs[s.todo[i]].overrides)); },
      [&](const JobResult& jr) {
        const bool ok = jr.fork.ok;
        record_run(s, plan.runs[s.todo[jr.index]], ok, ok ? jr.fork.out : jr.fork.out + " (exit status " + std::to_string(jr.fork.status) + ")");
        bar.update(st.skipped + st.ok + st.failed, st.failed);
      });
  bar.finish(st.skipped + st.ok + st.failed, st.failed);
  st.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return st;
}

}  // namespace msao::dse
