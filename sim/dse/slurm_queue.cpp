#include "sim/dse/slurm_queue.hpp"

#include <sstream>

#include "sim/config/input_error.hpp"
#include "sim/dse/command_output.hpp"

namespace msao::dse {
namespace {

std::string first_line(const std::string& s) {
  std::string l = s.substr(0, s.find('\n'));
  return l.empty() ? "no message" : l;
}

// scontrol -o: one line per task, space-separated Key=Value fields.
std::map<std::string, std::string> fields(const std::string& line) {
  std::map<std::string, std::string> f;
  std::istringstream in(line);
  for (std::string tok; in >> tok;) {
    const auto eq = tok.find('=');
    if (eq != std::string::npos) f[tok.substr(0, eq)] = tok.substr(eq + 1);
  }
  return f;
}

bool is_number(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; }

// "3", or the collapsed "5-9,12%2" of tasks cancelled before they started.
std::vector<int> task_ids(const std::string& spec) {
  std::vector<int> ids;
  std::istringstream in(spec.substr(0, spec.find('%')));
  for (std::string part; std::getline(in, part, ',');) {
    const auto dash = part.find('-');
    const std::string lo = part.substr(0, dash), hi = dash == std::string::npos ? lo : part.substr(dash + 1);
    if (!is_number(lo) || !is_number(hi)) continue;
    for (int k = std::stoi(lo); k <= std::stoi(hi); ++k) ids.push_back(k);
  }
  return ids;
}

std::string describe_end(const std::string& state, const std::string& reason, const std::string& exit_code) {
  return state + " (reason " + (reason.empty() ? "None" : reason) + "; exit code " + exit_code + ")";
}

}  // namespace

std::string submit_array(const std::string& script, int tasks, const std::string& log_pattern, const SlurmOptions& o) {
  std::vector<std::string> argv{"sbatch", "--parsable", "--job-name=msao-sweep", "--array=0-" + std::to_string(tasks - 1),
                                "--cpus-per-task=1", "--output=" + log_pattern};
  if (!o.partition.empty()) argv.push_back("--partition=" + o.partition);
  if (!o.time.empty()) argv.push_back("--time=" + o.time);
  argv.push_back(script);
  const CommandOutput r = run_command(argv);
  const std::string job = r.out.substr(0, r.out.find_first_of(";\n"));
  if (r.status != 0 || !is_number(job))
    throw InputError("command line", 0, "--executor slurm",
                     "sbatch refused the job array: " + first_line(r.err + r.out) + " (exit status " + std::to_string(r.status) + ")",
                     "a machine with Slurm's sbatch on PATH, and a --partition and --time this cluster accepts");
  return job;
}

QueueState queue_state(const std::string& job) {
  QueueState q;
  const CommandOutput r = run_command({"squeue", "-h", "-r", "-j", job, "-o", "%T"});
  if (r.status != 0) {
    // A job the controller has already purged is finished, not an error.
    q.ok = q.finished = r.err.find("Invalid job id") != std::string::npos;
    q.error = first_line(r.err);
    return q;
  }
  q.ok = true;
  std::istringstream in(r.out);
  for (std::string state; in >> state;) {
    if (state == "PENDING" || state == "REQUEUED" || state == "CONFIGURING") ++q.pending;
    else ++q.running;  // RUNNING, COMPLETING, SUSPENDED...: still holds its block
  }
  q.finished = q.pending + q.running == 0;
  return q;
}

void cancel_job(const std::string& job, const std::string& script) {
  const CommandOutput r = run_command({"squeue", "-h", "-r", "-j", job, "-o", "%o"});
  std::istringstream in(r.status == 0 ? r.out : "");
  for (std::string command; std::getline(in, command);)
    if (command == script) {
      run_command({"scancel", job});
      return;
    }
}

std::map<int, std::string> task_ends(const std::string& job) {
  std::map<int, std::string> ends;
  const CommandOutput sc = run_command({"scontrol", "-o", "show", "job", job});
  if (sc.status == 0) {
    std::istringstream in(sc.out);
    for (std::string line; std::getline(in, line);) {
      auto f = fields(line);
      for (int k : task_ids(f["ArrayTaskId"])) ends[k] = describe_end(f["JobState"], f["Reason"], f["ExitCode"]);
    }
    if (!ends.empty()) return ends;
  }
  // The controller forgot the job (MinJobAge): ask the accounting database.
  const CommandOutput sa = run_command({"sacct", "-n", "-P", "-X", "-j", job, "--format=JobID,State,Reason,ExitCode"});
  std::istringstream in(sa.status == 0 ? sa.out : "");
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> c;
    std::istringstream cols(line);
    for (std::string x; std::getline(cols, x, '|');) c.push_back(x);
    const auto us = c.empty() ? std::string::npos : c[0].find('_');
    if (c.size() == 4 && us != std::string::npos && is_number(c[0].substr(us + 1)))
      ends[std::stoi(c[0].substr(us + 1))] = describe_end(c[1], c[2], c[3]);
  }
  return ends;
}

}  // namespace msao::dse
