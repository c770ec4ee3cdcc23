#include "sim/dse/sweep_lock.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>

#include "sim/config/input_error.hpp"
#include "sim/util/atomic_file.hpp"

namespace msao::dse {

namespace {
// Held locks of this process by folder (weak: the last holder releases it).
std::map<std::string, std::weak_ptr<SweepLock>>& held() {
  static std::map<std::string, std::weak_ptr<SweepLock>> m;
  return m;
}

flock whole_file(short type) {
  flock l{};
  l.l_type = type;
  l.l_whence = SEEK_SET;
  l.l_start = 0;
  l.l_len = 0;
  return l;
}
}  // namespace

SweepLock::~SweepLock() {
  ::close(fd_);  // releases the lock
  held().erase(key_);
}

std::shared_ptr<SweepLock> lock_sweep_dir(const std::string& dir) {
  create_output_dir(dir);
  std::error_code ec;
  std::string key = std::filesystem::weakly_canonical(dir, ec).string();
  if (ec) key = dir;
  if (auto it = held().find(key); it != held().end())
    if (auto lock = it->second.lock()) return lock;
  const std::string path = (std::filesystem::path(dir) / "sweep.lock").string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    throw InputError(path, 0, "--out", std::string("a lock file that cannot be opened (") + std::strerror(errno) + ")",
                     "a writable --out directory");
  flock l = whole_file(F_WRLCK);
  if (::fcntl(fd, F_SETLK, &l) != 0) {
    const int err = errno;
    flock who = whole_file(F_WRLCK);
    const bool known = ::fcntl(fd, F_GETLK, &who) == 0 && who.l_type != F_UNLCK && who.l_pid > 0;
    ::close(fd);
    if (err == EACCES || err == EAGAIN)
      throw InputError(dir, 0, "--out",
                       "a sweep already running in this folder (" +
                           (known ? "process " + std::to_string(who.l_pid) : std::string("another process")) + " holds " + path + ")",
                       "that sweep to finish (or to be stopped) before --resume, or another --out directory");
    throw InputError(path, 0, "--out", std::string("a lock file that cannot be locked (") + std::strerror(err) + ")",
                     "a --out directory on a file system with fcntl locks");
  }
  std::shared_ptr<SweepLock> lock(new SweepLock(key, fd));
  held()[key] = lock;
  return lock;
}

}  // namespace msao::dse
