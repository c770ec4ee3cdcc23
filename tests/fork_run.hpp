// fork_run: SimGrid allows one engine per process and cannot be reset, so
// every test that runs a simulation runs it in a forked child. The child
// returns a string through a pipe and _exits; a crash or non-zero status
// in the child becomes a failed result here.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <string>

namespace msao::test {

struct ForkResult {
  bool ok = false;   // child exited 0
  int status = -1;   // exit status, or 128+signal
  std::string out;   // what the child returned
};

inline ForkResult fork_run(const std::function<std::string()>& body) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  std::fflush(stdout);  // or the child would print the parent's buffered output again
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    int rc = 0;
    std::string s;
    try {
      s = body();
    } catch (const std::exception& e) {
      s = std::string("exception: ") + e.what();
      rc = 3;
    }
    size_t off = 0;
    while (off < s.size()) {
      ssize_t w = write(fds[1], s.data() + off, s.size() - off);
      if (w <= 0) break;
      off += static_cast<size_t>(w);
    }
    close(fds[1]);
    _exit(rc);
  }
  close(fds[1]);
  ForkResult r;
  char buf[65536];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) r.out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int st = 0;
  waitpid(pid, &st, 0);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  r.ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
  return r;
}

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

}  // namespace msao::test
