// The phase table: for each phase kind, its name, the engine step that
// runs it, its share of a predicted latency and the side whose answer it
// may return. A new phase kind is one entry here plus its step.
#include <algorithm>

#include "sim/engine/phase.hpp"
#include "sim/engine/phase_run.hpp"

namespace msao {

namespace {

// Shares of a predicted latency; each returns true when its phase's answer
// becomes the request's (the table's side). A race's edge answer is
// accepted iff the plan says the edge is confident; the answer usable first
// wins, the cloud's also abandoning an edge run still in progress.
bool edge_pre(Prediction& p, const PhaseTimes& t) {
  p.seconds += t.edge_pre_s;
  return false;
}
bool edge_answer(Prediction& p, const PhaseTimes& t) {
  p.seconds += t.edge_answer_s;
  return true;
}
bool stop_if_confident(Prediction& p, const PhaseTimes& t) {
  p.ended = t.edge_confident;
  return p.ended;
}
bool race_edge(Prediction& p, const PhaseTimes& t) {
  if (t.edge_confident) p.race_end_s = p.seconds + t.edge_answer_s;
  return false;  // it answers only by winning, which the cloud phase decides
}
bool cloud(Prediction& p, const PhaseTimes& t) {
  const double cloud_end = p.seconds + t.cloud_path_s;
  if (p.race_end_s < std::numeric_limits<double>::infinity()) {
    p.seconds = std::min(p.race_end_s, cloud_end);
    const bool edge_first = p.seconds >= p.race_end_s - 1e-12;
    p.race_end_s = std::numeric_limits<double>::infinity();
    if (edge_first) {
      p.answer = phase_info(Phase::RaceEdge).answers;
      return false;
    }
    return true;
  }
  p.seconds = cloud_end;
  return true;
}
// Round by round it depends on acceptance and confidence; predicted
// pessimistically as the edge's own context followed by the whole cloud
// path (a hand-off as soon as the first token is drafted).
bool tokens(Prediction& p, const PhaseTimes& t) {
  p.seconds += t.edge_ttft_s;
  p.seconds += t.cloud_path_s;
  return true;
}

// Indexed by Phase.
const std::array<PhaseInfo, kNumPhases> kTable{{
    {"edge-pre", &PhaseRun::edge_pre, edge_pre, AnswerSide::None},
    {"edge-answer", &PhaseRun::edge_answer, edge_answer, AnswerSide::Edge},
    {"stop-if-confident", &PhaseRun::stop_if_confident, stop_if_confident, AnswerSide::Edge},
    {"race-edge", &PhaseRun::race_edge, race_edge, AnswerSide::Edge},
    {"cloud", &PhaseRun::cloud, cloud, AnswerSide::Cloud},
    {"tokens", &PhaseRun::tokens, tokens, AnswerSide::Cloud},
}};

struct NamedScheme {
  const char* name;
  Phases phases;
};
constexpr NamedScheme kNamed[] = {{"edge", scheme::kEdge},
                                  {"offload", scheme::kOffload},
                                  {"race", scheme::kRace},
                                  {"cascade", scheme::kCascade},
                                  {"tokens", scheme::kTokens}};

}  // namespace

const PhaseInfo& phase_info(Phase p) { return kTable[static_cast<size_t>(p)]; }

std::string scheme_name(const Phases& phases) {
  for (const auto& n : kNamed)
    if (n.phases == phases) return n.name;
  std::string s;
  for (const Phase p : phases) s += (s.empty() ? "" : "+") + std::string(phase_info(p).name);
  return s;
}

Prediction predict_phases(const Phases& phases, const PhaseTimes& t) {
  Prediction p;
  for (const Phase ph : phases) {
    const PhaseInfo& info = phase_info(ph);
    if (info.predict(p, t)) p.answer = info.answers;
    if (p.ended) break;
  }
  return p;
}

}  // namespace msao
