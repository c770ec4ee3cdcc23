#include "sim/util/proc_pool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "sim/util/fork_call.hpp"

namespace msao {
namespace {

struct Child {
  size_t index;
  pid_t pid;
  int fd;
  std::string out;
  std::chrono::steady_clock::time_point start;
  bool killed = false;
};

bool spawn(size_t index, const std::function<std::string(size_t)>& body, Child& c) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return false;
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);  // the parent died before prctl
    close(fds[0]);
    finish_child([&] { return body(index); }, fds[1]);
  }
  close(fds[1]);
  fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  c = Child{index, pid, fds[0], {}, std::chrono::steady_clock::now()};
  return true;
}

}  // namespace

int default_jobs() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

void run_parallel(size_t count, int jobs, double timeout_s, const std::function<std::string(size_t)>& body,
                  const std::function<void(const JobResult&)>& on_done) {
  if (jobs < 1) jobs = default_jobs();
  std::vector<Child> live;
  size_t next = 0;
  while (next < count || !live.empty()) {
    while (next < count && live.size() < static_cast<size_t>(jobs)) {
      Child c{};
      if (!spawn(next, body, c)) {
        JobResult r;
        r.index = next;
        r.fork.out = "fork failed";
        on_done(r);
      } else {
        live.push_back(std::move(c));
      }
      ++next;
    }
    if (live.empty()) continue;
    std::vector<pollfd> pfds;
    for (const auto& c : live) pfds.push_back({c.fd, POLLIN, 0});
    poll(pfds.data(), pfds.size(), 200);
    auto now = std::chrono::steady_clock::now();
    for (size_t i = 0; i < live.size();) {
      Child& c = live[i];
      bool eof = false;
      char buf[65536];
      for (;;) {
        ssize_t n = read(c.fd, buf, sizeof buf);
        if (n > 0) {
          c.out.append(buf, static_cast<size_t>(n));
          continue;
        }
        eof = n == 0;
        break;
      }
      double age = std::chrono::duration<double>(now - c.start).count();
      if (!eof && !c.killed && timeout_s > 0 && age > timeout_s) {
        kill(c.pid, SIGKILL);
        c.killed = true;
      }
      if (!eof && !c.killed) {
        ++i;
        continue;
      }
      int st = 0;
      waitpid(c.pid, &st, 0);
      close(c.fd);
      JobResult r;
      r.index = c.index;
      r.timed_out = c.killed;
      set_exit_status(r.fork, st);
      r.fork.ok = r.fork.ok && !c.killed;
      r.fork.out = c.killed ? "killed after " + std::to_string(static_cast<int>(timeout_s)) + " s (run timeout)" : c.out;
      if (!r.fork.ok && r.fork.out.empty()) r.fork.out = "child ended with status " + std::to_string(r.fork.status);
      live.erase(live.begin() + static_cast<long>(i));
      on_done(r);
    }
  }
}

}  // namespace msao
