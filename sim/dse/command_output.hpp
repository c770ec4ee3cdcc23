// run_command: runs a program (no shell: arguments are passed as they are,
// so paths with spaces or quotes are safe) and returns its exit status,
// stdout and stderr. The Slurm executor talks to sbatch, squeue, scancel,
// scontrol and sacct through it.
#pragma once
#include <string>
#include <vector>

namespace msao::dse {

struct CommandOutput {
  int status = -1;  // exit status; 127 when the program could not be started
  std::string out, err;
};

CommandOutput run_command(const std::vector<std::string>& argv);

}  // namespace msao::dse
