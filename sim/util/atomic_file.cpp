#include "sim/util/atomic_file.hpp"

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

void write_all(int fd, const std::string& path, std::string_view content) {
  size_t off = 0;
  while (off < content.size()) {
    ssize_t w = ::write(fd, content.data() + off, content.size() - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      fail(path, errno_text("a write error"));
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
  AtomicFileWriter w(path);
  w.append(content);
  w.commit();
}

namespace {
constexpr size_t kWriteChunk = 1 << 20;
}  // namespace

AtomicFileWriter::AtomicFileWriter(std::string path) : path_(std::move(path)) {
  // An output the user named that cannot be written is bad input (exit 2).
  const fs::path p(path_);
  if (p.has_parent_path()) create_output_dir(p.parent_path().string());
  std::error_code ec;
  const auto st = fs::status(p, ec);
  if (fs::exists(st) && fs::is_directory(st)) fail(path_, "a directory");
  if (fs::is_symlink(fs::symlink_status(p, ec)) || (fs::exists(st) && !fs::is_regular_file(st))) {
    // A device, fifo or link (/dev/stdout): write through it, never replace it.
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd_ < 0) fail(path_, errno_text("a path that cannot be written"));
    direct_ = true;
    return;
  }
  remove_stale_temps(p);
  dir_ = p.has_parent_path() ? p.parent_path().string() : ".";
  tmp_ = path_ + ".tmp." + std::to_string(::getpid());
  // Unnamed (O_TMPFILE) until commit, so a kill before it leaves nothing
  // behind; without O_TMPFILE a named temporary is written instead.
  fd_ = ::open(dir_.c_str(), O_RDWR | O_TMPFILE, 0644);
  unnamed_ = fd_ >= 0;
  if (!unnamed_) fd_ = ::open(tmp_.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd_ < 0) fail(path_, errno_text("a path that cannot be written"));
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ < 0) return;
  ::close(fd_);
  if (!unnamed_ && !direct_) ::unlink(tmp_.c_str());
}

void AtomicFileWriter::flush() {
  write_all(fd_, path_, buf_);
  buf_.clear();
}

void AtomicFileWriter::append(std::string_view text) {
  buf_.append(text);
  if (buf_.size() >= kWriteChunk) flush();
}

void AtomicFileWriter::append_file(int fd) {
  flush();
  std::string chunk(kWriteChunk, '\0');
  for (off_t off = 0;;) {
    const ssize_t n = ::pread(fd, chunk.data(), chunk.size(), off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path_, errno_text("a read error in a spool file"));
    if (n == 0) break;
    write_all(fd_, path_, std::string_view(chunk.data(), static_cast<size_t>(n)));
    off += n;
  }
}

void AtomicFileWriter::commit() {
  flush();
  if (direct_) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  ::fsync(fd_);
  if (unnamed_) {
    const std::string self = "/proc/self/fd/" + std::to_string(fd_);
    ::unlink(tmp_.c_str());
    if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, tmp_.c_str(), AT_SYMLINK_FOLLOW) != 0) {
      // No /proc: copy what was written into a named temporary.
      const int named = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (named < 0) fail(path_, errno_text("a path that cannot be written"));
      const int unnamed = fd_;
      fd_ = named;
      unnamed_ = false;
      append_file(unnamed);
      ::close(unnamed);
      ::fsync(fd_);
    }
  }
  ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  fs::rename(tmp_, path_, ec);
  if (ec) {
    ::unlink(tmp_.c_str());
    fail(path_, "a rename that failed (" + ec.message() + ")");
  }
}

}  // namespace msao
