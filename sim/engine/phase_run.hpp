// PhaseRun: one request's run through its plan's phases (internal to
// sim/engine). Each phase kind's step is a member the phase table
// (phase_info, phase_table.cpp) points at; what has happened so far decides
// what a cloud phase's end means (a race's loser, a cascade's escalation
// with an edge answer to fall back on, or a plain offload).
#pragma once
#include "sim/engine/edge_lane.hpp"
#include "sim/engine/exec_plan.hpp"
#include "sim/engine/lifecycle_steps.hpp"
#include "sim/engine/world.hpp"

namespace msao {

class PhaseRun {
 public:
  PhaseRun(World& w, const Request& req, RequestRecord& rec, const ExecPlan& p)
      : w_(w), e_(w.edges[req.edge]), req_(req), rec_(rec), p_(p) {}

  // Runs the phases in order until one ends the request or they run out.
  void run();

  // The phase steps (Phase's comments say what each does); each returns
  // false when the request has ended.
  bool edge_pre();
  bool edge_answer();
  bool stop_if_confident();
  bool race_edge();
  bool cloud();
  bool tokens();

 private:
  // The cloud round trip; after a failure (platform.faults) it is tried
  // again, after backoff_s x 2^i, up to `retries` more times, on a fresh
  // ticket (the dispatcher avoids failed GPUs).
  CloudEnd cloud_with_retries();
  // The cloud could not be reached: an edge answer already there is
  // returned; otherwise the edge model answers now if the plan has a
  // fallback; otherwise the request fails.
  bool fall_back();
  bool race_ended(CloudEnd end);
  void finish_with(bool edge_answer);

  World& w_;
  EdgeState& e_;
  const Request& req_;
  RequestRecord& rec_;
  const ExecPlan& p_;
  EdgeLane race_;
  bool holds_accel_ = false, racing_ = false, edge_answered_ = false, cloud_answered_ = false;
  double edge_first_token_ = RequestRecord::kNone;
};

}  // namespace msao
