#include "sim/engine/exec_plan.hpp"

namespace msao {

const char* exec_mode_name(ExecMode m) {
  switch (m) {
    case ExecMode::EdgeOnly: return "edge";
    case ExecMode::Offload: return "offload";
    case ExecMode::Race: return "race";
    case ExecMode::Cascade: return "cascade";
    case ExecMode::Tokens: return "tokens";
  }
  return "?";
}

}  // namespace msao
