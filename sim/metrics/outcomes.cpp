#include "sim/metrics/outcomes.hpp"

namespace msao {

const char* name(AnsweredBy a) {
  switch (a) {
    case AnsweredBy::Unset: return "";
    case AnsweredBy::None: return "none";
    case AnsweredBy::Edge: return "edge";
    case AnsweredBy::Cloud: return "cloud";
    case AnsweredBy::Mixed: return "mixed";
  }
  return "?";
}

const char* name(SpecOutcome s) {
  switch (s) {
    case SpecOutcome::Unset: return "";
    case SpecOutcome::None: return "none";
    case SpecOutcome::EdgeAccepted: return "edge-accepted";
    case SpecOutcome::CloudUsed: return "cloud-used";
    case SpecOutcome::Escalated: return "escalated";
    case SpecOutcome::Verified: return "verified";
    case SpecOutcome::Handoff: return "handoff";
    case SpecOutcome::EdgeOnly: return "edge-only";
    case SpecOutcome::Mixed: return "mixed";
    case SpecOutcome::EdgeFallback: return "edge-fallback";
    case SpecOutcome::Fallback: return "fallback";
  }
  return "?";
}

const char* name(Cause c) {
  switch (c) {
    case Cause::None: return "";
    case Cause::LinkDown: return "link-down";
    case Cause::Timeout: return "timeout";
    case Cause::GpuFailure: return "gpu-failure";
    case Cause::GpuDown: return "gpu-down";
    case Cause::EdgeDown: return "edge-down";
    case Cause::KvTooLarge: return "kv-cache need exceeds the GPU's free memory";
  }
  return "?";
}

}  // namespace msao
