// SweepLock: one sweep at a time in an output folder. Two coordinators
// writing one results.sqlite (a second `msao sweep --resume` started while
// the first still runs) would run the same runs twice and, with Slurm, cancel
// each other's arrays; the second is refused instead (InputError, exit 2).
// The lock is an fcntl write lock on DIR/sweep.lock: the kernel drops it when
// the process ends, however it ends, so a killed sweep never leaves a stale
// lock behind; fcntl locks belong to the process and are not inherited by
// fork, so the pool's run processes (which outlive a SIGKILLed parent by a
// moment) never hold it. It also works on NFS, where a Slurm sweep's folder
// often is.
#pragma once
#include <memory>
#include <string>

namespace msao::dse {

class SweepLock {
 public:
  ~SweepLock();
  SweepLock(const SweepLock&) = delete;
  SweepLock& operator=(const SweepLock&) = delete;

 private:
  friend std::shared_ptr<SweepLock> lock_sweep_dir(const std::string& dir);
  SweepLock(std::string key, int fd) : key_(std::move(key)), fd_(fd) {}
  std::string key_;
  int fd_;
};

// Creates DIR if needed and takes its lock, or throws InputError naming the
// process that holds it. Within one process the same folder gives the same
// lock (fcntl locks are per process: closing a second descriptor of the file
// would drop the first one's lock), so a command may take it before
// prepare_sweep does.
std::shared_ptr<SweepLock> lock_sweep_dir(const std::string& dir);

}  // namespace msao::dse
