// InputError: the one exception type for bad user input (files, YAML keys,
// command-line values). main() turns it into one line on stderr and exit
// status 2; everything that reads user input throws it, never a bare
// std::runtime_error, so the user always learns file, line/key, what was
// found and what was expected.
#pragma once
#include <filesystem>
#include <stdexcept>
#include <string>

namespace msao {

class InputError : public std::runtime_error {
 public:
  // file: path of the input (or "--set", "command line"); line: 1-based, 0 if unknown;
  // key: dotted key or column name, may be empty; found/expected: human text.
  InputError(std::string file, int line, std::string key, std::string found, std::string expected);

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& key() const { return key_; }
  const std::string& found() const { return found_; }
  const std::string& expected() const { return expected_; }

 private:
  std::string file_, key_, found_, expected_;
  int line_;
};

// text on one line: a newline, carriage return or other control character
// becomes its escape (\n, \r, \x00), so an error message built from a
// value the user typed (a --set value with a newline) stays one line.
std::string one_line(const std::string& text);

// What `path` is, looked up without throwing (std::filesystem::exists(path)
// throws on a name longer than NAME_MAX, a loop of links or a folder that
// cannot be searched, which a fuzzed tune file found). Such a path counts as
// not found, and `why` (when given) says why: "no such file" when it is
// simply absent, else the system's reason ("File name too long").
std::filesystem::file_status lookup_path(const std::filesystem::path& path, std::string* why = nullptr);

// An input file the user named: a missing path, a directory or a device
// (/dev/zero, a terminal) is an InputError ("no such file", "a directory",
// "a device, not a file") expecting `expected`. Fifos and /dev/stdin from
// a pipe are left to the reader (sim/config/input_file.hpp bounds them).
void require_input_file(const std::string& path, const std::string& expected);

// Exit status for bad input, as the project's standards require.
inline constexpr int kInputErrorExit = 2;

}  // namespace msao
