// write_file_atomic: results are never left half-written. The content goes
// to a temporary file in the same directory, is flushed, and is renamed over
// the target, so a reader (or a resumed sweep) sees the old file or the new
// one, never a torn one. A path that cannot be written is an InputError
// naming it (exit status 2).
#pragma once
#include <string>

namespace msao {

void write_file_atomic(const std::string& path, const std::string& content);
// Creates an output folder (and its parents); one that cannot be created is
// an InputError naming it (exit status 2).
void create_output_dir(const std::string& dir);

}  // namespace msao
