// run_parallel: runs N jobs, each in its own forked child (one SimGrid engine
// per process), at most `jobs` at a time, and hands each job's result to the
// parent's callback as soon as that child ends, in completion order. The
// parent alone touches shared state (the results database), so a child that
// crashes, deadlocks or is killed can never corrupt it. A child that runs
// longer than the timeout is killed and reported failed. Children die with
// the parent (PR_SET_PDEATHSIG), so a killed sweep leaves no orphans running.
#pragma once
#include <functional>
#include <string>

#include "sim/util/fork_call.hpp"

namespace msao {

struct JobResult {
  size_t index = 0;
  ForkResult fork;        // ok, exit status (128+signal if killed), payload or error text
  bool timed_out = false;
};

// body(i) runs in the child and returns its payload; on_done(result) runs in
// the parent. jobs < 1 means one per core.
void run_parallel(size_t count, int jobs, double timeout_s, const std::function<std::string(size_t)>& body,
                  const std::function<void(const JobResult&)>& on_done);

int default_jobs();

}  // namespace msao
