// Test helpers: run a simulation in a forked child (one SimGrid engine per
// process: sim/util/fork_call.hpp), or the msao binary as a user would.
#pragma once
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <istream>
#include <string>
#include <vector>

#include "sim/util/fork_call.hpp"

namespace msao::test {

// Parses a number a child wrote with <<, NaN included (a time that never
// came), which >> does not read back.
inline double parse_number(const std::string& t) { return t.find("nan") != std::string::npos ? NAN : std::stod(t); }
inline double read_number(std::istream& is) {
  std::string t;
  is >> t;
  return parse_number(t);
}

using msao::ForkResult;
inline ForkResult fork_run(const std::function<std::string()>& body) { return fork_call(body); }

// Runs the msao binary with arguments; returns exit status and stdout+stderr.
inline ForkResult run_msao(const std::string& args) {
  ForkResult r;
  std::string cmd = std::string(MSAO_BINARY) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  r.ok = r.status == 0;
  return r;
}

// Starts the msao binary with `args` in the background, its output
// discarded; the child's pid (-1 if fork failed), for waitpid or kill.
inline pid_t start_msao(const std::vector<std::string>& args) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  const int devnull = open("/dev/null", O_WRONLY);
  dup2(devnull, 1);
  dup2(devnull, 2);
  std::vector<char*> argv{const_cast<char*>(MSAO_BINARY)};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(MSAO_BINARY, argv.data());
  _exit(127);
}

}  // namespace msao::test
