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

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::EdgePre: return "edge-pre";
    case Phase::EdgeAnswer: return "edge-answer";
    case Phase::StopIfConfident: return "stop-if-confident";
    case Phase::RaceEdge: return "race-edge";
    case Phase::Cloud: return "cloud";
    case Phase::Tokens: return "tokens";
  }
  return "?";
}

}  // namespace msao
