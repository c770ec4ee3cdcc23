#include "sim/util/fork_call.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "sim/config/input_error.hpp"

namespace msao {

void finish_child(const std::function<std::string()>& body, int fd) {
  int rc = 0;
  std::string s;
  try {
    s = body();
  } catch (const InputError& e) {
    s = e.what();
    rc = kInputErrorExit;
  } catch (const std::exception& e) {
    s = e.what();
    rc = 3;
  }
  size_t off = 0;
  while (off < s.size()) {
    const ssize_t w = write(fd, s.data() + off, s.size() - off);
    if (w < 0 && errno == EINTR) continue;  // a signal is not the end of the payload
    if (w <= 0) break;
    off += static_cast<size_t>(w);
  }
  close(fd);
  std::fflush(stdout);
  _exit(rc);
}

ForkResult fork_call(const std::function<std::string()>& body) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  std::fflush(stdout);  // or the child would print the parent's buffered output again
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return {};
  }
  if (pid == 0) {
    close(fds[0]);
    finish_child(body, fds[1]);
  }
  close(fds[1]);
  ForkResult r;
  char buf[65536];
  for (;;) {
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;  // a signal is not the end of the payload
    if (n <= 0) break;
    r.out.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  set_exit_status(r, st);
  return r;
}

void set_exit_status(ForkResult& r, int wait_status) {
  r.status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
  r.ok = WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
}

}  // namespace msao
