#include "sim/config/parsed_file_cache.hpp"

#include <sys/stat.h>

#include <fstream>
#include <iterator>

namespace msao {

std::optional<std::string> cacheable_contents(const std::string& path) {
  struct stat st {};
  // stat, not open: opening a fifo would block, and reading one would
  // consume what its parser is meant to read.
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  if (static_cast<size_t>(st.st_size) > kMaxCachedFileBytes) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes;
  bytes.reserve(static_cast<size_t>(st.st_size));
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad() || bytes.size() > kMaxCachedFileBytes) return std::nullopt;
  return bytes;
}

}  // namespace msao
