// How a request ended, as typed values: who answered, what became of its
// speculation, and what failed or made the cloud refuse it. Each enum has
// one name table (outcomes.cpp): the words requests.csv writes, so a typo
// is a compile error, not a silently wrong figure.
#pragma once
#include <cstdint>

namespace msao {

// answered_by. Unset: the request has not ended (unfinished).
enum class AnsweredBy : uint8_t { Unset, None, Edge, Cloud, Mixed };

// spec_outcome: what became of the edge's part (docs/metrics.md).
enum class SpecOutcome : uint8_t {
  Unset,         // not ended
  None,          // no speculation decided it (plain offload, edge answer, failure)
  EdgeAccepted,  // a confident edge answer ended first and stood
  CloudUsed,     // the cloud's answer was used over the edge's
  Escalated,     // a cascade sent an unsure edge answer to the cloud
  Verified,      // token level: every token verified or produced by the cloud
  Handoff,       // token level: the cloud took the generation over
  EdgeOnly,      // token level: every token committed unverified on the edge
  Mixed,         // token level: verified and unverified tokens
  EdgeFallback,  // the cloud refused the job: the edge's answer is returned
  Fallback,      // the cloud could not be reached: the edge answered
};

// failure (what went wrong) and reason (why the cloud refused a job, or the
// failure that ended a request).
enum class Cause : uint8_t { None, LinkDown, Timeout, GpuFailure, GpuDown, EdgeDown, KvTooLarge };

const char* name(AnsweredBy a);
const char* name(SpecOutcome s);
const char* name(Cause c);

}  // namespace msao
