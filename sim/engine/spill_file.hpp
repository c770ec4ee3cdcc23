// SpillFile (internal to sim/engine): a temporary file without a name, in
// $TMPDIR (else /tmp), for data a run holds too much of to keep in memory
// (RecordOrder, EdgeQueues). Having no name, it leaves nothing behind: its
// space is freed when it is closed, or by the system when the process
// ends, however it ends. It grows at its end; appends gather in a buffer
// of about a megabyte before they are written, and reads and patches see
// them either way. Its users release what they have read back, and each
// megabyte of the file no longer needed is given back to the file system
// (a hole punched), so the disk it takes follows what it holds now, not
// all it was ever given.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

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
  // The n bytes at `off` are no longer needed (each byte released once).
  void release(long long off, size_t n);
  // Bytes appended and not released.
  long long held() const { return held_; }

 private:
  void flush();
  // Adds `delta` to the bytes held in each megabyte [off, off + n) touches.
  void count(long long off, size_t n, long long sign);
  // Gives megabyte `c` back if it is written whole and nothing in it is held.
  void punch_if_free(size_t c);

  int fd_ = -1;  // opened on the first write
  std::string tail_;  // appended, not yet written: [tail_start_, size())
  long long tail_start_ = 0;
  std::vector<long long> held_in_;  // bytes held, per megabyte of the file
  long long held_ = 0;
};

}  // namespace msao
