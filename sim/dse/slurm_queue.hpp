// What the Slurm executor asks Slurm, through its commands: submit an
// array (sbatch), count its live tasks (squeue), cancel it (scancel), and
// learn how each task ended (scontrol while the controller remembers the
// job, else sacct where the cluster keeps accounting).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "sim/dse/slurm_options.hpp"

namespace msao::dse {

// sbatch --parsable of `script` as array 0..tasks-1; returns the job id.
// Throws InputError when sbatch is missing or refuses (a bad partition or time).
std::string submit_array(const std::string& script, int tasks, const std::string& log_pattern, const SlurmOptions& o);

struct QueueState {
  bool ok = false;        // squeue answered
  bool finished = false;  // no task of the job is left in the queue
  int pending = 0, running = 0;
  std::string error;      // squeue's complaint when !ok
};
QueueState queue_state(const std::string& job);

// Cancels the job if it still runs `script`: a job id alone may name
// someone else's job once a controller restarted and numbering began again.
void cancel_job(const std::string& job, const std::string& script);

// How an ended task finished, e.g. "CANCELLED (reason None; exit code 0:15)".
// Keyed by array task id; tasks neither scontrol nor sacct knows are absent.
std::map<int, std::string> task_ends(const std::string& job);

}  // namespace msao::dse
