// Reading a file the user named, within bounds: every reader of user input
// (YAML files, MAS, serving and network traces) goes through here, so that
// /dev/zero, a file with no newline for gigabytes or one far too large is an
// InputError naming the bound before memory runs out, never a bad_alloc or
// a reader that runs for minutes. Fifos and /dev/stdin from a pipe are read
// with the same bounds (their size is known only as they are read).
#pragma once
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace msao {

// The longest line any input may hold: CSV rows are under 1 KB and YAML
// lines rarely reach 200 characters, so a longer one is not text.
inline constexpr size_t kMaxInputLineBytes = size_t{1} << 20;

// "16 MiB", "1.5 GiB": a byte count for messages.
std::string byte_size_text(uint64_t bytes);

// The lines of a user's input file. Opening it makes require_input_file's
// checks (missing, a directory, a device) and refuses a regular file larger
// than max_bytes before reading a byte; `expected` names what the file
// should be in every error.
class InputLines {
 public:
  InputLines(std::string path, std::string expected, uint64_t max_bytes);
  // The next line into `line`, without its '\n'; false at the end of the
  // file. A line longer than kMaxInputLineBytes, or more than max_bytes in
  // all (a fifo), is an InputError naming the line.
  bool next(std::string& line);
  // Whether the line `next` gave last ended with '\n' (the last line of a
  // file may not).
  bool newline() const { return newline_; }
  // 1-based number of the line `next` gave last.
  int line() const { return line_; }

 private:
  bool fill();

  std::string path_, expected_;
  uint64_t max_bytes_, read_ = 0;
  std::ifstream in_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0;
  bool newline_ = true;
  int line_ = 0;
};

// How an error shows the first line of a file that is not what `marker`
// starts: quoted (60 characters at most) when it starts with `marker` (a
// version line of another version, a header with other columns), else
// "a first line that does not start with '<marker>'", without the line, so a
// file named by mistake (/etc/passwd as a trace) is never echoed.
std::string first_line_found(std::string_view line, std::string_view marker);

// The whole file, with InputLines' checks.
std::string read_input_text(const std::string& path, const std::string& expected, uint64_t max_bytes);

}  // namespace msao
