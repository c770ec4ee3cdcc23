// The simulator's version and the git commit it was built from, for
// `msao --version`, summary.json and the Python package's __version__.
#pragma once
#include <string>

namespace msao {

// "0.1" (CMake's project version).
const char* version();
// `git describe --always --dirty` of the source tree when CMake configured
// it, or "unknown" outside a git checkout.
const char* git_commit();
// "msao 0.1 (commit abc123def456)".
std::string version_line();

}  // namespace msao
