#include "sim/metrics/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "sim/config/input_error.hpp"

namespace msao {

void create_output_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(dir, 0, "", "a folder that cannot be created (" + ec.message() + ")", "a writable output folder");
}

void write_file_atomic(const std::string& path, const std::string& content) {
  // An output the user named that cannot be written is bad input (exit 2).
  auto fail = [&path](const std::string& why) { throw InputError(path, 0, "", why, "a writable output file"); };
  std::filesystem::path p(path);
  if (p.has_parent_path()) create_output_dir(p.parent_path().string());
  std::error_code ec;
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) fail(std::string("a path that cannot be written (") + std::strerror(errno) + ")");
  size_t off = 0;
  while (off < content.size()) {
    ssize_t w = ::write(fd, content.data() + off, content.size() - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      fail("a write error (" + why + ")");
    }
    off += static_cast<size_t>(w);
  }
  ::fsync(fd);
  ::close(fd);
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    ::unlink(tmp.c_str());
    fail("a rename that failed (" + ec.message() + ")");
  }
}

}  // namespace msao
