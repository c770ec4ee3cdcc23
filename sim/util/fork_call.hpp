// fork_call: run a function in a forked child and get back what it returns
// as bytes. SimGrid allows one engine per process and cannot be reset, so
// every simulation beyond the first in a process (compare, sweeps, tests)
// runs this way. A crash or non-zero exit in the child is reported, never
// propagated.
#pragma once
#include <functional>
#include <string>

namespace msao {

struct ForkResult {
  bool ok = false;   // child exited 0
  int status = -1;   // exit status, or 128+signal
  std::string out;   // what the child's function returned (or its error text)
};

// The child's function returns its payload; an exception becomes status 3
// with the message as payload (status 2 for InputError).
ForkResult fork_call(const std::function<std::string()>& body);

// The child's side, shared with the sweep's process pool: runs body, writes
// its payload (or error text) to fd, closes it and _exits with the status above.
[[noreturn]] void finish_child(const std::function<std::string()>& body, int fd);

// Fills status and ok from a waitpid() status (shared with the sweep's pool).
void set_exit_status(ForkResult& r, int wait_status);

}  // namespace msao
