// `msao slurm-task DIR`: the body of one Slurm array task of a sweep run
// with --executor slurm (sim/dse/slurm_task.hpp); the batch script the
// coordinator writes calls it. Not meant to be typed by hand.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/cli/command_registry.hpp"
#include "sim/config/input_error.hpp"
#include "sim/dse/slurm_task.hpp"

namespace msao {
namespace {

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

struct SlurmTaskArgs {
  std::string dir;
  int task = -1;
};

const bool registered = cli::register_command({"slurm-task", "(internal) Run one array task of a sweep submitted with --executor slurm",
  [](CLI::App& sub) {
    auto a = std::make_shared<SlurmTaskArgs>();
    sub.add_option("dir", a->dir, "The attempt folder holding plan.txt")->required();
    sub.add_option("--task", a->task, "Array task id (default: $SLURM_ARRAY_TASK_ID)");
    return cli::Runner([a] {
      const int task = a->task >= 0 ? a->task : env_int("SLURM_ARRAY_TASK_ID", -1);
      if (task < 0) throw InputError("command line", 0, "--task", "no task id", "--task N or $SLURM_ARRAY_TASK_ID");
      // Runs at a time: the CPUs Slurm gave this task.
      const size_t failed = dse::run_slurm_task(a->dir, task, env_int("SLURM_CPUS_PER_TASK", 1));
      std::printf("task %d: %zu runs failed\n", task, failed);
      return 0;  // a failed run is in the rows file; the task itself did its job
    });
  }});

}  // namespace
}  // namespace msao
