// write_file_atomic: results are never left half-written. The content goes
// to an unnamed temporary file (O_TMPFILE) in the target's directory, is
// flushed, linked under a temporary name and renamed over the target, so a
// reader (or a resumed sweep) sees the old file or the new one, never a
// torn one, and a writer killed mid-write leaves no file behind. Where the
// file system has no O_TMPFILE a named "<target>.tmp.<pid>" is used, and
// such leftovers of dead processes are removed on the next write of the
// same target. A target that exists and is not a regular file (a device
// such as /dev/stdout, a fifo, or a symbolic link to one) is written
// directly instead: renaming over it would replace the node. A path that
// cannot be written is an InputError naming it (exit status 2).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace msao {

void write_file_atomic(const std::string& path, const std::string& content);

// The same guarantees for a file written piece by piece while a run goes
// (requests.csv): appended text is buffered and written to the unnamed
// temporary file, and only commit() makes it appear under `path`. A writer
// destroyed without commit() (an error, a failed run) leaves no file.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::string path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  void append(std::string_view text);
  // Appends the whole content of the open file descriptor `fd` from its start.
  void append_file(int fd);
  void commit();

 private:
  void flush();
  std::string path_, dir_, tmp_;
  std::string buf_;
  int fd_ = -1;
  bool unnamed_ = false;  // O_TMPFILE: linked under tmp_ at commit
  bool direct_ = false;   // a device, fifo or link: written through
};
// Creates an output folder (and its parents); one that cannot be created is
// an InputError naming it (exit status 2).
void create_output_dir(const std::string& dir);
// Checks, before any simulation work, that an output folder can be created
// and written (a probe file is made and removed) and that none of `files`
// inside it is occupied by a directory; InputError (exit 2) otherwise.
void check_output_dir(const std::string& dir, const std::vector<std::string>& files = {});
// The same for one output file: its folder is writable and the path is not a directory.
void check_output_file(const std::string& path);

}  // namespace msao
