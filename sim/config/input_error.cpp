#include "sim/config/input_error.hpp"

#include <filesystem>

namespace msao {

std::string one_line(const std::string& text) {
  static const char* hex = "0123456789abcdef";
  std::string s;
  s.reserve(text.size());
  // push_back only: GCC 12 warns spuriously (-Wrestrict) on appending literals here.
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n' || c == '\r') {
      s.push_back('\\');
      s.push_back(c == '\n' ? 'n' : 'r');
    } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
      s.push_back('\\');
      s.push_back('x');
      s.push_back(hex[c >> 4]);
      s.push_back(hex[c & 15]);
    } else {
      s.push_back(ch);
    }
  }
  return s;
}

namespace {
std::string format(const std::string& file, int line, const std::string& key, const std::string& found,
                   const std::string& expected) {
  // Built with append: GCC 12 warns spuriously (-Wrestrict) on a chain of operator+.
  std::string s;
  s.append(file);
  if (line > 0) s.append(":").append(std::to_string(line));
  s.append(": ");
  if (!key.empty()) s.append("key '").append(key).append("': ");
  s.append("found ").append(found).append(", expected ").append(expected);
  return one_line(s);
}
}  // namespace

InputError::InputError(std::string file, int line, std::string key, std::string found, std::string expected)
    : std::runtime_error(format(file, line, key, found, expected)),
      file_(std::move(file)),
      key_(std::move(key)),
      found_(std::move(found)),
      expected_(std::move(expected)),
      line_(line) {}

std::filesystem::file_status lookup_path(const std::filesystem::path& path, std::string* why) {
  // The system reads a name up to its first NUL: "a.yaml\0junk" (from
  // Python, which allows it) would name a.yaml.
  if (path.native().find('\0') != std::string::npos) {
    if (why) *why = "a name with a NUL character";
    return std::filesystem::file_status(std::filesystem::file_type::not_found);
  }
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (why) {
    const bool absent = !ec || ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory;
    *why = absent ? "no such file" : ec.message();
  }
  if (ec) return std::filesystem::file_status(std::filesystem::file_type::not_found);
  return st;
}

void require_input_file(const std::string& path, const std::string& expected) {
  std::string why;
  const auto st = lookup_path(path, &why);
  if (!std::filesystem::exists(st)) throw InputError(path, 0, "", why, expected);
  if (std::filesystem::is_directory(st)) throw InputError(path, 0, "", "a directory", expected);
  // A device never ends (/dev/zero, /dev/urandom) or waits on a person (a
  // terminal); fifos and /dev/stdin from a pipe or a file are read.
  if (std::filesystem::is_character_file(st) || std::filesystem::is_block_file(st) || std::filesystem::is_socket(st))
    throw InputError(path, 0, "", std::filesystem::is_socket(st) ? "a socket" : "a device, not a file", expected);
}

}  // namespace msao
