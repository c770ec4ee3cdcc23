#include "sim/metrics/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "sim/config/input_error.hpp"

namespace msao {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& why) {
  throw InputError(path, 0, "", why, "a writable output file");
}

std::string errno_text(const std::string& what) { return what + " (" + std::strerror(errno) + ")"; }

void write_all(int fd, const std::string& path, const std::string& content) {
  size_t off = 0;
  while (off < content.size()) {
    ssize_t w = ::write(fd, content.data() + off, content.size() - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      const std::string why = errno_text("a write error");
      ::close(fd);
      fail(path, why);
    }
    off += static_cast<size_t>(w);
  }
}

// "<target>.tmp.<pid>" files whose process is gone: a writer killed between
// creating and renaming its temporary file (on a file system without O_TMPFILE).
void remove_stale_temps(const fs::path& target) {
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string prefix = target.filename().string() + ".tmp.";
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid = name.substr(prefix.size());
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos || pid.size() > 9) continue;
    const pid_t p = static_cast<pid_t>(std::stol(pid));
    if (p != ::getpid() && ::kill(p, 0) != 0 && errno == ESRCH) fs::remove(it->path(), ec);
  }
}

// Leaves `content` complete and flushed under the name `tmp`. The file is
// unnamed (O_TMPFILE) until then, so a kill before linkat leaves nothing
// behind; without O_TMPFILE or /proc, a named temporary is written instead.
void write_temp(const std::string& path, const std::string& dir, const std::string& tmp, const std::string& content) {
  int fd = ::open(dir.c_str(), O_WRONLY | O_TMPFILE, 0644);
  if (fd >= 0) {
    write_all(fd, path, content);
    ::fsync(fd);
    const std::string self = "/proc/self/fd/" + std::to_string(fd);
    ::unlink(tmp.c_str());
    const bool linked = ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, tmp.c_str(), AT_SYMLINK_FOLLOW) == 0;
    ::close(fd);
    if (linked) return;
  }
  fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) fail(path, errno_text("a path that cannot be written"));
  try {
    write_all(fd, path, content);
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void create_output_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError(dir, 0, "", "a folder that cannot be created (" + ec.message() + ")", "a writable output folder");
}

void check_output_dir(const std::string& dir, const std::vector<std::string>& files) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw InputError(dir, 0, "", "an existing file that is not a folder", "a writable output folder");
  create_output_dir(dir);
  const std::string probe = (fs::path(dir) / (".msao-probe." + std::to_string(::getpid()))).string();
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) throw InputError(dir, 0, "", errno_text("a folder that cannot be written"), "a writable output folder");
  ::close(fd);
  ::unlink(probe.c_str());
  for (const auto& f : files)
    if (fs::is_directory(fs::path(dir) / f, ec))
      throw InputError((fs::path(dir) / f).string(), 0, "", "a directory", "a path where the output file can be written");
}

void check_output_file(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) fail(path, "a directory");
  const fs::path p(path);
  check_output_dir(p.has_parent_path() ? p.parent_path().string() : ".");
}

void write_file_atomic(const std::string& path, const std::string& content) {
  // An output the user named that cannot be written is bad input (exit 2).
  const fs::path p(path);
  if (p.has_parent_path()) create_output_dir(p.parent_path().string());
  std::error_code ec;
  const auto st = fs::status(p, ec);
  if (fs::exists(st) && fs::is_directory(st)) fail(path, "a directory");
  if (fs::is_symlink(fs::symlink_status(p, ec)) || (fs::exists(st) && !fs::is_regular_file(st))) {
    // A device, fifo or link (/dev/stdout): write through it, never replace it.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) fail(path, errno_text("a path that cannot be written"));
    write_all(fd, path, content);
    ::close(fd);
    return;
  }
  remove_stale_temps(p);
  const std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  write_temp(path, dir, tmp, content);
  fs::rename(tmp, path, ec);
  if (ec) {
    ::unlink(tmp.c_str());
    fail(path, "a rename that failed (" + ec.message() + ")");
  }
}

}  // namespace msao
