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
// The name, the version and the source revision it was built from (git_commit), as --version prints them.
std::string version_line();

}  // namespace msao
