#include "sim/config/input_error.hpp"

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
      line_(line) {}

}  // namespace msao
