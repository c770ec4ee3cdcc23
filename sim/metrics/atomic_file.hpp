// write_file_atomic: results are never left half-written. The content goes
// to a temporary file in the same directory, is flushed, and is renamed over
// the target, so a reader (or a resumed sweep) sees the old file or the new
// one, never a torn one.
#pragma once
#include <string>

namespace msao {

void write_file_atomic(const std::string& path, const std::string& content);

}  // namespace msao
