// Phases: the steps the engine interprets to run one request. A plan is a
// short sequence of them (ExecPlan::phases); each phase's seconds and bytes
// are the plan's, priced by the planner from the cost model. The engine
// (request_lifecycle.cpp) owns waiting, overlapping, cancelling, queueing
// and accounting, so a collaboration scheme is a sequence, not an engine
// mode:
//   edge-only   EdgePre, EdgeAnswer
//   offload     EdgePre, Cloud
//   cascade     EdgePre, EdgeAnswer, StopIfConfident, Cloud
//   race        EdgePre, RaceEdge, Cloud
//   tokens      EdgePre, Tokens (round-by-round phases of a TokenRule: token_program.hpp)
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>

namespace msao {

enum class Phase : uint8_t {
  EdgePre,          // queue for the edge accelerator; the plan's pre-work (MAS, pruning, split prefix) on it
  EdgeAnswer,       // the edge model's whole answer on the accelerator, which it then frees
  StopIfConfident,  // the request ends with the edge's answer if the plan judges it confident
  RaceEdge,         // the edge answer starts beside the phases after it; a confident one ending first wins
  Cloud,            // upload, the job in the GPU's batching, reply (then any split's edge tail)
  Tokens,           // token-level collaboration, round by round (token_session.cpp)
};

// A plan's phases: a handful, kept inline (no allocation per request).
struct Phases {
  std::array<Phase, 6> at{};
  uint8_t size = 0;
  Phases() = default;
  Phases(std::initializer_list<Phase> ps) {
    for (Phase p : ps) at[size++] = p;
  }
  const Phase* begin() const { return at.data(); }
  const Phase* end() const { return at.data() + size; }
  bool empty() const { return size == 0; }
  bool operator==(const Phases& o) const { return std::equal(begin(), end(), o.begin(), o.end()); }
};

}  // namespace msao
