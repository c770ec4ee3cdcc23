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

Phases phases_of(ExecMode m) {
  switch (m) {
    case ExecMode::EdgeOnly: return {Phase::EdgePre, Phase::EdgeAnswer};
    case ExecMode::Offload: return {Phase::EdgePre, Phase::Cloud};
    case ExecMode::Race: return {Phase::EdgePre, Phase::RaceEdge, Phase::Cloud};
    case ExecMode::Cascade: return {Phase::EdgePre, Phase::EdgeAnswer, Phase::StopIfConfident, Phase::Cloud};
    case ExecMode::Tokens: return {Phase::EdgePre, Phase::Tokens};
  }
  return {};
}

}  // namespace msao
