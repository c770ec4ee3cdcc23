#include "sim/config/input_error.hpp"

#include <filesystem>

namespace msao {

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
  return s;
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
}

}  // namespace msao
