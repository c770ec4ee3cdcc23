#include "sim/dse/slurm_task.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "sim/util/proc_pool.hpp"
#include "sim/dse/run_metrics.hpp"
#include "sim/dse/slurm_rows.hpp"

namespace msao::dse {

std::string rows_path(const std::string& attempt_dir, int task) {
  return (std::filesystem::path(attempt_dir) / "rows" / ("task-" + std::to_string(task) + ".rows")).string();
}

size_t run_slurm_task(const std::string& attempt_dir, int task, int jobs) {
  const SlurmPlan plan = read_slurm_plan((std::filesystem::path(attempt_dir) / "plan.txt").string());
  if (task < 0 || task >= plan.tasks)
    throw std::runtime_error("task " + std::to_string(task) + " is not in the plan's 0.." + std::to_string(plan.tasks - 1));
  const std::string path = rows_path(attempt_dir, task);
  size_t complete = 0;
  std::set<std::string> have;
  for (const auto& r : parse_rows(read_from(path, 0), complete)) have.insert(r.hash);
  if (std::filesystem::exists(path)) std::filesystem::resize_file(path, complete);

  const auto [first, last] = task_block(plan.runs.size(), plan.tasks, task);
  std::vector<size_t> todo;
  for (size_t i = first; i < last; ++i)
    if (!have.count(plan.runs[i].first)) todo.push_back(i);

  const int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(path + ": " + std::strerror(errno));
  size_t failed = 0;
  run_parallel(
      todo.size(), jobs, plan.run_timeout_s,
      [&](size_t i) { return encode(run_point(plan.base, plan.runs[todo[i]].second)); },
      [&](const JobResult& jr) {
        const bool ok = jr.fork.ok;
        failed += !ok;
        // One write per record, on an O_APPEND descriptor: the coordinator sees it whole or torn at the end.
        const std::string rec = format_row({plan.runs[todo[jr.index]].first, ok,
                                            ok ? jr.fork.out : jr.fork.out + " (exit status " + std::to_string(jr.fork.status) + ")"});
        for (size_t off = 0; off < rec.size();) {
          const ssize_t n = write(fd, rec.data() + off, rec.size() - off);
          if (n < 0 && errno == EINTR) continue;
          if (n < 0) throw std::runtime_error(path + ": " + std::strerror(errno));
          off += static_cast<size_t>(n);
        }
      });
  close(fd);
  return failed;
}

}  // namespace msao::dse
