// SpillFile (internal to sim/engine): an unnamed temporary file (tmpfile():
// in TMPDIR's directory, removed when closed, or by the system if the
// process ends first) that grows at its end, for data a run holds too much
// of to keep in memory (RecordOrder, EdgeQueues). Appends gather in a
// buffer of about a megabyte before they are written; reads and patches
// see them either way.
#pragma once
#include <cstddef>
#include <cstdio>
#include <string>

namespace msao {

class SpillFile {
 public:
  SpillFile() = default;
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Appends `bytes`; returns the offset they start at.
  long long append(const std::string& bytes);
  // Overwrites n bytes at `off` (all appended already).
  void write_at(long long off, const void* p, size_t n);
  // Reads n bytes at `off` (all appended already).
  void read_at(long long off, void* p, size_t n);
  long long size() const { return tail_start_ + static_cast<long long>(tail_.size()); }

 private:
  void flush();

  std::FILE* file_ = nullptr;
  std::string tail_;  // appended, not yet written: [tail_start_, size())
  long long tail_start_ = 0;
};

}  // namespace msao
