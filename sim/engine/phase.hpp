// Phases: the steps the engine interprets to run one request, and the one
// description of a collaboration scheme. A plan is a short sequence of them
// (ExecPlan::phases); each phase's seconds and bytes are the plan's, priced
// by the planner from the cost model. The engine (request_lifecycle.cpp)
// owns waiting, overlapping, cancelling, queueing and accounting, so a
// scheme is a sequence, not an engine mode. The standard sequences, each
// with the word requests.csv's `mode` column gives it:
//   edge      EdgePre, EdgeAnswer
//   offload   EdgePre, Cloud
//   cascade   EdgePre, EdgeAnswer, StopIfConfident, Cloud
//   race      EdgePre, RaceEdge, Cloud
//   tokens    EdgePre, Tokens (round-by-round phases of a TokenRule: token_program.hpp)
// Every phase kind has one entry in the phase table (phase_info): its name,
// the engine step that runs it, its share of a predicted latency and the
// side whose answer it may return; the prediction, the oracle's choice and
// the `mode` label are all derived from the sequence through it.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>

namespace msao {

enum class Phase : uint8_t {
  EdgePre,          // queue for the edge accelerator; the plan's pre-work (MAS, pruning, split prefix) on it
  EdgeAnswer,       // the edge model's whole answer on the accelerator, which it then frees
  StopIfConfident,  // the request ends with the edge's answer if the plan judges it confident
  RaceEdge,         // the edge answer starts beside the phases after it; a confident one ending first wins
  Cloud,            // upload, the job in the GPU's batching, reply (then any split's edge tail)
  Tokens,           // token-level collaboration, round by round (token_session.cpp)
};
inline constexpr int kNumPhases = 6;

// A plan's phases: a handful, kept inline (no allocation per request).
struct Phases {
  std::array<Phase, 6> at{};
  uint8_t size = 0;
  constexpr Phases() = default;
  constexpr Phases(std::initializer_list<Phase> ps) {
    for (Phase p : ps) at[size++] = p;
  }
  constexpr const Phase* begin() const { return at.data(); }
  constexpr const Phase* end() const { return at.data() + size; }
  constexpr bool empty() const { return size == 0; }
  constexpr bool contains(Phase p) const { return std::find(begin(), end(), p) != end(); }
  constexpr bool operator==(const Phases& o) const { return std::equal(begin(), end(), o.begin(), o.end()); }
};

// The standard sequences (see above).
namespace scheme {
inline constexpr Phases kEdge{Phase::EdgePre, Phase::EdgeAnswer};
inline constexpr Phases kOffload{Phase::EdgePre, Phase::Cloud};
inline constexpr Phases kCascade{Phase::EdgePre, Phase::EdgeAnswer, Phase::StopIfConfident, Phase::Cloud};
inline constexpr Phases kRace{Phase::EdgePre, Phase::RaceEdge, Phase::Cloud};
inline constexpr Phases kTokens{Phase::EdgePre, Phase::Tokens};
}  // namespace scheme

// The word requests.csv's `mode` column gives a sequence: a standard one's
// name, else its phases' names joined by '+'.
std::string scheme_name(const Phases& phases);

// Which model's answer a phase may return.
enum class AnswerSide : uint8_t { None, Edge, Cloud };

// What a latency prediction needs of a priced plan: its seconds, the whole
// cloud path (upload, queue, job, reply, edge tail) as the predictor sees
// it, and whether the edge's answer would be accepted.
struct PhaseTimes {
  double edge_pre_s = 0, edge_answer_s = 0, edge_ttft_s = 0, cloud_path_s = 0;
  bool edge_confident = false;
};
// A prediction folded phase by phase: the time so far, whose answer the
// request returns, and a racing edge answer's end (infinite: none racing).
struct Prediction {
  double seconds = 0;
  AnswerSide answer = AnswerSide::None;
  bool ended = false;  // a phase ended the request (the phases after it do not run)
  double race_end_s = std::numeric_limits<double>::infinity();
};

class PhaseRun;  // the engine's run of one request through its phases (phase_run.hpp)
struct PhaseInfo {
  const char* name;
  bool (PhaseRun::*step)();                             // runs it; false when the request has ended
  bool (*predict)(Prediction&, const PhaseTimes&);      // its share of the predicted latency; true: it answers
  AnswerSide answers;                                   // the answer it may return
};
const PhaseInfo& phase_info(Phase p);

// The predicted latency and answer of a sequence: each phase's share in turn.
Prediction predict_phases(const Phases& phases, const PhaseTimes& t);

}  // namespace msao
