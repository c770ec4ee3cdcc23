#include "sim/dse/slurm_array.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <thread>

#include "sim/dse/slurm_task.hpp"
#include "sim/util/atomic_file.hpp"

namespace msao::dse {
namespace fs = std::filesystem;
namespace {

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// The tasks run this same binary: on a cluster its path must be visible on every node.
std::string self_exe() {
  std::error_code ec;
  const auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("msao") : p.string();
}

int default_tasks(size_t runs) { return static_cast<int>(std::clamp<size_t>((runs + 49) / 50, 1, 1000)); }

}  // namespace

std::string array_job(const std::string& dir) {
  const std::string s = read_from((fs::path(dir) / "job").string(), 0);
  return s.substr(0, s.find('\n'));
}

std::vector<RowRecord> arrived_rows(const std::string& dir) {
  std::vector<RowRecord> all;
  std::error_code ec;
  for (const auto& f : fs::directory_iterator(fs::path(dir) / "rows", ec)) {
    size_t off = 0;
    for (auto& r : parse_rows(read_from(f.path().string(), 0), off)) all.push_back(std::move(r));
  }
  return all;
}

std::string run_array(const std::string& base, double run_timeout_s, const std::vector<ArrayRun>& runs,
                      const std::string& dir, const SlurmOptions& o, const ArrayCallbacks& cb) {
  const fs::path att = fs::absolute(dir);
  fs::create_directories(att / "rows");
  fs::create_directories(att / "logs");
  SlurmPlan sp;
  sp.base = fs::absolute(base).string();
  sp.run_timeout_s = run_timeout_s;
  sp.tasks = std::min(o.array_size > 0 ? o.array_size : default_tasks(runs.size()), static_cast<int>(runs.size()));
  std::map<std::string, size_t> wanted;  // hash -> index of a run without its row yet
  for (size_t i = 0; i < runs.size(); ++i) {
    sp.runs.emplace_back(runs[i].hash, runs[i].overrides);
    wanted[runs[i].hash] = i;
  }
  write_slurm_plan((att / "plan.txt").string(), sp);
  write_file_atomic((att / "task.sh").string(),
                    "#!/bin/sh\n# Written by msao --executor slurm: array task $SLURM_ARRAY_TASK_ID runs its block of plan.txt.\n"
                    "exec " + shell_quote(self_exe()) + " slurm-task " + shell_quote(att.string()) + "\n");
  const std::string job = submit_array((att / "task.sh").string(), sp.tasks, (att / "logs" / "task-%a.log").string(), o);
  write_file_atomic((att / "job").string(), job + "\n");

  std::vector<uint64_t> consumed(static_cast<size_t>(sp.tasks), 0);
  auto gather = [&] {
    for (int k = 0; k < sp.tasks; ++k) {
      uint64_t& c = consumed[static_cast<size_t>(k)];
      const std::string text = read_from(rows_path(att.string(), k), c);
      size_t off = 0;
      for (const auto& rec : parse_rows(text, off)) {
        auto it = wanted.find(rec.hash);
        if (it == wanted.end()) continue;
        const size_t i = it->second;
        wanted.erase(it);
        cb.on_row(i, rec.ok, rec.payload);
      }
      c += off;
    }
  };
  auto squeue_ok_at = std::chrono::steady_clock::now();
  for (;;) {
    const QueueState q = queue_state(job);  // asked before gathering, so a task seen ended has all its rows read after
    gather();
    if (cb.on_poll) cb.on_poll(job, q);
    if (q.ok) squeue_ok_at = std::chrono::steady_clock::now();
    else if (std::chrono::steady_clock::now() - squeue_ok_at > std::chrono::minutes(5))
      throw std::runtime_error("squeue has failed for 5 minutes (" + q.error + "); job " + job +
                               " may still run: rerun with --resume to gather its rows");
    if (q.finished || wanted.empty()) break;
    std::this_thread::sleep_for(std::chrono::duration<double>(o.poll_s));
  }
  if (wanted.empty()) return job;
  // Runs whose task ended without their row: failed, with how Slurm says the task ended.
  const auto ends = task_ends(job);
  for (int k = 0; k < sp.tasks; ++k) {
    const auto [first, last] = task_block(runs.size(), sp.tasks, k);
    const auto end = ends.find(k);
    const std::string why = "Slurm task " + job + "_" + std::to_string(k) + " ended " +
                            (end == ends.end() ? "in a state neither scontrol nor sacct knows" : end->second) +
                            " before this run's row arrived (log: " + (att / "logs" / ("task-" + std::to_string(k) + ".log")).string() + ")";
    for (size_t i = first; i < last; ++i)
      if (wanted.erase(runs[i].hash)) cb.on_row(i, false, why);
  }
  return job;
}

}  // namespace msao::dse
