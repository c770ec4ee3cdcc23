#include "sim/config/input_error.hpp"

namespace msao {

namespace {
std::string format(const std::string& file, int line, const std::string& key, const std::string& found,
                   const std::string& expected) {
  std::string s = file;
  if (line > 0) s += ":" + std::to_string(line);
  s += ": ";
  if (!key.empty()) s += "key '" + key + "': ";
  s += "found " + found + ", expected " + expected;
  return s;
}
}  // namespace

InputError::InputError(std::string file, int line, std::string key, std::string found, std::string expected)
    : std::runtime_error(format(file, line, key, found, expected)),
      file_(std::move(file)),
      key_(std::move(key)),
      line_(line) {}

}  // namespace msao
