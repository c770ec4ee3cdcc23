#include "sim/version.hpp"

#ifndef MSAO_VERSION
#define MSAO_VERSION "unknown"
#endif
#ifndef MSAO_GIT_COMMIT
#define MSAO_GIT_COMMIT "unknown"
#endif

namespace msao {

const char* version() { return MSAO_VERSION; }
const char* git_commit() { return MSAO_GIT_COMMIT; }
std::string version_line() { return std::string("msao ") + version() + " (commit " + git_commit() + ")"; }

}  // namespace msao
