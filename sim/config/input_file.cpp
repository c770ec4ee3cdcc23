#include "sim/config/input_file.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <cstring>

#include "sim/config/input_error.hpp"

namespace msao {

namespace {
constexpr size_t kChunkBytes = size_t{1} << 16;
}  // namespace

std::string byte_size_text(uint64_t bytes) {
  static const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.3g %s", v, units[u]);
  return buf;
}

InputLines::InputLines(std::string path, std::string expected, uint64_t max_bytes)
    : path_(std::move(path)), expected_(std::move(expected)), max_bytes_(max_bytes) {
  require_input_file(path_, expected_);
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0 && S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > max_bytes_)
    throw InputError(path_, 0, "", "a file of " + byte_size_text(static_cast<uint64_t>(st.st_size)),
                     expected_ + " of at most " + byte_size_text(max_bytes_));
  in_.open(path_, std::ios::binary);
  if (!in_) throw InputError(path_, 0, "", "an unreadable file (" + std::string(std::strerror(errno)) + ")", expected_);
  buf_.resize(kChunkBytes);
}

bool InputLines::fill() {
  if (!in_) return false;
  in_.read(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  pos_ = 0;
  end_ = static_cast<size_t>(in_.gcount());
  read_ += end_;
  if (in_.bad()) throw InputError(path_, line_ + 1, "", "a read error (" + std::string(std::strerror(errno)) + ")", expected_);
  if (read_ > max_bytes_)
    throw InputError(path_, line_ + 1, "", "more than " + byte_size_text(max_bytes_) + " of data",
                     expected_ + " of at most " + byte_size_text(max_bytes_));
  return end_ > 0;
}

bool InputLines::next(std::string& line) {
  line.clear();
  bool any = false;
  for (;;) {
    if (pos_ == end_ && !fill()) {
      if (!any) return false;
      ++line_;
      newline_ = false;
      return true;
    }
    any = true;
    const char* start = buf_.data() + pos_;
    const void* nl = std::memchr(start, '\n', end_ - pos_);
    const size_t n = nl ? static_cast<size_t>(static_cast<const char*>(nl) - start) : end_ - pos_;
    if (line.size() + n > kMaxInputLineBytes)
      throw InputError(path_, line_ + 1, "", "a line longer than " + byte_size_text(kMaxInputLineBytes) + " (not a text file?)",
                       expected_ + " with lines of at most " + byte_size_text(kMaxInputLineBytes));
    line.append(start, n);
    pos_ += n;
    if (nl) {
      ++pos_;
      ++line_;
      newline_ = true;
      return true;
    }
  }
}

std::string first_line_found(std::string_view line, std::string_view marker) {
  if (line.starts_with(marker)) return "'" + std::string(line.substr(0, 60)) + (line.size() > 60 ? "...'" : "'");
  return "a first line that does not start with '" + std::string(marker) + "'";
}

std::string read_input_text(const std::string& path, const std::string& expected, uint64_t max_bytes) {
  InputLines lines(path, expected, max_bytes);
  std::string text, line;
  while (lines.next(line)) {
    text += line;
    if (lines.newline()) text += '\n';
  }
  return text;
}

}  // namespace msao
